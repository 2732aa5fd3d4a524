"""How fast is ``kit run``? Measures, in one run on this machine:

On the project's notebooks (every notebook with every parameter set):
(a) the plain papermill CLI over all pairs, one after the other;
(b) ``kit run --force``: kernels forked from a warm template; (b cold) the same with ``--cold-kernels``;
(c) ``kit run`` with nothing to do;
(d) the notebooks' code as plain Python scripts in as many processes as (b) uses workers: the floor;
and how (b) grows with 1, 10 and 50 scenario files for one notebook.
On a small generated workload (three notebooks, each a numpy Monte Carlo of 20,000 x 12 draws, a
``describe()`` table and one seaborn line plot saved as PNG, each with three seeds: nine pairs): (b), (b cold)
and (d) again. With ``distributed`` installed it adds (e) the batch of (b) on a local two-worker Dask cluster
(scheduler and workers started here, start-up counted separately) and the 50-scenario batch on that cluster.

Usage: ``python benchmarks/batch.py [--jobs N] [--repeat N] [--scaling-notebook NAME] [--skip-cli] [--no-cluster]``.
Nothing in the project's ``reports/`` is touched: every output goes to a temporary folder. Runs of (b), (b cold)
and (d) are interleaved and the best of ``--repeat`` counts: the machine may be shared.
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
TARGETS = {"b/a": "at most 0.4", "b/d": "at most 1.0", "small b/d": "at most 1.2", "c": "under 0.25 s",
           "per_scenario": "at most 0.6 s"}

#: The small workload: one notebook per distribution, the same cells otherwise.
SMALL = {"mc_normal": "rng.normal(size=(20000, 12))",
         "mc_lognormal": "rng.lognormal(sigma=0.5, size=(20000, 12))",
         "mc_uniform": "rng.uniform(size=(20000, 12))"}
SMALL_SEEDS = (1, 2, 3)
SMALL_PRELOAD = '[tool.kit]\nkernel-preload = ["numpy", "pandas", "matplotlib", "matplotlib.pyplot", "seaborn"]\n'


def pairs(root: Path = ROOT) -> list[tuple[Path, Path]]:
    found = []
    for nb in sorted((root / "notebooks").glob("*.ipynb")):
        for params in sorted((root / "params" / nb.stem).glob("*.yaml")):
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


def small_workload(tmp: Path) -> Path:
    """The nine-pair workload as a project of its own (its pyproject.toml declares what kernels preload)."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    root = tmp / "small"
    (root / "notebooks").mkdir(parents=True)
    (root / "pyproject.toml").write_text(SMALL_PRELOAD)
    for name, draws in SMALL.items():
        params = new_code_cell('seed = 1  # of the draws\nfigures_dir = ""  # where the plot goes')
        params.metadata["tags"] = ["parameters"]
        nb = new_notebook(cells=[
            params,
            new_code_cell("from pathlib import Path\n\nimport matplotlib.pyplot as plt\nimport numpy as np\n"
                          "import pandas as pd\nimport seaborn as sns"),
            new_code_cell(f"rng = np.random.default_rng(seed)\n"
                          f"draws = pd.DataFrame({draws}, columns=[f'x{{i}}' for i in range(12)])\n"
                          "draws.describe()"),
            new_code_cell("running = draws.mean(axis=1).expanding().mean()\nfig, ax = plt.subplots(figsize=(6, 3))\n"
                          "sns.lineplot(x=running.index[::20], y=running.to_numpy()[::20], ax=ax)\n"
                          "if figures_dir:\n    Path(figures_dir).mkdir(parents=True, exist_ok=True)\n"
                          "    fig.savefig(Path(figures_dir) / 'running_mean.png')\nplt.close(fig)"),
        ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
        nbformat.write(nb, root / "notebooks" / f"{name}.ipynb")
        (root / "params" / name).mkdir(parents=True)
        for seed in SMALL_SEEDS:
            (root / "params" / name / f"seed{seed}.yaml").write_text(f"seed: {seed}\n")
    return root


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


def scripts(tmp: Path, root: Path = ROOT) -> list[Path]:
    """The notebooks' code with each parameter set injected, as plain Python files."""
    import yaml
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    made = []
    folder = tmp / f"scripts-{root.name}"
    for nb_path, params in pairs(root):
        figures = folder / f"{nb_path.stem}-{params.stem}_figures"
        values = {**(yaml.safe_load(params.read_text()) or {}), "figures_dir": str(figures)}
        nb = load_notebook_node(str(nb_path))  # as papermill reads it: every cell has tags
        nb.metadata["papermill"] = {}
        nb = parameterize_notebook(nb, values)
        code = ["from IPython.display import display"]
        for cell in nb.cells:
            if cell.cell_type == "code":
                code.append("\n".join(l for l in cell.source.splitlines() if not l.lstrip().startswith(("%", "!"))))
        path = folder / f"{nb_path.stem}-{params.stem}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n\n".join(code) + "\n")
        made.append(path)
    return made


def script_floor(files: list[Path], jobs: int, cwd: Path) -> float:
    """(d) The same code as plain scripts, ``jobs`` processes at a time."""
    env = {"MPLBACKEND": "Agg"}
    start = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(lambda f: timed([sys.executable, str(f)], cwd=cwd, env=env), files))
    return time.perf_counter() - start


