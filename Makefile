# The two commands a newcomer needs: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/anchor_portal
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: worker beat install install-dev run test test-pg test-smoke test-browser lint bench migrations-check clean messages

$(VENV)/.installed: requirements.txt
	bash scripts/install-system-deps.sh run
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	bash scripts/install-system-deps.sh test
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make run: SQLite, tasks in-process, seed data and one demo account per role, served on 127.0.0.1:8000
run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_seed_data
	DEBUG=1 $(BIN)/python manage.py create_demo_accounts
	DEBUG=1 $(BIN)/python manage.py sync_schedule > /dev/null
	@echo "Serving the portal at http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

## Background jobs against a local Redis (see README): a worker, and beat with the schedule from config/schedule.py
worker: install
	$(BIN)/python manage.py sync_schedule
	$(BIN)/celery -A config worker -l info

beat: install
	$(BIN)/celery -A config beat -l info

## make test: the whole suite on PostgreSQL and Redis, then a smoke run on SQLite
test: install-dev
	$(BIN)/python scripts/check_services.py "$(TEST_DATABASE_URL)" "$(TEST_REDIS_URL)"
	$(MAKE) --no-print-directory migrations-check test-pg test-smoke

migrations-check:
	DJANGO_SETTINGS_MODULE=config.settings_test DATABASE_URL="sqlite:///$(CURDIR)/var/migrations-check.sqlite3" \
		$(BIN)/python manage.py makemigrations --check --dry-run

test-pg:
	DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" DJANGO_ALLOW_ASYNC_UNSAFE=true \
		$(BIN)/pytest $(PYTEST_ARGS)

test-smoke:
	rm -f var/smoke.sqlite3
	DATABASE_URL="sqlite:///$(CURDIR)/var/smoke.sqlite3" REDIS_URL= DJANGO_ALLOW_ASYNC_UNSAFE=true \
		$(BIN)/pytest -m smoke -q $(PYTEST_ARGS)

test-browser: install-dev
	DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" DJANGO_ALLOW_ASYNC_UNSAFE=true \
		$(BIN)/pytest -m browser $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

messages: install-dev
	DJANGO_SETTINGS_MODULE=config.settings_test $(BIN)/python manage.py makemessages -l ko --ignore=.venv --ignore=var
	DJANGO_SETTINGS_MODULE=config.settings_test $(BIN)/python manage.py compilemessages -l ko --ignore=.venv

bench: install-dev
	$(BIN)/python scripts/check_services.py "$(TEST_DATABASE_URL)" "$(TEST_REDIS_URL)"
	DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/python bench/run.py
	$(BIN)/python bench/quote_bench.py
	DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/python bench/reservations_bench.py
	DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/python bench/reports_bench.py

clean:
	rm -rf $(VENV) var/staticfiles var/smoke.sqlite3
