# The README's commands. Every target that needs Python depends on the virtualenv in .venv.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
LOCK := .ci/requirements.lock
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve-prod bench test lint check services postgres redis browser node nginx lock clean

install: $(VENV)/.installed

# Reinstall whenever the lock changes. find-python stops with an install hint when no Python >= 3.12 exists.
$(VENV)/.installed: $(LOCK) pyproject.toml
	@PYTHON_BIN=$$(.ci/find-python) && \
	  if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
	    rm -rf $(VENV) && echo "Creating $(VENV) with $$PYTHON_BIN" && $$PYTHON_BIN -m venv $(VENV); \
	  fi
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25.1"
	$(PY) -m pip install --quiet --disable-pip-version-check -r $(LOCK)
	@touch $@

run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py loadcontent
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production mode locally: nginx on PORT in front of gunicorn, on PostgreSQL and Redis (see .ci/serve-prod).
serve-prod: install nginx services
	PORT=$(PORT) .ci/serve-prod

# Benchmarks (wrk against gunicorn in production mode, the loader, search); writes tests/bench/results.md.
bench: install nginx services
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "Installing Debian's wrk for the benchmarks"; \
	  export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	$(PY) -m tests.bench

# The suite needs PostgreSQL and Redis on 127.0.0.1 whatever DATABASE_URL says: the several-server and
# outage tests start gunicorn on them.
test: install browser node nginx services
	$(PY) -m pytest $(PYTEST_ARGS)

# axe-core for the accessibility tests, from npm, at the version in tests/package-lock.json.
node: tests/node_modules/.installed

tests/node_modules/.installed: tests/package.json tests/package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "Installing Debian's nodejs and npm for axe-core"; \
	  export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null; }
	npm ci --prefix tests --no-audit --no-fund --loglevel=error
	@touch $@

# Browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

# Debian's nginx, the front server (ivmt_site/front): serve-prod, the front tests and the benchmarks run it.
nginx:
	.ci/install-nginx

# ruff, and the import contracts in pyproject.toml ([tool.importlinter]): dependencies point one way, down.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

# Django's own checks and a guard against model changes without a migration.
check: install
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run

# PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379, each installed and started only if not running.
services: postgres redis

postgres:
	.ci/start-postgres

redis:
	.ci/start-redis

# Rewrites the lock from pyproject.toml's ranges in a scratch virtualenv.
lock:
	@PYTHON_BIN=$$(.ci/find-python) && rm -rf /tmp/ivmt-lock && $$PYTHON_BIN -m venv /tmp/ivmt-lock
	/tmp/ivmt-lock/bin/pip install --quiet --upgrade "pip>=25.1"
	/tmp/ivmt-lock/bin/pip install --quiet -e ".[dev]"
	/tmp/ivmt-lock/bin/pip freeze --exclude-editable > $(LOCK)
	rm -rf /tmp/ivmt-lock

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .serve-prod
