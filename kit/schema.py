"""Check a table of the data package against its Table Schema, naming file, line and column.

The schema in ``datapackage.json`` is the one declaration of the data; ``frictionless validate``
reads the same file. This module checks what the loader relies on, without frictionless's import
cost: types, required values, enums, bounds, patterns, unique and primary keys, foreign keys.
"""
from __future__ import annotations

import csv
import json
import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One bad cell or row. ``line`` is the line in the CSV file (the header is line 1)."""

    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}, line {self.line}, column {self.column!r}: {self.message}"


class DataError(ValueError):
    """Raised when data files break their schema; ``problems`` lists each one."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        more = f"\n(and {len(problems) - 20} more)" if len(problems) > 20 else ""
        super().__init__("invalid data:\n" + "\n".join(map(str, problems[:20])) + more)


def read_package(data_dir: Path) -> dict:
    """The parsed ``datapackage.json`` of a data folder."""
    path = data_dir / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError([Problem(str(path), 0, "", "data package descriptor not found")]) from None
    except json.JSONDecodeError as exc:
        raise DataError([Problem(path.name, exc.lineno, "", f"not valid JSON: {exc.msg}")]) from None


def resource(package: dict, name: str) -> dict:
    """The resource called ``name``; a KeyError lists the valid names."""
    for res in package["resources"]:
        if res["name"] == name:
            return res
    valid = ", ".join(r["name"] for r in package["resources"])
    raise KeyError(f"no table {name!r}; tables: {valid}")


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a CSV file, as strings."""
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def resource_path(name: str) -> str:
    """The CSV file of a resource, by the package's naming rule."""
    return f"{name}.csv"


def _cast(kind: str, text: str) -> object:
    if kind == "number":
        value = float(text)
        if math.isnan(value):
            raise ValueError
        return value
    if kind == "integer":
        return int(text)
    if kind == "date":
        return date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else _bad()
    return text


def _bad() -> None:
    raise ValueError


def foreign_keys(res: dict) -> list[tuple[str, str, str]]:
    """(field, referenced resource, referenced field) for each single-field foreign key of ``res``."""
    out = []
    for fk in res["schema"].get("foreignKeys", []):
        field, ref = fk["fields"], fk["reference"]
        out.append((field if isinstance(field, str) else field[0], ref["resource"],
                    ref["fields"] if isinstance(ref["fields"], str) else ref["fields"][0]))
    return out


def key_values(data_dir: Path, package: dict, res: dict) -> dict[tuple[str, str], set[str]]:
    """The values each foreign key of ``res`` may take, read from the referenced tables."""
    values = {}
    for _, target, field in foreign_keys(res):
        rows = read_rows(data_dir / resource(package, target)["path"])[1]
        values[(target, field)] = {r.get(field) for r in rows}
    return values


def check_table(data_dir: Path, res: dict, targets: dict[tuple[str, str], set[str]] | None = None) -> list[Problem]:
    """Every problem of one table; ``targets`` holds the valid values of its foreign keys
    (see ``key_values``); without it foreign keys are not checked."""
    path = data_dir / res["path"]
    name = res["path"]
    if not path.exists():
        return [Problem(name, 0, "", "file not found")]
    header, rows = read_rows(path)
    fields = res["schema"]["fields"]
    expected = [f["name"] for f in fields]
    if header != expected:
        return [Problem(name, 1, "", f"header is {header}, schema expects {expected}")]
    problems: list[Problem] = []
    keys: dict[str, set] = {}
    for lineno, row in enumerate(rows, start=2):
        if None in row or any(v is None for v in row.values()):
            problems.append(Problem(name, lineno, "", "wrong number of cells"))
            continue
        for field in fields:
            col, text, cons = field["name"], row[field["name"]], field.get("constraints", {})
            if text == "":
                if cons.get("required"):
                    problems.append(Problem(name, lineno, col, "missing required value"))
                continue
            try:
                value = _cast(field.get("type", "string"), text)
            except ValueError:
                problems.append(Problem(name, lineno, col, f"{text!r} is not a valid {field['type']}"))
                continue
            if "enum" in cons and text not in cons["enum"]:
                problems.append(Problem(name, lineno, col, f"{text!r} not allowed; allowed: {', '.join(cons['enum'])}"))
            if "minimum" in cons and value < cons["minimum"]:
                problems.append(Problem(name, lineno, col, f"{text} is below the minimum {cons['minimum']}"))
            if "maximum" in cons and value > cons["maximum"]:
                problems.append(Problem(name, lineno, col, f"{text} is above the maximum {cons['maximum']}"))
            if "pattern" in cons and not re.fullmatch(cons["pattern"], text):
                problems.append(Problem(name, lineno, col, f"{text!r} does not match {cons['pattern']}"))
            if cons.get("unique"):
                seen = keys.setdefault(col, set())
                if text in seen:
                    problems.append(Problem(name, lineno, col, f"duplicate value {text!r}"))
                seen.add(text)
        pk = res["schema"].get("primaryKey", [])
        if pk:
            key = tuple(row[k] for k in pk)
            seen = keys.setdefault("\0pk", set())
            if key in seen:
                problems.append(Problem(name, lineno, ",".join(pk), f"duplicate key {key}"))
            seen.add(key)
        for field, target, target_field in foreign_keys(res) if targets is not None else []:
            if row[field] and row[field] not in targets[(target, target_field)]:
                where = resource_path(target)
                problems.append(Problem(name, lineno, field, f"unknown {field} {row[field]!r} (not in {where})"))
    return problems


def check_package(data_dir: Path) -> list[Problem]:
    """Every problem of every table of the package in ``data_dir``."""
    package = read_package(data_dir)
    problems = []
    for res in package["resources"]:
        problems += check_table(data_dir, res, key_values(data_dir, package, res))
    return problems
