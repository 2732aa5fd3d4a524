# Quickstart: `make report` builds the reports, `make test` runs every test.
# Both create .venv with python3 -m venv. `make report` installs the project with what kit run and the
# notebooks need; the extras (test, lab, validate, cluster) are installed by the targets that use them.
# Each part is reinstalled only when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# pip compiles every file it installs, one at a time; compileall does it on all cores and skips packages' test suites
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-compile
COMPILE := $(BIN)/python -m compileall -q -j 0 -x '/tests?/' $(VENV)/lib > /dev/null || true  # a file that does not compile is compiled, or not, on import
STAMP := $(VENV)/.installed-stamp
TEST_STAMP := $(VENV)/.test-stamp
PYTEST_NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: report test test-extended unit nbval lab bless validate benchmark clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) -e .
	$(COMPILE)
	touch $@

# make test runs everything: the browser test needs JupyterLab, the data check frictionless, the cluster test Dask
$(TEST_STAMP): $(STAMP)
	$(PIP) -e '.[test,lab,validate,cluster]'
	$(COMPILE)
	touch $@

# one extra: .lab-stamp, .validate-stamp, .cluster-stamp
$(VENV)/.%-stamp: $(STAMP)
	$(PIP) -e '.[$*]'
	$(COMPILE)
	touch $@

report: $(STAMP)
	$(BIN)/kit run

# every test but the three long checks marked `extended`, which test-extended runs (CI runs both)
test: $(TEST_STAMP)
	$(BIN)/kit data validate
	$(BIN)/python -m pytest tests notebooks $(PYTEST_NBVAL) -m "not extended" -n 2 --dist loadfile --no-loadscope-reorder

# a second batch of every report compared byte for byte, the batch on a Dask cluster, JupyterLab in Chromium
test-extended: $(TEST_STAMP)
	$(BIN)/python -m pytest tests -m extended -n 2 --dist loadfile --no-loadscope-reorder

# the fast part: no notebook, batch, browser or cluster runs (pytest -m "not slow")
unit: $(TEST_STAMP)
	$(BIN)/python -m pytest tests -m "not slow" -n 2

nbval: $(TEST_STAMP)
	$(BIN)/python -m pytest notebooks $(PYTEST_NBVAL)

validate: $(VENV)/.validate-stamp
	$(BIN)/kit data validate

bless: $(STAMP)
	$(BIN)/kit bless

# JupyterLab on the project, file browser in notebooks/, settings from jupyter-config/ (no news pop-up)
lab: $(VENV)/.lab-stamp
	JUPYTER_CONFIG_PATH="$(CURDIR)/jupyter-config$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" \
	JUPYTER_PREFER_ENV_PATH=1 $(BIN)/jupyter lab $(LAB_ARGS)

benchmark: $(VENV)/.cluster-stamp
	$(BIN)/python benchmarks/batch.py

clean:
	rm -rf reports
