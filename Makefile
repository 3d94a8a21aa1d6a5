# Bürgerportal: `make run` serves the demo portal, `make test` runs the whole suite.
# Both install what is missing first (Debian 12, as root for apt).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
REDIS_PORT ?= 6379
VAR := $(CURDIR)/var
APT_INSTALL := DEBIAN_FRONTEND=noninteractive apt-get install -y -qq

.PHONY: run test bench bench-apps install messages redis redis-stop lint check pytest system-run system-test clean

MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))

run: install system-run messages redis
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "Das Portal läuft gleich unter http://127.0.0.1:8000 (Strg+C beendet alles)."
	$(VENV)/bin/honcho start

test: install system-test messages lint check pytest

# the HTTP benchmark (PostgreSQL and SQLite at city scale, under gunicorn, beside a bare Django
# view and a fresh Wagtail page; BENCH_ARGS=--quick for a smoke run), then the routing burst
BENCH_ARGS ?=

bench: install system-run messages
	$(call apt_need,wrk postgresql-15)
	$(PY) bench/web.py $(BENCH_ARGS)
	$(PY) bench/routing.py --db pg

# the older per-app benchmarks: one process, Django's test client, SQLite (finer variants)
bench-apps: install system-run messages redis
	$(PY) bench/home.py
	$(PY) bench/reports.py
	$(PY) bench/projects.py
	$(PY) bench/ideas.py

install: $(STAMP)

# our translations (formal "Sie" for allauth's texts); the .mo files are built, not committed
messages: $(MO_FILES)

locale/%.mo: locale/%.po
	msgfmt --check -o $@ $<

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
		{ echo "Python 3.11 wird benötigt (gefunden: $$($(PYTHON) --version))."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# --- system packages (Debian) -------------------------------------------------------------------
define apt_need
	@missing=""; for pkg in $(1); do dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then \
			echo "Fehlende Systempakete:$$missing. Bitte als root installieren: apt-get install$$missing"; exit 1; \
		fi; \
		echo "Installiere Systempakete:$$missing"; \
		apt-get update -qq && $(APT_INSTALL)$$missing >/dev/null || \
			{ echo "Konnte$$missing nicht installieren. Bitte von Hand: apt-get install$$missing"; exit 1; }; \
	fi
endef

system-run:
	$(call apt_need,redis-server gettext)

system-test:
	$(call apt_need,redis-server gettext chromium libimage-exiftool-perl)
	@test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund --loglevel=error

# --- Redis for `make run`: loopback only, data under var/redis ----------------------------------
redis:
	@mkdir -p $(VAR)/redis
	@if redis-cli -p $(REDIS_PORT) ping >/dev/null 2>&1; then \
		echo "Redis läuft bereits auf Port $(REDIS_PORT)."; \
	else \
		redis-server --daemonize yes --bind 127.0.0.1 --port $(REDIS_PORT) \
			--dir $(VAR)/redis --appendonly yes --maxmemory-policy noeviction \
			--pidfile $(VAR)/redis/redis.pid --logfile $(VAR)/redis/redis.log && \
		for i in 1 2 3 4 5 6 7 8 9 10; do redis-cli -p $(REDIS_PORT) ping >/dev/null 2>&1 && break; sleep 0.3; done; \
		redis-cli -p $(REDIS_PORT) ping >/dev/null || { echo "Redis startet nicht, siehe var/redis/redis.log"; exit 1; }; \
		echo "Redis gestartet (Port $(REDIS_PORT), Daten in var/redis)."; \
	fi

redis-stop:
	-redis-cli -p $(REDIS_PORT) shutdown

# --- the suite ----------------------------------------------------------------------------------
lint:
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

check:
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null

# one pytest process per core (each with its own test database, Redis and Celery worker)
PYTEST_WORKERS ?= 2

pytest:
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS)

clean:
	rm -rf $(VENV) node_modules var
