# One-liners; `make run` and `make test` set everything up themselves.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test install install-dev index serve lint typecheck eval bench clean

run: install index serve          ## set up, build the index over documents/, serve on :8000

test: install-dev                 ## set up (incl. chromium) and run every test
	$(PY) -m pytest

install:
	scripts/setup.sh

install-dev:
	scripts/setup.sh --dev

index:
	$(VENV)/bin/mkb-assistent index

serve:
	$(VENV)/bin/mkb-assistent serve

lint:
	$(VENV)/bin/ruff format --check . && $(VENV)/bin/ruff check .

typecheck:
	$(VENV)/bin/mypy

eval:
	$(VENV)/bin/mkb-assistent index --documents ../shared/eval/corpus --index-dir var/eval-index
	$(VENV)/bin/mkb-assistent eval ../shared/eval/questions-dev.jsonl --index-dir var/eval-index

bench:
	$(PY) bench/build_index.py ../shared/eval/corpus

clean:
	rm -rf var
