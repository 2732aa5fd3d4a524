"""JupyterLab as users meet it: every notebook runs from the Run menu in a real browser.

Needs Debian's ``chromium`` on PATH (``.ci/run`` installs it). Without it the test is skipped on a
developer machine and fails in CI (``CI=true``). Screenshots go to ``test-output/lab/``.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from tests.lab_driver import CHROMIUM_ARGS, ROOT, LabServer, RunResult, chromium, run_notebook

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.extended]

NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
SCREENSHOTS = ROOT / "test-output" / "lab"
IN_CI = os.environ.get("CI", "").lower() == "true"


def _require(ok: bool, reason: str) -> None:
    if not ok:
        (pytest.fail if IN_CI else pytest.skip)(reason + (" (required in CI)" if IN_CI else ""))


@pytest.fixture(scope="module")
def browser():
    _require(chromium() is not None, "Debian's chromium is not on PATH: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _require(False, "playwright is not installed: pip install -e '.[test]'")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def _serve(root: Path) -> Iterator[LabServer]:
    """A server on ``root`` that is shut down with all its kernels, also when the test fails."""
    with tempfile.TemporaryDirectory(prefix="lab-") as scratch:
        server = LabServer(root, Path(scratch))
        try:
            yield server
        finally:
            problems = server.stop()
            assert not problems, "JupyterLab did not shut down cleanly: " + "; ".join(problems)


@pytest.fixture(scope="module")
def lab():
    """One JupyterLab server on the project, shared by every notebook."""
    with _serve(ROOT) as server:
        yield server


def _open_run_close(browser, server: LabServer, notebook: str, screenshot: Path | None = None) -> RunResult:
    """Run ``notebook`` in a new page; screenshot it (also on failure); close without saving."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        return run_notebook(page, server, notebook)
    finally:
        try:
            if screenshot:
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=screenshot)
        finally:
            page.close()  # no beforeunload prompt, nothing saved
            server.shutdown_sessions(notebook)


def test_project_settings_open_notebooks_without_news(lab):
    """jupyter-config/ (read by ``make lab`` too): file browser in notebooks/, no news, no update check."""
    page = urllib.request.urlopen(f"{lab.base}/lab?token={lab.token}", timeout=10).read().decode()
    config = json.loads(re.search(r'id="jupyter-config-data" type="application/json">(.*?)</script>', page)[1])
    assert config["preferredPath"].strip("/") == "notebooks"
    schema = lab.api("GET", "/lab/api/settings/@jupyterlab/apputils-extension:notification")["schema"]
    defaults = {k: v["default"] for k, v in schema["properties"].items()}
    assert (defaults["fetchNews"], defaults["checkForUpdates"]) == ("false", False)


@pytest.mark.parametrize("notebook", NOTEBOOKS or [""])
def test_notebook_runs_all_cells_in_lab(browser, lab, notebook):
    assert notebook, "no notebooks in notebooks/"
    result = _open_run_close(browser, lab, f"notebooks/{notebook}", SCREENSHOTS / f"{Path(notebook).stem}.png")
    assert not result.dialog, f"{notebook}: JupyterLab showed a dialog: {result.dialog}"
    assert not result.stderr, f"{notebook}: a cell wrote to stderr or failed:\n\n" + "\n\n".join(result.stderr)
    assert result.numbered_cells == result.expected_cells, (
        f"{notebook}: {result.numbered_cells} of {result.expected_cells} code cells ran")
    assert result.table_rows > 0, f"{notebook}: no table rendered in any output"
    saves = [w for w in result.writes if not w.endswith("/checkpoints")]
    assert not saves, f"{notebook}: the browser wrote to the notebook: {saves}"


def _write_notebook(path: Path, *sources: str) -> None:
    cells = [{"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {}, "outputs": [],
              "source": src} for i, src in enumerate(sources)]
    nb = {"cells": cells, "nbformat": 4, "nbformat_minor": 5,
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}}
    path.write_text(json.dumps(nb), encoding="utf-8")


def test_the_check_sees_errors_and_tables(browser, tmp_path):
    """A control on throw-away notebooks: the same checks must report a planted error and a table."""
    (tmp_path / "notebooks").mkdir()
    _write_notebook(tmp_path / "notebooks" / "table.ipynb", "import kit\nkit.load('sources').head(3)", "", "1 + 1")
    _write_notebook(tmp_path / "notebooks" / "error.ipynb", "x = 1", "raise ValueError('planted failure')", "x")
    with _serve(tmp_path) as server:
        good = _open_run_close(browser, server, "notebooks/table.ipynb")
        bad = _open_run_close(browser, server, "notebooks/error.ipynb")
    assert (good.dialog, good.stderr, good.numbered_cells, good.expected_cells) == ("", [], 2, 2)
    assert good.table_rows == 3 and "url" in good.table_header
    assert len(bad.stderr) == 1 and "ValueError: planted failure" in bad.stderr[0]
    assert (bad.numbered_cells, bad.expected_cells, bad.table_rows) == (2, 3, 0)
