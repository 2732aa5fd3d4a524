"""Check a table of the data package against its Table Schema, naming file, line and column.

The schema in ``datapackage.json`` is the one declaration of the data; ``frictionless validate``
reads the same file. This module checks what the loader relies on, without frictionless's import
cost: encoding, types, required values, enums, bounds, patterns, unique and primary keys, foreign keys.
It is stricter than frictionless where the loader needs it: a number is finite (unless its field says
``"kit:infinite": true``) and written plainly (frictionless also reads INF, NaN and 1_0); ``kit data
validate`` runs these checks first.
"""
from __future__ import annotations

import csv
import io
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
        if not self.line:  # the whole file
            return f"{self.file}: {self.message}"
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


@dataclass
class Table:
    """A CSV file's header and rows (as strings; a short row's missing cells are None, a long row's extra
    cells are under the key None), with the physical line on which each row starts."""

    header: list[str]
    rows: list[dict]
    lines: list[int]


def read_table(path: Path, name: str | None = None) -> Table:
    """The CSV file at ``path``; a DataError (naming it ``name``) if it is missing or not UTF-8."""
    name = name or path.name
    try:
        text = path.read_bytes().decode("utf-8", errors="surrogateescape")  # bad bytes are named below
    except FileNotFoundError:
        raise DataError([Problem(name, 0, "", "file not found")]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    records, lines, start = [], [], 1
    for record in reader:
        if record:  # a blank line is no row
            records.append(record)
            lines.append(start)
        start = reader.line_num + 1
    header = records[0] if records else []
    rows = []
    for record in records[1:]:
        row: dict = dict(zip(header, record))
        if len(record) > len(header):
            row[None] = record[len(header):]
        row.update((key, None) for key in header[len(record):])
        rows.append(row)
    bad = _not_utf8(name, header, records, lines)
    if bad:
        raise DataError(bad)
    return Table(header, rows, lines[1:])


_BAD_BYTE = re.compile("[\udc80-\udcff]")  # a byte that is not UTF-8, as decoded with surrogateescape


def _not_utf8(name: str, header: list[str], records: list[list[str]], lines: list[int]) -> list[Problem]:
    problems = []
    for line, record in zip(lines, records):
        for column, cell in zip([*header, *[""] * len(record)], record):
            if found := _BAD_BYTE.search(cell):
                message = f"not valid UTF-8 (byte 0x{ord(found[0]) - 0xDC00:02x}); save the file as UTF-8"
                problems.append(Problem(name, line, column, message))
    return problems


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a CSV file, as strings."""
    table = read_table(path)
    return table.header, table.rows


def resource_path(name: str) -> str:
    """The CSV file of a resource, by the package's naming rule."""
    return f"{name}.csv"


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_INFINITE = re.compile(r"[+-]?(inf|infinity)", re.IGNORECASE)


def _cast(field: dict, text: str) -> object:
    """``text`` as the value of ``field``; a ValueError with the reason if it is not one."""
    kind = field.get("type", "string")
    if kind == "number":
        if _INFINITE.fullmatch(text) and field.get("kit:infinite"):
            return float(text)
        if _INFINITE.fullmatch(text):
            raise ValueError(f"{text!r} is not a finite number")
        if not _NUMBER.fullmatch(text):
            raise ValueError(f"{text!r} is not a valid number")
        if not math.isfinite(value := float(text)):
            raise ValueError(f"{text!r} is not a finite number")
        return value
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", text):
            raise ValueError(f"{text!r} is not a valid integer")
        return int(text)
    if kind == "date":
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(f"{text!r} is not a valid date")
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a valid date") from None
    return text


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
        try:
            rows = read_table(data_dir / resource(package, target)["path"]).rows
        except DataError:
            continue  # the referenced table's own check names its problem
        values[(target, field)] = {r.get(field) for r in rows}
    return values


def check_table(data_dir: Path, res: dict, targets: dict[tuple[str, str], set[str]] | None = None) -> list[Problem]:
    """Every problem of one table; ``targets`` holds the valid values of its foreign keys
    (see ``key_values``); without it foreign keys are not checked."""
    name = res["path"]
    try:
        table = read_table(data_dir / name, name)
    except DataError as exc:
        return exc.problems
    header, rows = table.header, table.rows
    fields = res["schema"]["fields"]
    expected = [f["name"] for f in fields]
    if header != expected:
        return [Problem(name, 1, "", f"header is {header}, schema expects {expected}")]
    problems: list[Problem] = []
    keys: dict[str, set] = {}
    for lineno, row in zip(table.lines, rows):
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
                value = _cast(field, text)
            except ValueError as exc:
                problems.append(Problem(name, lineno, col, str(exc)))
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
            valid = targets.get((target, target_field))
            if row[field] and valid is not None and row[field] not in valid:
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
