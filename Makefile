# The two commands a newcomer needs: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/anchor_portal
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: prod-local worker beat install install-dev lock api-schema run test test-pg test-later test-smoke test-browser lint bench migrations-check clean messages

# Installs exactly the locked versions, each checked against its hash (requirements*.lock; `make lock` refreshes them).
PIP_INSTALL = $(BIN)/python -m pip install -q --disable-pip-version-check --require-hashes

$(VENV)/.installed: requirements.lock
	bash scripts/install-system-deps.sh run
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -r requirements.lock
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.lock
	bash scripts/install-system-deps.sh test
	$(PIP_INSTALL) -r requirements-dev.lock
	touch $@

## make lock: compile requirements.txt and requirements-dev.txt (the ranges we accept) into the locks (exact versions
## with hashes). The dev lock starts from the runtime lock, so both pin the same versions (scripts/check_locks.py).
PIP_COMPILE = $(BIN)/pip-compile -q --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
lock: install-dev
	$(PIP_COMPILE) $(LOCK_ARGS) -o requirements.lock requirements.txt
	cp requirements.lock requirements-dev.lock
	$(PIP_COMPILE) $(LOCK_ARGS) -o requirements-dev.lock requirements-dev.txt
	$(BIN)/python scripts/check_locks.py

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make run: SQLite, tasks in-process, seed data and one demo account per role, served on 127.0.0.1:8000
# Links in e-mails point at the address the portal is served on (HOST and PORT), unless SITE_URL says otherwise.
RUN_ENV = DEBUG=1 SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)}
run: install
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py load_seed_data
	$(RUN_ENV) $(BIN)/python manage.py create_demo_accounts
	$(RUN_ENV) $(BIN)/python manage.py sync_schedule > /dev/null
	@echo "Serving the portal at http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	$(RUN_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

## Background jobs against a local Redis (see README): a worker, and beat with the schedule from config/schedule.py
worker: install
	$(BIN)/python manage.py sync_schedule
	$(BIN)/celery -A config worker -l info

beat: install
	$(BIN)/celery -A config beat -l info

