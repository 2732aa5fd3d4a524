"""``kit run --scheduler``: the same batch on a Dask scheduler with two worker processes on 127.0.0.1."""
from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest

from tests.conftest import ROOT, golden_differences
from tests.runner.conftest import env_for

distributed = pytest.importorskip("distributed")
pytestmark = [pytest.mark.cluster, pytest.mark.slow, pytest.mark.extended]


@contextlib.contextmanager
def dask_cluster(folder: Path, workers: int = 2) -> Iterator[tuple[str, list[subprocess.Popen]]]:
    """``dask scheduler`` and ``dask worker`` processes on random ports; the workers see none of the
    project's files (their own folder, no KIT_DATA_DIR): tasks must carry what they need."""
    (folder / "tmp").mkdir(parents=True, exist_ok=True)  # what a killed worker leaves stays in here
    env = {k: v for k, v in os.environ.items() if k not in ("KIT_DATA_DIR", "KIT_SCHEDULER")}
    env["TMPDIR"] = str(folder / "tmp")
    log = open(folder / "cluster.log", "w")
    procs = [subprocess.Popen([sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port", "0",
                               "--dashboard-address", "127.0.0.1:0", "--scheduler-file", str(folder / "s.json")],
                              cwd=folder, env=env, stdout=log, stderr=log)]
    try:
        deadline = time.monotonic() + 60
        while not (folder / "s.json").is_file():
            assert time.monotonic() < deadline, (folder / "cluster.log").read_text()
            time.sleep(0.1)
        time.sleep(0.2)
        address = json.loads((folder / "s.json").read_text())["address"]
        procs += [subprocess.Popen([sys.executable, "-m", "dask", "worker", address, "--nthreads", "1", "--no-nanny",
                                    "--host", "127.0.0.1", "--no-dashboard"], cwd=folder, env=env, stdout=log,
                                   stderr=log) for _ in range(workers)]
        with distributed.Client(address, timeout=30) as client:
            client.wait_for_workers(workers, timeout=60)
        yield address, procs[1:]
    finally:
        for proc in reversed(procs):  # a worker closing its connections politely takes seconds: no use here
            if proc.poll() is None:
                proc.kill()
        for proc in procs:
            proc.wait()
        log.close()


def _statuses_and_results(out: Path) -> dict:
    reports = json.loads((out / "manifest.json").read_text())["reports"]
    return {key: (e["status"], e.get("results")) for key, e in reports.items()}


def _kit_run(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kit.cli", "run", *args], cwd=cwd, capture_output=True, text=True,
                          env=env or {k: v for k, v in os.environ.items() if k != "KIT_SCHEDULER"}, timeout=900)


@pytest.fixture(scope="module")
def shared_cluster(tmp_path_factory) -> Iterator[str]:
    """One cluster for the tests that do not take it apart."""
    with dask_cluster(tmp_path_factory.mktemp("cluster")) as (address, _):
        yield address


def test_every_notebook_on_the_cluster_gives_its_golden_key_results(shared_cluster, tmp_path):
    """Each notebook's default set runs on workers that see none of the project's files and gives the golden key
    results. The local batch of every set is the golden tests' (tests/test_golden_reports.py): not run again."""
    defaults = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "params").glob("*/default.yaml"))
    address = shared_cluster
    remote = _kit_run("--force", "--out", str(tmp_path / "remote"), "--scheduler", address,
                      *(arg for path in defaults for arg in ("--params", path)))
    assert f"on the Dask scheduler at {address} (2 workers" in remote.stdout
    assert remote.returncode == 0, remote.stdout + remote.stderr
    on_cluster = _statuses_and_results(tmp_path / "remote")
    assert sorted(on_cluster) == [f"{Path(p).parent.name}/default" for p in defaults]
    for key, (status, results) in on_cluster.items():
        assert status == "ok" and results, key
        assert golden_differences(*key.split("/"), results) == [], key


def test_fixture_outputs_are_byte_identical_to_a_local_run(project, shared_cluster):
    project.add("reads_a", "broken")
    project.params("broken", "default").write_text("fail: true\n")
    assert project.run().code == 1
    run = project.run("--force", "--out", "remote", "--scheduler", shared_cluster)
    assert run.code == 1 and "cell 4 ('if fail:'): ValueError: boom on purpose" in run.output, run
    for rel in ("reads_a/default.ipynb", "reads_a/high.html", "reads_a/high_figures/total.svg",
                "broken/default.failed.ipynb"):
        assert (project.root / "remote" / rel).read_bytes() == (project.reports / rel).read_bytes(), rel


def test_a_worker_lost_mid_batch_leaves_every_pair_reported_or_failed_by_name(project, tmp_path):
    project.add("slow", "reads_a", "reads_b")
    for i in range(4):
        project.params("slow", f"s{i}").write_text("seconds: 2.0\n")
    project.params("slow").unlink()
    with dask_cluster(tmp_path / "cluster") as (address, workers):
        proc = subprocess.Popen(project.command("--scheduler", address), cwd=project.root, env=env_for(project),
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        lines = [proc.stdout.readline()]
        while "[1/" not in lines[-1] and proc.poll() is None:
            lines.append(proc.stdout.readline())
        os.kill(workers[0].pid, signal.SIGKILL)  # in the middle of the batch
        out = "".join(lines) + proc.communicate(timeout=300)[0]
    assert proc.returncode in (0, 1), out
    reports = json.loads((project.reports / "manifest.json").read_text())["reports"]
    assert sorted(reports) == ["reads_a/default", "reads_a/high", "reads_b/default",
                               "slow/s0", "slow/s1", "slow/s2", "slow/s3"]
    for key, entry in reports.items():
        if entry["status"] == "ok":
            json.loads((project.reports / entry["ipynb"]).read_text())
            assert (project.reports / entry["html"]).read_text().rstrip().endswith("</html>")
        else:
            assert entry["failure"]["message"] and f"FAILED {key}" in out
    assert [p for p in project.reports.rglob("*") if p.name.endswith("tmp")] == []


def test_an_unreachable_scheduler_is_a_clear_error_within_seconds():
    from kit.runner.backends import BackendError
    from kit.runner.cluster import DaskCluster

    start = time.monotonic()
    with pytest.raises(BackendError, match=r"cannot reach the Dask scheduler at tcp://127.0.0.1:9 within 2 s"):
        DaskCluster("tcp://127.0.0.1:9", timeout=2)
    assert time.monotonic() - start < 10
