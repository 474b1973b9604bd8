# The README's commands. `make demo` and `make test` each set up what they need first.
PYTHON ?= python3
SOURCES = services models training claimgen tests benchmarks

.PHONY: demo test install lint format unit integration e2e bench kafka-start kafka-stop schemas

demo: install
	triage demo

# Everything CI runs: install, start Kafka, PostgreSQL and Chromium, lint, every test.
test:
	scripts/test.sh

install:
	scripts/setup.sh

# The one place the lint steps are written; scripts/test.sh calls it.
lint:
	ruff format --check $(SOURCES)
	ruff check $(SOURCES)
	lint-imports
	mypy services models training claimgen benchmarks

format:
	ruff format $(SOURCES)
	ruff check --fix $(SOURCES)

# Quick local loops. `unit` needs nothing running; `integration` and `e2e` need `make kafka-start` and
# `scripts/postgres.sh start` (tests that say Kafka or PostgreSQL fail without them).
unit:
	$(PYTHON) -m pytest tests/unit -m "not kafka and not postgres" -q

integration:
	$(PYTHON) -m pytest tests/integration -q

e2e:
	$(PYTHON) -m pytest tests/e2e -q

schemas: install
	triage schemas --out schemas

kafka-start:
	scripts/kafka.sh start

kafka-stop:
	scripts/kafka.sh stop
