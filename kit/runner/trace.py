"""Runs inside the notebook's kernel: points the kit at the run's data folder and records what the
notebook depends on, so the cache re-runs a pair only when something it used has changed: each data
file opened under that folder (``data:<path>``) and each module of the kit imported (``module:<name>``).
It also records each cell as it starts (``cell:<hash of its source>``), so a run that the kernel does not
finish (a timeout, a dead kernel) can name its cell."""
from __future__ import annotations

import hashlib
import os
import sys

PACKAGE = "kit"


def _ours(module: str) -> bool:
    return module == PACKAGE or module.startswith(PACKAGE + ".")


def install(data_dir: str, trace_file: str) -> None:
    """Set ``KIT_DATA_DIR`` to ``data_dir`` and append each dependency, once, to ``trace_file``."""
    os.environ["KIT_DATA_DIR"] = data_dir
    root = os.path.realpath(data_dir) + os.sep
    out = open(trace_file, "a", encoding="utf-8")  # opened before the hook exists, so it is not traced
    seen: set[str] = set()

    def note(line: str) -> None:
        if line not in seen:
            seen.add(line)
            out.write(line + "\n")
            out.flush()

    def hook(event: str, args: tuple) -> None:
        if event == "import" and isinstance(args[0], str) and _ours(args[0]):
            note("module:" + args[0])
        elif event == "open" and isinstance(args[0], (str, os.PathLike)):
            path = os.path.realpath(os.fspath(args[0]))
            if path.startswith(root):
                note("data:" + os.path.relpath(path, root).replace(os.sep, "/"))

    for name in sorted(sys.modules):  # imported before the hook: this module and the package above it
        if _ours(name):
            note("module:" + name)
    sys.addaudithook(hook)
    _note_cells(out)


def cell_hash(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def _note_cells(out) -> None:
    shell = sys.modules["IPython"].get_ipython() if "IPython" in sys.modules else None
    if shell is None:
        return

    def started(info) -> None:
        out.write(f"cell:{cell_hash(info.raw_cell)}\n")
        out.flush()

    shell.events.register("pre_run_cell", started)


def exec_line(data_dir: str, trace_file: str) -> str:
    """The kernel start-up line that calls ``install`` without leaving a name in the user's namespace."""
    return f"__import__('kit.runner.trace').runner.trace.install({data_dir!r}, {trace_file!r})"


def last_cell(text: str) -> str | None:
    """The hash of the last cell that started, from a trace file's text."""
    cells = [line[5:] for line in text.splitlines() if line.startswith("cell:")]
    return cells[-1] if cells else None


def parse(text: str) -> tuple[list[str], list[str]]:
    """The data files (relative paths) and kit modules (dotted names) listed in a trace file's text."""
    data, modules = set(), set()
    for line in text.splitlines():
        kind, _, value = line.partition(":")
        (data if kind == "data" else modules if kind == "module" else set()).add(value)
    return sorted(data), sorted(modules)
