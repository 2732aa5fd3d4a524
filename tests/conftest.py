"""Shared fixtures."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kit.paths import data_dir

ROOT = Path(__file__).resolve().parent.parent

# fixture notebooks are inputs of tests, not reports to validate with nbval
collect_ignore_glob = ["**/notebooks/*.ipynb"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: runs every report again (minutes); skipped unless selected with -m slow")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if "slow" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="slow: select with -m slow")
    for item in items:
        if item.get_closest_marker("slow"):
            item.add_marker(skip)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the data folder that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)
    return target


def edit_csv(path: Path, line: int, column: str, value: str) -> None:
    """Set one cell of a CSV file (line as in the file: header is 1)."""
    import csv

    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    col = rows[0].index(column)
    rows[line - 1][col] = value
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
