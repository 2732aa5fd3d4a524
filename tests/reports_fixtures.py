"""Report folders built once per test session, for the tests that read reports.

``project_reports``: ``kit run`` of this project (every notebook, every parameter set), built once for the
whole session even when pytest-xdist runs it in several workers (the first worker to ask builds it under a
lock, the others wait and read it): the golden tests, the report checks and the browser test read the same
reports. Or the folder
named by ``KIT_REPORTS_DIR`` (e.g. ``reports/`` after ``make report``) to reuse one. ``fixture_reports``:
``kit run`` of ``tests/report_project``, two small notebooks: ``clouds`` in the report layout (answer,
scenario banner, tables, a chart, key results, sources) with a default and a scenario whose name has a
``#``, and ``careless``, which breaks every rule a report check must catch. To use them in a test module::

    from tests.reports_fixtures import fixture_reports, project_reports  # noqa: F401 (pytest fixtures)
"""
from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_PROJECT = Path(__file__).resolve().parent / "report_project"


def build(project: Path, out: Path, timeout: float = 1800) -> Path:
    """``kit run --force --out OUT`` in ``project``; fails the test with the runner's output if a report failed."""
    env = {k: v for k, v in os.environ.items() if k != "KIT_SCHEDULER"}
    proc = subprocess.run([sys.executable, "-m", "kit.cli", "run", "--force", "--out", str(out)], cwd=project,
                          capture_output=True, text=True, timeout=timeout, env=env)
    if proc.returncode != 0:
        pytest.fail(f"kit run in {project.name} failed:\n{proc.stdout[-4000:]}{proc.stderr[-2000:]}")
    return out


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def build_once(tmp_path_factory: pytest.TempPathFactory, name: str, project: Path) -> Path:
    """``build(project, …)`` once per session: in the temporary folder all xdist workers share, under a lock."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    out = shared / name
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (out / "manifest.json").is_file():
            build(project, out)
    return out


@pytest.fixture(scope="session")
def project_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("KIT_REPORTS_DIR")
    if given:
        return Path(given).resolve()
    return build_once(tmp_path_factory, "project-reports", ROOT)


@pytest.fixture(scope="session")
def fixture_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(FIXTURE_PROJECT, tmp_path_factory.mktemp("fixture-reports"))
