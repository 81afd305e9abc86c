# Two commands matter: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))

.PHONY: run test lint typecheck env dev-env migrate demo serve bench bench-load clean

$(UV):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

env: $(UV)  ## the runtime environment, exactly as locked
	$(UV) sync --frozen --no-dev --quiet

dev-env: $(UV)  ## runtime + test and lint tools
	$(UV) sync --frozen --quiet

migrate: env
	$(BIN)/matchmaker migrate

demo: migrate
	$(BIN)/matchmaker demo

run: demo  ## environment, migrations, demo data, serve on http://127.0.0.1:8000
	$(BIN)/matchmaker serve --host $(HOST) --port $(PORT)

test: dev-env  ## the whole test suite, on SQLite and PostgreSQL
	$(BIN)/pytest

lint: dev-env
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy app

bench: dev-env
	$(BIN)/python -m bench.import_speed
	$(BIN)/python -m bench.matching_quality
	$(BIN)/python -m bench.matching_speed
	$(BIN)/python -m bench.b2bsp
	$(BIN)/python -m bench.scheduling_scale

bench-load: dev-env  ## 5,000 participants on PostgreSQL, uvicorn workers, locust mix (bench/README-load.md)
	$(BIN)/python -m bench.load $(LOAD_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
