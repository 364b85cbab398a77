# Coach: `make run` sets up and starts Coach with demo data; `make test` sets up and runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
APT_PACKAGES := chromium espeak-ng sox

.PHONY: run test setup system-packages benchmark clean migration

$(BIN)/coach: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools wheel
	$(BIN)/pip install --quiet "torch==2.13.0"
	$(BIN)/pip install --quiet -e ".[test]" --config-settings editable_mode=compat
	touch $(BIN)/coach

setup: $(BIN)/coach

# Debian packages: Chromium for the browser tests, espeak-ng and sox to make test speech.
system-packages:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "Please install:$$missing (sudo apt-get install$$missing)"; exit 1; fi; \
	fi

run: setup
	$(BIN)/coach init --demo
	@echo "Demo users: admin, tina (trainer), rob (reviewer), alex, sam, jordan (trainees); password coach-demo"
	@trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/coach worker & worker=$$!; \
	$(BIN)/coach serve --host $(HOST) --port $(PORT)

test: setup system-packages
	$(BIN)/python -m pytest

benchmark: setup system-packages
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) instance .pytest_cache

# Until the first release the schema is one migration: regenerate it after changing coach/models.py.
migration: setup
	rm -f coach/migrations/versions/0001_initial_schema.py
	tmp=$$(mktemp -d) && COACH_INSTANCE_DIR=$$tmp COACH_RECORDINGS_DIR=$$tmp/r $(BIN)/python -c "from alembic import command; from coach import create_app, db; app = create_app(); command.revision(db.alembic_config(app.extensions['coach.engine']), message='initial schema', autogenerate=True, rev_id='0001')" && rm -rf $$tmp
