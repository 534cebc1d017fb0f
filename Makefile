# One task file for everything: `make help` lists the targets.
# A fresh machine needs only Python 3.11 and make; everything else is installed here.

SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# The port of make run: PORT=..., else Streamlit's own STREAMLIT_SERVER_PORT, else 8501.
PORT ?= $(or $(STREAMLIT_SERVER_PORT),8501)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PIP := $(BIN)/python -m pip install --disable-pip-version-check -q -c constraints.txt

.DEFAULT_GOAL := help
.PHONY: help run test lint unit app browser container validate site diff bench bench-tools system container-system tools frictionless lock clean docs

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-17s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installs run only when a requirements file changed since the last install (stamp files).
$(VENV)/.runtime: requirements.txt constraints.txt | $(BIN)/python
	$(PIP) -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt constraints.txt | $(BIN)/python
	$(PIP) -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime

# Memory settings: see dashboard/memory.py (fewer glibc arenas; pyarrow on the system allocator).
# dashboard.ui.serve reads the tables and prepares every page before Streamlit listens (see its docstring).
run: $(VENV)/.runtime ## serve the app on http://localhost:8501 (make run PORT=8502, or STREAMLIT_SERVER_PORT)
	MALLOC_ARENA_MAX=2 ARROW_DEFAULT_MEMORY_POOL=system \
	  $(BIN)/python -m dashboard.ui.serve --server.headless true --server.port $(PORT)

# Installs the Debian packages listed in the shell variable $$missing (nothing when it is empty).
# A temporary policy-rc.d (only if the machine has none) stops a package from starting a system
# service while it installs (nginx on port 80, podman's socket).
APT_INSTALL = if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  own_policy=""; if [ ! -e /usr/sbin/policy-rc.d ]; then own_policy=1; \
	    printf '\#!/bin/sh\nexit 101\n' | $(SUDO) tee /usr/sbin/policy-rc.d >/dev/null && $(SUDO) chmod +x /usr/sbin/policy-rc.d; fi; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  rc=$$?; [ -z "$$own_policy" ] || $(SUDO) rm -f /usr/sbin/policy-rc.d; exit $$rc; \
	fi

# Debian packages the browser tier needs: chromium (driven by Playwright) and nginx (the scale-out test).
system: ## install Debian's chromium and nginx when missing
	@missing=""; command -v chromium >/dev/null || missing="$$missing chromium"; \
	{ command -v nginx >/dev/null || test -x /usr/sbin/nginx; } || missing="$$missing nginx"; \
	$(APT_INSTALL)
	@echo "system packages: $$(command -v chromium) $$(command -v nginx || echo /usr/sbin/nginx)"

