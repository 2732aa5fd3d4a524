"""``kit run`` end to end on fixture notebooks: failures, interrupts, concurrent runs, output layout."""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time

import pytest
from pathlib import Path

import pytest

from tests.conftest import disk_full_for
from tests.runner.conftest import env_for


def _no_temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith("tmp")]


@pytest.mark.slow
def test_layout_figures_beside_each_report_and_index(project):
    project.add("reads_a")
    project.params("reads_a", "high").write_text('factor: 10\nlabel: high\nfigures_dir: "ignored"\n')
    run = project.run()
    assert run.code == 0, run
    assert "3 ran" not in run.output and "2 ran, 0 up to date, 0 failed; index: reports/index.html" in run.output
    r = project.reports
    assert (r / "reads_a" / "high_figures" / "total.svg").read_text() == "<svg><text>60.0</text></svg>"
    assert (r / "reads_a" / "default_figures" / "total.svg").is_file()
    assert not (project.root / "ignored").exists() and not (r / "reads_a" / "ignored").exists()
    index = (r / "index.html").read_text()
    assert 'href="reads_a/high.html"' in index  # the default first, each value in its declared format
    assert re.search(r'Total of a\.csv times the factor.*?</th>\s*<td class="value">12</td><td class="value">60<span class="why">\+400\.0 % vs default</span></td>',
                     index, flags=re.S)
    # a chart the notebook no longer makes disappears with the next run
    (r / "reads_a" / "high_figures" / "old_chart.png").write_bytes(b"x")
    assert project.run("--force", "--params", "params/reads_a/high.yaml").code == 0
    assert sorted(p.name for p in (r / "reads_a" / "high_figures").iterdir()) == ["total.svg"]
    # a deleted figures folder is made again
    shutil.rmtree(r / "reads_a" / "high_figures")
    assert project.run().executed == {"reads_a/high"}
    assert (r / "reads_a" / "high_figures" / "total.svg").is_file()


def test_a_write_error_fails_its_pair_only_naming_the_file_and_the_cause(project):
    project.add("reads_a")
    long_name = "s" * 240  # a valid file name, with room for ".failed.ipynb"
    project.params("reads_a", long_name).write_text("factor: 3\n")
    (project.reports / "reads_a" / "high.html").mkdir(parents=True)  # cannot be replaced by a file
    (project.reports / "manifest.json").write_text('{"format": 1, "reports": {}}')
    run = project.run()
    assert run.code == 1 and "Traceback" not in run.output, run
    assert ("FAILED reads_a/high (notebooks/reads_a.ipynb with params/reads_a/high.yaml): "
            "cannot write reports/reads_a/high.html: Is a directory") in run.output
    assert f"2 ran, 0 up to date, 1 failed" in run.output
    assert (project.reports / "reads_a" / f"{long_name}.html").is_file()
    manifest = json.loads((project.reports / "manifest.json").read_text())["reports"]
    assert {k: e["status"] for k, e in manifest.items()} == {
        "reads_a/default": "ok", "reads_a/high": "failed", f"reads_a/{long_name}": "ok"}
    assert "index.html" in {p.name for p in project.reports.iterdir()}


def test_a_full_disk_keeps_the_previous_report_and_a_consistent_manifest(project, monkeypatch):
    from kit.runner import manifest
    from kit.runner.batch import Batch, Options, Planned
    from kit.runner.discover import Pair, Project
    from kit.runner.execute import Result

    pair = Pair(project.root / "notebooks" / "nb.ipynb", "s", None)
    item = Planned(pair, b"", b"", {"notebook": "notebooks/nb.ipynb", "params": None})
    batch = Batch(Project(project.root), project.reports, project.data, Options(), None)
    nb1, nb2 = '{"cells": [], "v": 1}', '{"cells": [], "v": 2}'  # executed notebooks (JSON) of two runs
    assert batch.record(item, Result("nb/s", True, 1.0, notebook=nb1, html="v1", figures={"c.png": b"v1"}), {}, {}).ok
    disk_full_for(monkeypatch, ".s.html.")
    result = batch.record(item, Result("nb/s", True, 1.0, notebook=nb2, html="v2", figures={"c.png": b"v2"}), {}, {})
    assert not result.ok and result.failure.describe() == "cannot write reports/nb/s.html: No space left on device"
    r = project.reports / "nb"
    assert [(r / f).read_text() for f in ("s.ipynb", "s.html", "s_figures/c.png")] == [nb1, "v1", "v1"]
    entry = manifest.load(project.reports)["reports"]["nb/s"]
    assert entry["status"] == "failed" and (entry["html"], entry["ipynb"]) == ("nb/s.html", "nb/s.ipynb")
    assert not [p for p in r.rglob("*") if p.name.endswith("tmp")]


