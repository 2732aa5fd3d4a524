"""How well sourced the data is: rows by the grade of their source, weak-only rows, undated sources,
and how far key results move when weak-only rows are left out.

Grades rank as ``kit.rules.GRADE_ORDER`` lists them (primary first). Rows citing the
seed article (grade ``seed``) are the article's claims, not evidence: they are counted apart and never
count as weak. A row rests on weak sources only when its source's grade is ``weak``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import pandas as pd

WEAK, SEED = "weak", "seed"


def grades(frame: pd.DataFrame, sources: pd.DataFrame, column: str = "source_id") -> pd.Series:
    """The grade of each row's source (``sources`` indexed by source_id, with a ``quality`` column)."""
    return frame[column].map(sources["quality"].astype(str))


def table_summary(tables: Mapping[str, pd.DataFrame], sources: pd.DataFrame, grade_order: list[str],
                  limits: Mapping[str, float], overall: list[str], overall_limit: float) -> pd.DataFrame:
    """Per table (and ``overall``, over the tables named in ``overall``): rows, the share of rows by the
    grade of their source (percent), weak-only rows and their share, and the table's limit."""
    records = []
    counted = []
    for name, frame in sorted(tables.items()):
        if "source_id" not in frame.columns:
            continue
        g = grades(frame, sources)
        if name in overall:
            counted.append(g)
        records.append(_row(name, g, grade_order, limits.get(name)))
    if counted:
        records.append(_row("overall", pd.concat(counted, ignore_index=True), grade_order, overall_limit))
    return pd.DataFrame(records)


def _row(name: str, g: pd.Series, grade_order: list[str], limit: float | None) -> dict[str, Any]:
    n = len(g)
    row: dict[str, Any] = {"table": name, "rows": n}
    for grade in grade_order:
        row[f"{grade}_percent"] = round(100 * (g == grade).sum() / n, 1) if n else 0.0
    weak = int((g == WEAK).sum())
    row.update(weak_only_rows=weak, weak_only_percent=round(100 * weak / n, 1) if n else 0.0,
               limit_percent=limit)
    return row


def undated(sources: pd.DataFrame) -> dict[str, Any]:
    """Sources without a publication date: how many, their share, and their ids."""
    missing = sources.index[sources["published"].isna()]
    n = len(sources)
    return {"sources": n, "undated": len(missing), "undated_percent": round(100 * len(missing) / n, 1) if n else 0.0,
            "undated_ids": sorted(map(str, missing))}


def over_limit(summary: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``table_summary`` whose weak-only share exceeds their limit."""
    limited = summary[summary["limit_percent"].notna()]
    return limited[limited["weak_only_percent"] > limited["limit_percent"]]


def moves(default: Mapping[str, Any], other: Mapping[str, Any], min_percent: float = 0.0,
          units: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """Key results of two runs side by side, with how far each moved (``kit.results.change``: percent of the
    default's value, years for a calendar year, by ``units``: name → declared unit); only results that moved
    (``kit.results.moved`` by ``min_percent``), sorted by name. A result missing in one run shows ``None``
    there; a change from zero has no percent (``None``)."""
    from kit import results

    units = units or {}
    rows = []
    for name in sorted(set(default) | set(other)):
        a, b, unit = default.get(name), other.get(name), units.get(name, "")
        if not results.moved(a, b, unit, min_percent):
            continue
        amount, text = results.change(a, b, unit)
        rows.append({"key_result": name, "default": a, "weak_sources_left_out": b,
                     "change_percent": None if unit in results.YEAR_UNITS else amount, "change": text})
    return rows


def measure(data_dir: Path | None = None) -> dict[str, Any]:
    """The quality of the data package in ``data_dir``: per-table summary, undated sources and the limits
    declared under ``kit:quality`` in its ``datapackage.json``. A table (or ``overall``, or the undated
    sources) whose stored pages could not carry it under its target is held at the share reached
    (``held_weak_only_percent``, ``held_undated_sources_percent``): that is its limit, the target is shown
    beside it."""
    from kit import data, paths, rules, schema

    data_dir = data_dir or paths.data_dir()
    package = schema.read_package(data_dir)
    settings = package.get("kit:quality", {})
    targets = dict(settings.get("max_weak_only_percent", {}))
    held = settings.get("held_weak_only_percent", {})
    names = [r["name"] for r in package["resources"] if r["name"] != "sources"]
    target = {n: targets.get(n, targets.get("other")) for n in [*names, "overall"]}
    target["overall"] = targets.get("overall")
    limit = {n: held.get(n, t) for n, t in target.items()}
    sources = data.sources(data_dir)
    tables = {n: data.load(n, data_dir=data_dir) for n in names}
    summary = table_summary(tables, sources, list(rules.GRADE_ORDER), limit,
                            settings.get("overall_tables", []), limit["overall"])
    summary.insert(len(summary.columns) - 1, "target_percent", summary["table"].map(target))
    undated_target = settings.get("max_undated_sources_percent")
    return {"tables": summary, "sources": undated(sources), "target_undated_sources_percent": undated_target,
            "max_undated_sources_percent": settings.get("held_undated_sources_percent", undated_target)}
