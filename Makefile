# The two commands: `make run` and `make test`. Each does all set-up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
export KOLSCOPE_DATA_DIR ?= var

.PHONY: run test setup lint typecheck test-fast bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "kolscope needs Python 3.11 or newer (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

setup: $(STAMP)

## Start the product on http://127.0.0.1:8000 with the synthetic sample workspace.
run: setup
	$(BIN)/kolscope db upgrade
	$(BIN)/kolscope demo
	KOLSCOPE_WORKSPACE=sample $(BIN)/kolscope serve

## Lint, type-check, check the layer contracts and run the whole test suite.
test: setup
	@scripts/ensure-system-packages
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/lint-imports

typecheck: setup
	$(BIN)/mypy

## The suite without the real-data and browser tests, for quick iterations.
test-fast: setup
	$(BIN)/pytest -m "not slow and not e2e"

## Measured claims: each script prints a table and writes JSON under benchmarks/results/.
bench: setup
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python benchmarks/import.py
	$(BIN)/python benchmarks/pagerank.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
