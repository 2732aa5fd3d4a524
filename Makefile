# Quickstart: `make report` builds the reports, `make test` runs every test.
# Both create .venv with python3 -m venv and install the project; they reinstall only when
# pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTEST_NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: report test unit nbval lab bless validate benchmark clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,cluster]'
	touch $(STAMP)

report: $(STAMP)
	$(BIN)/kit run

test: $(STAMP)
	$(BIN)/kit data validate
	$(BIN)/python -m pytest tests notebooks $(PYTEST_NBVAL) -n 2 --dist loadfile

unit: $(STAMP)
	$(BIN)/python -m pytest tests

nbval: $(STAMP)
	$(BIN)/python -m pytest notebooks $(PYTEST_NBVAL)

validate: $(STAMP)
	$(BIN)/kit data validate

bless: $(STAMP)
	$(BIN)/kit bless

# JupyterLab on the project, file browser in notebooks/, settings from jupyter-config/ (no news pop-up)
lab: $(STAMP)
	JUPYTER_CONFIG_PATH="$(CURDIR)/jupyter-config$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" \
	JUPYTER_PREFER_ENV_PATH=1 $(BIN)/jupyter lab $(LAB_ARGS)

benchmark: $(STAMP)
	$(BIN)/python benchmarks/batch.py

clean:
	rm -rf reports
