"""Sources one click away: the list of the sources a report used, and the grade beside an input.

Tables (``kit.present.table``) and chart footnotes (``kit.theme.show``) note the source ids they show
with ``cite``; ``sources_list`` renders every noted id (and those of the frames it is given) as a
table with an anchor per source (``#src-<id>``) and the URL as a link, under the heading "Sources"
(``#sources``). So every source id in a table and every footnote resolves in the same report.
"""
from __future__ import annotations

from typing import Iterable

import pandas as pd

from kit.data import citations, sources

ANCHOR = "sources"
_cited: set[str] = set()


def cite(ids: Iterable[str]) -> None:
    """Note source ids shown in this report (a table's cells, a chart's plotted rows)."""
    _cited.update(str(i) for i in ids if str(i))


def cited() -> list[str]:
    """The source ids noted so far, sorted."""
    return sorted(_cited)


def forget() -> None:
    """Start a new report: forget the noted ids."""
    _cited.clear()


def ids_of(frames: pd.DataFrame | Iterable[pd.DataFrame]) -> list[str]:
    """The source ids of the rows of one or more frames (``source_id`` column, ";"-separated ids allowed)."""
    frames = [frames] if isinstance(frames, pd.DataFrame) else list(frames)
    found: set[str] = set()
    for frame in frames:
        if "source_id" not in frame.columns:
            raise KeyError("frame has no source_id column: keep it through merges and pivots to cite the rows")
        for value in frame["source_id"].dropna().astype(str):
            found.update(part.strip() for part in value.split(";") if part.strip())
    return sorted(found)


def with_grade(frame: pd.DataFrame, column: str = "source_id", name: str = "grade") -> pd.DataFrame:
    """``frame`` with the quality grade of each row's source beside it (primary, primary_copy,
    reputable, weak, seed): shows how far an input can be trusted where it is shown."""
    grades = sources()["quality"].astype(str)
    ids = frame[column].astype("string")
    position = list(frame.columns).index(column) + 1
    out = frame.copy()
    out.insert(position, name, ids.map(lambda i: grades.get(i) if isinstance(i, str) else None).to_numpy())
    return out


def source_table(ids: Iterable[str]) -> pd.DataFrame:
    """The sources with ids ``ids``: id, publisher, title, date, kind, grade, URL; sorted by id."""
    frame = pd.DataFrame({"source_id": sorted(set(ids))})
    table = citations(frame).reset_index()
    return table.rename(columns={"quality": "grade"})[
        ["source_id", "publisher", "title", "published", "kind", "grade", "url"]]


def sources_list(*frames: pd.DataFrame, heading: str = "Sources") -> "Fragment":
    """Every source this report used: the ids noted by its tables and charts and those of ``frames``;
    publisher, title, date, kind, grade and the URL as a link, each row anchored at ``#src-<id>``."""
    from kit.present.html import Fragment, render
    from kit.present.tables import table

    ids = set(cited()) | set(ids_of(frames) if frames else [])
    listing = source_table(ids)
    body = table(listing, anchor=("source_id", "src"), links={"source_id": None},
                 headers={"published": "date", "url": "URL"}, missing={"published": "undated", "title": "no title"})
    html = render("sources.html.j2", anchor=ANCHOR, heading=heading, count=len(listing), table=body.html)
    text = f"{heading} ({len(listing)})\n{body.text}"
    return Fragment(html, text, {"kind": "sources", "heading": heading, "anchor": ANCHOR, "ids": sorted(ids)})
