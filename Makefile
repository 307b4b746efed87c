# Minh Bạch: the two commands are `make run` and `make test` (README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test unit lint bench chaos install system-deps lock clean

run: $(STAMP)
	$(BIN)/minhbach run

test: $(STAMP) system-deps
	$(BIN)/pytest $(PYTEST_ARGS)

# The pure tests only (tests/unit/, no server), in seconds.
unit: $(STAMP)
	$(BIN)/pytest -m unit $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Installs what the benchmarks drive (wrk) as `make test` does; a missing tool fails its row.
bench: $(STAMP) system-deps
	$(BIN)/python -m tests.benchmarks

# The plan year, calm and under faults (tests/chaos; decision 0019). CHAOS_ARGS="--span quarter
# --seed N" replays a shorter run or the seed a run printed.
chaos: $(STAMP) system-deps
	$(BIN)/python -m tests.chaos $(CHAOS_ARGS)

install: $(STAMP)

# The venv is rebuilt whenever the lock or the project metadata changes.
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.8
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

# Debian packages some tests drive (Chromium, promtool, docker-compose); see deploy/system-deps.sh.
system-deps:
	bash deploy/system-deps.sh

# Re-pin every dependency after editing pyproject.toml.
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --group dev --python-version 3.11 --quiet -o requirements.lock

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
