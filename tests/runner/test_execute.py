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


def test_a_cell_that_ends_the_kernel_or_runs_too_long_fails_its_pair_naming_the_cell(project):
    project.add("ends")
    run = project.run("--timeout", "2")
    assert run.code == 1 and "Traceback" not in run.output, run
    used = "(notebooks/ends.ipynb with params/ends/{}.yaml)"
    for how, failure in [
        ("exit", "cell 4 ('if how == \"exit\":'): SystemExit: 0; notebook saved as reports/ends/exit.failed.ipynb"),
        ("die", "cell 5 ('if how == \"die\":'): the kernel died (DeadKernelError: Kernel died)"),
        ("sleep", "cell 6 ('while how == \"sleep\":'): ran longer than 2 s (kit run --timeout)"),
    ]:
        assert f"FAILED ends/{how} {used.format(how)}: {failure}" in run.output
    assert not list(project.reports.glob("ends/*.html"))


def test_the_timeout_comes_from_the_command_line_or_the_projects_pyproject(project):
    from kit.runner.batch import TimeoutSetting, cell_timeout

    assert cell_timeout(project.root, None) is None  # no limit
    (project.root / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.kit.run]\ntimeout = 600\n')
    assert cell_timeout(project.root, None) == 600
    assert cell_timeout(project.root, 5) == 5
    assert cell_timeout(project.root, 0) is None  # --timeout 0: no limit
    (project.root / "pyproject.toml").write_text('[tool.kit.run]\ntimeout = "ten"\n')
    with pytest.raises(TimeoutSetting, match=r"pyproject.toml: \[tool.kit.run\] timeout must be a whole number of seconds"):
        cell_timeout(project.root, None)


def test_a_kernel_that_dies_before_its_first_cell_is_run_again(monkeypatch):
    """A kernel can die at start when another process takes one of its ports between jupyter_client choosing
    it and the kernel binding it (papermill#511); run() raises, so the batch submits the pair once more."""
    import papermill

    from kit.runner.execute import KernelStartError

    def dies(*args, **kwargs):
        raise RuntimeError("Kernel died before replying to kernel_info")

    monkeypatch.setattr(papermill, "execute_notebook", dies)
    task = Task("reads_b/default", "reads_b.ipynb", {"figures_dir": "f"}, "f")
    with pytest.raises(KernelStartError, match="the kernel ended before running a cell"):
        run(task, _nb("reads_b"), DATA)
