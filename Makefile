# Maillage — two commands: `make demo` and `make test`. Both set up .venv/ on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
PYTEST_ARGS ?=
# Debian packages: WeasyPrint's libraries and fonts (PDFs), and the readers the tests check
# our files with (pdftotext/pdfinfo, khal for calendars, LibreOffice for spreadsheets).
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
	poppler-utils khal libreoffice-calc-nogui

.PHONY: demo test lint format e2e faults worker install clean system

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Idempotent: installs only the packages that are missing (needs root, as on CI).
system:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
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

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: system lint
	$(BIN)/pytest -m "not e2e and not faults" $(PYTEST_ARGS)

faults: $(STAMP)
	$(BIN)/pytest -m faults tests/faults $(PYTEST_ARGS)

e2e: $(STAMP)
	$(BIN)/pytest -m e2e tests/e2e $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
