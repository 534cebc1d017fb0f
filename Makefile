# One task file for everything: `make help` lists the targets.
# A fresh machine needs only Python 3.11 and make; everything else is installed here.

SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PIP := $(BIN)/python -m pip install --disable-pip-version-check -q -c constraints.txt

.DEFAULT_GOAL := help
.PHONY: help run test lint unit app browser validate bench chromium nginx lock clean datapackage

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installs run only when a requirements file changed since the last install (stamp files).
$(VENV)/.runtime: requirements.txt constraints.txt | $(BIN)/python
	$(PIP) -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt constraints.txt | $(BIN)/python
	$(PIP) -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime ## serve the app on http://localhost:8501
	$(BIN)/streamlit run app.py --server.headless true --server.port $(PORT)

chromium: ## install Debian's chromium when missing (browser tests drive it)
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium >/dev/null; }
	@chromium --version

lint: $(VENV)/.dev ## ruff (lint and format) and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

unit: $(VENV)/.dev ## unit tier: pure code, no server
	$(BIN)/pytest tests/unit

app: $(VENV)/.dev ## app tier: every page through streamlit's AppTest
	$(BIN)/pytest tests/app

browser: $(VENV)/.dev chromium ## browser tier: a real server and Debian's Chromium
	$(BIN)/pytest tests/browser

# pytest exits 5 when it collects nothing: a tier that silently tests nothing must not pass.
test: $(VENV)/.dev chromium ## lint, then every test tier (unit, app, browser)
	$(MAKE) --no-print-directory lint
	@set +e; $(BIN)/pytest tests; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "FAIL: pytest collected no tests"; fi; exit $$rc

validate: $(VENV)/.runtime ## check the CSVs in data/ (or DIR=...)
	$(BIN)/python -m dashboard validate $(DIR)

datapackage: $(VENV)/.runtime ## regenerate data/datapackage.json from dashboard/schema.py
	$(BIN)/python -m dashboard datapackage > data/datapackage.json

lock: $(BIN)/python ## re-pin constraints.txt from a clean install of the requirements
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install -q -r requirements-dev.txt
	{ head -2 constraints.txt; .venv-lock/bin/python -m pip freeze --exclude-editable; } > constraints.new
	mv constraints.new constraints.txt && rm -rf .venv-lock

clean: ## remove the virtualenv and caches
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
