"""Build data/*.csv from the sourced starting set (a folder of fact tables).

Usage: python scripts/import_facts.py FACTS_DIR [DATA_DIR]

The initial import (run once; data/ has been curated by hand since, so do not re-run it over data/).
One-off curation step, kept so that every transformation from the starting set to the curated
tables can be read and re-run: URLs become source ids, notes become status flags, partial dates
become ISO dates with a precision column, fiscal periods get their calendar end date. No value
is changed or added here; rows are only re-shaped and flagged.
"""
from __future__ import annotations

import csv
import importlib.util
import re
import sys
from pathlib import Path
from urllib.parse import urlparse

from kit.sourcing import source_id

SEED_ID = "seed_article"

SEGMENTS = {
    "AWS segment net sales": "aws",
    "Google Cloud segment revenue": "google_cloud",
    "Azure and other cloud services (growth only)": "azure",
    "Azure revenue (first dollar disclosure)": "azure",
    "Intelligent Cloud segment revenue": "intelligent_cloud",
    "Microsoft Cloud (commercial cloud) revenue": "microsoft_cloud",
}


def status(note: str, metric: str = "") -> str:
    """Flag a row by what its note says about it (see data/README.md)."""
    text = re.sub(r"https?://\S+", "", f"{note} {metric}")
    text = re.sub(r"(beats|miss(es)?) (analyst |profit )?estimates", "", text, flags=re.I)
    if "LEAKED" in text:
        return "leaked"
    if "LOW CONFIDENCE" in text:
        return "low_confidence"
    if re.search(r"estimat|forecast|projection|guidance|GUIDANCE|prognos", text, re.I):
        return "estimate"
    if "REPORTED" in text:
        return "media_report"
    return "reported"


def iso_date(text: str) -> tuple[str, str]:
    """'2025', '2025-09', '2025-09-02' -> (first day ISO, precision)."""
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text, "day"
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return f"{text}-01", "month"
    if re.fullmatch(r"\d{4}", text):
        return f"{text}-01-01", "year"
    return "", ""


_QEND = {1: "03-31", 2: "06-30", 3: "09-30", 4: "12-31"}


def period_end(period: str, entity: str = "") -> str:
    """Calendar end date of a period label, or '' when the label is not a plain period."""
    p = period.strip()
    m = re.search(r"(?:quarter to |\()(\d{4}-\d{2}-\d{2})\)?", p)
    if m:
        return m.group(1)
    m = re.fullmatch(r"FY(\d{2}|\d{4}) Q([1-4])", p)
    if m:  # Microsoft fiscal year ends 30 June: FY Q1 ends 30 September of the year before
        fy = int(m.group(1)) % 100 + 2000
        q = int(m.group(2))
        year, cq = (fy - 1, q + 2) if q <= 2 else (fy, q - 2)
        return f"{year}-{_QEND[cq]}"
    m = re.fullmatch(r"FY(\d{4})", p)
    if m and "Microsoft" in entity:
        return f"{m.group(1)}-06-30"
    m = re.fullmatch(r"Q([1-4]) (\d{4})", p)
    if m:
        return f"{m.group(2)}-{_QEND[int(m.group(1))]}"
    m = re.fullmatch(r"(\d{4})", p)
    if m:
        return f"{p}-12-31"
    m = re.fullmatch(r"(\d{4})-(\d{2})", p)
    if m:
        import calendar
        y, mo = int(m.group(1)), int(m.group(2))
        return f"{p}-{calendar.monthrange(y, mo)[1]:02d}"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", p):
        return p
    return ""


def read(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write(path: Path, fields: list[str], rows: list[dict], key: list[str]) -> None:
    rows = sorted(rows, key=lambda r: tuple(str(r[k]) for k in key))
    seen = set()
    for r in rows:
        k = tuple(r[f] for f in key)
        if k in seen:
            raise SystemExit(f"{path.name}: duplicate key {k}")
        seen.add(k)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"{path.name}: {len(rows)} rows")


