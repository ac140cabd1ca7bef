# Maillage — two commands: `make demo` and `make test`. Both set up .venv/ on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
PYTEST_ARGS ?=
# `make test` in parallel (pytest-xdist); servers and concurrency tests stay in one serial group.
# PostgreSQL: each worker holds a few connections (and its own test database) — `.ci/run` sets
# TEST_WORKERS=2 there, well within max_connections=100.
TEST_WORKERS ?= auto
# Debian packages: WeasyPrint's libraries and fonts (PDFs) for running Maillage; for the tests,
# also the readers they check our files with (pdftotext/pdfinfo, khal, LibreOffice).
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
SYSTEM_TEST_PACKAGES := $(SYSTEM_PACKAGES) poppler-utils khal libreoffice-calc-nogui

.PHONY: demo test lint lint-templates format e2e faults contract worker install clean system system-test

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

# Idempotent: installs only the packages that are missing (needs root, as on CI).
system system-test: PACKAGES = $(if $(filter system-test,$@),$(SYSTEM_TEST_PACKAGES),$(SYSTEM_PACKAGES))
system system-test:
	@missing=$$(for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      --no-install-recommends $$missing; \
	  else echo "Paquets Debian manquants (apt-get install $$missing)"; fi; \
	fi

demo: system $(STAMP)
	$(BIN)/maillage demo

worker: $(STAMP)
	$(BIN)/maillage worker

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/maillage makemigrations --check --dry-run
	$(MAKE) lint-templates

# Templates (config: [tool.djlint] in pyproject.toml): the formatter's layout (`make format`
# applies it) and the linter's rules (accessibility, Django tags, HTML).
lint-templates: $(STAMP)
	$(BIN)/djlint src/maillage --check
	$(BIN)/djlint src/maillage --lint

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djlint src/maillage --reformat --quiet

test: system-test lint $(OIDC_PROVIDER)
	$(BIN)/pytest -m "not e2e and not faults" -n $(TEST_WORKERS) --dist loadgroup --reuse-db \
	  $(PYTEST_ARGS)

faults: $(STAMP)
	$(BIN)/pytest -m faults tests/faults $(PYTEST_ARGS)

e2e: $(STAMP) $(OIDC_PROVIDER)
	$(BIN)/pytest -m e2e tests/e2e $(PYTEST_ARGS)

contract: $(STAMP)
	$(BIN)/python tests/api/schemathesis_run.py $(CONTRACT_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
