# Tierwise: two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test serve install lint e2e bench loadtest clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_content
	DJANGO_DEBUG=1 $(BIN)/python manage.py seed_demo
	@echo ""
	@echo "Tierwise is on http://127.0.0.1:$(PORT)/  (log in as demo-ae1, demo-manager or demo-admin; password tierwise-demo)"
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	DJANGO_DEBUG=0 DJANGO_TESTING=1 DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECRET_KEY=test-only-secret-key-not-for-production-use-0123456789 \
		$(BIN)/python -m pytest -q -m "not e2e" $(PYTEST_ARGS)

e2e: $(STAMP)
	DJANGO_DEBUG=0 DJANGO_TESTING=1 DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECRET_KEY=test-only-secret-key-not-for-production-use-0123456789 \
		DJANGO_ALLOW_ASYNC_UNSAFE=1 $(BIN)/python -m pytest -q -m e2e $(PYTEST_ARGS)

serve: $(STAMP)
	$(BIN)/python manage.py collectstatic --noinput
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/gunicorn enablement.wsgi --bind 127.0.0.1:$(PORT) --workers $${WEB_CONCURRENCY:-2} --access-logfile -

bench: $(STAMP)
	DJANGO_DEBUG=1 $(BIN)/python -m enablement.router.bench

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
