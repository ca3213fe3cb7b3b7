# Tierwise: two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
# axe-core (accessibility checks in the browser suite), from the npm registry, not committed.
AXE := build/axe/node_modules/axe-core/axe.min.js

.PHONY: run test serve install lint e2e axe bench loadtest clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_content
	DJANGO_DEBUG=1 $(BIN)/python manage.py seed_demo --history
	@echo ""
	@echo "Tierwise is on http://127.0.0.1:$(PORT)/  (log in as demo-ae1, demo-manager or demo-admin; password tierwise-demo)"
	@# A background-task worker (reminder emails) runs beside the server and stops with it.
	DJANGO_DEBUG=1 $(BIN)/python manage.py db_worker --interval 10 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	DJANGO_DEBUG=0 DJANGO_TESTING=1 DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECRET_KEY=test-only-secret-key-not-for-production-use-0123456789 \
		$(BIN)/python -m pytest -q -m "not e2e" $(PYTEST_ARGS)

$(AXE):
	npm install --no-save --no-audit --no-fund --prefix build/axe axe-core@4

axe: $(AXE)

# On SQLite the browser suite uses a file database: in-memory SQLite shares one cache between
# the live server's threads and answers "database table is locked" (a 500) when two requests
# write at once, e.g. an htmx autosave and a submit; a file waits like production does.
E2E_SQLITE := $(if $(DATABASE_URL),,DJANGO_TEST_DATABASE_NAME=$(CURDIR)/build/e2e-tests.sqlite3)

e2e: $(STAMP) $(AXE)
	mkdir -p build
	$(E2E_SQLITE) DJANGO_DEBUG=0 DJANGO_TESTING=1 DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECRET_KEY=test-only-secret-key-not-for-production-use-0123456789 \
		DJANGO_ALLOW_ASYNC_UNSAFE=1 $(BIN)/python -m pytest -q -m e2e $(if $(DATABASE_URL),,--create-db) $(PYTEST_ARGS)

serve: $(STAMP)
	$(BIN)/python manage.py collectstatic --noinput
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/gunicorn enablement.wsgi --bind 127.0.0.1:$(PORT) --workers $${WEB_CONCURRENCY:-2} --access-logfile -

bench: $(STAMP)
	DJANGO_DEBUG=1 $(BIN)/python -m routing.classifier.bench

# Load benchmark (not a test): gunicorn with 2 workers on a fresh demo database, locust headless.
# LOADTEST_SECONDS (default 60), LOADTEST_USERS (50), LOADTEST_DATABASE_URL (a fresh SQLite file).
loadtest: $(STAMP)
	$(BIN)/python loadtest/run.py

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 build
