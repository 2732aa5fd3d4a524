"""One pair executed from content alone, as a worker does it."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kit.runner.execute import Task, run

pytestmark = pytest.mark.slow

HERE = Path(__file__).parent
DATA = {"a.csv": b"1\n2\n3\n", "b.csv": b"5\n6\n"}


def _nb(name: str) -> bytes:
    return (HERE / "notebooks" / f"{name}.ipynb").read_bytes()


@pytest.fixture(scope="module")
def ok_twice():
    task = Task("reads_a/high", "reads_a.ipynb", {"factor": 10, "label": "high", "figures_dir": "high_figures"},
                "high_figures")
    return run(task, _nb("reads_a"), DATA), run(task, _nb("reads_a"), DATA)


def test_a_good_run_returns_notebook_html_results_figures_and_what_it_used(ok_twice):
    result, _ = ok_twice
    assert result.ok and result.failure is None
    assert result.results == {"label": "high", "total": 60.0}
    assert result.figures == {"total.svg": b"<svg><text>60.0</text></svg>"}
    assert result.reads == ["a.csv"]
    assert {"kit", "kit.results", "kit.paths"} <= set(result.modules)
    assert "Reads a.csv, records a result" in result.html


def test_output_is_byte_identical_between_runs_and_has_no_temporary_paths(ok_twice):
    first, second = ok_twice
    assert first.notebook == second.notebook and first.html == second.html
    for text in (first.notebook, first.html):
        assert "kit-run-" not in text and "/tmp" not in text
    nb = json.loads(first.notebook)
    assert "papermill" not in nb["metadata"]
    injected = [c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert [c["id"] for c in injected] == ["injected-parameters"]
    assert 'figures_dir = "high_figures"' in "".join(injected[0]["source"])


def test_a_failing_cell_names_the_cell_and_the_exception():
    task = Task("broken/default", "broken.ipynb", {"fail": True, "figures_dir": "default_figures"}, "default_figures")
    result = run(task, _nb("broken"), {})
    assert not result.ok and result.html is None and result.figures == {}
    assert (result.failure.cell, result.failure.source) == (4, "if fail:")
    assert result.failure.exception == "ValueError: boom on purpose"
    assert result.failure.describe() == "cell 4 ('if fail:'): ValueError: boom on purpose"
    assert result.results == {"before": 1}  # recorded before the failure
    assert "boom on purpose" in result.notebook  # the failed notebook carries the traceback


def test_a_notebook_that_cannot_start_is_a_failure_not_a_crash():
    task = Task("bad/default", "bad.ipynb", {}, "default_figures")
    result = run(task, b'{"cells": "not a list"}', {})
    assert not result.ok and result.failure.cell is None and result.notebook is None
