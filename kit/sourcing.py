"""The sources table's rules: the one source-id rule and appending a new source.

A source id is ``<host label>-<first 6 hex of sha1(url)>``; the same URL always gives the same id.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

from kit import schema
from kit.fsio import write_text_atomic

SOURCES = "sources"


def source_id(url: str) -> str:
    """The id of the source at ``url``: the host's first label and six hex digits of the URL's SHA-1."""
    host = urlparse(url).hostname or "local"
    host = re.sub(r"^www\.", "", host).split(".")[0]
    return f"{host}-{hashlib.sha1(url.encode()).hexdigest()[:6]}"


def _enum(res: dict, field: str) -> list[str]:
    spec = next(f for f in res["schema"]["fields"] if f["name"] == field)
    return spec.get("constraints", {}).get("enum", [])


def new_row(res: dict, url: str, publisher: str, kind: str, grade: str, title: str = "",
            published: str = "", precision: str = "") -> dict[str, str]:
    """A row of the sources table, checked against its schema; ``ValueError`` names the bad option."""
    if urlparse(url).scheme not in ("http", "https"):
        raise ValueError(f"url: {url!r} is not an http(s) address")
    if not publisher.strip():
        raise ValueError("publisher: required")
    for name, value in (("kind", kind), ("quality", grade)):
        if value not in _enum(res, name):
            raise ValueError(f"{'grade' if name == 'quality' else name}: {value!r} is not one of "
                             + ", ".join(_enum(res, name)))
    if published:
        try:
            date.fromisoformat(published)
        except ValueError:
            raise ValueError(f"date: {published!r} is not an ISO date (YYYY-MM-DD)") from None
        precision = precision or "day"
        if precision not in _enum(res, "published_precision"):
            raise ValueError(f"precision: {precision!r} is not one of " + ", ".join(_enum(res, "published_precision")))
    elif precision:
        raise ValueError("precision: given without a date")
    return {"source_id": source_id(url), "url": url, "title": title, "publisher": publisher,
            "published": published, "published_precision": precision, "kind": kind, "quality": grade,
            "found_by": "url" if not published else "search"}


def add_source(data_dir: Path, url: str, publisher: str, kind: str, grade: str, title: str = "",
               published: str = "", precision: str = "") -> tuple[str, bool]:
    """Append a source to ``sources.csv`` (atomically) and return ``(id, added)``.

    A URL already in the table is not added again: its existing id comes back with ``added`` False."""
    res = schema.resource(schema.read_package(data_dir), SOURCES)
    path = data_dir / res["path"]
    header, rows = schema.read_rows(path)
    for row in rows:
        if row["url"] == url:
            return row["source_id"], False
    row = new_row(res, url, publisher, kind, grade, title, published, precision)
    if any(r["source_id"] == row["source_id"] for r in rows):
        raise ValueError(f"source id {row['source_id']} is taken by another URL in {path.name}")
    text = path.read_text(encoding="utf-8")
    buffer = io.StringIO()
    csv.DictWriter(buffer, fieldnames=header, lineterminator="\n").writerow(row)
    write_text_atomic(path, text + ("" if text.endswith("\n") else "\n") + buffer.getvalue())
    return row["source_id"], True
