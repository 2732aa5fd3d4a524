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


def check_table(data_dir: Path, res: dict, source_ids: set[str] | None = None) -> list[Problem]:
    """Every problem of one table; ``source_ids`` are the valid targets of its ``source_id``."""
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
        if source_ids is not None and "source_id" in row and row["source_id"] and row["source_id"] not in source_ids:
            problems.append(Problem(name, lineno, "source_id", f"unknown source_id {row['source_id']!r} (not in sources.csv)"))
    return problems


def check_package(data_dir: Path) -> list[Problem]:
    """Every problem of every table of the package in ``data_dir``."""
    package = read_package(data_dir)
    sources = resource(package, "sources")
    problems = check_table(data_dir, sources)
    ids = {r["source_id"] for r in read_rows(data_dir / sources["path"])[1]} if not problems else set()
    for res in package["resources"]:
        if res["name"] != "sources":
            problems += check_table(data_dir, res, ids)
    return problems
