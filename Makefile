# tracker: two commands on a fresh clone — `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
UV := $(shell command -v uv 2>/dev/null)

.PHONY: install run test lint typecheck pytest bench clean

install: $(BIN)/tracker

# The environment is made from the lock file, exactly; remade when the lock changes.
$(BIN)/tracker: pyproject.toml uv.lock
ifeq ($(UV),)
	python3 -m pip install --quiet uv
	python3 -m uv sync --locked --python 3.11
else
	uv sync --locked --python 3.11
endif
	@touch $@

run: install
	$(BIN)/tracker db upgrade
	$(BIN)/tracker sample load --if-empty
	$(BIN)/streamlit run dashboard.py --server.port $(PORT) --server.address localhost \
		--server.headless true --browser.gatherUsageStats false

test: install lint typecheck pytest

lint:
	$(BIN)/ruff check tracker tests migrations bench dashboard.py

typecheck:
	$(BIN)/mypy

# Four workers, a file per worker at a time (module fixtures such as a Streamlit server are built
# once): most of the suite waits on databases, browsers and child processes, so four workers keep
# two cores busy.
pytest:
	$(BIN)/pytest -n 4 --dist loadfile

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-output
