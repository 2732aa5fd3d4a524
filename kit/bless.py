"""Re-bless on purpose: execute notebooks in place with their defaults and keep the outputs."""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from kit.paths import ROOT


def bless_notebook(path: Path) -> "nbformat.NotebookNode":
    """Execute ``path`` with the defaults of its parameters cell; replace it only if every cell ran."""
    import nbformat  # imported here: `kit` must start fast (`kit run` with nothing to do)
    import papermill

    from kit.notebook_io import strip_volatile, write_atomic

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / path.name
        papermill.execute_notebook(
            str(path), str(out), cwd=str(path.parent), kernel_name="python3",
            progress_bar=False, shutdown_kernel="immediate",
        )
        nb = nbformat.read(out, as_version=4)
    nb = strip_volatile(nb)
    write_atomic(nb, path)
    return nb


def run(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.notebooks] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for path in paths:
        bless_notebook(path)
        print(f"blessed {path.name}")
    return 0


def add_command(sub: argparse._SubParsersAction) -> None:
    cmd = sub.add_parser("bless", help="re-execute notebooks in place with their defaults (committed outputs)")
    cmd.add_argument("notebooks", nargs="*", help="notebook files (default: every notebook)")
    cmd.set_defaults(func=run)
