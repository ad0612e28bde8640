# Two entry points for a fresh machine (see README.md):
#   make demo   set up, start a local Kafka broker, stream the sample articles through the worker
#   make test   set up and run the whole test suite (the tests start their own broker)
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: setup demo test lint typecheck check bench clean lexicon

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install -e '.[dev,stanza]'
	touch $@

setup: $(VENV)/.installed

# A local broker (Maven Central jars, KRaft), the worker's topics, and the sample articles streamed
# through a real `quote-worker run`; prints the quotes. `deploy/kafka/kafka-local down` stops the broker.
demo: setup
	deploy/kafka/kafka-local up
	$(VENV)/bin/quote-worker topics create --bootstrap-servers 127.0.0.1:9092
	$(VENV)/bin/quote-worker demo --bootstrap-servers 127.0.0.1:9092

lint: setup
	$(VENV)/bin/ruff check worker tests bench
	$(VENV)/bin/ruff format --check worker tests bench

typecheck: setup
	$(VENV)/bin/mypy worker

test: setup lint typecheck
	$(VENV)/bin/pytest

bench: setup
	$(PY) bench/extract.py
	$(PY) bench/stanza.py
	$(PY) bench/stream.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# The shipped lexicon's mined statistics, from the shared unlabeled corpus (about a minute).
lexicon: setup
	$(VENV)/bin/quote-worker lexicon build --from ../shared/corpus/ant2-unlabeled.jsonl.gz --out worker/data/lexicon
