"""GET /docs and /redoc with Swagger UI and ReDoc shipped in the package (api/static/vendor), so the
API documentation renders on a machine without internet (FastAPI's "self-hosting JavaScript and CSS
for docs" recipe). The app turns FastAPI's CDN-loading pages off and mounts STATIC_DIR at /static."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
SWAGGER = "/static/vendor/swagger-ui-5.35.0"
REDOC = "/static/vendor/redoc-2.5.4"
FAVICON = f"{SWAGGER}/favicon-32x32.png"

# Nothing but this server: ReDoc's sidebar would load its logo from a CDN, which this blocks before
# any request is made (the image hides itself when it cannot load).
CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'"
)

router = APIRouter(include_in_schema=False)


def _offline(page: HTMLResponse) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = CSP
    return page


@router.get("/docs", response_class=HTMLResponse)
async def swagger_ui(request: Request) -> HTMLResponse:
    return _offline(
        get_swagger_ui_html(
            openapi_url=request.app.openapi_url,
            title=f"{request.app.title} · API-documentatie",
            swagger_js_url=f"{SWAGGER}/swagger-ui-bundle.js",
            swagger_css_url=f"{SWAGGER}/swagger-ui.css",
            swagger_favicon_url=FAVICON,
            oauth2_redirect_url="/docs/oauth2-redirect",
        )
    )


@router.get("/docs/oauth2-redirect", response_class=HTMLResponse)
async def swagger_ui_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()


@router.get("/redoc", response_class=HTMLResponse)
async def redoc(request: Request) -> HTMLResponse:
    return _offline(
        get_redoc_html(
            openapi_url=request.app.openapi_url,
            title=f"{request.app.title} · API-documentatie",
            redoc_js_url=f"{REDOC}/redoc.standalone.js",
            redoc_favicon_url=FAVICON,
            with_google_fonts=False,
        )
    )
