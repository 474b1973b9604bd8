# The README's commands. `make demo` and `make test` each set up what they need first.
PYTHON ?= python3

.PHONY: demo test install lint bench kafka-start kafka-stop schemas

demo: install
	triage demo

test:
	scripts/test.sh

install:
	scripts/setup.sh

lint:
	ruff check services models training claimgen tests benchmarks
	lint-imports
	mypy services models training claimgen benchmarks

schemas: install
	triage schemas --out schemas

kafka-start:
	scripts/kafka.sh start

kafka-stop:
	scripts/kafka.sh stop
