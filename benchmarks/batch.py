"""How fast is ``kit run``? Measures, in one run on this machine, every (notebook, parameter set) pair:

(a) the plain papermill CLI over all pairs, one after the other;
(b) ``kit run --force``;
(c) ``kit run`` with nothing to do;
(d) the notebooks' code as plain Python scripts in as many processes as (b) uses workers: the floor;
and how (b) grows with 1, 10 and 50 scenario files for one notebook. With ``distributed`` installed it adds
(e) the batch of (b) on a local two-worker Dask cluster (scheduler and workers started here, start-up counted
separately) and the 50-scenario batch on that cluster.

Usage: ``python benchmarks/batch.py [--jobs N] [--repeat N] [--scaling-notebook NAME] [--skip-cli] [--no-cluster]``.
Nothing in the project's ``reports/`` is touched: every output goes to a temporary folder.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TARGETS = {"b/a": "at most 0.4", "b/d": "at most 1.5", "c": "under 0.5 s", "per_scenario": "at most 0.6 s"}


def pairs() -> list[tuple[Path, Path]]:
    found = []
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for params in sorted((ROOT / "params" / nb.stem).glob("*.yaml")):
            found.append((nb, params))
    return found


def cpu_of_children() -> float:
    """CPU seconds used by finished child processes (and theirs): less disturbed by other load than wall time."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], cwd: Path = ROOT, env: dict | None = None) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(map(str, cmd))}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return elapsed


def papermill_cli(tmp: Path) -> float:
    """(a) One papermill CLI process per pair, serial."""
    start = time.perf_counter()
    for nb, params in pairs():
        out = tmp / "cli" / f"{nb.stem}-{params.stem}.ipynb"
        out.parent.mkdir(parents=True, exist_ok=True)
        figures = tmp / "cli" / f"{nb.stem}-{params.stem}_figures"
        timed([str(BIN / "papermill"), str(nb), str(out), "-f", str(params), "-p", "figures_dir", str(figures),
               "--cwd", str(nb.parent), "--no-progress-bar", "-k", "python3"])
    return time.perf_counter() - start


def scripts(tmp: Path) -> list[Path]:
    """The notebooks' code with each parameter set injected, as plain Python files."""
    import nbformat
    from papermill.parameterize import parameterize_notebook

    import yaml

    made = []
    for nb_path, params in pairs():
        figures = tmp / "scripts" / f"{nb_path.stem}-{params.stem}_figures"
        values = {**(yaml.safe_load(params.read_text()) or {}), "figures_dir": str(figures)}
        nb = nbformat.read(nb_path, as_version=4)
        nb.metadata["papermill"] = {}
        nb = parameterize_notebook(nb, values)
        code = ["from IPython.display import display"]
        for cell in nb.cells:
            if cell.cell_type == "code":
                code.append("\n".join(l for l in cell.source.splitlines() if not l.lstrip().startswith(("%", "!"))))
        path = tmp / "scripts" / f"{nb_path.stem}-{params.stem}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n\n".join(code) + "\n")
        made.append(path)
    return made


def script_floor(tmp: Path, jobs: int) -> float:
    """(d) The same code as plain scripts, ``jobs`` processes at a time."""
    files = scripts(tmp)
    env = {"MPLBACKEND": "Agg"}
    start = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(lambda f: timed([sys.executable, str(f)], cwd=ROOT / "notebooks", env=env), files))
    return time.perf_counter() - start


def kit(args: list[str], cwd: Path = ROOT, env: dict | None = None) -> float:
    return timed([str(BIN / "kit"), "run", *args], cwd=cwd, env=env)


