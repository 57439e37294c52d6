# Pakta: `make run` and `make test` do everything on a fresh machine (see README.md).
SHELL := /bin/bash
UV_VERSION := 0.13.9
VENV := .venv
PY := $(VENV)/bin/python
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
MANAGE := $(PY) manage.py
PYTEST_ARGS ?=

.PHONY: help install bytecode system-deps frontend run run-scale serve test lint format typecheck pytest messages makemessages bench bench-national backup restore clean

help:
	@echo "make run | run-scale | test | lint | format | typecheck | messages | bench | bench-national | backup"

$(UV):
	python3 -m pip install --quiet --user "uv==$(UV_VERSION)"

system-deps:
	@bash scripts/system-deps.sh

$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --quiet --compile-bytecode
	@touch $@

install: system-deps $(VENV)/.installed messages frontend bytecode

# Charts and pickers from the npm registry (package-lock.json) into build/static/: docs/frontend.md.
frontend:
	@bash scripts/frontend.sh

# Byte-code compiled ahead, for the venv (uv sync --compile-bytecode) and src/: where
# PYTHONDONTWRITEBYTECODE is set (containers, this machine) Python would otherwise compile about
# 2,500 modules again at every start (6 s of CPU per test run; docs/testing.md).
bytecode: $(VENV)/.installed
	@$(PY) -m compileall -q src

messages: $(VENV)/.installed
	@cd src/pakta && ../../$(PY) ../../manage.py compilemessages --ignore=.venv -v0

makemessages: $(VENV)/.installed
	cd src/pakta && ../../$(PY) ../../manage.py makemessages -l id -l en --no-obsolete --no-location --ignore=.venv

# Served like production: gunicorn, debug off (PAKTA_DEBUG=true for debug pages), WhiteNoise,
# demo mode on, the task worker beside it. PORT=8001 make run for another port.
run: install
	$(MANAGE) preflight
	$(MANAGE) migrate --no-input -v0
	$(MANAGE) createcachetable
	$(MANAGE) load_demo
	bash scripts/serve.sh

# The at-scale shape (Procfile, honcho): WEB gunicorn processes, WORKERS RQ workers, the
# scheduler, on PostgreSQL (DATABASE_URL) and Redis (REDIS_URL). docs/operations.md.
run-scale: install
	bash scripts/run-scale.sh

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check src tests bench
	PYTHONPATH=src $(VENV)/bin/lint-imports
	$(VENV)/bin/ruff format --check src tests bench

format: $(VENV)/.installed
	$(VENV)/bin/ruff format src tests bench
	$(VENV)/bin/ruff check --fix src tests bench

typecheck: $(VENV)/.installed
	$(VENV)/bin/mypy

pytest: install
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test: install lint typecheck pytest

bench: install
	bash scripts/bench.sh small

bench-national: install
	bash scripts/bench.sh national

backup: install
	$(MANAGE) backup

restore: install
	$(MANAGE) restore $(ARCHIVE)

clean:
	rm -rf var/ build/ .mypy_cache .ruff_cache .pytest_cache
