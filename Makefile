# Trygg: `make run` serves the Östersund demo on SQLite; `make test` runs the
# whole suite on SQLite and on a throwaway PostgreSQL. Both set everything up.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test check test-sqlite test-postgres lint format typecheck bench system clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

system:
	bash tools/setup-system.sh

# axe-core for the accessibility checks of the browser tests (pinned in package-lock.json).
node_modules/.installed: package.json package-lock.json | system
	npm ci --no-audit --no-fund --silent
	touch $@

run: $(VENV)/.installed
	mkdir -p var
	DEBUG=1 $(VENV)/bin/trygg migrate --verbosity 0
	DEBUG=1 $(VENV)/bin/trygg demo
	@echo "Two-factor login is off for the demo (TWO_FACTOR_REQUIRED=0); it is on by default."
	DEBUG=1 TWO_FACTOR_REQUIRED=0 $(VENV)/bin/trygg runserver 127.0.0.1:$(PORT)

test: test-sqlite test-postgres

# The fast loop: no root, no system packages, no browser; SQLite on both cores.
check: $(VENV)/.installed
	$(VENV)/bin/ruff check trygg tests bench tools
	$(VENV)/bin/ruff format --check trygg tests bench tools
	$(VENV)/bin/mypy
	DATABASE_URL=sqlite:///:memory: $(PY) -m pytest -n 2 -m "not browser and not slow and not system"

test-sqlite: $(VENV)/.installed system node_modules/.installed
	DATABASE_URL=sqlite:///:memory: $(PY) -m pytest -n 2 --dist loadgroup

# Starts a throwaway PostgreSQL cluster unless DATABASE_URL already names one.
test-postgres: $(VENV)/.installed system node_modules/.installed
	$(PY) tools/with_postgres.py $(PY) -m pytest -n 2 --dist loadgroup

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check trygg tests bench tools
	$(VENV)/bin/ruff format --check trygg tests bench tools

format: $(VENV)/.installed
	$(VENV)/bin/ruff format trygg tests bench tools
	$(VENV)/bin/ruff check --fix trygg tests bench tools

typecheck: $(VENV)/.installed
	$(VENV)/bin/mypy

bench: $(VENV)/.installed system
	$(PY) bench/analysis.py
	$(PY) bench/intake.py
	$(PY) bench/api_post.py

clean:
	rm -rf $(VENV) var *.egg-info node_modules
