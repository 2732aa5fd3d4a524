from __future__ import annotations

import subprocess
import sys

import pytest

from kit.runner import backends
from tests.runner.conftest import env_for


def _square(x: int) -> int:
    return x * x


def test_local_pool_is_the_default_and_runs_tasks(monkeypatch):
    monkeypatch.delenv(backends.SCHEDULER_ENV, raising=False)
    backend = backends.open_backend(2, None)
    try:
        assert isinstance(backend, backends.LocalPool) and backend.describe == "2 local worker processes"
        assert backend.share(b"abc") == b"abc"
        assert [backend.submit(_square, i).result(timeout=30) for i in range(3)] == [0, 1, 4]
    finally:
        backend.close()


@pytest.mark.slow  # waits for the 5 s connection timeout
def test_the_scheduler_can_come_from_the_environment(project):
    project.add("reads_b")
    env = {**env_for(project), backends.SCHEDULER_ENV: "tcp://127.0.0.1:9"}
    proc = subprocess.run(project.command(), cwd=project.root, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in proc.stdout


def _imports_after(project, argv: list[str]) -> str:
    code = (f"import sys; from kit.cli import main; code = main({argv!r});"
            "heavy = sorted(m for m in ('distributed', 'dask', 'papermill', 'nbconvert', 'nbformat', 'tqdm')"
            " if m in sys.modules); print(code, heavy)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=project.root, env=env_for(project),
                          capture_output=True, text=True, timeout=120)
    return proc.stdout.strip().splitlines()[-1]


@pytest.mark.slow
def test_a_local_run_never_imports_dask_and_an_up_to_date_one_nothing_heavy(project):
    project.add("reads_b")
    assert "distributed" not in _imports_after(project, ["run"])
    assert _imports_after(project, ["run"]) == "0 []"
