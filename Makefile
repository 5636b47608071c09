# Pioneer Notify — everything a developer or operator runs, from a fresh clone.
# Needs only Python 3.11 and make: the first target that needs it creates .venv.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help setup run demo test bench lint format migrate lock clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(INSTALLED): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is required (found %d.%d)" % sys.version_info[:2])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	touch $@

setup: $(INSTALLED) ## create .venv and install the locked dependencies

migrate: setup ## apply database migrations
	$(BIN)/python manage.py migrate --noinput

run: setup ## API + worker + beat on embedded defaults (SQLite, file broker, emails in var/mail)
	$(BIN)/python -m pioneer.runner

demo: setup ## the same against a scripted fake query node with two demo members
	$(BIN)/python -m pioneer.runner --demo

test: setup ## run the whole test suite
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: setup ## ingest and delivery benchmarks (prints throughput and memory)
	$(BIN)/python -m pytest tests/benchmarks -m benchmark -s -q -p no:cacheprovider $(PYTEST_ARGS)

lint: setup ## ruff and the migrations check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: setup ## format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock: ## re-resolve requirements.lock from pyproject.toml (needs the package registry)
	rm -rf var/lockenv && $(PYTHON) -m venv var/lockenv
	var/lockenv/bin/pip install --quiet --upgrade pip
	var/lockenv/bin/pip install --quiet ".[dev]"
	var/lockenv/bin/pip freeze --exclude-editable | grep -v '^pioneer-notify' > requirements.lock
	rm -rf var/lockenv

clean: ## remove .venv and var/ (database, mail, broker files)
	rm -rf $(VENV) var