@pytest.mark.parametrize("out, reason", [
    ("afile", "is a file, not a folder"),
    ("full", "has files but is not a reports folder (no manifest.json); choose a new or empty folder"),
    ("/proc/kit-reports", "cannot write there"),
])
def test_an_out_folder_that_cannot_be_a_reports_folder_is_refused_before_anything_runs(project, out, reason):
    project.add("reads_b")
    (project.root / "afile").write_text("x")
    (project.root / "full").mkdir()
    (project.root / "full" / "notes.txt").write_text("the user's")
    run = project.run("--out", out)
    assert run.code == 2 and f"kit run: --out {out}: {reason}" in run.output and not run.executed, run
    assert "Traceback" not in run.output
    assert (project.root / "afile").read_text() == "x"
    assert sorted(p.name for p in (project.root / "full").iterdir()) == ["notes.txt"]


@pytest.mark.slow
def test_a_failing_cell_keeps_the_previous_report_saves_the_failed_notebook_and_exits_non_zero(project):
    project.add("broken", "reads_b")
    assert project.run().code == 0
    good_html = (project.reports / "broken" / "default.html").read_bytes()
    project.params("broken").write_text("fail: true\n")
    (project.data / "b.csv").write_text("1\n")  # so reads_b runs in the same batch

    run = project.run()
    assert run.code == 1, run
    line = ("FAILED broken/default (notebooks/broken.ipynb with params/broken/default.yaml): "
            "cell 4 ('if fail:'): ValueError: boom on purpose; notebook saved as reports/broken/default.failed.ipynb")
    assert run.output.count(line) == 2  # as it happens and in the closing summary
    assert "1 ran, 0 up to date, 1 failed" in run.output
    assert run.executed == {"broken/default", "reads_b/default"}  # the other pair finished
    assert (project.reports / "broken" / "default.html").read_bytes() == good_html
    failed = json.loads((project.reports / "broken" / "default.failed.ipynb").read_text())
    assert any(o.get("ename") == "ValueError" for c in failed["cells"] for o in c.get("outputs", []))
    entry = json.loads((project.reports / "manifest.json").read_text())["reports"]["broken/default"]
    assert entry["status"] == "failed" and entry["failure"]["cell"] == 4 and entry["html"] == "broken/default.html"
    assert "boom on purpose" in (project.reports / "index.html").read_text()

    assert project.run().executed == {"broken/default"}  # a failed pair is not up to date
    project.params("broken").write_text("fail: false\n")
    assert project.run().code == 0
    assert not (project.reports / "broken" / "default.failed.ipynb").exists()


@pytest.mark.slow
def test_ctrl_c_stops_cleanly_and_keeps_finished_reports(project, tmp_path_factory):
    project.add("slow", "reads_b")
    project.params("slow").write_text("seconds: 60.0\n")
    project.params("slow", "later").write_text("seconds: 60.0\n")  # queued for the worker when Ctrl-C comes
    tmp = tmp_path_factory.mktemp("worker-tmp")  # the workers' temporary folders go here
    env = {**env_for(project), "TMPDIR": str(tmp)}
    proc = subprocess.Popen(project.command("--jobs", "1"), cwd=project.root, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        lines.append(proc.stdout.readline())
        if "ok reads_b/default" in lines[-1]:
            break
    time.sleep(0.5)  # the slow pair is mid-cell now
    start = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C on a terminal sends: the whole process group
    out, _ = proc.communicate(timeout=90)
    assert proc.returncode == 130, "".join(lines) + out
    assert time.monotonic() - start < 30  # seconds on a quiet machine; generous for one running the whole suite
    assert "interrupted" in out and "Traceback" not in out, out
    assert _no_temporaries(project.reports) == []
    manifest = json.loads((project.reports / "manifest.json").read_text())
    assert set(manifest["reports"]) == {"reads_b/default"}
    assert (project.reports / "reads_b" / "default.html").is_file()
    assert not (project.reports / "slow").exists()
    time.sleep(2)  # kernels notice their worker is gone within a second
    assert list(tmp.iterdir()) == []  # the workers' temporary folders are removed
    busy = [p for p in Path("/proc").glob("[0-9]*") if _started_by_this_run(p, str(tmp))]
    assert busy == []  # no kernel, and no template that forks them, left running


def _started_by_this_run(proc: Path, tmp: str) -> bool:
    """A process of the run: its command line (a cold kernel's connection file) or environment names ``tmp``."""
    try:
        return any(tmp.encode() in (proc / name).read_bytes() for name in ("cmdline", "environ"))
    except OSError:
        return False


@pytest.mark.slow
def test_two_runs_at_once_do_not_corrupt_each_other(project):
    project.add("reads_a", "reads_b", "slow")
    project.params("slow").write_text("seconds: 2.0\n")  # the first run holds the lock for seconds, not a blink

    def start() -> subprocess.Popen:
        return subprocess.Popen(project.command(), cwd=project.root, env=env_for(project), stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)

    first = start()
    head = first.stdout.readline()  # "running ...": printed once the first run holds the lock
    procs = [first, start()]
    outputs = [p.communicate(timeout=180)[0] for p in procs]
    outputs[0] = head + outputs[0]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert "waiting: kit run (pid " in outputs[1]  # the second waited for the first
    manifest = json.loads((project.reports / "manifest.json").read_text())
    assert {k: e["status"] for k, e in manifest["reports"].items()} == {
        "reads_a/default": "ok", "reads_a/high": "ok", "reads_b/default": "ok", "slow/default": "ok"}
    for entry in manifest["reports"].values():
        json.loads((project.reports / entry["ipynb"]).read_text())
        assert (project.reports / entry["html"]).read_text().rstrip().endswith("</html>")
    assert _no_temporaries(project.reports) == []


@pytest.mark.slow
def test_removed_parameter_sets_leave_the_index(project):
    project.add("reads_a")
    assert project.run().code == 0
    project.params("reads_a", "high").unlink()
    run = project.run()
    assert run.code == 0 and not run.executed
    manifest = json.loads((project.reports / "manifest.json").read_text())
    assert set(manifest["reports"]) == {"reads_a/default"}
    assert "reads_a/high" not in (project.reports / "index.html").read_text()


def _children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(p) for p in text.split()]


