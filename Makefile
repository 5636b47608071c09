# Pioneer Notify — everything a developer or operator runs, from a fresh clone.
# Needs only Python 3.11 and make: the first target that needs it creates .venv.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
FREEZE := var/lockenv/bin/pip freeze --exclude-editable | grep -v '^pioneer-notify'

.DEFAULT_GOAL := help
.PHONY: help setup run demo test bench lint format migrate lock clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(INSTALLED): requirements.lock requirements-dev.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is required (found %d.%d)" % sys.version_info[:2])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
# The dev lock starts with `-r requirements.lock`: one install brings runtime and dev tools.
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	touch $@

setup: $(INSTALLED) ## create .venv and install the locked dependencies (runtime and dev tools)

migrate: setup ## apply database migrations
	$(BIN)/python manage.py migrate --noinput

run: setup ## API + worker + beat on embedded defaults (SQLite, file broker, emails in var/mail)
	$(BIN)/python -m pioneer.runner

demo: setup ## the same against a scripted fake query node with two demo members
	$(BIN)/python -m pioneer.runner --demo

test: setup ## run the whole test suite
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: setup ## performance table against floors (DATABASE_URL=postgres://…; BENCH_ARGS=--help), then the hostile-load one
	$(BIN)/python -m tests.benchmarks $(BENCH_ARGS)
	$(BIN)/python -m pytest tests/benchmarks -m benchmark -s -q -p no:cacheprovider $(PYTEST_ARGS)

lint: setup ## ruff and the migrations check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: setup ## format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock: ## re-resolve both lock files (runtime, dev tools) from pyproject.toml (needs the package registry)
	rm -rf var/lockenv && $(PYTHON) -m venv var/lockenv
	var/lockenv/bin/pip install --quiet --upgrade pip
	var/lockenv/bin/pip install --quiet .
	{ echo '# Runtime dependencies of Pioneer Notify ([project.dependencies] in pyproject.toml), pinned.'; \
	  echo '# Written by `make lock`. The Docker image installs this file only.'; \
	  $(FREEZE); } > var/lockenv/requirements.lock
# pip freeze sees this interpreter's needs only: pins with an environment marker (dependencies
# of other 3.11 patch releases, e.g. redis's async-timeout before 3.11.3) are carried over.
	grep -F ' ; ' requirements.lock >> var/lockenv/requirements.lock || true
# The dev tools on top, held to the runtime pins so that the two files agree.
	var/lockenv/bin/pip install --quiet -c var/lockenv/requirements.lock ".[dev]"
	{ echo '# Development tools ([project.optional-dependencies] dev in pyproject.toml), pinned on top of'; \
	  echo '# the runtime lock. Written by `make lock`; `make setup` installs this file.'; \
	  echo '-r requirements.lock'; \
	  $(FREEZE) | grep -vxF -f var/lockenv/requirements.lock; } > var/lockenv/requirements-dev.lock
# Both files or neither: a failed resolution leaves the old pair in place.
	mv var/lockenv/requirements.lock var/lockenv/requirements-dev.lock .
	rm -rf var/lockenv

clean: ## remove .venv and var/ (database, mail, broker files)
	rm -rf $(VENV) var
