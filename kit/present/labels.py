"""Readable names for the data's category codes and column names: one mapping for every table and chart.

``label("low_confidence")`` is "low confidence", ``label("compute_deal")`` is "compute deal";
``column_label("revenue_usd_billion")`` is "revenue (USD bn)". Codes not in the mapping read with
spaces for underscores; text that is not a code is left as it is.
"""
from __future__ import annotations

import re
from typing import Any

#: codes of the data package (status, kind, quality, event types, verdicts, ...) and of the analyses
LABELS: dict[str, str] = {
    # row status
    "reported": "reported", "media_report": "media report", "estimate": "estimate", "leaked": "leaked",
    "low_confidence": "low confidence",
    # source kind and grade
    "filing": "filing", "company_release": "company release", "press_release_copy": "press release (copy)",
    "research_firm": "research firm", "news": "news", "analysis": "analysis", "aggregator": "aggregator",
    "seed_article": "seed article", "primary": "primary", "primary_copy": "primary (verbatim copy)",
    "reputable": "reputable", "weak": "weak host", "seed": "the seed article",
    # alliance events and verdicts
    "investment": "investment", "exclusivity_change": "exclusivity change", "compute_deal": "compute deal",
    "chip_deal": "chip deal", "model_distribution": "model distribution", "restructuring": "restructuring",
    "held": "held", "partly_held": "partly held", "not_held": "not held", "open": "open",
    # cloud segments
    "aws": "AWS", "azure": "Azure", "intelligent_cloud": "Intelligent Cloud", "microsoft_cloud": "Microsoft Cloud",
    "google_cloud": "Google Cloud",
    # periods and rows
    "fiscal_year": "fiscal year", "quarter": "quarter", "year": "year", "single": "single", "aggregate": "aggregate",
    "component": "component",
    # fact check
    "at_least": "at least", "at_most": "at most", "increment_gap": "increment gap", "part_of": "part of",
    # metric units
    "usd_billion": "USD bn", "percent": "%", "percentage_points": "points", "gigawatts": "GW",
    # payback channels
    "profit_share": "profit share",
}

#: column-name endings and what they read as in a header
_SUFFIXES = [("_usd_billion", "USD bn"), ("_usd_bn", "USD bn"), ("_percent", "%"), ("_pct", "%"),
             ("_pts", "points"), ("_points", "points")]
#: whole column names with a reading of their own
COLUMNS: dict[str, str] = {
    "source_id": "source", "source_ids": "sources", "quality": "grade", "url": "URL", "hhi": "HHI",
    "yoy_growth_percent": "growth year on year (%)", "ttm_revenue": "revenue, last four quarters (USD bn)",
    "claim_id": "claim", "quote_de": "the article's words (German)", "claim_en": "claim (English)",
}


def label(value: Any) -> Any:
    """The readable form of a category code; anything else unchanged."""
    if not isinstance(value, str):
        return value
    if value in LABELS:
        return LABELS[value]
    return value.replace("_", " ") if re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)+", value) else value


def column_label(name: Any) -> str:
    """A column name as a header: the unit in brackets, spaces for underscores."""
    text = str(name)
    if text in COLUMNS:
        return COLUMNS[text]
    for suffix, unit in _SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            return f"{text[:-len(suffix)].replace('_', ' ')} ({unit})"
    return text.replace("_", " ")
