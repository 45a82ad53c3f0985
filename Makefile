# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run serve servers test bench lighthouse chromium node clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.run-deps: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.test-deps: pyproject.toml $(VENV)/.run-deps
	$(BIN)/pip install -q -e '.[test]'
	touch $@

$(VENV)/.bench-deps: pyproject.toml $(VENV)/.test-deps
	$(BIN)/pip install -q -e '.[test,bench]'
	touch $@

run: $(VENV)/.run-deps
	$(BIN)/flask --app app setup
	@echo "\nVeldwacht: open http://$(HOST):$(PORT) (Ctrl-C stops)\n"
	$(BIN)/gunicorn --config app/gunicorn_conf.py --bind $(HOST):$(PORT) 'app:create_app()'

# The production shape on this machine: PostgreSQL and Redis from Debian (installed when absent,
# data kept under instance/), WEB_CONCURRENCY gevent workers (3) sharing live events (ops/serve.py).
serve: $(VENV)/.run-deps
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python -m ops.serve

# Browser tests drive Debian's Chromium; install it when it is absent (CI runs as root).
chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# The PWA's core scripts are unit-tested with Node's own test runner; Node from Debian if absent.
node:
	@command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }

node_modules/.installed: package.json package-lock.json | node
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The production shape's servers, from Debian's packages; the tests start throwaway ones.
servers: $(VENV)/.run-deps
	@$(BIN)/python -c "from ops.servers import program; [program(p) for p in ('postgres', 'redis-server', 'nginx')]"

# The suite on the embedded default (SQLite, one worker), then on PostgreSQL + Redis with two
# workers behind each live server. The browser tests drive the PWA, which is the same on both;
# they run once, on their own; the rest runs on two processes (pytest-xdist).
test: $(VENV)/.test-deps chromium node_modules/.installed servers
	npx --no-install eslint .
	node --test tests/js/
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n 2 -m "not browser"
	$(BIN)/pytest -m browser
	VELDWACHT_TEST_BACKEND=postgresql $(BIN)/pytest -n 2 -m "not browser"

# Benchmarks print figures; they are measurements, not pass/fail tests (docs/performance.md).
bench: $(VENV)/.bench-deps
	$(BIN)/python -m bench.alarm_latency
	$(BIN)/python -m bench.rolling_reload
	$(BIN)/python -m bench.event_commit
	$(BIN)/python -m bench.push_fanout
	$(BIN)/python -m bench.overdue_lag
	$(BIN)/python -m bench.incident_sync
	$(BIN)/python -m bench.followup_todo
	$(BIN)/python -m bench.reports

# Lighthouse (from npm, in bench/lighthouse/) and the worker's first load on slow 4G, on a fresh
# demo instance: a measurement, not a test (docs/performance.md).
lighthouse: $(VENV)/.test-deps chromium node
	$(BIN)/python -m bench.lighthouse

clean:
	rm -rf $(VENV) instance .pytest_cache node_modules