def main(facts: Path, data: Path) -> None:
    spec = importlib.util.spec_from_file_location("source_quality", facts / "source_quality.py")
    sq = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sq)

    def quality(url: str) -> str:
        host = (urlparse(url).hostname or "").lower()
        host = re.sub(r"^www\.", "", host)
        for name, hosts in (("primary", sq.PRIMARY), ("primary_copy", sq.PRIMARY_COPY),
                            ("reputable", sq.REPUTABLE)):
            if any(host == h or host.endswith("." + h) for h in hosts):
                return name
        return "weak"

    sources = []
    for r in read(facts / "sources.csv"):
        sources.append({
            "source_id": source_id(r["source_url"]), "url": r["source_url"], "title": r["title"],
            "publisher": r["publisher"], "published": iso_date(r["published"])[0],
            "published_precision": iso_date(r["published"])[1], "kind": r["kind"],
            "quality": quality(r["source_url"]), "found_by": r["found_by"],
        })
    sources.append({
        "source_id": SEED_ID, "url": "data/seed_article_de.txt",
        "title": "OpenAI und Anthropic kämpfen im Rampenlicht, während Microsoft und Amazon hinter den Kulissen aufeinandertreffen",
        "publisher": "unknown (German translation of an article citing Caixin)",
        "published": "2025-09-30", "published_precision": "inferred",
        "kind": "seed_article", "quality": "seed", "found_by": "seed",
    })
    known = {s["url"]: s["source_id"] for s in sources}

    def sid(url: str) -> str:
        if url not in known:
            raise SystemExit(f"unknown source url {url}")
        return known[url]

    write(data / "sources.csv", list(sources[0]), sources, ["source_id"])

    rows = []
    for r in read(facts / "cloud_revenue.csv"):
        seg = SEGMENTS[r["segment"]]
        fp = r["fiscal_period"]
        rows.append({
            "provider": r["provider"], "segment": seg, "fiscal_period": fp,
            "period_type": "quarter" if "Q" in fp else "fiscal_year",
            "period_end": r["calendar_quarter_end"],
            "revenue_usd_billion": r["revenue_usd_billion"], "yoy_growth_percent": r["yoy_growth_percent"],
            "status": status(r["note"]), "source_id": sid(r["source_url"]), "note": r["note"],
        })
    write(data / "cloud_revenue.csv", list(rows[0]), rows,
          ["segment", "period_end", "period_type", "source_id"])

    rows = []
    for r in read(facts / "market_share.csv"):
        rows.append({
            "research_firm": r["source_org"], "period": r["period"],
            "period_type": "quarter" if r["period"].startswith("Q") else "year",
            "period_end": period_end(r["period"]), "provider": r["provider"],
            "share_percent": r["share_percent"], "market_definition": r["market_definition"],
            "status": status(r["note"]), "source_id": sid(r["source_url"]), "note": r["note"],
        })
    write(data / "market_share.csv", list(rows[0]), rows,
          ["research_firm", "period_end", "provider", "market_definition", "source_id"])

    rows = []
    for r in read(facts / "funding.csv"):
        d, prec = iso_date(r["date"])
        rows.append({
            "company": r["company"], "date": d, "date_precision": prec, "round": r["round"],
            "amount_usd_billion": r["amount_usd_billion"], "investors": r["lead_investors"],
            "post_money_valuation_usd_billion": r["post_money_valuation_usd_billion"],
            "investor_of_interest": r["investor_of_interest"],
            "row_kind": "aggregate" if "AGGREGATE" in r["note"] else (
                "component" if "COMPONENT" in r["note"] else "single"),
            "status": status(r["note"]), "source_id": sid(r["source_url"]), "note": r["note"],
        })
    write(data / "funding.csv", list(rows[0]), rows, ["company", "date", "round", "source_id"])

    rows = []
    for r in read(facts / "revenue_runrate.csv"):
        d, prec = iso_date(r["date"])
        rows.append({
            "company": r["company"], "date": d, "date_precision": prec,
            "annualized_revenue_usd_billion": r["annualized_revenue_usd_billion"],
            "status": status(r["note"]), "source_id": sid(r["source_url"]), "note": r["note"],
        })
    write(data / "revenue_runrate.csv", list(rows[0]), rows, ["company", "date", "source_id"])

    rows = []
    for i, r in enumerate(read(facts / "alliance_events.csv"), 1):
        d, prec = iso_date(r["date"])
        rows.append({
            "event_id": f"E{i:03d}", "date": d, "date_precision": prec, "parties": r["parties"],
            "event_type": r["event_type"], "description": r["description_en"],
            "value_usd_billion": r["value_usd_billion"], "status": status(r["description_en"]),
            "source_id": sid(r["source_url"]),
        })
    write(data / "alliance_events.csv", list(rows[0]), rows, ["event_id"])

    rows = []
    for i, r in enumerate(read(facts / "other.csv"), 1):
        rows.append({
            "metric": r["metric"], "entity": r["entity"], "period": r["period"],
            "period_end": period_end(r["period"], r["entity"]), "value": r["value"],
            "unit": r["unit"] or "text", "status": status(r["note"], r["metric"]),
            "source_id": sid(r["source_url"]), "note": r["note"],
        })
    write(data / "metrics.csv", list(rows[0]), rows, ["metric", "entity", "period", "source_id"])

    rows = []
    for r in read(facts / "seed_claims.csv"):
        rows.append({
            "claim_id": r["claim_id"], "quote_de": r["quote_de"], "claim_en": r["claim_en"],
            "metric": r["metric"], "entity": r["entity"], "value": r["value"],
            "unit": r["unit"] or "text", "period": r["period_or_date"], "source_id": SEED_ID,
        })
    write(data / "seed_claims.csv", list(rows[0]), rows, ["claim_id"])


if __name__ == "__main__":
    facts = Path(sys.argv[1])
    data = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).resolve().parents[1] / "data"
    main(facts, data)
