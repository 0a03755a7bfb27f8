# The two commands of the README: `make run` and `make test`.
# Only python3 and make are needed; everything else goes into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in the emails of `make run` lead to the server it starts (SITE_URL=… to override).
SITE_URL ?= http://$(HOST):$(PORT)
DEV_ENV = DEBUG=1 SITE_URL=$(SITE_URL)
# The suite runs in one process per CPU (pytest-xdist), each with its own test
# database and Chromium; TEST_WORKERS=0 runs it in this process (for --pdb).
# "load" hands each process the tests in pytest-django's order (plain database
# tests before transactional ones, whose flush empties what migrations wrote);
# loadfile would not, and loadgroup no longer groups on pytest 9.2 (pytest-xdist#1386).
# Extra pytest arguments: make test PYTEST_ARGS="-k trips".
TEST_WORKERS ?= auto
PYTEST_PARALLEL = -n $(TEST_WORKERS) --dist load
# The Python files git tracks or would track, as long as they exist (ruff walks the same tree).
PY_FILES = $$(git ls-files --cached --others --exclude-standard -- '*.py' | while read -r f; do [ -f "$$f" ] && echo "$$f"; done)

.PHONY: venv run test test-postgres lint format messages check-messages bench bench-broadcast clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

run: venv
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py load_demo_data
	@echo "Portal: $(SITE_URL)/  (demo accounts are listed in README.md)"
	@# The task worker (emails) runs beside the web server and stops with it.
	$(DEV_ENV) $(BIN)/python manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: venv
	$(BIN)/pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)

# The same suite against PostgreSQL: pytest-django creates test_<name>_gw0,
# test_<name>_gw1… (one per process) afresh, and drops them at the end.
test-postgres: venv
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/portal} $(BIN)/pytest $(PYTEST_PARALLEL) --create-db $(PYTEST_ARGS)

# Times the staff's presence queries on 1,000,000 stops. The command works in a
# throwaway database (a temporary SQLite file, or test_<name> beside the database
# DATABASE_URL names on PostgreSQL) and drops it; yours is never touched.
# Quicker: make bench BENCH_ARGS="--stops 100000".
bench: venv
	$(DEV_ENV) $(BIN)/python manage.py bench_presence $(BENCH_ARGS)

# Sends a crisis broadcast to 100,000 people by email and SMS with two db_worker processes,
# through backends that record instead of sending, and prints the times, the rate and the
# duplicates and missing messages (both 0). PostgreSQL only: a throwaway test_<name> database
# beside the one DATABASE_URL names is created and dropped. Quicker: BENCH_ARGS="--people 10000".
bench-broadcast: venv
	$(DEV_ENV) DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/portal} $(BIN)/python manage.py bench_broadcast $(BENCH_ARGS)

# Checks only, never writes: runs every tool, then names the ones that complained.
lint: venv
	@failed=""; \
	$(BIN)/ruff check . || failed="$${failed:+$$failed, }ruff check"; \
	$(BIN)/ruff format --check . || failed="$${failed:+$$failed, }ruff format --check"; \
	$(BIN)/django-upgrade --target-version 5.2 --check $(PY_FILES) || failed="$${failed:+$$failed, }django-upgrade --check"; \
	if [ -n "$$failed" ]; then echo "make lint: $$failed found problems ('make format' fixes what it can)." >&2; exit 1; fi

# Rewrites in place: django-upgrade first, so that ruff sorts and formats its
# changes; what ruff cannot fix is printed (and `make lint` still fails on it).
format: venv
	$(BIN)/django-upgrade --target-version 5.2 --exit-zero-even-if-changed $(PY_FILES)
	$(BIN)/ruff check --fix --exit-zero .
	$(BIN)/ruff format .

# Re-extract messages into locale/*/django.po after changing strings, then
# translate and compile. The compiled .mo files are committed, so a machine
# without gettext still shows every language.
messages: venv
	$(DEV_ENV) $(BIN)/python manage.py makemessages --no-location --no-obsolete -l ru -l kk --ignore=.venv --ignore=staticfiles
	$(DEV_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

# Production-like load on loopback (scripts/bench_web/): the portal (DEBUG off, PostgreSQL, Redis, demo
# data, gunicorn) against a bare Django app started the same way, driven by wrk, interleaved; prints
# req/s, p50, p99, errors and the ratio to the bare app. Throwaway databases beside DATABASE_URL's server.
# A measurement, not a test. More rounds: make bench-web BENCH_WEB_ARGS="--duration 10 --rounds 5".
.PHONY: bench-web bench-faults
$(VENV)/.bench-installed: requirements-bench.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-bench.txt
	touch $@

bench-web: venv $(VENV)/.bench-installed
	$(BIN)/python scripts/bench_web/run.py $(BENCH_WEB_ARGS)

# Citizens write under load while PostgreSQL restarts, then stops for 10 s (a cluster of its own on
# port 5439, so nobody else's database is touched): failures, failure window, worst latency, writes lost.
bench-faults: venv $(VENV)/.bench-installed
	$(BIN)/python scripts/bench_web/faults.py $(BENCH_FAULTS_ARGS)

# --- HTML and accessibility checkers (issue 12) ---------------------------------------------
# portal/tests/test_web_checks.py runs them over every public, citizen and staff page in kk, ru
# and en: axe-core (npm package axe-core, injected into the page by Playwright's Chromium) and
# the Nu Html Checker (npm package vnu-jar, run by Java: Debian's default-jre-headless). They go
# into .web-checks/, which git ignores; the versions are pinned here.
AXE_CORE_VERSION := 4.14.1
VNU_JAR_VERSION := 26.9.27
.PHONY: web-checks
web-checks: .web-checks/.installed

.web-checks/.installed: Makefile
	mkdir -p .web-checks
	npm install --prefix .web-checks --no-save --no-audit --no-fund --ignore-scripts \
		axe-core@$(AXE_CORE_VERSION) vnu-jar@$(VNU_JAR_VERSION)
	touch $@
