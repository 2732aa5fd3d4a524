"""Reading, cleaning and atomically writing notebooks."""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

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


@contextmanager
def replacing(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it onto ``path``, on error delete it.

    Readers see either the old file or the complete new one, never a half-written file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write ``text`` to ``path`` atomically (see ``replacing``)."""
    with replacing(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)
