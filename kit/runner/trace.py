"""Runs inside the notebook's kernel: points the kit at the run's data folder and records which of
its files the notebook reads, so the cache re-runs a pair only when data it used has changed."""
from __future__ import annotations

import os
import sys


def install(data_dir: str, trace_file: str) -> None:
    """Set ``KIT_DATA_DIR`` to ``data_dir`` and append each file opened under it to ``trace_file``."""
    os.environ["KIT_DATA_DIR"] = data_dir
    root = os.path.realpath(data_dir) + os.sep
    out = open(trace_file, "a", encoding="utf-8")  # opened before the hook exists, so it is not traced
    seen: set[str] = set()

    def hook(event: str, args: tuple) -> None:
        if event != "open" or not isinstance(args[0], (str, os.PathLike)):
            return
        path = os.path.realpath(os.fspath(args[0]))
        if path.startswith(root) and path not in seen:
            seen.add(path)
            out.write(os.path.relpath(path, root).replace(os.sep, "/") + "\n")
            out.flush()

    sys.addaudithook(hook)


def exec_line(data_dir: str, trace_file: str) -> str:
    """The kernel start-up line that calls ``install`` without leaving a name in the user's namespace."""
    return f"__import__('kit.runner.trace').runner.trace.install({data_dir!r}, {trace_file!r})"
