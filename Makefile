# Two entry points for a fresh machine (see README.md):
#   make demo   set up, start a local Kafka broker, stream the sample articles through the worker
#   make test   set up and run the whole test suite (the tests start their own broker)
# Everything that needs the project's packages runs under the project's virtualenv, $(PY) or
# $(VENV)/bin/..., never under whichever python3 comes first on PATH (it creates the virtualenv only).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# The demo's broker: `make demo KAFKA_PORT=19092` where 9092 is taken; its KRaft controller listens on
# the next port unless KAFKA_CONTROLLER_PORT says otherwise.
KAFKA_PORT ?= 9092
KAFKA_CONTROLLER_PORT ?= $(shell expr $(KAFKA_PORT) + 1)
BOOTSTRAP := 127.0.0.1:$(KAFKA_PORT)
# The demo's quote store (SQLite; a second demo updates it in place: the store keeps its own offsets).
DEMO_DB ?= .demo/quotes.db
KAFKA_UP := $(PY) deploy/kafka/kafka-local --port $(KAFKA_PORT) --controller-port $(KAFKA_CONTROLLER_PORT) up
# The shared data (as tests/shared_data.py finds it): ../shared beside the repository, or QUOTE_WORKER_SHARED.
SHARED := $(or $(QUOTE_WORKER_SHARED),../shared)
# localkafka.EXIT_PORT_IN_USE: kafka-local's exit status when a port it needs is taken
EXIT_PORT_IN_USE := 4
PORT_HINT := make demo: the demo's broker needs ports $(KAFKA_PORT) and $(KAFKA_CONTROLLER_PORT), and one \
  is taken; choose others, for example: make demo KAFKA_PORT=19092 (its controller then listens on \
  KAFKA_PORT+1, or on KAFKA_CONTROLLER_PORT)

.PHONY: setup demo test lint typecheck check bench clean lexicon

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install -e '.[dev,stanza]'
	touch $@

setup: $(VENV)/.installed

# A local broker (Maven Central jars, KRaft), the worker's topics, and the sample articles streamed
# through a real `quote-worker run`; prints the quotes, loads them into a SQLite quote store (DEMO_DB)
# with a one-shot `quote-worker store --until-caught-up` and prints the command that serves its search page.
# `deploy/kafka/kafka-local down` stops the broker.
# Where a port is taken, kafka-local says which and exits with EXIT_PORT_IN_USE; then PORT_HINT.
demo: setup
	@echo "$(KAFKA_UP)"
	@$(KAFKA_UP) || { status=$$?; [ $$status -ne $(EXIT_PORT_IN_USE) ] || echo "$(PORT_HINT)" >&2; exit $$status; }
	$(VENV)/bin/quote-worker topics create --bootstrap-servers $(BOOTSTRAP)
	$(VENV)/bin/quote-worker demo --bootstrap-servers $(BOOTSTRAP)
	@mkdir -p $(dir $(DEMO_DB))
	$(VENV)/bin/quote-worker store --until-caught-up --database sqlite:///$(DEMO_DB) \
	  --bootstrap-servers $(BOOTSTRAP) --metrics-port 0 --log-format text --log-level WARNING
	@echo "make demo: the quotes are in $(DEMO_DB); serve their search page with:"
	@echo "  $(VENV)/bin/quote-worker serve --database sqlite:///$(DEMO_DB)   # then open http://127.0.0.1:8080/search"

lint: setup
	$(VENV)/bin/ruff check worker tests bench train
	$(VENV)/bin/ruff format --check worker tests bench train

typecheck: setup
	$(VENV)/bin/mypy worker

test: setup lint typecheck
	$(VENV)/bin/pytest

bench: setup
	$(PY) bench/extract.py
	$(PY) bench/stanza.py
	$(PY) bench/stream.py
	$(PY) bench/serve.py
	$(PY) bench/lexicon.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# The shipped lexicon's mined statistics, from the shared unlabeled corpus (about a minute).
lexicon: setup
	$(VENV)/bin/quote-worker lexicon build --from $(SHARED)/corpus/ant2-unlabeled.jsonl.gz --out worker/data/lexicon
