FROM python:3.11-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir .
ENV REGIOGRAPH_RUNTIME_DIR=/app/var
EXPOSE 8000
CMD ["regiograph", "serve", "--host", "0.0.0.0"]
