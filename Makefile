# Two commands for a fresh machine with Python 3.11: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
STAMP := $(VENV)/.installed

.PHONY: run test setup data geodata validate clean-venv serve bench fault

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed (set PYTHON=/path/to/python3.11)"; exit 2; }
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the pinned requirements change.
$(STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $(STAMP)

setup: $(STAMP)

data: setup
	$(PY) -m dashboard defaults

run: data
	PORT=$(PORT) $(PY) -m dashboard.launch

test: setup
	$(PY) -m tests.run_all

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
bench: data
	$(PY) -m bench

# Publish, corrupt, kill a replica while 30 readers + 2 browsers read through nginx: prints the
# failed requests and recovery times, writes bench/fault_results.json (~2 min). Needs nginx.
fault: data
	$(PY) -m bench.fault_test
