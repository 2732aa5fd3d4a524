"""Cleaning and atomically writing notebooks."""
from __future__ import annotations

from pathlib import Path

from kit.fsio import write_text_atomic

_VOLATILE_CELL_KEYS = ("execution", "papermill")
_VOLATILE_NB_KEYS = ("papermill",)


def strip_volatile(nb: "nbformat.NotebookNode") -> "nbformat.NotebookNode":
    """Drop what differs between two executions of the same code: timestamps, durations, paths."""
    for key in _VOLATILE_NB_KEYS:
        nb.metadata.pop(key, None)
    for cell in nb.cells:
        for key in _VOLATILE_CELL_KEYS:
            cell.metadata.pop(key, None)
    return nb


def write_atomic(nb: "nbformat.NotebookNode", path: str | Path) -> Path:
    """Write ``nb`` to ``path`` through a temporary file in the same folder and a rename."""
    import nbformat  # here, not at the top: `kit` starts fast when there is nothing to run

    return write_text_atomic(path, nbformat.writes(nb) + "\n")
