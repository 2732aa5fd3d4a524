"""Golden key results: compare a run's key results with the committed ones, readably."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import yaml

from kit.fsio import write_text_atomic


@dataclass(frozen=True)
class Tolerance:
    """Numbers match when ``|new - old| <= abs + rel * |old|``; everything else must be equal."""

    rel: float = 1e-6
    abs: float = 1e-9


@dataclass(frozen=True)
class Difference:
    """One key result that moved: its name, the golden value and the new one (None: absent)."""

    result: str
    golden: Any
    new: Any

    def __str__(self) -> str:
        if self.golden is None and self.new is not None:
            return f"{self.result}: new result {self.new!r} (not in the golden file)"
        if self.new is None and self.golden is not None:
            return f"{self.result}: missing (golden {self.golden!r})"
        return f"{self.result}: golden {self.golden!r}, now {self.new!r}"


_MISSING = object()


def _close(old: Any, new: Any, tol: Tolerance) -> bool:
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    if isinstance(old, (int, float)) and isinstance(new, (int, float)):
        if math.isnan(old) or math.isnan(new):
            return math.isnan(old) and math.isnan(new)
        return abs(new - old) <= tol.abs + tol.rel * abs(old)
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(_close(o, n, tol) for o, n in zip(old, new))
    if isinstance(old, dict) and isinstance(new, dict):
        return old.keys() == new.keys() and all(_close(old[k], new[k], tol) for k in old)
    return old == new


def compare(golden: dict[str, Any], new: dict[str, Any],
            tolerance: Callable[[str], Tolerance] = lambda name: Tolerance()) -> list[Difference]:
    """Every key result that differs beyond its tolerance (``tolerance(name)``), sorted by name."""
    diffs = []
    for name in sorted(golden.keys() | new.keys()):
        old, now = golden.get(name, _MISSING), new.get(name, _MISSING)
        if old is _MISSING or now is _MISSING or not _close(old, now, tolerance(name)):
            diffs.append(Difference(name, None if old is _MISSING else old, None if now is _MISSING else now))
    return diffs


def golden_path(folder: Path, notebook: str, parameter_set: str) -> Path:
    return folder / notebook / f"{parameter_set}.json"


def read_golden(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def write_golden(path: Path, results: dict[str, Any]) -> None:
    write_text_atomic(path, json.dumps(results, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def read_tolerances(path: Path) -> dict[str, Tolerance]:
    """``{"<notebook>/<result>" or "default": Tolerance}`` from a YAML file of rel/abs per key."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {key: Tolerance(**value) for key, value in raw.items()}


def tolerance_for(tolerances: dict[str, Tolerance], notebook: str, result: str) -> Tolerance:
    return tolerances.get(f"{notebook}/{result}") or tolerances.get("default") or Tolerance()
