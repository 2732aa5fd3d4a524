"""Print the measured parts of data/README.md: row counts, date ranges, flags, grades, conflicts, gaps.

Usage: python scripts/data_summary.py [DATA_DIR]
"""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

import kit
from kit import schema

QUARTERLY = ["aws", "intelligent_cloud", "azure", "microsoft_cloud", "google_cloud"]
FIRST_QUARTER, LAST_QUARTER = "2019-03-31", "2026-03-31"


def _md(frame: pd.DataFrame) -> str:
    """A DataFrame as a GitHub markdown table (index dropped)."""
    cols = [str(c) for c in frame.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)


def _status_column(frame: pd.DataFrame) -> str | None:
    return next((c for c in ("status", "evidence_status") if c in frame.columns), None)


def tables(data_dir: Path) -> pd.DataFrame:
    rows = []
    for res in schema.read_package(data_dir)["resources"]:
        frame = kit.load(res["name"], data_dir=data_dir)
        field = res.get("kit:date_field")
        span = ""
        if field and frame[field].notna().any():
            span = f"{frame[field].min().date()} – {frame[field].max().date()}"
        rows.append({"table": res["name"], "rows": len(frame), "date field": field or "", "range": span})
    return pd.DataFrame(rows)


def statuses(data_dir: Path) -> pd.DataFrame:
    counts = {}
    for res in schema.read_package(data_dir)["resources"]:
        frame = kit.load(res["name"], data_dir=data_dir)
        col = _status_column(frame)
        if col:
            counts[res["name"]] = frame[col].astype(str).value_counts()
    table = pd.DataFrame(counts).T.fillna(0).astype(int)
    return table.reset_index(names="table")


def grades(data_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows per table by the quality of their source, and sources by kind and quality."""
    sources = kit.sources(data_dir)
    counts = {}
    for res in schema.read_package(data_dir)["resources"]:
        if res["name"] == "sources":
            continue
        frame = kit.load(res["name"], data_dir=data_dir)
        counts[res["name"]] = frame["source_id"].map(sources["quality"]).astype(str).value_counts()
    rows = pd.DataFrame(counts).T.fillna(0).astype(int)
    rows["weak %"] = (100 * rows.get("weak", 0) / rows.sum(axis=1)).round().astype(int)
    by_kind = pd.crosstab(sources["kind"].astype(str), sources["quality"].astype(str))
    return rows.reset_index(names="table"), by_kind.reset_index(names="kind")


def conflicts(data_dir: Path) -> pd.DataFrame:
    """Keys that carry more than one row (one per source), per table."""
    keys = {
        "cloud_revenue": ["segment", "period_type", "period_end"],
        "market_share": ["research_firm", "period_end", "provider"],
        "revenue_runrate": ["company", "date"],
        "funding": ["company", "date", "investor_of_interest"],
    }
    out = []
    for name, key in keys.items():
        frame = kit.load(name, data_dir=data_dir)
        if name == "funding":
            frame = frame[frame["row_kind"].astype(str) == "single"]
        groups = frame.astype({k: str for k in key}).groupby(key, observed=True)["source_id"].count()
        for idx in groups[groups > 1].index:
            out.append({"table": name, "key": " / ".join(map(str, idx if isinstance(idx, tuple) else [idx])),
                        "rows": int(groups[idx])})
    return pd.DataFrame(out)


def conflict_notes(data_dir: Path) -> pd.DataFrame:
    """Rows whose note names a conflicting figure, per table."""
    out = []
    for res in schema.read_package(data_dir)["resources"]:
        frame = kit.load(res["name"], data_dir=data_dir)
        if "note" in frame.columns:
            n = int(frame["note"].fillna("").str.contains("CONFLICT").sum())
            if n:
                out.append({"table": res["name"], "rows noting a CONFLICT": n})
    return pd.DataFrame(out)


def gaps(data_dir: Path) -> pd.DataFrame:
    """Quarters from Q1 2019 to Q1 2026 with no row, or with no revenue / growth figure, per segment."""
    frame = kit.load("cloud_revenue", data_dir=data_dir)
    frame = frame[frame["period_type"].astype(str) == "quarter"]
    quarters = pd.date_range(FIRST_QUARTER, LAST_QUARTER, freq="QE")
    out = []
    for seg in QUARTERLY:
        part = frame[frame["segment"].astype(str) == seg]
        for q in quarters:
            rows = part[part["period_end"] == q]
            label = f"Q{q.quarter} {q.year}"
            if rows.empty:
                out.append({"segment": seg, "quarter": label, "missing": "no row"})
                continue
            if seg != "azure" and rows["revenue_usd_billion"].isna().all():
                out.append({"segment": seg, "quarter": label, "missing": "revenue"})
            if rows["yoy_growth_percent"].isna().all():
                out.append({"segment": seg, "quarter": label, "missing": "growth"})
    return pd.DataFrame(out)


def share_coverage(data_dir: Path) -> pd.DataFrame:
    """Periods each research firm is covered for, with the providers given."""
    frame = kit.load("market_share", data_dir=data_dir).sort_values("period_end")
    out = []
    for (firm, period), part in frame.groupby([frame["research_firm"].astype(str), "period"], sort=False):
        out.append({"research firm": firm, "period": period,
                    "providers": ", ".join(sorted(part["provider"].astype(str).unique()))})
    return pd.DataFrame(out)


def main(data_dir: Path) -> None:
    print("## Tables\n")
    print(_md(tables(data_dir)))
    print("\n## Status flags (rows per table)\n")
    print(_md(statuses(data_dir)))
    rows, by_kind = grades(data_dir)
    print("\n## Source quality (rows per table, by the grade of the cited source)\n")
    print(_md(rows))
    print("\n## Sources by kind and grade\n")
    print(_md(by_kind))
    print("\n## Keys with more than one source (kept side by side)\n")
    print(_md(conflicts(data_dir)))
    print()
    print(_md(conflict_notes(data_dir)))
    print("\n## Market share coverage\n")
    print(_md(share_coverage(data_dir)))
    print(f"\n## Gaps in quarterly cloud revenue ({FIRST_QUARTER} to {LAST_QUARTER})\n")
    print(_md(gaps(data_dir)))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "data")
