"""The AI-alliances research kit: sourced data on the AI labs and the cloud giants.

Public API::

    kit.datasets()                  # the tables, with a description each
    kit.load(name, as_of=None)      # a typed DataFrame, optionally as known at a date
    kit.citations(frame)            # the sources behind a frame's rows
    kit.declare(name, label, unit, fmt, meaning)  # a key result: what it is, how it reads
    kit.record(**results)           # a notebook's key results (declared names), machine-readable
    kit.missing(reason)             # a key result without a value, and why

``import kit`` stays light: pandas is imported when a table is first loaded (``kit.data``), plotting
lives in ``kit.theme``, imported by the notebooks.
"""
from typing import Any

from kit.results import declare, missing, record
from kit.schema import DataError

__all__ = ["citations", "datasets", "load", "sources", "declare", "missing", "record", "DataError"]
__version__ = "0.1.0"

_DATA = ("citations", "datasets", "load", "sources")  # in kit.data, which imports pandas


def __getattr__(name: str) -> Any:
    if name in _DATA:
        from kit import data

        return getattr(data, name)
    raise AttributeError(f"module 'kit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_DATA})