# Debian packages the container tier needs: podman builds and runs deploy/Dockerfile's image (with runc:
# crun cannot set up cgroups on this kind of machine), debootstrap makes the stand-in for the base image
# (no image registry is reachable), catatonit is the pause process of `podman kube play`'s pods.
CONTAINER_PACKAGES := podman runc debootstrap catatonit
container-system: ## install Debian's podman, runc, debootstrap and catatonit when missing
	@missing=""; for p in $(CONTAINER_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	$(APT_INSTALL)
	@echo "container packages: $$(podman --version)"

# Deployment linters (hadolint, kubernetes-validate, checkov) in their own virtualenv: checkov's pins
# conflict with the app's (see requirements-tools.txt).
TOOLS := .venv-tools
$(TOOLS)/.installed: requirements-tools.txt
	rm -rf $(TOOLS) && $(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --disable-pip-version-check -q -r requirements-tools.txt
	@touch $@

tools: $(TOOLS)/.installed ## install the deployment linters into .venv-tools

# The Frictionless Framework, an independent check that data/datapackage.json is a real data package;
# its own virtualenv, since its pins conflict with checkov's (see requirements-frictionless.txt).
FRICTIONLESS := .venv-frictionless
$(FRICTIONLESS)/.installed: requirements-frictionless.txt
	rm -rf $(FRICTIONLESS) && $(PYTHON) -m venv $(FRICTIONLESS)
	$(FRICTIONLESS)/bin/python -m pip install --disable-pip-version-check -q -r requirements-frictionless.txt
	@touch $@

frictionless: $(FRICTIONLESS)/.installed ## install the Frictionless Framework into .venv-frictionless

# axe-core (the accessibility engine the browser tests inject into each page), from the npm registry.
AXE_VERSION := 4.14.1
AXE := .cache/axe/node_modules/axe-core/axe.min.js
$(AXE):
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends npm >/dev/null; }
	npm install --silent --no-audit --no-fund --prefix .cache/axe axe-core@$(AXE_VERSION)

lint: $(VENV)/.dev ## ruff (lint and format) and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

unit: $(VENV)/.dev $(FRICTIONLESS)/.installed ## unit tier: pure code, no server
	$(BIN)/pytest tests/unit

app: $(VENV)/.dev ## app tier: every page through streamlit's AppTest
	$(BIN)/pytest tests/app

# The browser tier on both cores: two pytest workers (pytest-xdist), each with its own Chromium, each
# taking whole test files (--dist loadfile), so a file's servers and its tests' order stay as written.
BROWSER_WORKERS := -n 2 --dist loadfile
browser: $(VENV)/.dev system $(AXE) ## browser tier: real servers, nginx, axe-core and Debian's Chromium
	$(BIN)/pytest $(BROWSER_WORKERS) tests/browser

# Container tier: builds the image once (a stand-in base the first time, ~1 min each), two containers
# behind the shipped nginx, podman kube play, and the deployment linters.
container: $(VENV)/.dev system container-system $(TOOLS)/.installed ## container tier: the image built and run for real with podman
	$(BIN)/pytest tests/container

# pytest exits 5 when it collects nothing: a tier that silently tests nothing must not pass. The unit
# and app tiers (pure code and AppTest, no shared server) run on both cores (pytest-xdist); so does the
# browser tier, a whole test file per worker (see BROWSER_WORKERS above): one worker leaves about a
# quarter of the two cores idle (waiting on a page or a server), two take about three quarters of the time.
# The container tier runs in a pytest process of its own: Playwright's sync API allows one instance per
# process, and a browser tier run in the same process would still hold its (session-wide) one.
test: $(VENV)/.dev system container-system $(TOOLS)/.installed $(FRICTIONLESS)/.installed $(AXE) ## lint, then every test tier (unit, app, browser, container)
	$(MAKE) --no-print-directory lint
	@set +e; $(BIN)/pytest -n 2 tests/unit tests/app; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "FAIL: pytest collected no unit or app tests"; fi; \
	$(BIN)/pytest $(BROWSER_WORKERS) tests/browser; rc_browser=$$?; \
	if [ $$rc_browser -eq 5 ]; then echo "FAIL: pytest collected no browser tests"; fi; \
	$(BIN)/pytest tests/container; rc_container=$$?; \
	if [ $$rc_container -eq 5 ]; then echo "FAIL: pytest collected no container tests"; fi; \
	for code in $$rc $$rc_browser; do if [ $$code -ne 0 ]; then exit $$code; fi; done; exit $$rc_container

# The benchmark's own tools, apart from the app's requirements: Datasette and sqlite-utils in a
# virtualenv of their own (the side-by-side comparison), Lighthouse from npm (run on Debian's chromium).
BENCH_DATASETTE := .cache/bench-datasette
LIGHTHOUSE_VERSION := 12.2.3
LIGHTHOUSE := .cache/lighthouse/node_modules/.bin/lighthouse
$(BENCH_DATASETTE)/.installed: bench/requirements-datasette.txt
	rm -rf $(BENCH_DATASETTE) && $(PYTHON) -m venv $(BENCH_DATASETTE)
	$(BENCH_DATASETTE)/bin/python -m pip install --disable-pip-version-check -q -r bench/requirements-datasette.txt
	@touch $@

$(LIGHTHOUSE):
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends npm >/dev/null; }
	npm install --silent --no-audit --no-fund --prefix .cache/lighthouse -E lighthouse@$(LIGHTHOUSE_VERSION)

bench-tools: $(BENCH_DATASETTE)/.installed $(LIGHTHOUSE) ## Datasette's virtualenv and Lighthouse, for make bench

# One part alone: make bench ARGS="--only cold,datasette" (parts: see python -m bench.run --help).
bench: $(VENV)/.dev system container-system bench-tools ## measure speed, capacity, memory, data scale, new filters vs Datasette, Lighthouse, the container image; writes docs/performance.md (~1-1.5 h)
	$(BIN)/python -m bench.run $(ARGS)

validate: $(VENV)/.runtime ## check the CSVs in data/ (or DIR=...)
	$(BIN)/python -m dashboard validate $(DIR)

site: $(VENV)/.runtime ## bake the plain-language public pages into site/ (settings: see the README)
	$(BIN)/python -m dashboard bake site

# diff exits 1 when it found differences: that is its answer, not a failure of make (2 is).
diff: $(VENV)/.runtime ## what swapping NEW in for OLD would change (make diff OLD=data NEW=my-csvs)
	@rc=0; $(BIN)/python -m dashboard diff $(OLD) $(NEW) $(if $(FORMAT),--format $(FORMAT)) || rc=$$?; [ $$rc -le 1 ]

docs: $(VENV)/.runtime ## regenerate data/datapackage.json and the README's schema and pages sections
	$(BIN)/python -m dashboard datapackage data > data/datapackage.json.new && mv data/datapackage.json.new data/datapackage.json
	$(BIN)/python -m dashboard readme README.md

lock: $(BIN)/python ## re-pin constraints.txt from a clean install of the requirements
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install -q -r requirements-dev.txt
	{ head -2 constraints.txt; .venv-lock/bin/python -m pip freeze --exclude-editable; } > constraints.new
	mv constraints.new constraints.txt && rm -rf .venv-lock

clean: ## remove the virtualenv and caches
	rm -rf $(VENV) $(TOOLS) $(FRICTIONLESS) .cache .pytest_cache .ruff_cache .mypy_cache
