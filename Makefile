# Two commands for a fresh machine with Python 3.11: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
RUNTIME := $(VENV)/.installed-runtime
DEV := $(VENV)/.installed-dev

.PHONY: run test lint setup setup-dev data geodata validate clean-venv serve bench fault

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed (set PYTHON=/path/to/python3.11)"; exit 2; }
	$(PYTHON) -m venv $(VENV)

# What the app needs (requirements.txt, and the package itself, editable); reinstalled only when
# the pins change. The tools for testing come on top, only for `make test`.
$(RUNTIME): requirements.txt pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $(RUNTIME)

$(DEV): requirements-dev.txt $(RUNTIME)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $(DEV)

setup: $(RUNTIME)

setup-dev: $(DEV)

data: setup
	$(PY) -m dashboard defaults

run: data
	PORT=$(PORT) $(PY) -m dashboard.launch

# Lint first (seconds: ruff and the import layers), then every test tier.
test: setup-dev lint
	$(PY) -m tests.run_all

# ruff (style and bugs), then import-linter (the layers in pyproject.toml).
lint: setup-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

geodata: setup
	$(PY) -m dashboard geodata

validate: setup
	$(PY) -m dashboard validate data/releases/sipas-published
	$(PY) -m dashboard validate data/releases/demo

# Publication day: one Streamlit replica per core (REPLICAS=N to change) on 127.0.0.1, behind
# nginx on PORT (sticky sessions, websockets, gzip, caching, security headers). Needs nginx.
serve: data
	PORT=$(PORT) $(PY) -m deploy.serve

# Product vs naive baseline vs floor: prints the table, writes bench/results.json (~8 min).
bench: data setup-dev
	$(PY) -m bench

# Publish, corrupt, kill a replica while 30 readers + 2 browsers read through nginx: prints the
# failed requests and recovery times, writes bench/fault_results.json (~2 min). Needs nginx.
fault: data setup-dev
	$(PY) -m bench.fault_test
