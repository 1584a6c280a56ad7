# Quick start: `make run` (set-up, then the pipeline over raw/ into extracted/) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup run test lint bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Extract, then write each document's report; the last lines say where everything is.
run: setup
	$(BIN)/pipeline run raw --out extracted
	@for d in extracted/*/; do [ -f "$$d/datapackage.json" ] && $(BIN)/pipeline report "$$d"; done; true
	@echo "outputs: extracted/<doc>/ (CSV tables, source.txt, datapackage.json, report.html)"
	@echo "more commands: $(BIN)/pipeline --help   (or: source $(BIN)/activate, then pipeline --help)"

test: setup
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check pipeline tests bench

GINZA := bench/.ginza-venv/bin/python

# GiNZA is only for the comparison row of the benchmark: its own venv, never the project's.
$(GINZA):
	$(PYTHON) -m venv bench/.ginza-venv
	bench/.ginza-venv/bin/pip install --quiet ginza ja-ginza

bench: setup $(GINZA)
	$(BIN)/python bench/throughput.py --profile
	$(BIN)/python bench/pdf_ingest.py

clean:
	rm -rf $(VENV) .pytest_cache
