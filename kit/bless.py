"""``kit bless``: change the committed outputs on purpose, and say what changed.

It re-executes each notebook in place with the defaults of its parameters cell (the committed outputs
nbval compares), then runs every parameter set and rewrites the golden key results in ``tests/golden``.
Nothing else writes either.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from kit import results
from kit.golden import compare, golden_path, read_golden, write_golden
from kit.notebook_io import strip_volatile, write_atomic
from kit.paths import ROOT

GOLDEN = ROOT / "tests" / "golden"


def _outputs(nb: "nbformat.NotebookNode") -> list[str]:
    return [json.dumps(c.get("outputs", []), sort_keys=True) for c in nb.cells if c.cell_type == "code"]


def bless_notebook(path: Path) -> int:
    """Execute ``path`` with its defaults; replace it only if every cell ran. Returns the cells whose outputs changed."""
    import nbformat  # here, not at the top: `kit` starts fast when there is nothing to run
    import papermill

    before = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / path.name
        papermill.execute_notebook(str(path), str(out), cwd=str(path.parent), kernel_name="python3",
                                   progress_bar=False, shutdown_kernel="immediate",
                                   extra_arguments=["--IPKernelApp.log_level=ERROR"])  # not the TCP notice
        nb = strip_volatile(nbformat.read(out, as_version=4))
    write_atomic(nb, path)
    old, new = _outputs(before), _outputs(nb)
    return sum(a != b for a, b in zip(old, new)) + abs(len(old) - len(new))


def bless_golden(notebooks: list[str], stream=sys.stdout) -> int:
    """Run every parameter set of ``notebooks`` (all when empty) and rewrite their golden key results."""
    from kit.runner.batch import Options, run

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        status = run(Options(notebooks=notebooks, force=True, out=out, progress_bar=False), cwd=ROOT, stream=stream)
        if status != 0:
            print("batch failed: golden files left unchanged", file=stream)
            return status
        for executed in sorted(out.glob("*/*.ipynb")):
            if executed.name.endswith(".failed.ipynb"):
                continue
            notebook, parameter_set = executed.parent.name, executed.stem
            new = results.read(json.loads(executed.read_text(encoding="utf-8")))
            path = golden_path(GOLDEN, notebook, parameter_set)
            old = read_golden(path) if path.exists() else {}
            diffs = compare(old, new)
            write_golden(path, new)
            label = f"{notebook}/{parameter_set}"
            print(f"golden {label}: " + ("unchanged" if not diffs else f"{len(diffs)} result(s) changed"), file=stream)
            for diff in diffs:
                print(f"  {diff}", file=stream)
    return 0


def run(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.notebooks] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for path in paths:
        changed = bless_notebook(path)
        print(f"blessed {path.name}: " + (f"{changed} cell output(s) changed" if changed else "outputs unchanged"))
    if args.no_golden:
        return 0
    return bless_golden([p.stem for p in paths] if args.notebooks else [])


def add_command(sub: argparse._SubParsersAction) -> None:
    cmd = sub.add_parser("bless", help="re-execute notebooks in place and rewrite the golden key results")
    cmd.add_argument("notebooks", nargs="*", help="notebook files (default: every notebook)")
    cmd.add_argument("--no-golden", action="store_true", help="only re-execute the notebooks in place")
    cmd.set_defaults(func=run)
