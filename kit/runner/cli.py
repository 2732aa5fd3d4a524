"""The ``kit run`` subcommand."""
from __future__ import annotations

import argparse
from pathlib import Path


def _run(args: argparse.Namespace) -> int:
    from kit.runner.batch import Options, run

    return run(Options(notebooks=args.notebooks, params=args.params or [], jobs=args.jobs, force=args.force,
                       out=Path(args.out) if args.out else None, scheduler=args.scheduler, timeout=args.timeout,
                       cold_kernels=args.cold_kernels))


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _seconds(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 (no limit) or more")
    return value


def add_commands(sub: argparse._SubParsersAction) -> None:
    cmd = sub.add_parser(
        "run", help="execute every notebook with every parameter set into reports/ (only what changed)",
        description="Execute notebooks/<nb>.ipynb with each params/<nb>/<set>.yaml into reports/<nb>/<set>.html "
                    "and .ipynb, plus reports/index.html and reports/manifest.json. A report is re-made only when "
                    "its notebook, parameters, the data it read, the kit's code or the packages changed.")
    cmd.add_argument("notebooks", nargs="*", metavar="NOTEBOOK", help="notebook names or files (default: all)")
    cmd.add_argument("--params", action="append", metavar="FILE", help="run only this parameter file (repeatable); NOTEBOOK names beside it must be its notebook")
    cmd.add_argument("--jobs", "-j", type=_positive, help="worker processes (default: one per core)")
    cmd.add_argument("--force", action="store_true", help="re-run every pair, up to date or not")
    cmd.add_argument("--out", metavar="DIR", help="reports folder (default: reports/)")
    cmd.add_argument("--timeout", type=_seconds, metavar="SECONDS",
                     help="fail a pair whose cell runs longer (0: no limit; default: timeout in pyproject.toml's "
                          "[tool.kit.run], else none)")
    cmd.add_argument("--scheduler", metavar="ADDRESS",
                     help="run on the Dask scheduler at ADDRESS (default: $KIT_SCHEDULER; unset: local processes)")
    cmd.add_argument("--cold-kernels", action="store_true",
                     help="start every kernel afresh instead of forking it from a warm template (slower, same outputs)")
    cmd.set_defaults(func=_run)
