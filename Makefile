# netral — two commands do all set-up:  `make demo` runs the main job, `make test` runs the tests.
# Each creates .venv and installs what it needs when missing (pinned by constraints.txt).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: setup demo test lint bench clean screenshots

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
	$(BIN)/python -m pytest $(PYTEST_ARGS)

screenshots: setup
	@for script in scripts/demo-setup.d/*.sh; do [ -e "$$script" ] || continue; bash "$$script" || true; done
	$(BIN)/python scripts/screenshots.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
