# Harbour: `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | cksum | cut -d' ' -f1)
PYTEST_WORKERS ?= 2
PG_URL := $(filter postgres%,$(DATABASE_URL))

.PHONY: run test lint fmt check test-sqlite test-postgres test-postgres-roles browser venv lock bench bench-monitoring totp clean

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Harbour needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { echo "Could not create a virtual environment: install python3-venv (sudo apt-get install python3-venv)"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet --no-deps --editable .
	@# Compile the log engine's kernel now rather than on the first upload.
	-$(BIN)/python -c "from harbour.monitoring.engine import fast_kernel; fast_kernel.warm_up()"
	@rm -f $(VENV)/.installed-* && touch $@

## run: install, migrate the embedded SQLite database, load the demo schools, serve on :8000 with the worker
## (HARBOUR_RUN_ADDR=127.0.0.1:8001 make run serves elsewhere; e-mails are written to var/mail/)
# Not in debug mode: Harbour's own error pages, and no debug page for anyone who can reach the port.
run: venv
	env -u DATABASE_URL $(BIN)/python manage.py migrate --noinput -v 0
	env -u DATABASE_URL $(BIN)/python manage.py harbour_demo --if-empty -v 0
	env -u DATABASE_URL $(BIN)/python manage.py harbour_run

## totp EMAIL=dsl@st-james.example: print the current two-step sign-in code of a demo login
## (reads DATABASE_URL when it is set, the SQLite database of `make run` otherwise)
totp: venv
	@test -n "$(EMAIL)" || { echo "Say whose code: make totp EMAIL=dsl@st-james.example"; exit 2; }
	@$(BIN)/python manage.py harbour_totp $(EMAIL)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: venv
	env -u DATABASE_URL $(BIN)/python manage.py check --fail-level WARNING
	env -u DATABASE_URL $(BIN)/python manage.py makemigrations --check --dry-run

browser:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core; \
	  elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core; \
	  else echo "End-to-end tests need Debian's Chromium: apt-get install chromium"; exit 1; fi; }

test-sqlite: venv browser
	env -u DATABASE_URL $(BIN)/pytest -n $(PYTEST_WORKERS) -q

test-postgres: venv browser
	@if [ -n "$(PG_URL)" ]; then echo "== PostgreSQL: $(PG_URL)"; DATABASE_URL=$(PG_URL) $(BIN)/pytest -n $(PYTEST_WORKERS) -q; \
	else echo "== DATABASE_URL does not point at PostgreSQL: PostgreSQL run skipped"; fi

## test-postgres-roles: migrate as an owner role, run Harbour as an app role that owns nothing (docs/deploy.md)
test-postgres-roles: venv
	@if [ -n "$(PG_URL)" ]; then .ci/pg-roles "$(patsubst %/,%,$(dir $(PG_URL)))"; \
	else echo "== DATABASE_URL does not point at PostgreSQL: database roles check skipped"; fi

## test: lint, migration check, the whole suite on SQLite, then on PostgreSQL when DATABASE_URL points at one
test: lint check test-sqlite test-postgres test-postgres-roles

fmt: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## lock: re-pin requirements.txt from requirements.in (needs network)
lock:
	rm -rf /tmp/harbour-lock && $(PYTHON) -m venv /tmp/harbour-lock
	/tmp/harbour-lock/bin/pip install --quiet -r requirements.in
	{ echo "# Pinned by 'make lock' from requirements.in. Install with: pip install -r requirements.txt"; /tmp/harbour-lock/bin/pip freeze --exclude-editable; } > requirements.txt

bench: venv
	env -u DATABASE_URL $(BIN)/python -m harbour.bench

## bench-monitoring: log engine vs mawk, a plain Python classifier and squidGuard on 2 M generated lines (data cached in var/bench/)
bench-monitoring: venv
	@command -v squidGuard >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq squidguard mawk; \
	  elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq squidguard mawk; \
	  else echo "squidGuard not installed: its row will say so (apt-get install squidguard)"; fi; }
	$(BIN)/python -m harbour.monitoring.bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles test-artifacts
