"""Check parameter files against a notebook's parameters cell before any kernel starts.

papermill writes parameter names into code unescaped, so a name must be a plain identifier; a value
must have the type of the notebook's default (an int is accepted where the default is a float; a
default of None accepts any value) and fit in ``MAX_VALUE_CHARS`` as written into the notebook.
Duplicate keys and YAML aliases (which can expand a few hundred bytes into gigabytes) are refused.
``figures_dir`` may be given (plain papermill uses it); ``kit run`` replaces it with a folder beside the report.
"""
from __future__ import annotations

import ast
import keyword
from pathlib import Path
from typing import Any

import yaml


MAX_VALUE_CHARS = 10_000  # a value's length as papermill writes it into the notebook (its Python repr)
MAX_FILE_CHARS = 1_000_000


class ParameterError(ValueError):
    """Parameter files that do not fit their notebook; ``problems`` holds one message each."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class _Refused(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


class _Loader(yaml.SafeLoader):
    """YAML's safe loader, refusing aliases and duplicate keys."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self.path: list[Any] = []  # the nodes being composed, from the document down

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            key = next((repr(n.value) for n in [*self.path, index] if isinstance(n, yaml.ScalarNode)), "a key")
            raise _Refused(event.start_mark.line + 1, f"{key} uses the YAML alias *{event.anchor}; write the value out")
        self.path.append(index)
        try:
            return super().compose_node(parent, index)
        finally:
            self.path.pop()

    def construct_mapping(self, node: Any, deep: bool = False) -> dict:
        seen: set = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
                seen.add(key)
            except TypeError:  # unhashable: the constructor below says so
                continue
            if duplicate:
                raise _Refused(key_node.start_mark.line + 1, f"duplicate key {_short(repr(key))}")
        return super().construct_mapping(node, deep=deep)


def parse(text: str, source: str) -> dict[str, Any]:
    """A parameter file's text as a mapping (empty text is an empty mapping); errors name ``source``."""
    if len(text) > MAX_FILE_CHARS:
        raise ParameterError([f"{source}: {len(text)} characters; a parameter file has at most {MAX_FILE_CHARS}"])
    try:
        values = yaml.load(text, Loader=_Loader)  # a SafeLoader
    except _Refused as exc:
        raise ParameterError([f"{source}, line {exc.line}: {exc}"]) from None
    except yaml.YAMLError as exc:
        raise ParameterError([f"{source}: not valid YAML: {_short(str(exc), 500)}"]) from None
    if values is None:
        return {}
    if not isinstance(values, dict):
        raise ParameterError([f"{source}: expected a mapping of parameter names to values, got {type(values).__name__}"])
    return values


def decode(content: bytes, source: str) -> str:
    """A parameter file's bytes as text; a ParameterError naming the line of a byte that is not UTF-8."""
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = content[:exc.start].count(b"\n") + 1
        raise ParameterError([f"{source}, line {line}: not valid UTF-8 (byte 0x{content[exc.start]:02x}); "
                              "save the file as UTF-8"]) from None


def load(path: Path) -> dict[str, Any]:
    """A parameter file as a mapping."""
    return parse(decode(path.read_bytes(), str(path)), str(path))


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


def _short(text: str, limit: int = 60) -> str:
    """``text``, cut to ``limit`` characters for a message."""
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters)"


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
            problems.append(f"{source}: {_short(repr(key))} is not a plain Python name; valid keys: {valid}")
        elif key not in known:
            problems.append(f"{source}: unknown key {_short(repr(key))}; valid keys: {valid}")
        elif len(repr(value)) > MAX_VALUE_CHARS:
            problems.append(f"{source}: {key!r} is {len(repr(value))} characters long as Python; at most {MAX_VALUE_CHARS}")
        elif not _fits(value, known[key]):
            hint = " (quote dates: '2024-06-30')" if type(value).__name__ in ("date", "datetime") else ""
            problems.append(
                f"{source}: {key!r} must be {_type_name(known[key])} like its default {known[key]!r}, "
                f"got {_type_name(value)} {_short(repr(value))}{hint}"
            )
    return problems
