# Two commands: `make run` (serve the demo) and `make test` (the whole suite).
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
STAMPS := .stamps
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?=

.PHONY: run test test-fast bench setup db demo clean FORCE

run: setup demo
	@echo "Serving Cluster Commons on http://$(HOST):$(PORT)  (Ctrl-C to stop)"
	REGISTRY_SECRET_KEY="$$(cat instance/secret_key)" REGISTRY_SESSION_COOKIE_SECURE=false \
	REGISTRY_REMEMBER_COOKIE_SECURE=false $(VENV)/bin/gunicorn --workers 2 --bind $(HOST):$(PORT) \
	--access-logfile - wsgi:app

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

bench: setup
	$(PY) tests/bench/run.py

setup: $(STAMPS)/python $(STAMPS)/npm

# Re-install only when the pinned dependencies change (or .venv/node_modules went missing):
# re-running is quick.
$(STAMPS)/python: pyproject.toml $(if $(wildcard $(PY)),,FORCE)
	@mkdir -p $(STAMPS)
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

$(STAMPS)/npm: package.json package-lock.json $(if $(wildcard node_modules),,FORCE)
	@mkdir -p $(STAMPS)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

instance/secret_key:
	@mkdir -p instance
	$(PY) -c "import secrets; print(secrets.token_hex(32))" > $@
	@chmod 600 $@

db: setup instance/secret_key
	REGISTRY_SECRET_KEY="$$(cat instance/secret_key)" $(FLASK) init-db

demo: db
	REGISTRY_SECRET_KEY="$$(cat instance/secret_key)" $(FLASK) load-demo

clean:
	rm -rf $(VENV) node_modules $(STAMPS) instance

FORCE:
