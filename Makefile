# Entry points; the real work is in scripts/.
SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
DEV_STAMP := $(VENV)/.installed-dev

.DEFAULT_GOAL := help
.PHONY: help run test lint services-start services-stop bench clean

help:  ## list the targets
	@echo "make targets:"
	@echo "  run             install what is missing, migrate, load the city and demo data, serve http://127.0.0.1:5000"
	@echo "  test            ruff + pytest against real PostgreSQL/PostGIS, Redis and Chromium (args: make test ARGS='-x tests/geo')"
	@echo "  lint            ruff check ."
	@echo "  services-start  start throwaway PostgreSQL+PostGIS and Redis; then: . .services/env"
	@echo "  services-stop   stop them and delete their data"
	@echo "  bench           run each benchmarks/*.py"
	@echo "  clean           stop services; remove .venv, .services, instance/*.sqlite*"

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh $(ARGS)

# Same stamp as scripts/test.sh: reinstall when a requirements file is newer.
$(DEV_STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 $(PY) -m pip install -r requirements-dev.txt
	touch $@

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .

services-start:
	bash scripts/install-system-deps.sh --test
	bash scripts/services.sh start

services-stop:
	bash scripts/services.sh stop

bench: $(DEV_STAMP)
	@set -e; found=0; \
	for f in benchmarks/*.py; do \
		[ -e "$$f" ] || continue; \
		found=1; \
		echo "== $$f"; \
		PYTHONPATH=. $(PY) "$$f"; \
	done; \
	[ "$$found" = 1 ] || echo "no benchmarks/*.py yet"

clean:
	-bash scripts/services.sh stop
	rm -rf $(VENV) .services
	rm -f instance/*.sqlite*
