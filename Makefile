# Maillage — two commands: `make demo` and `make test`. Both set up .venv/ on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
PYTEST_ARGS ?=

.PHONY: demo test lint format e2e faults contract worker install clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# The test OpenID provider (oidc-provider, configured like ProConnect), from its lock file.
OIDC_PROVIDER := tests/oidc_provider/node_modules/.package-lock.json
$(OIDC_PROVIDER): tests/oidc_provider/package-lock.json
	cd tests/oidc_provider && npm ci --no-audit --no-fund --silent

demo: $(STAMP)
	$(BIN)/maillage demo

worker: $(STAMP)
	$(BIN)/maillage worker

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/maillage makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint $(OIDC_PROVIDER)
	$(BIN)/pytest -m "not e2e and not faults" $(PYTEST_ARGS)

faults: $(STAMP)
	$(BIN)/pytest -m faults tests/faults $(PYTEST_ARGS)

e2e: $(STAMP) $(OIDC_PROVIDER)
	$(BIN)/pytest -m e2e tests/e2e $(PYTEST_ARGS)

contract: $(STAMP)
	$(BIN)/python tests/api/schemathesis_run.py $(CONTRACT_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
