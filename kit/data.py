"""Load the curated tables as typed DataFrames, optionally as known at a date."""
from __future__ import annotations

import hashlib
from collections import OrderedDict
from pathlib import Path

import pandas as pd

from kit import paths, rules, schema

__all__ = ["datasets", "load", "citations", "sources"]


def datasets(data_dir: Path | None = None) -> pd.DataFrame:
    """The tables of the data package, each with its title, row count and one-line description."""
    data_dir = data_dir or paths.data_dir()
    package = schema.read_package(data_dir)
    rows = []
    for res in package["resources"]:
        n = len(schema.read_rows(data_dir / res["path"])[1])
        rows.append({"name": res["name"], "title": res["title"], "rows": n, "description": res["description"]})
    return pd.DataFrame(rows).set_index("name")


def _typed(res: dict, rows: list[dict[str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=[f["name"] for f in res["schema"]["fields"]])
    for field in res["schema"]["fields"]:
        col, kind = field["name"], field.get("type", "string")
        values = frame[col].replace("", None)
        if kind == "number":
            frame[col] = pd.to_numeric(values).astype("float64")
        elif kind == "date":
            frame[col] = pd.to_datetime(values, format="%Y-%m-%d")
        elif "enum" in field.get("constraints", {}):
            frame[col] = pd.Categorical(values, categories=field["constraints"]["enum"])
        else:
            frame[col] = values
    return frame


#: checked, typed tables by the content of the files they were read from (a notebook loads the same
#: tables many times: each is read and checked once while its files stay the same)
_CHECKED: OrderedDict[tuple, tuple[dict, pd.DataFrame]] = OrderedDict()
_CHECKED_MAX = 64


def _content_key(name: str, data_dir: Path, package: dict, res: dict) -> tuple | None:
    """The table's name and the hashes of the files its check reads; None if one of them cannot be read."""
    targets = sorted({target for _, target, _ in schema.foreign_keys(res)})
    files = [data_dir / "datapackage.json", data_dir / res["path"],
             *(data_dir / schema.resource(package, t)["path"] for t in targets)]
    try:
        return (name, *(hashlib.sha1(f.read_bytes()).hexdigest() for f in files))
    except OSError:
        return None


def _read(name: str, data_dir: Path) -> tuple[dict, pd.DataFrame]:
    package = schema.read_package(data_dir)
    res = schema.resource(package, name)
    key = _content_key(name, data_dir, package, res)
    if key in _CHECKED:
        _CHECKED.move_to_end(key)
        res, frame = _CHECKED[key]
        return res, frame.copy()
    res, frame = _check_and_type(name, data_dir, package, res)
    if key is not None:
        _CHECKED[key] = (res, frame)
        while len(_CHECKED) > _CHECKED_MAX:
            _CHECKED.popitem(last=False)
    return res, frame.copy()


def _check_and_type(name: str, data_dir: Path, package: dict, res: dict) -> tuple[dict, pd.DataFrame]:
    for target in sorted({target for _, target, _ in schema.foreign_keys(res)}):  # each referenced table once
        _read(target, data_dir)  # checked, or a DataError naming its file; checked once while its files stay the same
    problems = schema.check_table(data_dir, res, schema.key_values(data_dir, package, res))
    if problems:
        raise schema.DataError(problems)
    return res, _typed(res, schema.read_rows(data_dir / res["path"])[1])


def sources(data_dir: Path | None = None) -> pd.DataFrame:
    """The sources table, indexed by ``source_id``."""
    return _read("sources", data_dir or paths.data_dir())[1].set_index("source_id")


def _at_least(frame: pd.DataFrame, min_grade: str, data_dir: Path) -> pd.DataFrame:
    """The rows whose source is graded ``min_grade`` or better; rows citing the seed article (grade
    ``seed``: the article's own claims, not evidence) are kept."""
    order = [g for g in rules.GRADE_ORDER if g != "seed"]
    if min_grade not in order:
        raise ValueError(f"min_grade: {min_grade!r} is not a grade; grades from best to worst: {', '.join(order)}")
    grade = frame["source_id"].map(sources(data_dir)["quality"].astype(str))
    return frame[grade.isin(order[: order.index(min_grade) + 1] + ["seed"])]


def load(name: str, as_of: str | pd.Timestamp | None = None, data_dir: Path | None = None,
         min_grade: str | None = None) -> pd.DataFrame:
    """Table ``name`` as a typed DataFrame, checked against its schema.

    ``as_of`` keeps only rows known by that date (``rules.known_from``): a row is known from its
    source's publication date; where the source is undated, from the report date the row states
    ("reported 2024-01-30" in its period, description or note), else from the row's own date plus
    the table's reporting lag (``kit:known_after_days`` in the data package). Rows with none of these
    are left out of an ``as_of`` load. ``min_grade`` (e.g. ``"reputable"``; empty or None: all rows)
    leaves out the rows whose source is graded below it. The frame's ``attrs`` carry the table name,
    ``as_of``, ``min_grade`` and the data end date.
    """
    data_dir = data_dir or paths.data_dir()
    res, frame = _read(name, data_dir)
    date_field = res.get("kit:date_field")
    table = sources(data_dir)
    dated = rules.published_by(table["published"], table["published_precision"])
    text = [frame[c].astype("string").fillna("") for c in ("period", "description", "note") if c in frame.columns]
    known = rules.known_from(frame["source_id"].map(dated),
                             frame[date_field] if date_field else None, res.get("kit:known_after_days", 0),
                             stated=text[0].str.cat(text[1:], sep=" ") if text else None)
    horizon = dated.max()  # the newest dated source of the data set
    if as_of is not None and str(as_of) != "":
        horizon = pd.Timestamp(as_of)
        frame = frame[rules.known_by(known, horizon)]
    if min_grade not in (None, "") and "source_id" in frame.columns:
        frame = _at_least(frame, min_grade, data_dir)
    frame = frame.reset_index(drop=True)
    frame.attrs = {"table": name, "as_of": None if as_of in (None, "") else str(pd.Timestamp(as_of).date()),
                   "min_grade": min_grade or None}
    if date_field:
        frame.attrs.update(_data_end(frame[date_field], horizon if res.get("kit:forward_looking") else None))
    return frame


def _data_end(dates: pd.Series, horizon: pd.Timestamp | None) -> dict[str, str]:
    """The latest date the rows report on. In a table that holds forecasts and targets
    (``kit:forward_looking``), rows dated after ``horizon`` (``as_of``, or the newest dated source of the
    data set) are forward-looking: left out of ``data_end``, counted in ``forward_looking_rows``."""
    if dates.notna().sum() == 0:
        return {}
    ahead = dates > horizon if horizon is not None else dates.notna() & False
    reported = dates[~ahead]
    out = {"data_end": str((reported if reported.notna().any() else dates).max().date())}
    if ahead.any():
        out["forward_looking_rows"] = str(int(ahead.sum()))
    return out


def citations(frame: pd.DataFrame, data_dir: Path | None = None) -> pd.DataFrame:
    """The sources behind the rows of ``frame`` (by its ``source_id`` column), sorted by id."""
    if "source_id" not in frame.columns:
        raise KeyError("frame has no source_id column: keep it through merges and pivots to cite the rows")
    ids = sorted(set(frame["source_id"].dropna().astype(str)))
    table = sources(data_dir)
    missing = [i for i in ids if i not in table.index]
    if missing:
        raise KeyError(f"unknown source ids: {', '.join(missing)}")
    return table.loc[ids, ["publisher", "title", "published", "kind", "quality", "url"]]
