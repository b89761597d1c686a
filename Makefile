# Parkbench: `make run` serves the demo on http://127.0.0.1:8000; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APP := $(BIN)/litestar --app booking.app:create_app
STAMP := $(VENV)/.installed
# Messages are marked in code by the domain errors' second argument as well as by _().
KEYWORDS := -k _ -k gettext -k ngettext:1,2 -k lazy_gettext -k N_ \
	-k DomainError:2 -k RuleViolation:2 -k NotFound:2 -k Conflict:2 -k Forbidden:2 \
	-k Unauthorized:2 -k SeriesRejected:2 -k Violation:2
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve install test layers test-sqlite test-postgres messages catalogs frontend browser lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Compiled catalogs are built, never committed.
catalogs: $(STAMP)
	$(BIN)/pybabel compile --domain messages --directory i18n/locales --statistics 2>&1 | tail -n 2

# Re-extract messages and merge them into the catalogs (developers, after editing strings).
messages: $(STAMP)
	$(BIN)/pybabel extract --mapping i18n/babel.cfg $(KEYWORDS) --no-location --sort-output \
		--project Parkbench --copyright-holder "Parkbench" --output i18n/messages.pot .
	$(BIN)/pybabel update --input-file i18n/messages.pot --output-dir i18n/locales \
		--domain messages --no-fuzzy-matching --ignore-obsolete

# Front-end libraries come from the npm registry at install time.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch node_modules/.installed

frontend: node_modules/.installed

run: install catalogs frontend
	$(APP) db migrate
	$(APP) demo load --if-empty
	$(APP) run --host $(HOST) --port $(PORT)

# Production-style start: migrations, no demo data.
serve: install catalogs frontend
	$(APP) db migrate
	PARKBENCH_RUN_JOBS=$${PARKBENCH_RUN_JOBS:-1} $(APP) run --host $(HOST) --port $(PORT)

# Debian's Chromium drives the browser tests (Playwright's own download is not used).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: install catalogs frontend browser
	$(MAKE) --no-print-directory layers
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$TEST_DATABASE_URL" ]; then $(MAKE) --no-print-directory test-postgres; \
	else echo "TEST_DATABASE_URL not set: PostgreSQL run skipped"; fi

# The import contracts of pyproject.toml: layers point down, no circles, pages never touch tables.
layers: install
	@echo "== import contracts"
	$(BIN)/lint-imports --no-cache

test-sqlite:
	@echo "== tests on SQLite"
	$(BIN)/pytest -q -p no:cacheprovider

test-postgres:
	@echo "== tests on PostgreSQL ($$TEST_DATABASE_URL)"
	PARKBENCH_TEST_DATABASE_URL="$$TEST_DATABASE_URL" $(BIN)/pytest -q -p no:cacheprovider -m "not browser"

lint: install
	$(BIN)/ruff check .

bench: install catalogs
	$(BIN)/python bench/bookings.py

clean:
	rm -rf var/*.sqlite* test-artifacts