def scenario_project(tmp: Path, notebook: str, count: int) -> Path:
    """A project with one notebook and ``count`` copies of its default parameter file."""
    root = tmp / f"scenarios-{count}"
    (root / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / "notebooks" / f"{notebook}.ipynb", root / "notebooks")
    (root / "params" / notebook).mkdir(parents=True)
    default = (ROOT / "params" / notebook / "default.yaml").read_text()
    for i in range(count):
        (root / "params" / notebook / f"s{i:03d}.yaml").write_text(default)
    return root


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1, as the README describes."""

    def __init__(self, workers: int = 2):
        start = time.perf_counter()
        port, dash = free_port(), free_port()
        self.address = f"tcp://127.0.0.1:{port}"
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        self.procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                        "--dashboard-address", f"127.0.0.1:{dash}"], **quiet)]
        self.procs += [subprocess.Popen([str(BIN / "dask"), "worker", self.address, "--nworkers", "1",
                                         "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard"], **quiet)
                       for _ in range(workers)]
        from distributed import Client

        with Client(self.address, timeout=30) as client:
            client.wait_for_workers(workers, timeout=60)
        self.startup = time.perf_counter() - start

    def close(self) -> None:
        for proc in reversed(self.procs):
            proc.terminate()
        for proc in self.procs:
            proc.wait(30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--scaling-notebook", default="seed_factcheck")
    parser.add_argument("--skip-cli", action="store_true", help="leave out (a), the slowest part")
    parser.add_argument("--no-cluster", action="store_true", help="leave out the Dask rows")
    parser.add_argument("--repeat", type=int, default=3, help="runs of (b) and (d), interleaved (best counts)")
    args = parser.parse_args()
    jobs = str(args.jobs)
    rows: list[tuple[str, float]] = []
    n = len(pairs())
    print(f"{n} pairs, {args.jobs} workers, {os.cpu_count()} cores", flush=True)
    with tempfile.TemporaryDirectory(prefix="kit-bench-") as tmp_name:
        tmp = Path(tmp_name)
        out = ["--out", str(tmp / "reports"), "--jobs", jobs]
        measured: dict[str, float] = {}
        if not args.skip_cli:
            measured["a"] = papermill_cli(tmp)
            rows.append((f"(a) papermill CLI, serial, {n} pairs", measured["a"]))
        walls: dict[str, list[float]] = {"b": [], "d": []}
        cpus: dict[str, list[float]] = {"b": [], "d": []}
        for _ in range(args.repeat):  # interleaved, best of N: the machine may be shared
            for key, measure in (("b", lambda: kit([*out, "--force"])), ("d", lambda: script_floor(tmp, args.jobs))):
                before = cpu_of_children()
                walls[key].append(measure())
                cpus[key].append(cpu_of_children() - before)
        measured["b"], measured["d"] = min(walls["b"]), min(walls["d"])
        rows.append((f"(b) kit run --force, {n} pairs (best of {args.repeat})", measured["b"]))
        measured["c"] = min(kit(out) for _ in range(3))
        rows.append(("(c) kit run, nothing to do (best of 3)", measured["c"]))
        rows.append((f"(d) plain scripts, {args.jobs} processes (best of {args.repeat})", measured["d"]))
        rows.append(("(b) CPU seconds, all processes (best)", min(cpus["b"])))
        rows.append(("(d) CPU seconds, all processes (best)", min(cpus["d"])))
        one = next(f for f in scripts(tmp) if f.name == f"{args.scaling_notebook}-default.py")
        measured["d1"] = timed([sys.executable, str(one)], cwd=ROOT / "notebooks", env={"MPLBACKEND": "Agg"})
        rows.append((f"(d) {args.scaling_notebook} default as one plain script", measured["d1"]))
        scaling = {}
        for count in (1, 10, 50):
            root = scenario_project(tmp, args.scaling_notebook, count)
            scaling[count] = kit(["--force", "--jobs", jobs], cwd=root)
            rows.append((f"(b) {args.scaling_notebook} with {count} scenario file(s)", scaling[count]))
        cluster_rows = []
        if not args.no_cluster:
            try:
                import distributed  # noqa: F401
            except ImportError:
                print("distributed not installed: no cluster rows")
            else:
                cluster = Cluster(2)
                try:
                    rows.append(("(e) start scheduler + 2 workers", cluster.startup))
                    measured["e"] = kit([*out, "--force", "--scheduler", cluster.address])
                    rows.append((f"(e) kit run --force on the cluster, {n} pairs", measured["e"]))
                    root = tmp / "scenarios-50"
                    measured["e50"] = kit(["--force", "--scheduler", cluster.address, "--out", str(tmp / "c50")],
                                          cwd=root)
                    rows.append((f"(e) {args.scaling_notebook} with 50 scenario files on the cluster", measured["e50"]))
                    cluster_rows = [("(e)/(b) cluster vs local pool", measured["e"] / measured["b"], None),
                                    ("(e) 50 scenarios, cluster vs local pool", measured["e50"] / scaling[50], None)]
                finally:
                    cluster.close()
    print("\n| measurement | wall s |\n|---|---|")
    for label, seconds in rows:
        print(f"| {label} | {seconds:.2f} |")
    per_scenario = (scaling[50] - scaling[1]) / 49
    ratios = [("(b)/(a)", measured["b"] / measured["a"] if "a" in measured else None, TARGETS["b/a"]),
              ("(b)/(d)", measured["b"] / measured["d"], TARGETS["b/d"]),
              ("(b)/(d) in CPU seconds", min(cpus["b"]) / min(cpus["d"]), None),
              ("(c) seconds", measured["c"], TARGETS["c"]),
              ("extra scenario, s of wall time: ((50) - (1)) / 49", per_scenario, TARGETS["per_scenario"]),
              ("extra scenario, s of wall time: ((10) - (1)) / 9", (scaling[10] - scaling[1]) / 9,
               TARGETS["per_scenario"]),
              ("extra scenario vs its floor (one script's time / workers)", per_scenario / (measured["d1"] / args.jobs),
               None),
              *cluster_rows]
    print("\n| ratio | measured | target |\n|---|---|---|")
    for label, value, target in ratios:
        print(f"| {label} | {'not measured' if value is None else f'{value:.2f}'} | {target or ''} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
