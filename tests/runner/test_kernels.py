"""Kernels forked from a warm template: the same outputs as cold kernels, nothing shared between pairs,
a cold start wherever forking is unsafe."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from kit.runner import kernels, template
from tests.runner.conftest import HERE, Project, env_for

pytestmark = pytest.mark.skipif(not template.supported(), reason="kernels are forked on Linux only")


def _outputs(folder: Path) -> dict[str, bytes]:
    """Every report's files and manifest entry (without its duration), but those of ``state``, which records
    how its kernel was started, and the index, which shows that."""
    files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
             if p.is_file() and p.parent != folder and p.parent.name != "state"}
    reports = json.loads((folder / "manifest.json").read_text())["reports"]
    files.update({f"manifest: {key}": json.dumps({f: v for f, v in e.items() if f != "duration_s"}, sort_keys=True)
                  .encode() for key, e in reports.items() if not key.startswith("state/")})
    return files


def _processes_with(marker: str) -> list[str]:
    """Command lines of the processes whose environment carries ``marker`` (templates, kernels, workers)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if marker.encode() in (proc / "environ").read_bytes():
                found.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except OSError:
            continue
    return found


@pytest.fixture(scope="module")
def warm_and_cold(tmp_path_factory) -> tuple[Project, dict[str, str]]:
    """One project run twice: kernels forked from a template, then ``--cold-kernels``."""
    root = tmp_path_factory.mktemp("warm-and-cold")
    for folder in ("notebooks", "params", "data"):
        (root / folder).mkdir()
    (root / "data" / "a.csv").write_text("1\n2\n3\n")
    project = Project(root).add("plots", "reads_a", "broken", "state")
    project.params("broken").write_text("fail: true\n")
    marker = f"KIT_TEST_RUN={uuid.uuid4().hex}"
    env = {**env_for(project), "KIT_TEST_RUN": marker.split("=")[1]}
    outputs = {}
    for name, extra in (("warm", []), ("cold", ["--cold-kernels"])):
        proc = subprocess.run(project.command("--out", name, *extra), cwd=root, env=env, capture_output=True,
                              text=True, timeout=300)
        assert proc.returncode == 1, proc.stdout + proc.stderr  # broken fails on purpose
        outputs[name] = proc.stdout + proc.stderr
    outputs["marker"] = marker
    return project, outputs


@pytest.mark.slow
def test_warm_and_cold_kernels_give_byte_identical_notebooks_html_and_figures(warm_and_cold):
    project, _ = warm_and_cold
    warm, cold = _outputs(project.root / "warm"), _outputs(project.root / "cold")
    assert "plots/other_figures/walk.png" in warm and "broken/default.failed.ipynb" in warm
    plot_cell = next(c for c in json.loads(warm["plots/default.ipynb"])["cells"] if "lineplot" in "".join(c["source"]))
    assert any("image/png" in o.get("data", {}) for o in plot_cell["outputs"]), "shown inline by the inline backend"
    assert "<td>...</td>" in warm["plots/default.html"].decode(), "24 columns shown as a kernel shows them (20)"
    assert sorted(warm) == sorted(cold)
    assert [rel for rel in warm if warm[rel] != cold[rel]] == []


@pytest.mark.slow
def test_a_forked_kernel_looks_like_a_cold_one_from_the_inside(warm_and_cold):
    """pandas options, rcParams and backend, the inline hooks, environment, argv, sys.path, signals, threads,
    warning filters, session, streams: recorded by the ``state`` notebook in each kernel."""
    project, _ = warm_and_cold
    read = lambda run: json.loads((project.root / run / "manifest.json").read_text())["reports"]  # noqa: E731
    warm, cold = read("warm")["state/default"]["results"], read("cold")["state/default"]["results"]
    assert (warm.pop("forked"), cold.pop("forked")) == (True, False)
    assert warm == cold


@pytest.mark.slow
def test_no_template_or_kernel_outlives_the_run(warm_and_cold):
    _, outputs = warm_and_cold
    deadline = time.monotonic() + 5  # a kernel notices its template is gone within a second
    while _processes_with(outputs["marker"]) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _processes_with(outputs["marker"]) == []


@pytest.mark.slow
def test_a_pair_leaves_no_trace_in_the_next_pair_on_the_same_worker(project):
    """``a_pollute`` sets a global, a pandas option and rcParams, seeds numpy's global generator, adds to
    sys.modules and os.environ and leaves the folder; ``b_observe`` and ``c_observe`` run after it on the
    one worker, in kernels forked from the same template."""
    project.add("isolation")
    run = project.run("--jobs", "1")
    assert run.code == 0, run
    reports = json.loads((project.reports / "manifest.json").read_text())["reports"]
    polluter, *observers = (reports[f"isolation/{s}"]["results"] for s in ("a_pollute", "b_observe", "c_observe"))
    seeded = 0.696469  # np.random.seed(123); np.random.random()
    for seen in observers:
        assert seen["forked"] and seen["parent"] == polluter["parent"], "same template, same worker"
        assert not seen["leftover_global"] and not seen["leftover_module"] and seen["leftover_env"] == ""
        assert (seen["max_rows"], seen["linewidth"]) == (60, 1.5)
        assert seen["in_work_folder"]
        assert seen["draw"] != seeded
    assert observers[0]["draw"] != observers[1]["draw"], "each kernel draws from fresh entropy, as a cold one does"


