# daihoi — set-up and everyday commands. `make demo` and `make test` are the README's two commands.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-postgres lint format bench install clean messages

# Re-installs only when a lock file or pyproject.toml changed, so repeated runs are quick.
$(STAMP): requirements.lock requirements-dev.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/daihoi demo

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2 --dist loadfile

# The same suite against PostgreSQL; DATABASE_URL names the database (pytest adds "test_").
test-postgres: $(STAMP)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/daihoi} $(BIN)/python -m pytest -n 2 --dist loadfile --create-db

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	@for script in bench/[!_]*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) staticfiles

# Refresh the English catalogue after changing Vietnamese strings (needs GNU gettext).
messages: $(STAMP)
	cd daihoi && ../$(BIN)/daihoi makemessages -l en --ignore "static/*" && ../$(BIN)/daihoi compilemessages
