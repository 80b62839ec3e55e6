# One-liners; `make run` and `make test` set everything up themselves.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test install install-dev index serve lint typecheck eval train bench clean

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

eval:                             ## per-corpus figures of the answer model (README "Answer model")
	$(PY) bench/evaluate.py

train:                            ## refit the answer model from bench/corpora
	$(PY) bench/train.py

bench:
	$(PY) bench/build_index.py

clean:
	rm -rf var