## make prod-local: the production stack on this machine (gunicorn, worker, beat via honcho) against the local
## PostgreSQL and Redis, DEBUG off, on http://127.0.0.1:8000 (plain HTTP, so the HTTPS-only settings are relaxed)
PROD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/anchor_portal
PROD_REDIS_URL ?= redis://127.0.0.1:6379/1
PROD_ENV = DEBUG=0 EMAIL_URL=$${EMAIL_URL:-consolemail://} SECRET_KEY=$${SECRET_KEY:-local-production-like-secret-$$(hostname)-0123456789abcdefghij} \
	ALLOWED_HOSTS=127.0.0.1,localhost DATABASE_URL="$(PROD_DATABASE_URL)" REDIS_URL="$(PROD_REDIS_URL)" \
	SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0 SITE_URL=http://127.0.0.1:8000

prod-local: install
	$(BIN)/python scripts/check_services.py "$(PROD_DATABASE_URL)" "$(PROD_REDIS_URL)"
	$(BIN)/python scripts/create_database.py "$(PROD_DATABASE_URL)"
	$(PROD_ENV) $(BIN)/python manage.py migrate --noinput
	$(PROD_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(PROD_ENV) $(BIN)/python manage.py load_seed_data
	$(PROD_ENV) $(BIN)/python manage.py sync_schedule
	$(PROD_ENV) PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start

## make test: the whole suite on PostgreSQL and Redis, the in-process part again with the clock moved more than a
## year ahead, then a smoke run on SQLite
test: install-dev
	$(BIN)/python scripts/check_services.py "$(TEST_DATABASE_URL)" "$(TEST_REDIS_URL)"
	$(MAKE) --no-print-directory lint migrations-check test-pg test-later test-smoke

migrations-check:
	DJANGO_SETTINGS_MODULE=config.settings_test DATABASE_URL="sqlite:///$(CURDIR)/var/migrations-check.sqlite3" \
		$(BIN)/python manage.py makemigrations --check --dry-run

# Two pytest workers (the machine has two cores), each with its own test database, a copy of one migrated once per
# `make` run (conftest.py, TEST_DB_TEMPLATE_RUN): the phases no longer spend the migrations' half minute per worker.
TEST_WORKERS ?= 2
ifndef TEST_DB_TEMPLATE_RUN
export TEST_DB_TEMPLATE_RUN := $(shell date +%s%N)
endif

test-pg:
	DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" DJANGO_ALLOW_ASYNC_UNSAFE=true \
		$(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

## Nothing may depend on today's date: the in-process tests with the clock 400 days ahead (time-machine, see conftest.py).
## The browser and worker tests run other processes, which keep the real clock, so they are left out here; so are the
## tests marked `dateless` (pytest.ini), which only read source files (imports, catalogues, settings) or run other
## processes. The rule: a test is left out only when nothing it runs in this process can read the clock. The `sweep`
## tests (every URL by every role, every hostile value: the permission and action matrices, hostile input) are left
## out too: they check statuses and crashes, not dates, and every page they visit has its own tests, which run here.
test-later:
	DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" DJANGO_ALLOW_ASYNC_UNSAFE=true TEST_CLOCK_SHIFT_DAYS=400 \
		$(BIN)/pytest -n $(TEST_WORKERS) -q -m "not browser and not redis and not dateless and not sweep" $(PYTEST_ARGS)

## make api-schema: rewrite docs/api/openapi.yaml, the API's committed schema (api/tests/test_api.py fails when it
## drifts from what the code serves). Made on PostgreSQL, the deployed database (its integer ranges are in it).
api-schema: install-dev
	DJANGO_SETTINGS_MODULE=config.settings_test DATABASE_URL="$(TEST_DATABASE_URL)" \
		$(BIN)/python manage.py spectacular --lang ko --validate --fail-on-warn --file docs/api/openapi.yaml

test-smoke:
	rm -f var/smoke.sqlite3
	DATABASE_URL="sqlite:///$(CURDIR)/var/smoke.sqlite3" REDIS_URL= DJANGO_ALLOW_ASYNC_UNSAFE=true \
		$(BIN)/pytest -m smoke -q $(PYTEST_ARGS)

test-browser: install-dev
	DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" DJANGO_ALLOW_ASYNC_UNSAFE=true \
		$(BIN)/pytest -m browser $(PYTEST_ARGS)

## make lint: style, format, types (mypy with django-stubs, strict on services, selectors and pricing; mypy.ini)
## and the locks' agreement. Part of `make test`, so CI fails on any of them.
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DATABASE_URL="sqlite:///$(CURDIR)/var/mypy.sqlite3" $(BIN)/mypy
	$(BIN)/python scripts/check_locks.py

messages: install-dev
	DJANGO_SETTINGS_MODULE=config.settings_test $(BIN)/python manage.py makemessages -l ko --ignore=.venv --ignore=var
	DJANGO_SETTINGS_MODULE=config.settings_test $(BIN)/python manage.py compilemessages -l ko --ignore=.venv

bench: install-dev
	bash scripts/install-system-deps.sh bench
	$(BIN)/python scripts/check_services.py "$(TEST_DATABASE_URL)" "$(TEST_REDIS_URL)"
	DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/python bench/pages.py
	DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/python bench/bookings.py
	DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/python bench/run.py
	$(BIN)/python bench/quote_bench.py
	DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/python bench/reservations_bench.py
	DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/python bench/reports_bench.py
	DATABASE_URL="$(TEST_DATABASE_URL)" FAULTS=$${FAULTS:-$$( [ "$$(id -u)" = 0 ] && echo 1 || echo 0 )} $(BIN)/python bench/load_and_faults.py

clean:
	rm -rf $(VENV) var/staticfiles var/smoke.sqlite3