def test_without_fork_or_with_cold_kernels_kit_run_starts_kernels_as_papermill_does(monkeypatch, tmp_path):
    assert kernels.preload_for(tmp_path, cold=True) is None
    monkeypatch.setattr(sys, "platform", "darwin")
    assert not template.supported()
    assert kernels.preload_for(tmp_path) is None and kernels.engine_options(("numpy",)) == {}


def test_preload_is_declared_in_the_project(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.kit]\nkernel-preload = ["numpy", "pandas"]\n')
    (tmp_path / "notebooks").mkdir()
    assert kernels.declared(tmp_path / "notebooks") == ("numpy", "pandas")
    assert "pandas" in kernels.declared(HERE)  # the kit's own pyproject.toml


def test_a_module_beside_the_notebook_that_a_cold_kernel_would_import_means_a_cold_kernel(tmp_path):
    assert kernels._shadowed(tmp_path, ("pandas", "matplotlib.pyplot")) is None
    (tmp_path / "matplotlibrc").write_text("lines.linewidth: 3\n")
    assert kernels._shadowed(tmp_path, ("pandas", "matplotlib.pyplot")) == "matplotlibrc"
    (tmp_path / "pandas.py").write_text("")
    assert kernels._shadowed(tmp_path, ("pandas",)) == "pandas.py"


@pytest.mark.slow
@pytest.mark.parametrize("modules, reason", [
    (("kit_test_starts_a_thread",), "the template runs 2 threads"),
    (("kit_test_warns",), "importing the preloaded modules warns: UserWarning: at import"),
    (("kit.data",), "kit.data is never preloaded"),
    (("kit_test_no_such_module",), "importing kit_test_no_such_module failed: ModuleNotFoundError"),
])
def test_a_template_that_cannot_fork_safely_says_why(tmp_path, modules, reason):
    (tmp_path / "kit_test_starts_a_thread.py").write_text(
        "import threading, time\nthreading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n")
    (tmp_path / "kit_test_warns.py").write_text("import warnings\nwarnings.warn('at import')\n")
    handle = template.Handle([sys.executable], modules, {**template.kernel_env(), "PYTHONPATH": str(tmp_path)})
    try:
        with pytest.raises(template.Unavailable, match=reason):
            handle.launch([sys.executable, "-m", "ipykernel_launcher"], {}, str(tmp_path), [0, 1, 2])
    finally:
        handle.close()


@pytest.mark.slow
def test_a_failing_template_means_cold_kernels_with_a_notice(capsys):
    from kit.runner.execute import Task, run

    task = Task("reads_a/default", "reads_a.ipynb", {"figures_dir": "default_figures"}, "default_figures",
                preload=("kit_test_no_such_module",))
    result = run(task, (HERE / "notebooks" / "reads_a.ipynb").read_bytes(), {"a.csv": b"1\n2\n"})
    assert result.ok and result.results["total"] == 6.0
    assert "kit: starting kernels cold: importing kit_test_no_such_module failed" in capsys.readouterr().err


def _children(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


@pytest.mark.slow
def test_the_next_kernel_is_forked_while_the_current_one_runs(tmp_path):
    handle = template.Handle([sys.executable], (), template.kernel_env())
    try:
        connection = tmp_path / "kernel.json"
        argv = [sys.executable, "-m", "ipykernel_launcher", "-f", str(connection)]
        with open(os.devnull, "w") as quiet:
            pid = handle.launch(argv, {**template.kernel_env(), "JPY_PARENT_PID": str(os.getpid())}, str(tmp_path),
                                [0, quiet.fileno(), quiet.fileno()])
        deadline = time.monotonic() + 10  # the next one is forked right after the reply
        while len(_children(handle.proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        spares = [c for c in _children(handle.proc.pid) if c != pid]
        assert pid in _children(handle.proc.pid) and len(spares) == 1, "the kernel, and the next one ready"
        deadline = time.monotonic() + 30
        while not connection.is_file() and time.monotonic() < deadline:  # the kernel writes it when it listens
            time.sleep(0.05)
        assert connection.is_file() and handle.poll(pid) is None
        os.kill(pid, 9)
        deadline = time.monotonic() + 10
        while handle.poll(pid) is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert handle.poll(pid) == -9
    finally:
        handle.close()
    time.sleep(0.2)
    assert not Path(f"/proc/{spares[0]}").exists() or b"Z" in Path(f"/proc/{spares[0]}/stat").read_bytes().split()[2]