@pytest.mark.slow
def test_a_local_worker_that_dies_has_its_pair_run_again(project, tmp_path_factory):
    project.add("slow", "reads_b")
    project.params("slow").write_text("seconds: 4.0\n")
    env = {**env_for(project), "TMPDIR": str(tmp_path_factory.mktemp("worker-tmp"))}  # the killed worker's folder
    proc = subprocess.Popen(project.command("--jobs", "1"), cwd=project.root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    time.sleep(1.0)
    deadline = time.monotonic() + 60
    while not [c for c in _children(proc.pid) if _children(c)]:  # a worker with its kernel running
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.2)
    worker = next(c for c in _children(proc.pid) if _children(c))
    os.kill(worker, signal.SIGKILL)
    out = proc.communicate(timeout=120)[0]
    assert proc.returncode == 0, out
    assert "retrying" in out and "BrokenProcessPool" in out
    assert "2 ran, 0 up to date, 0 failed" in out


def _running_kernel(proc: subprocess.Popen) -> list[int]:
    """Wait until a worker of ``proc`` runs a kernel; the worker processes."""
    deadline = time.monotonic() + 60
    while not [c for c in _children(proc.pid) if _children(c)]:
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.2)
    return _children(proc.pid)


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_run_leaves_no_lock_and_no_worker_behind(project, tmp_path_factory, signum):
    """kill -9 or SIGTERM (CI cancel, timeout) of kit run: its workers and kernels exit, the next run does not wait."""
    project.add("slow")
    project.params("slow").write_text("seconds: 60.0\n")
    tmp = tmp_path_factory.mktemp("worker-tmp")
    env = {**env_for(project), "TMPDIR": str(tmp)}
    proc = subprocess.Popen(project.command("--jobs", "1"), cwd=project.root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    workers = _running_kernel(proc)
    os.kill(proc.pid, signum)
    out = proc.communicate(timeout=30)[0]  # also waits for the workers, which share its output
    deadline = time.monotonic() + 10
    while any(map(_alive, workers)) or list(tmp.iterdir()):
        assert time.monotonic() < deadline, "a worker or its temporary folder outlived kit run"
        time.sleep(0.2)
    assert [p for p in Path("/proc").glob("[0-9]*") if _started_by_this_run(p, str(tmp))] == []  # nor a kernel or template
    if signum == signal.SIGTERM:
        assert proc.returncode == 128 + signum and "interrupted" in out and "Traceback" not in out, out
        return
    project.params("slow").write_text("seconds: 0.0\n")
    run = project.run(timeout=60)
    assert run.code == 0 and run.executed == {"slow/default"} and "waiting" not in run.output, run
    assert f"taking over reports/.lock from kit run (pid {proc.pid}), which ended without releasing it" in run.output


def test_pairs_are_submitted_longest_first(project):
    from kit.runner import manifest
    from kit.runner.batch import Batch, Options, Planned
    from kit.runner.discover import Pair, Project

    manifest.save(project.reports, {"format": manifest.FORMAT, "reports": {
        "a/short": {"duration_s": 1.0}, "a/long": {"duration_s": 9.0}, "a/mid": {"duration_s": 4.0}}})
    batch = Batch(Project(project.root), project.reports, project.data, Options(), None)
    todo = [Planned(Pair(Path(f"{key.split('/')[0]}.ipynb"), key.split("/")[1], None), b"", b"", {})
            for key in ("a/short", "a/new", "a/long", "a/mid")]
    assert [p.pair.key for p in batch.longest_first(todo)] == ["a/new", "a/long", "a/mid", "a/short"]
