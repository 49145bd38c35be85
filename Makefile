# OneWindow: the two commands are `make run` and `make test`; both work on a fresh machine.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install sysdeps sysdeps-run lint format lock worker beat clean bench-counter bench-reconcile bench-archive bench-dashboard bench-http bench-queue messages

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the lock file changes.
$(STAMP): requirements.lock | $(PY)
	$(PIP) install -q -r requirements.lock
	@touch $(STAMP)

install: $(STAMP)

# Debian packages: fonts with Cyrillic for PDFs, Pango for WeasyPrint, Chromium for browser tests.
sysdeps:
	@bash scripts/install-system-deps.sh

sysdeps-run:
	@WITH_BROWSER=0 bash scripts/install-system-deps.sh

run: sysdeps-run install
	@DEBUG=1 $(PY) manage.py migrate --no-input -v 0
	@if DEBUG=1 $(PY) manage.py help load_catalogue >/dev/null 2>&1; then DEBUG=1 $(PY) manage.py load_catalogue; fi
	@DEBUG=1 $(PY) manage.py bootstrap_demo
	@echo
	@echo "OneWindow: http://$(HOST):$(PORT)/   (остановить: Ctrl+C)"
	@echo
	@DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: sysdeps install
	@$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

lock: $(PY)
	$(PY) -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; \
	  print('\n'.join(p['dependencies'] + p['optional-dependencies']['dev']))" > $(VENV)/requirements.in
	$(PIP) install -q -U -r $(VENV)/requirements.in
	{ echo "# Pinned versions installed by 'make run' and 'make test' (pip install -r requirements.lock)."; \
	  echo "# Regenerate after changing pyproject.toml: make lock"; \
	  $(PIP) freeze --exclude-editable; } > requirements.lock

worker: install
	$(VENV)/bin/celery -A onewindow worker -l info

beat: install
	$(VENV)/bin/celery -A onewindow beat -l info

# the project's Russian catalogue (locale/ru: DRF's messages its own catalogue lacks)
messages: install
	$(PY) manage.py compilemessages --locale ru --ignore .venv

clean:
	rm -rf $(VENV) var/static .pytest_cache

bench-counter: install
	$(PY) bench/counter.py

bench-reconcile: install
	$(PY) bench/reconcile.py

bench-archive: install
	$(PY) bench/archive.py

bench-dashboard: install
	$(PY) bench/dashboard.py

bench-queue: install
	$(PY) bench/queue.py

bench-http: install
	@WITH_BROWSER=0 WITH_WRK=1 bash scripts/install-system-deps.sh
	$(PY) bench/http.py
