# Two commands set everything up: `make run` and `make test`. Only Python 3.11+ is needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed-stamp

.PHONY: install run serve test test-postgres test-browser lint format check-deploy ci clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## Install, migrate, load the taxonomy, seed the demo and serve on http://127.0.0.1:$(PORT).
# PORT reaches the settings too: the dev site address (SITE_BASE_URL) defaults to this port.
run: install
	mkdir -p var
	PORT=$(PORT) $(BIN)/python manage.py migrate --noinput
	PORT=$(PORT) $(BIN)/python manage.py load_taxonomy
	PORT=$(PORT) $(BIN)/python manage.py seed_demo
	PORT=$(PORT) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## Serve without setting anything up again.
serve:
	PORT=$(PORT) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## The fast suite: SQLite, eager Celery, no browser.
test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=school.settings.test
	$(BIN)/pytest

## The suite on PostgreSQL with a real Celery worker on Redis (see .ci/run).
test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} \
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-redis://127.0.0.1:6379/15} \
	CELERY_WORKER_CACHE_URL=$${CELERY_WORKER_CACHE_URL:-redis://127.0.0.1:6379/14} \
	$(BIN)/pytest -m "not browser"

## Browser journeys in Debian's Chromium, audited with axe-core.
test-browser: install
	$(BIN)/pytest -m browser

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Django's deployment checks under the production settings (placeholders for unset variables).
check-deploy: install
	DJANGO_SETTINGS_MODULE=school.settings.production SECRET_KEY=$$(head -c 48 /dev/urandom | base64) \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-skills.example.gov.uk} \
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} \
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0} \
	CACHE_URL=$${CACHE_URL:-redis://127.0.0.1:6379/1} \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) var
