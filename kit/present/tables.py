"""Tables for readers: one function renders a DataFrame as HTML.

No index column (a meaningful index becomes a column), "—" for a missing value (with its reason
where one is given), never NaN or None; text wrapped and left-aligned, numbers right-aligned with a
format per column; True/False as yes/no; category codes as readable labels (``kit.present.labels``);
source ids linked to the sources list (``#src-<id>``), web addresses in text as links.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any, Callable, Mapping

import pandas as pd

from kit.present import sources as citing
from kit.present.html import Fragment, render
from kit.present.labels import column_label, label

MISSING = "—"
#: strings that stand for a missing value when a column was turned into text
_MISSING_TEXT = {"", "nan", "NaN", "None", "<NA>", "NaT", "null"}
#: columns holding source ids: their cells link to the sources list
SOURCE_COLUMNS = ("source_id", "source_ids", "sources", "evidence_source_id")
Format = str | Callable[[Any], str]
#: columns holding the curators' notes on a row: shown without the curation record (``reader_note``)
NOTE_COLUMNS = ("note", "notes")
#: where a note's curation record begins: what was searched for a better source (data/README.md)
_CURATION = re.compile(r"(?:^|[;.]\s*)(?:WEAK SOURCE ONLY|[A-Z]+ PASS)\b")
#: how a row added to fill a gap is marked at the start of its note
_ADDED = re.compile(r"^NEW(?: \([^)]*\))?[:;,]?\s*")


def reader_note(note: str) -> str:
    """A row's note as a reader needs it: what the source says and how the row relates to others
    (CONFLICT, rounding, definitions), without the record of the searches for a better source and the
    marker of a row added to fill a gap (both stay in the data)."""
    found = _CURATION.search(note)
    text = note[:found.start()] if found else note
    return _ADDED.sub("", text.strip()).strip(" ;,")


def is_missing(value: Any) -> bool:
    """True for None, NaN, NaT, pd.NA and the text forms of these."""
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return value.strip() in _MISSING_TEXT
    try:
        return bool(pd.isna(value)) if not isinstance(value, (list, tuple, dict)) else False
    except (TypeError, ValueError):
        return False


def _decimals(values: list[float]) -> int:
    """Decimals (0–2) that show every value of a column as rounded to two."""
    needed = 0
    for v in values:
        text = f"{round(v, 2):.2f}".rstrip("0")
        needed = max(needed, len(text.split(".")[1]))
    return needed


def format_number(value: float, fmt: Format | None = None, decimals: int = 2, separators: bool = True) -> str:
    """A number as text: ``fmt`` is a template ("{:,.1f} %"), a format spec (",.1f") or a callable."""
    if callable(fmt):
        return fmt(value)
    if fmt:
        return fmt.format(value) if "{" in fmt else format(value, fmt)
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return f"{value:,d}" if separators else str(value)
    return f"{value:,.{decimals}f}" if separators else f"{value:.{decimals}f}"


def _text(value: Any, is_code_column: bool) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d") if value == value.normalize() else value.isoformat()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v, is_code_column) for v in value)
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalar
        return _text(value.item(), is_code_column)
    text = str(value)
    return text if is_code_column else str(label(text))


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` without an index column: an unnamed index (row positions) is dropped, a named one becomes
    columns."""
    if isinstance(frame.columns, pd.MultiIndex):
        frame = frame.set_axis([" ".join(str(p) for p in c if str(p)) for c in frame.columns], axis=1)
    unnamed = all(name is None for name in frame.index.names)
    frame = frame.reset_index(drop=unnamed)
    return frame.rename_axis(columns=None)


def _is_numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


_URL = re.compile(r"https?://[^\s<>\"')]+[^\s<>\"').,;:]")


def _parts(text: str) -> list[tuple[str, str]]:
    """``text`` as (kind, text) parts, kind "url" for each web address in it, "text" for the rest."""
    parts, at = [], 0
    for match in _URL.finditer(text):
        parts += [("text", text[at:match.start()])] if match.start() > at else []
        parts.append(("url", match.group(0)))
        at = match.end()
    return parts + ([("text", text[at:])] if at < len(text) else [])


