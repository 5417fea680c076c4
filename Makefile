# tracker: two commands on a fresh clone — `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
UV := $(shell command -v uv 2>/dev/null)
# The uv installed when none is on the PATH: pinned, so every fresh clone resolves the same way.
UV_VERSION := 0.13.9

.PHONY: install run test check lint typecheck pytest unit docs bench clean

AXE := node_modules/axe-core/axe.min.js

install: $(BIN)/tracker $(AXE)

# axe-core, which the browser tests inject into every page (package-lock.json pins it). Without
# npm the environment is still made; the browser tests then say the check was skipped.
$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the browser tests' accessibility check will be skipped"; fi

# The environment is made from the lock file, exactly; remade when the lock changes. Bytecode is
# compiled once here (the libraries', then tracker's own): where PYTHONDONTWRITEBYTECODE is set, as
# in many CI and container images, nothing else ever writes it, and every `tracker` process the
# suite starts would compile pandas, SQLAlchemy and Streamlit again (5.2 s of imports, not 1.7 s).
$(BIN)/tracker: pyproject.toml uv.lock
ifeq ($(UV),)
	python3 -m pip install --quiet "uv==$(UV_VERSION)"
	python3 -m uv sync --locked --compile-bytecode --python 3.11
else
	uv sync --locked --compile-bytecode --python 3.11
endif
	$(BIN)/python -m compileall -q tracker
	@touch $@

run: install
	$(BIN)/tracker db upgrade
	# The sample goes only into the embedded default file: a configured database (a team's new
	# PostgreSQL) starts empty, on the dashboard's first-steps page.
	$(BIN)/tracker sample load --if-empty --only-embedded
	# Server defaults (loopback only, no usage statistics, no error details) are in
	# .streamlit/config.toml, so a bare `streamlit run dashboard.py` gets them too.
	$(BIN)/streamlit run dashboard.py --server.port $(PORT)

test: install lint typecheck docs pytest

# The inner loop (under a minute once mypy's cache is warm): lint, types, and the tests that need
# no database, browser or child process (each test's needs are read from its imports:
# tests/kinds.py).
check: install lint typecheck unit

lint:
	$(BIN)/ruff check tracker tests migrations bench dashboard.py

typecheck:
	$(BIN)/mypy

# Four workers, a file per worker at a time (module fixtures such as a Streamlit server are built
# once): most of the suite waits on databases, browsers and child processes, so four workers keep
# two cores busy.
pytest:
	$(BIN)/pytest -n 4 --dist loadfile

# The documentation site, built strictly: a broken link or an unlisted page fails it.
docs: install
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

unit:
	$(BIN)/pytest -q -p no:cacheprovider -n 2 \
		-m "not database and not process and not browser and not postgres and not slow"

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-output site node_modules
