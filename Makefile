# Two entry points for a fresh machine (see README.md):
#   make demo   set up, start a local Kafka broker, stream the sample articles through the worker
#   make test   set up and run the whole test suite (the tests start their own broker)
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: setup demo test lint typecheck check bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install -e '.[dev,stanza]'
	touch $@

setup: $(VENV)/.installed

lint: setup
	$(VENV)/bin/ruff check worker tests bench
	$(VENV)/bin/ruff format --check worker tests bench

typecheck: setup
	$(VENV)/bin/mypy worker

test: setup lint typecheck
	$(VENV)/bin/pytest

bench: setup
	$(PY) bench/extract.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
