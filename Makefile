# Debrief: `make run` to use it, `make test` to check it. Both set everything up themselves.

# The first Python >= 3.12 on PATH (pyenv shims that cannot run here are skipped).
PYTHON ?= $(shell for p in python3.13 python3.12 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; \
	then echo $$p; break; fi; done)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint typecheck migrations-check pytest test-at clean

$(VENV)/.runtime: requirements.lock pyproject.toml
	@test -n "$(PYTHON)" || { echo "Debrief needs Python 3.12 or newer on PATH (python3.12 or python3.13)."; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	@touch $@

## run: set up, migrate ./var/debrief.sqlite3, load the demo organisation once, serve on :8000 with the worker
run: $(VENV)/.runtime
	$(BIN)/debrief migrate --no-input
	$(BIN)/debrief demo --if-empty
	exec $(BIN)/debrief run

## test: lint, types, migrations check, and the whole test suite (browser tests need /usr/bin/chromium)
test: lint typecheck migrations-check pytest

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.dev
	$(BIN)/mypy debrief conftest.py bench

migrations-check: $(VENV)/.dev
	$(BIN)/debrief makemigrations --check --dry-run

pytest: $(VENV)/.dev
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest $(PYTEST_ARGS)

## test-at: the suite with the clock moved to AT (UTC), e.g. make test-at AT="2026-11-27 23:30"; needs faketime
test-at: $(VENV)/.dev
	@test -n "$(AT)" || { echo 'Say when: make test-at AT="2026-11-27 23:30" (UTC).'; exit 2; }
	@command -v faketime >/dev/null || { echo "test-at needs libfaketime: apt-get install faketime"; exit 2; }
	DJANGO_ALLOW_ASYNC_UNSAFE=true faketime -f "+$$(( $$(date -u -d '$(AT) UTC' +%s) - $$(date +%s) ))s" \
		$(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var/static
