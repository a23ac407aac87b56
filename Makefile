# netral — two commands do all set-up:  `make demo` runs the main job, `make test` runs the tests.
# Each creates .venv and installs what it needs when missing (pinned by constraints.txt).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
# parallel workers (pytest-xdist); `make test PYTEST_WORKERS=0` runs in one process
PYTEST_WORKERS ?= auto
PYTEST_PARALLEL := $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) --dist loadfile)

.PHONY: setup demo test test-fast lint bench clean screenshots

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip setuptools wheel
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

demo: setup
	@for script in scripts/demo-setup.d/*.sh; do [ -e "$$script" ] || continue; bash "$$script" || true; done
	$(BIN)/netral demo

test: setup
	@for script in scripts/test-setup.d/*.sh; do [ -e "$$script" ] || continue; bash "$$script" || exit 1; done
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)

# the inner loop: no browser, nothing marked slow
test-fast: setup
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) -m "not browser and not slow" $(PYTEST_ARGS)

# every benchmark (python -m bench.NAME) at a quick scale, one table; `make bench BENCH_ARGS=--full`
BENCH_ARGS ?=
bench: setup
	$(BIN)/python -m bench $(BENCH_ARGS)

screenshots: setup
	@for script in scripts/demo-setup.d/*.sh; do [ -e "$$script" ] || continue; bash "$$script" || true; done
	$(BIN)/python scripts/screenshots.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
