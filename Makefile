# The one command surface: `make run` builds the graph and serves it, `make test` checks everything.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
RG := $(BIN)/regiograph
CORPUS ?= ../shared/corpus/letters
OUT := var/out
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Runs `regiograph <args>` when that command exists, so `make run` works while commands are being added.
define optional
	@if $(RG) $(firstword $(1)) --help >/dev/null 2>&1; then \
		echo "+ regiograph $(1)"; $(RG) $(1); \
	else echo "skipped: regiograph $(firstword $(1)) is not available"; fi
endef

.PHONY: install neo4j neo4j-stop neo4j-status test run bench lint browser vocabulary score

install:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -e ".[dev]"

$(RG):
	$(MAKE) install

neo4j: | $(RG)
	$(RG) neo4j start

neo4j-stop: | $(RG)
	$(RG) neo4j stop

neo4j-status: | $(RG)
	$(RG) neo4j status

test: | $(RG)
	$(BIN)/pytest tests/ -rs $(PYTEST_ARGS)

run: install neo4j
	@mkdir -p $(OUT)
	$(call optional,ingest $(CORPUS))
	$(call optional,export --format turtle --output $(OUT)/graph.ttl)
	$(call optional,viz --output $(OUT)/graph.html)
	$(call optional,serve)

bench: | $(RG)
	@for f in bench/bench_*.py; do \
		[ -e "$$f" ] || continue; \
		echo "== $$f"; $(BIN)/python $$f || exit 1; \
	done

# Regenerate ingest/data/generated/ (gazetteers, ministries, map geometry) from the published lists.
vocabulary: | $(RG)
	$(RG) vocabulary build --data $(or $(DATA),../shared/data)

lint: | $(RG)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

# Extraction quality against the reference annotations; `make score SCORE_ARGS=--verbose` lists the misses.
EXCERPTS ?= var/excerpts
score: | $(RG)
	$(BIN)/python bench/score.py --excerpts $(EXCERPTS) $(SCORE_ARGS)

# Headless Chromium for the browser tests; the package index is refreshed only when the install fails.
browser:
	@if [ -x /usr/bin/chromium ] && command -v chromedriver >/dev/null; then \
		echo "chromium present: $$(/usr/bin/chromium --version 2>/dev/null)"; \
	else \
		export DEBIAN_FRONTEND=noninteractive; \
		$(SUDO) apt-get install -y chromium chromium-driver \
		|| { $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium chromium-driver; }; \
	fi