def _cell(kind: str, text: str = "", links: list[tuple[str, str]] | None = None, why: str = "",
          parts: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    return {"kind": kind, "text": text, "links": links or [], "why": why, "parts": parts or []}


def table(frame: pd.DataFrame, formats: Mapping[str, Format] | None = None,
          links: Mapping[str, str] | None = None, anchor: tuple[str, str] | None = None,
          missing: Mapping[str, str] | None = None, headers: Mapping[str, str] | None = None,
          caption: str = "") -> Fragment:
    """``frame`` as an HTML table for readers.

    ``formats``: per column a template ("{:,.1f} bn"), a format spec (",.1f") or a callable; other
    numbers show up to two decimals, the same for a whole column. ``links``: per column an anchor
    prefix: each ";"-separated id in a cell links to ``#<prefix>-<id>`` (source-id columns link to the
    sources list unless given None). ``anchor`` = (column, prefix) gives each row ``id="<prefix>-<value>"``
    (first occurrence). ``missing``: per column the reason shown after "—". ``headers`` overrides
    column headers (else readable labels of the column names)."""
    frame = _flat(frame)
    for c in [c for c in frame.columns if c in NOTE_COLUMNS]:  # once, for the HTML and the text alike
        frame[c] = [v if is_missing(v) else reader_note(str(v)) or None for v in frame[c]]
    formats, missing, headers = dict(formats or {}), dict(missing or {}), dict(headers or {})
    given = {**{c: "src" for c in SOURCE_COLUMNS if c in frame.columns}, **dict(links or {})}
    links = {c: prefix for c, prefix in given.items() if prefix}
    id_columns = set(given) | ({anchor[0]} if anchor else set()) | {c for c in frame.columns if str(c).endswith("_id")}
    numeric = {c for c in frame.columns if _is_numeric(frame[c])}
    decimals = {c: _decimals([float(v) for v in frame[c] if not is_missing(v)]) for c in numeric
                if pd.api.types.is_float_dtype(frame[c])}
    cited: set[str] = set()

    def cell(column: str, value: Any) -> dict[str, Any]:
        if is_missing(value):
            return _cell("missing", MISSING, why=missing.get(column, ""))
        if column in numeric and not isinstance(value, bool):
            number = value.item() if hasattr(value, "item") else value
            separators = "year" not in str(column)
            text = format_number(number, formats.get(column), decimals.get(column, 0), separators)
            return _cell("number", text)
        if column in formats:
            return _cell("text", format_number(value, formats[column]))
        text = _text(value, column in id_columns)
        if column in links:
            ids = [part.strip() for part in text.split(";") if part.strip()]
            if links[column] == "src":
                cited.update(ids)
            return _cell("links", links=[(f"#{links[column]}-{i}", i) for i in ids])
        if _URL.search(text):
            return _cell("rich", parts=_parts(text))
        return _cell("text", text)

    rows, seen = [], set()
    for values in frame.itertuples(index=False, name=None):
        record = dict(zip(frame.columns, values))
        row_id = ""
        if anchor and not is_missing(record[anchor[0]]):
            key = f"{anchor[1]}-{record[anchor[0]]}"
            row_id, seen = ("" if key in seen else key), seen | {key}
        rows.append({"id": row_id, "cells": [cell(c, v) for c, v in record.items()]})
    citing.cite(cited)
    head = [{"text": headers.get(c, column_label(c)), "number": c in numeric} for c in frame.columns]
    html = render("table.html.j2", headers=head, rows=rows, caption=caption)
    plain = frame.copy()
    for c in plain.columns:
        plain[c] = [MISSING if is_missing(v) else v for v in plain[c]]
    text = (caption + "\n" if caption else "") + plain.to_string(index=False)
    return Fragment(html, text)
