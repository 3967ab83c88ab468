# Two commands matter: `make run` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
STAMP  := $(VENV)/.installed

.PHONY: install migrate demo run test lint typecheck bench screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/compliance db upgrade

demo: migrate
	$(BIN)/compliance demo --if-empty

run: demo
	$(BIN)/streamlit run serve.py --server.address 127.0.0.1 --server.port $(PORT)

lint: install
	$(BIN)/ruff check --no-cache .
	$(BIN)/ruff format --check --no-cache .
	$(BIN)/lint-imports --no-cache

typecheck: install
	$(BIN)/mypy dashboard data_access bench serve.py

test: lint typecheck
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python -m bench.run

screenshots: install
	$(BIN)/python -m tests.e2e.screenshots

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
