# Yigou — two commands: `make run` serves the demo, `make test` runs every test.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
export DJANGO_SETTINGS_MODULE ?= config.settings.local

.PHONY: help venv run demo test test-sqlite test-postgres lint format bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@rm -f $(VENV)/.installed-*; touch $@

venv: $(STAMP) ## create .venv and install the project with its dev tools

run: venv ## migrate the embedded SQLite database, load the demo once, serve on 127.0.0.1:8000
	$(PY) -m yigou.manage migrate --no-input -v0
	$(PY) -m yigou.manage demo --if-empty
	@echo ""
	@echo "以购助扶 Yigou: http://127.0.0.1:8000/  (API docs: http://127.0.0.1:8000/api/docs/, admin: /admin/)"
	@$(PY) -m yigou.manage demo --logins
	$(PY) -m yigou.manage runserver 127.0.0.1:8000

demo: venv ## load the demo data into the embedded database (once; delete var/yigou.sqlite3 to start over)
	$(PY) -m yigou.manage migrate --no-input -v0
	$(PY) -m yigou.manage demo --if-empty

test: venv ## run the suite on SQLite, then on PostgreSQL when one is reachable (browser tests included)
	@bash scripts/test.sh

lint: venv ## ruff, ruff format --check, mypy, the layer contracts and the migrations check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy yigou config
	$(VENV)/bin/lint-imports --no-cache
	$(PY) scripts/check_private_imports.py
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m yigou.manage makemigrations --check --dry-run

format: venv ## apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: venv ## run the benchmarks in bench/ (BENCH_SCALE=small for a short run)
	@bash bench/run.sh

clean: ## remove the virtualenv and local data
	rm -rf $(VENV) var staticfiles
