"""Shared fixtures."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kit.paths import data_dir

ROOT = Path(__file__).resolve().parent.parent

# fixture notebooks are inputs of tests, not reports to validate with nbval
collect_ignore_glob = ["**/notebooks/*.ipynb"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Files that run the project's whole batch first (marked ``batch``: the two such files then run side by
    side), then those with the most slow tests: `make test` hands whole files to its two workers in this order
    (--no-loadscope-reorder), so the long ones start at once and the short ones even out the end."""
    slow: dict = {}
    for item in items:
        slow[item.path] = slow.get(item.path, 0) + bool(item.get_closest_marker("slow"))
        slow[item.path] += 1000 * bool(item.get_closest_marker("batch"))
    order = {id(item): i for i, item in enumerate(items)}
    items.sort(key=lambda item: (-slow[item.path], order[id(item)]))


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the data folder that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)
    return target


def golden_differences(notebook: str, parameter_set: str, results: dict) -> list:
    """How ``results`` differ from the golden key results of the pair, within the stated tolerances."""
    from kit.golden import compare, golden_path, read_golden, read_tolerances, tolerance_for

    golden = ROOT / "tests" / "golden"
    tols = read_tolerances(golden / "tolerances.yaml")
    return compare(read_golden(golden_path(golden, notebook, parameter_set)), results,
                   lambda result: tolerance_for(tols, notebook, result))


def edit_csv(path: Path, line: int, column: str, value: str) -> None:
    """Set one cell of a CSV file (line as in the file: header is 1)."""
    import csv

    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    col = rows[0].index(column)
    rows[line - 1][col] = value
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def disk_full_for(monkeypatch: pytest.MonkeyPatch, marker: str) -> None:
    """Make writing any temporary file whose name contains ``marker`` (e.g. ".r.html.") fail as a full disk
    does, when the writer opens it (``os.fdopen``); other files are written as usual."""
    real = os.fdopen

    def fdopen(fd, *args, **kwargs):
        if marker in os.readlink(f"/proc/self/fd/{fd}"):
            os.close(fd)
            raise OSError(28, "No space left on device")
        return real(fd, *args, **kwargs)

    monkeypatch.setattr(os, "fdopen", fdopen)
