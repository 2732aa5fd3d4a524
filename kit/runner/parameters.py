"""Check parameter files against a notebook's parameters cell before any kernel starts.

papermill writes parameter names into code unescaped, so a name must be a plain identifier; a value
must have the type of the notebook's default (an int is accepted where the default is a float; a
default of None accepts any value). ``figures_dir`` may be given (plain papermill uses it); ``kit run``
replaces it with a folder beside the report.
"""
from __future__ import annotations

import ast
import keyword
from pathlib import Path
from typing import Any

import yaml


class ParameterError(ValueError):
    """Parameter files that do not fit their notebook; ``problems`` holds one message each."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def parse(text: str, source: str) -> dict[str, Any]:
    """A parameter file's text as a mapping (empty text is an empty mapping); errors name ``source``."""
    try:
        values = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ParameterError([f"{source}: not valid YAML: {exc}"]) from None
    if values is None:
        return {}
    if not isinstance(values, dict):
        raise ParameterError([f"{source}: expected a mapping of parameter names to values, got {type(values).__name__}"])
    return values


def load(path: Path) -> dict[str, Any]:
    """A parameter file as a mapping."""
    return parse(path.read_text(encoding="utf-8"), str(path))


def defaults(notebook: Path) -> dict[str, Any]:
    """The notebook's parameters and their default values, as papermill infers them from the parameters cell."""
    from papermill import inspect_notebook

    found = {}
    for name, info in inspect_notebook(str(notebook)).items():
        try:
            found[name] = ast.literal_eval(info["default"])
        except (ValueError, SyntaxError):
            found[name] = None  # not a literal: any type accepted
    return found


def _type_name(value: Any) -> str:
    return type(value).__name__


def _fits(value: Any, default: Any) -> bool:
    if default is None:
        return True
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    return isinstance(value, type(default))


def check(source: str, values: dict[str, Any], known: dict[str, Any]) -> list[str]:
    """Problems of ``values`` (read from ``source``) against the notebook's parameters ``known``; empty if fine."""
    valid = ", ".join(sorted(known)) or "none"
    problems = []
    for key, value in values.items():
        if not isinstance(key, str) or not key.isidentifier() or keyword.iskeyword(key):
            problems.append(f"{source}: {key!r} is not a plain Python name; valid keys: {valid}")
        elif key not in known:
            problems.append(f"{source}: unknown key {key!r}; valid keys: {valid}")
        elif not _fits(value, known[key]):
            hint = " (quote dates: '2024-06-30')" if type(value).__name__ in ("date", "datetime") else ""
            problems.append(
                f"{source}: {key!r} must be {_type_name(known[key])} like its default {known[key]!r}, "
                f"got {_type_name(value)} {value!r}{hint}"
            )
    return problems