def kit(args: list[str], cwd: Path = ROOT, env: dict | None = None) -> float:
    return timed([str(BIN / "kit"), "run", *args], cwd=cwd, env=env)


def scenario_project(tmp: Path, notebook: str, count: int) -> Path:
    """A project with one notebook, ``count`` copies of its default parameter file and the kit's preload."""
    root = tmp / f"scenarios-{count}"
    (root / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / "pyproject.toml", root)
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


class Interleaved:
    """Measurements taken in turns, ``repeat`` times each; the best counts."""

    def __init__(self) -> None:
        self.walls: dict[str, list[float]] = {}
        self.cpus: dict[str, list[float]] = {}

    def measure(self, key: str, run) -> None:
        before = cpu_of_children()
        self.walls.setdefault(key, []).append(run())
        self.cpus.setdefault(key, []).append(cpu_of_children() - before)

    def best(self, key: str) -> float:
        return min(self.walls[key])

    def best_cpu(self, key: str) -> float:
        return min(self.cpus[key])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--scaling-notebook", default="seed_factcheck")
    parser.add_argument("--skip-cli", action="store_true", help="leave out (a), the slowest part")
    parser.add_argument("--no-cluster", action="store_true", help="leave out the Dask rows")
    parser.add_argument("--repeat", type=int, default=3, help="runs of (b), (b cold) and (d), interleaved (best counts)")
    args = parser.parse_args()
    jobs = str(args.jobs)
    rows: list[tuple[str, float]] = []
    n = len(pairs())
    print(f"{n} pairs, {args.jobs} workers, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}", flush=True)
    with tempfile.TemporaryDirectory(prefix="kit-bench-") as tmp_name:
        tmp = Path(tmp_name)
        small = small_workload(tmp)
        project_scripts, small_scripts = scripts(tmp), scripts(tmp, small)
        m: dict[str, float] = {}
        if not args.skip_cli:
            m["a"] = papermill_cli(tmp)
            rows.append((f"(a) papermill CLI, serial, {n} pairs", m["a"]))
        runs = Interleaved()
        out = lambda name: ["--out", str(tmp / name), "--jobs", jobs, "--force"]  # noqa: E731
        for _ in range(args.repeat):
            runs.measure("b", lambda: kit(out("warm")))
            runs.measure("b cold", lambda: kit([*out("cold"), "--cold-kernels"]))
            runs.measure("d", lambda: script_floor(project_scripts, args.jobs, ROOT / "notebooks"))
            runs.measure("small b", lambda: kit(out("small-warm"), cwd=small))
            runs.measure("small b cold", lambda: kit([*out("small-cold"), "--cold-kernels"], cwd=small))
            runs.measure("small d", lambda: script_floor(small_scripts, args.jobs, small / "notebooks"))
        for key in runs.walls:
            m[key] = runs.best(key)
        best = f"best of {args.repeat}"
        rows += [(f"(b) kit run --force, {n} pairs ({best})", m["b"]),
                 (f"(b cold) kit run --force --cold-kernels ({best})", m["b cold"])]
        m["c"] = min(kit(["--out", str(tmp / "warm")]) for _ in range(5))
        rows += [("(c) kit run, nothing to do (best of 5)", m["c"]),
                 (f"(d) plain scripts, {args.jobs} processes ({best})", m["d"]),
                 ("(b) CPU seconds, all processes (best)", runs.best_cpu("b")),
                 ("(b cold) CPU seconds, all processes (best)", runs.best_cpu("b cold")),
                 ("(d) CPU seconds, all processes (best)", runs.best_cpu("d")),
                 (f"small workload (b) kit run --force, 9 pairs ({best})", m["small b"]),
                 (f"small workload (b cold) --cold-kernels ({best})", m["small b cold"]),
                 (f"small workload (d) plain scripts ({best})", m["small d"])]
        one = next(f for f in project_scripts if f.name == f"{args.scaling_notebook}-default.py")
        m["d1"] = timed([sys.executable, str(one)], cwd=ROOT / "notebooks", env={"MPLBACKEND": "Agg"})
        rows.append((f"(d) {args.scaling_notebook} default as one plain script", m["d1"]))
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
                    m["e"] = kit([*out("cluster"), "--scheduler", cluster.address])
                    rows.append((f"(e) kit run --force on the cluster, {n} pairs", m["e"]))
                    m["e50"] = kit(["--force", "--scheduler", cluster.address, "--out", str(tmp / "c50")],
                                   cwd=tmp / "scenarios-50")
                    rows.append((f"(e) {args.scaling_notebook} with 50 scenario files on the cluster", m["e50"]))
                    cluster_rows = [("(e)/(b) cluster vs local pool", m["e"] / m["b"], None),
                                    ("(e) 50 scenarios, cluster vs local pool", m["e50"] / scaling[50], None)]
                finally:
                    cluster.close()
    print("\n| measurement | wall s |\n|---|---|")
    for label, seconds in rows:
        print(f"| {label} | {seconds:.2f} |")
    per_scenario = (scaling[50] - scaling[1]) / 49
    ratios = [("(b)/(a)", m["b"] / m["a"] if "a" in m else None, TARGETS["b/a"]),
              ("(b)/(d): kit run over the script floor, project notebooks", m["b"] / m["d"], TARGETS["b/d"]),
              ("(b cold)/(d)", m["b cold"] / m["d"], None),
              ("(b)/(b cold): warm over cold kernels", m["b"] / m["b cold"], None),
              ("(b)/(d) in CPU seconds", runs.best_cpu("b") / runs.best_cpu("d"), None),
              ("small (b)/(d): kit run over the script floor, small workload", m["small b"] / m["small d"],
               TARGETS["small b/d"]),
              ("small (b cold)/(d)", m["small b cold"] / m["small d"], None),
              ("(c) seconds", m["c"], TARGETS["c"]),
              ("extra scenario, s of wall time: ((50) - (1)) / 49", per_scenario, TARGETS["per_scenario"]),
              ("extra scenario, s of wall time: ((10) - (1)) / 9", (scaling[10] - scaling[1]) / 9,
               TARGETS["per_scenario"]),
              ("extra scenario vs its floor (one script's time / workers)", per_scenario / (m["d1"] / args.jobs),
               None),
              *cluster_rows]
    print("\n| ratio | measured | target |\n|---|---|---|")
    for label, value, target in ratios:
        print(f"| {label} | {'not measured' if value is None else f'{value:.2f}'} | {target or ''} |")
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
