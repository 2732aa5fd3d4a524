"""Fact-check the seed article: re-derive every claim from its parts and from the sourced tables.

The claims table (``seed_claims``) holds the article's numbers; ``claim_checks`` links each claim to
one check rule and to the rows it is checked against (other claims of the article, or sourced rows
of ``funding``, ``cloud_revenue``, ``market_share``, ``metrics``, ``revenue_runrate``). Every claim
gets exactly one status from :data:`STATUSES`:

- ``consistent`` / ``inconsistent``: recomputed from other claims of the same article;
- ``confirmed`` / ``contradicted``: compared with, or recomputed from, independent sourced rows;
- ``outdated``: the claim held, but the data hold a later figure for the same thing (dated after the
  figure the claim rests on, or after the article); an additional "up to" commitment is not a new
  figure for a total;
- ``depends_on_definition``: the evidence comes from sources with different definitions (research
  firms measuring different markets) and the claim holds under some and not under others; the
  explanation names each;
- ``unverifiable``: no figure in the data to check it against (the note says why).

Precedence when several apply: inconsistent, depends_on_definition, contradicted, outdated, confirmed,
consistent. Growth arithmetic (increment, growth, the misapplied increment) is ``kit.rules``'s.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

import pandas as pd

from kit import rules

STATUSES = ["consistent", "inconsistent", "confirmed", "contradicted", "outdated", "depends_on_definition",
            "unverifiable"]
#: Statuses of claims compared with sourced rows (not only with the article's own figures).
SOURCED_STATUSES = ("confirmed", "contradicted", "outdated", "depends_on_definition")
#: Statuses under which the claim held (at the article's date); inconsistent and contradicted did not;
#: unverifiable and depends_on_definition say neither.
HELD_STATUSES = ("consistent", "confirmed", "outdated")
ARTICLE = "seed_article"
#: The article's tables (loaded whole) and the evidence tables (loaded as of a date).
ARTICLE_TABLES = ("seed_claims", "claim_checks")
EVIDENCE_TABLES = ("funding", "cloud_revenue", "market_share", "metrics", "revenue_runrate", "alliance_events")
DEFAULT_TOLERANCE = 5.0

# Operands each check needs; the rows of one operand are parts and are added (never alternatives),
# except for "value" (each row is an alternative source, compared on its own) and "point" (a series).
CHECKS: dict[str, tuple[str, ...]] = {
    "value": ("value",),
    "sum": ("term",),
    "ratio": ("numerator", "denominator"),
    "share": ("part", "whole"),
    "part_of": ("whole", "share"),
    "growth": ("current", "previous"),
    "increment": ("value", "growth"),
    "increment_gap": ("value_a", "growth_a", "value_b", "growth_b"),
    "difference": ("minuend", "subtrahend"),
    "count": ("item",),
    "rising": ("point",),
    "scale": ("reference",),
    "none": (),
}
EXTRA_OPERANDS = ("later", "context")
BOUNDS = ("exact", "at_least", "at_most", "range")

# How an evidence row is named in the ledger, per table.
LABELS = {
    "seed_claims": ["claim_id", "claim_en"],
    "funding": ["company", "round", "date"],
    "cloud_revenue": ["segment", "fiscal_period"],
    "market_share": ["research_firm", "period", "provider"],
    "metrics": ["metric", "entity", "period"],
    "revenue_runrate": ["company", "date"],
    "alliance_events": ["event_id", "date"],
}
#: Where rows of one table follow different definitions, the column naming the definition: a claim's
#: evidence from several definitions is checked under each on its own, never added across them.
DEFINITION = {"market_share": "research_firm"}


class CheckError(ValueError):
    """A claim_checks row that cannot be resolved: names the claim, the item and the problem."""


# --- arithmetic rules -------------------------------------------------------------------------

def ratio(numerator: float, denominator: float) -> float:
    """``numerator / denominator`` ("X times as high")."""
    if denominator == 0:
        raise ZeroDivisionError("ratio: the denominator is zero")
    return numerator / denominator


def share(part: float, whole: float) -> float:
    """``part`` as a percentage of ``whole``."""
    return 100.0 * ratio(part, whole)


def part_of(whole: float, share_percent: float) -> float:
    """The part that ``share_percent`` % of ``whole`` is."""
    return whole * share_percent / 100.0


def is_rising(values: list[float]) -> bool:
    """True if each value is above the one before (at least two values)."""
    return len(values) >= 2 and all(b > a for a, b in zip(values, values[1:]))


def scale_reading(claimed: float, reference: float, powers: range = range(-3, 4)) -> int | None:
    """The power of ten k with claimed × 10**k == reference (k = 0: no garble), else None."""
    for k in sorted(powers, key=abs):
        if reference != 0 and math.isclose(claimed * 10.0**k, reference, rel_tol=1e-9):
            return k
    return None


def rounding_halfwidth(value: float) -> float:
    """Half a unit of the last digit the value is stated with (60 → 0.5, 2.4 → 0.05, 106.3 → 0.05)."""
    text = repr(float(value))
    decimals = 0 if text.endswith(".0") else len(text.split(".")[1])
    return 0.5 * 10.0**-decimals


def agrees(claimed: float, found: float, bound: str, tolerance_percent: float,
           low: float | None = None, high: float | None = None) -> bool:
    """Whether a ``found`` value bears the claim out.

    ``exact``: |claimed − found| within the claim's rounding plus ``tolerance_percent`` of ``found``;
    ``at_least`` ("more than", "at least"): found is not below claimed beyond that margin;
    ``at_most`` the reverse; ``range`` (a quantifier such as "hundreds of billions"): low ≤ found ≤ high.
    """
    if bound == "range":
        if low is None and high is None:
            raise ValueError("a range claim needs reading_low or reading_high")
        return (low is None or found >= low) and (high is None or found <= high)
    margin = rounding_halfwidth(claimed) + tolerance_percent / 100.0 * abs(found)
    if bound == "exact":
        return abs(claimed - found) <= margin + 1e-12
    if bound == "at_least":
        return found >= claimed - margin - 1e-12
    if bound == "at_most":
        return found <= claimed + margin + 1e-12
    raise ValueError(f"unknown bound {bound!r}; bounds: {', '.join(BOUNDS)}")


def primary_status(statuses: list[str]) -> str:
    """The one status a claim shows when several apply (see the module docstring for the order)."""
    order = ["inconsistent", "depends_on_definition", "contradicted", "outdated", "confirmed", "consistent",
             "unverifiable"]
    found = [s for s in order if s in statuses]
    return found[0] if found else "unverifiable"


# --- resolving the links ----------------------------------------------------------------------

def _date_column(frame: pd.DataFrame) -> str | None:
    dates = [c for c in frame.columns if frame[c].dtype.kind == "M"]
    return dates[0] if len(dates) == 1 else None


def _parse_key(key: str) -> list[tuple[str, str]]:
    pairs = []
    for part in str(key).split("|"):
        if "=" not in part:
            raise ValueError(f"key part {part!r} is not column=value")
        col, value = part.split("=", 1)
        pairs.append((col.strip(), value.strip()))
    return pairs


def _cell_text(series: pd.Series) -> pd.Series:
    if series.dtype.kind == "M":
        return series.dt.strftime("%Y-%m-%d").fillna("")
    return series.astype("string").fillna("")


class _TextColumns(dict):
    """A table's columns as text (how keys compare), each made once, on first use."""

    def __init__(self, frame: pd.DataFrame):
        super().__init__()
        self.frame = frame

    def __missing__(self, col: str):
        if col not in self.frame.columns:
            raise KeyError(f"no column {col!r}; columns: {', '.join(self.frame.columns)}")
        self[col] = _cell_text(self.frame[col]).to_numpy(dtype=object)
        return self[col]


def _mask(text: _TextColumns, key: str):
    mask = None
    for col, value in _parse_key(key):
        hit = text[col] == value
        mask = hit if mask is None else mask & hit
    return mask


def select(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """Rows of ``frame`` matching ``key`` ("column=value|column=value", compared as text)."""
    return frame[_mask(_TextColumns(frame), key)]


def _label(table: str, row: pd.Series) -> str:
    cols = [c for c in LABELS.get(table, []) if c in row.index]
    parts = [row[c].strftime("%Y-%m-%d") if isinstance(row[c], pd.Timestamp) else str(row[c]) for c in cols]
    return ", ".join(p for p in parts if p and p != "nan")


def _numeric(value: object) -> float:
    if isinstance(value, pd.Timestamp):
        return float(value.year)
    return float(value) if value is not None and not pd.isna(value) else math.nan


def validate_checks(checks: pd.DataFrame, claims: pd.DataFrame) -> None:
    """Raise CheckError unless every claim has checks, every check names a claim, and each claim's
    rows agree on check, bound and reading, with the operands that check needs."""
    known = set(claims["claim_id"])
    linked = set(checks["claim_id"])
    if known - linked:
        raise CheckError(f"claims without a check in claim_checks: {', '.join(sorted(known - linked))}")
    if linked - known:
        raise CheckError(f"claim_checks names unknown claims: {', '.join(sorted(linked - known))}")
    agreed = ("check", "bound", "reading_low", "reading_high")
    differ = checks[list(agreed)].astype("string").fillna("").groupby(checks["claim_id"], sort=True).nunique() > 1
    first = checks.groupby("claim_id", sort=True)[["check", "bound"]].first()
    operands_of = checks.dropna(subset=["operand"]).groupby("claim_id")["operand"].agg(lambda s: set(s.astype(str)))
    for claim_id in first.index:
        for col in agreed:
            if differ.at[claim_id, col]:
                raise CheckError(f"claim {claim_id}: its claim_checks rows disagree on {col!r}")
        check = str(first.at[claim_id, "check"])
        if check not in CHECKS:
            raise CheckError(f"claim {claim_id}: unknown check {check!r}; checks: {', '.join(CHECKS)}")
        bound = first.at[claim_id, "bound"]
        if pd.notna(bound) and str(bound) not in BOUNDS:
            raise CheckError(f"claim {claim_id}: unknown bound {bound!r}; bounds: {', '.join(BOUNDS)}")
        operands = operands_of.get(claim_id, set())
        allowed = set(CHECKS[check]) | set(EXTRA_OPERANDS)
        if operands - allowed:
            raise CheckError(f"claim {claim_id}: operand(s) {sorted(operands - allowed)} not used by check "
                             f"{check!r} (needs {', '.join(CHECKS[check]) or 'none'})")
        if set(CHECKS[check]) - operands:
            raise CheckError(f"claim {claim_id}: check {check!r} needs operand(s) "
                             f"{sorted(set(CHECKS[check]) - operands)}")


def _left_out(frame: pd.DataFrame, source_id: str, grades: Mapping[str, str] | None) -> str:
    """Why a link finds no row in ``frame`` loaded as of a date or above a grade (its ``attrs``)."""
    min_grade, as_of = frame.attrs.get("min_grade"), frame.attrs.get("as_of")
    grade = (grades or {}).get(source_id)
    if min_grade and grade:
        rank, least = rules.grade_rank(pd.Series([grade, min_grade]))
        if rank > least:
            return f"left out, its source graded {grade} (below {min_grade})"
    if as_of:
        return f"not known at the as-of date ({as_of})"
    return "left out of the data loaded" + (f" (sources graded {min_grade} or better)" if min_grade else "")


def loaded_partly(tables: Mapping[str, pd.DataFrame]) -> bool:
    """Whether any evidence table was loaded as of a date or above a grade (``kit.load``'s ``attrs``)."""
    return any(tables[n].attrs.get("as_of") or tables[n].attrs.get("min_grade") for n in EVIDENCE_TABLES
               if n in tables)


def link_evidence(checks: pd.DataFrame, tables: Mapping[str, pd.DataFrame], require_all: bool = True,
                  grades: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per piece of evidence: the claim, its operand, the table row's label, value, date,
    status and source, its ``definition`` (``DEFINITION``: e.g. the research firm of a market share)
    and ``ceiling`` (a funding row whose amount is an "up to" ceiling, ``rules.is_up_to``). Each link
    names exactly one row: its key and its source.

    With ``require_all`` a link that matches no row raises CheckError; without it (data loaded
    ``as_of`` an earlier date, or only sources of ``min_grade`` or better) it is kept with ``found``
    False and ``left_out`` saying why (``grades``, source id → grade, tells a source graded below
    ``min_grade`` from one not yet published).
    """
    out = []
    checks = checks.assign(item=checks["item"].astype(int))
    texts: dict[str, _TextColumns] = {}  # each table's columns as text, made once for all links
    ceilings: dict[str, pd.Series] = {}  # each funding-like table's "up to" rows, found once
    for link in checks.sort_values(["claim_id", "item"]).itertuples(index=False):
        if pd.isna(link.operand):
            continue
        where = f"claim {link.claim_id}, item {link.item} ({link.evidence_table}: {link.evidence_key})"
        if link.evidence_table not in tables:
            raise CheckError(f"{where}: no table {link.evidence_table!r} given; tables: {', '.join(sorted(tables))}")
        frame = tables[link.evidence_table]
        text = texts.setdefault(link.evidence_table, _TextColumns(frame))
        try:
            mask = _mask(text, link.evidence_key)
        except (KeyError, ValueError) as exc:
            raise CheckError(f"{where}: {exc}") from None
        if link.evidence_column not in frame.columns:
            raise CheckError(f"{where}: no column {link.evidence_column!r} in {link.evidence_table}")
        if pd.isna(link.source_id):
            raise CheckError(f"{where}: no source_id; each link names one row by its key and source")
        positions = (mask & (text["source_id"] == link.source_id)).nonzero()[0]
        if len(positions) > 1:
            raise CheckError(f"{where}: matches {len(positions)} rows of source {link.source_id}; make the key unique")
        base = {"claim_id": link.claim_id, "item": int(link.item), "operand": link.operand,
                "table": link.evidence_table, "source_id": link.source_id}
        if not len(positions):
            if require_all:
                raise CheckError(f"{where}: no row of source {link.source_id} matches")
            out.append({**base, "label": link.evidence_key, "value": math.nan, "date": pd.NaT,
                        "row_status": "", "definition": "", "ceiling": False, "found": False,
                        "left_out": _left_out(frame, link.source_id, grades)})
            continue
        row = frame.iloc[positions[0]]
        date_col = _date_column(frame)
        status = row["status"] if "status" in row.index else ""
        definition = DEFINITION.get(link.evidence_table)
        if "amount_usd_billion" in frame.columns and link.evidence_table not in ceilings:
            ceilings[link.evidence_table] = rules.is_up_to(frame).to_numpy()
        ceiling = bool(ceilings[link.evidence_table][positions[0]]) if link.evidence_table in ceilings else False
        out.append({**base, "label": _label(link.evidence_table, row), "value": _numeric(row[link.evidence_column]),
                    "date": row[date_col] if date_col else pd.NaT,
                    "row_status": "" if pd.isna(status) else str(status),
                    "definition": str(row[definition]) if definition else "", "ceiling": ceiling, "found": True,
                    "left_out": ""})
    columns = ["claim_id", "item", "operand", "table", "label", "value", "date", "row_status", "source_id",
               "definition", "ceiling", "found", "left_out"]
    frame = pd.DataFrame(out, columns=columns)
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[us]")
    return frame.sort_values(["claim_id", "item"], kind="stable").reset_index(drop=True)


# --- evaluating one claim ---------------------------------------------------------------------

#: Kinds of arithmetic error an inconsistent claim shows (``Verdict.kind``), with how to say them.
ERROR_KINDS = {
    "misapplied_growth": "the growth rate applied to the new value instead of the year-earlier base",
    "power_of_ten": "a figure off by a power of ten against another figure of the article",
    "does_not_fit": "a figure that does not follow from the article's other figures",
}


@dataclass(frozen=True)
class Verdict:
    """The outcome of one claim's check; ``kind`` is an inconsistent claim's kind of error (ERROR_KINDS),
    ``split`` a depends_on_definition claim's "holds under …, not under …"."""

    status: str
    found: float
    explanation: str
    kind: str = ""
    split: str = ""  # a depends_on_definition claim: under which definitions it holds and under which not


def figure_text(x: float | None) -> str:
    """A figure as the ledger writes it: up to two decimals, no trailing zeros ("2.55", "13", "53000")."""
    if x is None or math.isnan(x):
        return "n/a"
    return f"{x:.2f}".rstrip("0").rstrip(".") if abs(x) < 1e5 else f"{x:.0f}"


def _reading(low: float | None, high: float | None) -> str:
    if high is None:
        return f"read as at least {figure_text(low)}"
    if low is None:
        return f"read as at most {figure_text(high)}"
    return f"read as {figure_text(low)}" if low == high else f"read as {figure_text(low)} to {figure_text(high)}"


_BOUND_WORDS = {"exact": "", "at_least": "at least ", "at_most": "at most ", "range": ""}


Row = dict  # one evidence row (a record of ``link_evidence``'s frame)


def _isnan(x: object) -> bool:
    return x is None or x is pd.NaT or (isinstance(x, float) and math.isnan(x))


def _values(rows: list[Row], operand: str | None = None) -> list[float]:
    return [r["value"] for r in rows if operand is None or r["operand"] == operand]


def _sum(rows: list[Row], operand: str) -> float:
    """The operand's rows added (their parts); NaN when it has no value."""
    values = [v for v in _values(rows, operand) if not _isnan(v)]
    return float(sum(values)) if values else math.nan


def _compute(check: str, ev: list[Row], article_date: pd.Timestamp) -> tuple[float, str]:
    """The recomputed value and the arithmetic, written out."""
    s = lambda name: _sum(ev, name)  # noqa: E731
    if check == "sum":
        terms = _values(ev, "term")
        return s("term"), " + ".join(figure_text(v) for v in terms) + f" = {figure_text(s('term'))}"
    if check == "ratio":
        value = ratio(s("numerator"), s("denominator"))
        return value, f"{figure_text(s('numerator'))} / {figure_text(s('denominator'))} = {figure_text(value)}"
    if check == "share":
        value = share(s("part"), s("whole"))
        return value, f"{figure_text(s('part'))} / {figure_text(s('whole'))} × 100 = {figure_text(value)} %"
    if check == "part_of":
        value = part_of(s("whole"), s("share"))
        return value, f"{figure_text(s('whole'))} × {figure_text(s('share'))} % = {figure_text(value)}"
    if check == "growth":
        value = rules.growth(s("current"), s("previous"))
        return value, f"{figure_text(s('current'))} / {figure_text(s('previous'))} − 1 = {figure_text(value)} %"
    if check == "increment":
        v, g = s("value"), s("growth")
        value = rules.increment(v, g)
        return value, f"{figure_text(v)} − {figure_text(v)} / {figure_text(1 + g / 100)} = {figure_text(value)}"
    if check == "increment_gap":
        va, ga, vb, gb = (s(n) for n in ("value_a", "growth_a", "value_b", "growth_b"))
        a, b, t = rules.increment(va, ga), rules.increment(vb, gb), figure_text
        return a - b, (f"({t(va)} − {t(va)} / {t(1 + ga / 100)}) − ({t(vb)} − {t(vb)} / {t(1 + gb / 100)}) = "
                       f"{t(a)} − {t(b)} = {t(a - b)}")
    if check == "difference":
        value = s("minuend") - s("subtrahend")
        return value, f"{figure_text(s('minuend'))} − {figure_text(s('subtrahend'))} = {figure_text(value)}"
    if check == "count":
        items = [r for r in ev if r["operand"] == "item" and not r["date"] > article_date]
        when = ", ".join(sorted(r["date"].strftime("%Y-%m") for r in items if not _isnan(r["date"])))
        return float(len(items)), f"{len(items)} found up to the article ({when})"
    raise ValueError(f"no arithmetic for check {check!r}")


def _judge(check: str, used: list[Row], claimed: float, bound: str, low: float | None, high: float | None,
           tolerance_percent: float, article_date: pd.Timestamp, shown: str) -> tuple[bool, float, list[str], str]:
    """One check on one set of evidence rows: (holds, value found, notes, kind of error if it does not)."""
    notes: list[str] = []
    if check == "value":
        values = _values(used)
        hits = [agrees(claimed, v, bound, tolerance_percent, low, high) for v in values]
        pool = [v for v, hit in zip(values, hits) if hit] or values
        target = claimed if not math.isnan(claimed) else (low if low is not None else high)
        found = float(min(pool, key=lambda v: abs(v - target)))
        listing = "; ".join(f"{figure_text(r['value'])} ({r['source_id']})" for r in used)
        notes.append(f"claimed {shown}; sourced {listing}: {'agrees' if any(hits) else 'disagrees'}"
                     + (" (other sources differ)" if any(hits) and not all(hits) else ""))
        return any(hits), found, notes, "does_not_fit"
    if check == "rising":
        points = sorted(used, key=lambda r: (_isnan(r["date"]), r["date"] if not _isnan(r["date"]) else 0))
        rising = is_rising(_values(points))
        series = " → ".join(f"{figure_text(r['value'])} ({r['date'].year})" for r in points)
        notes.append(f"{series}: {'rising' if rising else 'not rising'} in every step")
        return rising, float(points[-1]["value"]), notes, "does_not_fit"
    if check == "scale":
        reference = _sum(used, "reference")
        k = scale_reading(claimed, reference)
        refs = ", ".join(r["label"].split(",")[0] for r in used)
        if k == 0:
            notes.append(f"equals {figure_text(reference)} stated elsewhere")
        elif k is None:
            notes.append(f"claimed {figure_text(claimed)} against {figure_text(reference)} ({refs})")
        else:
            notes.append(f"off by a factor of {10 ** abs(k):,} against {figure_text(reference)} ({refs}): "
                         f"a garbled figure; the reading that fits is {figure_text(claimed * 10.0**k)}")
        return k == 0, reference, notes, "does_not_fit" if k is None else "power_of_ten"
    found, arithmetic = _compute(check, used, article_date)
    ok = agrees(claimed, found, bound, tolerance_percent, low, high)
    notes.append(f"{arithmetic}; claimed {shown}" + ("" if ok else ": does not fit"))
    kind = "does_not_fit"
    if check == "increment" and not ok:
        slip = rules.misapplied_increment(_sum(used, "value"), _sum(used, "growth"))
        if math.isclose(slip, claimed, abs_tol=rounding_halfwidth(claimed) * 2):
            kind = "misapplied_growth"
            notes.append(f"the claimed {figure_text(claimed)} is {figure_text(_sum(used, 'value'))} × "
                         f"{figure_text(_sum(used, 'growth'))} %: the growth rate applied to the new value, "
                         "not to the year-earlier base")
    if check in ("increment_gap", "difference") and not ok and math.copysign(1, found) == math.copysign(1, claimed):
        notes.append("the direction holds, the size does not")
    return ok, found, notes, kind


def _missing_note(missing: list[Row]) -> str:
    """The evidence a check lacks, grouped by why it is missing (``left_out``)."""
    reasons = [("" if _isnan(r.get("left_out")) else r.get("left_out")) or "not known at the as-of date"
               for r in missing]
    return "; ".join(f"evidence {why}: " + "; ".join(r["label"] for r, w in zip(missing, reasons) if w == why)
                     for why in dict.fromkeys(reasons))


def _by_definition(used: list[Row]) -> list[tuple[str, list[Row]]]:
    """The evidence split by definition (rows without one go with every definition); one group if
    the rows follow at most one definition."""
    names = sorted({r.get("definition", "") for r in used} - {""})
    if len(names) < 2:
        return [("", used)]
    return [(n, [r for r in used if r["definition"] in (n, "")]) for n in names]


def evaluate_claim(claim: pd.Series, rule: pd.Series, ev: list[Row], article_date: pd.Timestamp,
                   tolerance_percent: float, notes: list[str] | None = None) -> Verdict:
    """The verdict for one claim from its rule (check, bound, reading), its evidence rows (records of
    ``link_evidence``'s frame) and the curated ``notes`` of its claim_checks rows (appended to the explanation).

    Evidence from several definitions (``DEFINITION``) is checked under each on its own: the claim is
    confirmed (contradicted) when it holds (fails) under all of them, else ``depends_on_definition``.
    """
    check, bound = str(rule["check"]), str(rule["bound"]) if pd.notna(rule["bound"]) else "exact"
    low = None if pd.isna(rule["reading_low"]) else float(rule["reading_low"])
    high = None if pd.isna(rule["reading_high"]) else float(rule["reading_high"])
    claimed = float(claim["value"]) if pd.notna(claim["value"]) and bound != "range" else math.nan
    if math.isnan(claimed) and bound != "range" and check not in ("none", "rising"):
        raise CheckError(f"claim {claim['claim_id']}: no value to check; give a range reading or use check 'none'")
    operands = CHECKS[check]
    used = [r for r in ev if r["operand"] in operands and r["found"]]
    missing = [r for r in ev if r["operand"] in operands and not r["found"]]
    statuses: list[str] = []
    curated, notes = list(notes or []), []
    shown = f"{_BOUND_WORDS[bound]}{figure_text(claimed)}" if bound != "range" else _reading(low, high)
    found, kind, split = math.nan, "", ""
    if check == "none":
        pass  # the curated note says why nothing can be checked
    elif not used or (missing and check != "value"):
        notes.append(_missing_note(missing) or "no evidence row")
    else:
        if missing:  # "value": each row is a source of its own; judged on the rows left
            notes.append(_missing_note(missing))
        internal = all(r["source_id"] == ARTICLE for r in used)
        ok_word, bad_word = ("consistent", "inconsistent") if internal else ("confirmed", "contradicted")
        results = [(name, *_judge(check, rows, claimed, bound, low, high, tolerance_percent, article_date, shown))
                   for name, rows in _by_definition(used)]
        held = [ok for _, ok, *_ in results]
        if len(results) == 1:
            _, ok, found, found_notes, kind = results[0]
            notes += found_notes
        else:
            notes += [f"{name}: " + "; ".join(n) for name, _, _, n, _ in results]
            yes = [name for name, ok, *_ in results if ok]
            no = [name for name, ok, *_ in results if not ok]
            if yes and no:
                split = f"holds under {' and '.join(yes)}'s definition, not under {' and '.join(no)}'s"
                notes.append(split)
            found = next((f for _, ok, f, *_ in results if ok), results[0][2])
            kind = next((k for _, ok, _, _, k in results if not ok), "")
        status = ok_word if all(held) else bad_word if not any(held) else "depends_on_definition"
        statuses.append(status)
        kind = kind if status == "inconsistent" else ""
    dated = [r["date"] for r in used if not _isnan(r["date"])]
    reference = max(dated) if dated else article_date
    later = sorted((r for r in ev if r["operand"] == "later" and r["found"] and r["date"] > reference
                    and not _isnan(r["value"])), key=lambda r: (r["date"], r["source_id"]))
    for r in later:
        if r["ceiling"]:
            notes.append(f"later: an additional commitment of up to {figure_text(r['value'])} ({r['label']}, "
                         f"{r['source_id']}), not a new total")
    later = [r for r in later if not r["ceiling"]]
    # a later figure counts if it differs beyond the claim's rounding (no tolerance: a new figure is new)
    newer = [r for r in later if math.isnan(claimed) or not agrees(claimed, r["value"], "exact", 0.0)]
    if newer:
        last = newer[-1]
        statuses.append("outdated")
        notes.append(f"later figure: {figure_text(last['value'])} ({last['label']}, {last['source_id']})")
    context = [r for r in ev if r["operand"] == "context" and r["found"]]
    if context:
        notes.append("context: " + "; ".join(f"{figure_text(r['value'])} ({r['label']}, {r['source_id']})"
                                              for r in context))
    status = primary_status(statuses)
    return Verdict(status, found, ". ".join(notes + curated), kind, split if status == "depends_on_definition" else "")


def ledger(claims: pd.DataFrame, checks: pd.DataFrame, evidence: pd.DataFrame, article_date: pd.Timestamp,
           tolerance_percent: float) -> pd.DataFrame:
    """One row per claim: quote, the claimed value it is tested on (empty for a quantifier or a
    direction read as a range), the value found, status, explanation, kind of error, the definitions
    a depends_on_definition claim holds and fails under (``definition_split``) and sources."""
    validate_checks(checks, claims)
    by_claim = checks.assign(item=checks["item"].astype(int)).sort_values("item").groupby("claim_id", sort=True).first()
    rows = []
    evidence_of = {claim_id: group.to_dict("records") for claim_id, group in evidence.groupby("claim_id", sort=False)}
    notes_of = checks.dropna(subset=["note"]).groupby("claim_id", sort=False)["note"].agg(
        lambda notes: list(dict.fromkeys(notes.astype(str))))
    for claim in claims.sort_values("claim_id").itertuples(index=False):
        claim = pd.Series(claim._asdict())
        ev = evidence_of.get(claim["claim_id"], [])
        rule = by_claim.loc[claim["claim_id"]]
        verdict = evaluate_claim(claim, rule, ev, article_date, tolerance_percent, notes_of.get(claim["claim_id"], []))
        sources = sorted({r["source_id"] for r in ev if r["found"]} - {ARTICLE})
        bound = rule["bound"] if pd.notna(rule["bound"]) else ""
        rows.append({"claim_id": claim["claim_id"], "claim_en": claim["claim_en"], "quote_de": claim["quote_de"],
                     "claimed": math.nan if bound == "range" else claim["value"], "unit": claim["unit"],
                     "check": rule["check"], "bound": bound, "found": verdict.found, "status": verdict.status,
                     "explanation": verdict.explanation, "error_kind": verdict.kind,
                     "definition_split": verdict.split, "sources": ";".join(sources)})
    frame = pd.DataFrame(rows)
    frame["status"] = pd.Categorical(frame["status"], categories=STATUSES)
    return frame


def article_evidence(tables: Mapping[str, pd.DataFrame], grades: Mapping[str, str] | None = None,
                     as_of: str = "", claim_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """The evidence of the seed article's claims (``link_evidence``) from its tables (``ARTICLE_TABLES``,
    loaded whole, and ``EVIDENCE_TABLES``, loaded whole, ``as_of`` a date or above a grade): every link
    must resolve unless an evidence table was loaded partly (``as_of`` or ``loaded_partly``). With
    ``claim_ids``, only those claims' evidence."""
    missing = sorted(set(ARTICLE_TABLES + EVIDENCE_TABLES) - set(tables))
    if missing:
        raise CheckError(f"tables missing for the fact check: {', '.join(missing)}")
    partly = bool(as_of) or loaded_partly(tables)
    checks = tables["claim_checks"]
    if claim_ids is not None:
        checks = checks[checks["claim_id"].isin(list(claim_ids))]
    return link_evidence(checks, tables, require_all=not partly, grades=grades)


def check_article(tables: Mapping[str, pd.DataFrame], article_date: pd.Timestamp,
                  tolerance_percent: float = DEFAULT_TOLERANCE, as_of: str = "",
                  grades: Mapping[str, str] | None = None, claim_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """The ledger of the seed article from its tables (see ``article_evidence``): the one place where
    its claims are judged. ``claim_ids`` judges only those claims (another report showing a few verdicts),
    by the same rules: each verdict is the one the whole fact check gives."""
    ids = None if claim_ids is None else sorted(set(claim_ids))
    evidence = article_evidence(tables, grades, as_of, ids)
    claims, checks = tables["seed_claims"], tables["claim_checks"]
    if ids is not None:
        unknown = sorted(set(ids) - set(claims["claim_id"]))
        if unknown:
            raise KeyError(f"no claim {', '.join(unknown)} in the fact check")
        claims, checks = claims[claims["claim_id"].isin(ids)], checks[checks["claim_id"].isin(ids)]
    return ledger(claims, checks, evidence, article_date, tolerance_percent)


def claim_verdicts(ledger_frame: pd.DataFrame, claim_ids: Iterable[str]) -> pd.DataFrame:
    """The fact check's verdicts on ``claim_ids``, for another report to show: claim, claimed, found,
    status, explanation and ``held`` (True, False, or missing where the data cannot say)."""
    ids = list(claim_ids)
    unknown = sorted(set(ids) - set(ledger_frame["claim_id"]))
    if unknown:
        raise KeyError(f"no claim {', '.join(unknown)} in the fact check")
    rows = ledger_frame[ledger_frame["claim_id"].isin(ids)].sort_values("claim_id")
    status = rows["status"].astype(str)
    held = pd.array([True if s in HELD_STATUSES else False if s in ("inconsistent", "contradicted") else None
                     for s in status], dtype="boolean")
    cols = ["claim_id", "claim_en", "claimed", "unit", "found", "status", "explanation"]
    return rows[cols].assign(status=status, held=held).reset_index(drop=True)


def status_counts(ledger_frame: pd.DataFrame) -> pd.DataFrame:
    """Claims per status, every status listed (zero where none), in the order of STATUSES, with the
    claims' ids (";"-separated, sorted)."""
    status = ledger_frame["status"].astype(str)
    ids = [";".join(sorted(ledger_frame.loc[status == s, "claim_id"])) for s in STATUSES]
    return pd.DataFrame({"status": STATUSES, "claims": [int((status == s).sum()) for s in STATUSES],
                         "claim_ids": ids})


def error_kinds(ledger_frame: pd.DataFrame) -> pd.DataFrame:
    """The kinds of arithmetic error among the inconsistent claims, counted: kind, its description
    (``ERROR_KINDS``), number of claims and their ids; most frequent first."""
    wrong = ledger_frame[ledger_frame["status"].astype(str) == "inconsistent"]
    rows = [{"kind": k, "error": ERROR_KINDS.get(k, k), "claims": len(g), "claim_ids": ", ".join(sorted(g["claim_id"]))}
            for k, g in wrong.groupby("error_kind", sort=True)]
    out = pd.DataFrame(rows, columns=["kind", "error", "claims", "claim_ids"])
    return out.sort_values(["claims", "kind"], ascending=[False, True]).reset_index(drop=True)


def error_summary(kinds: pd.DataFrame) -> str:
    """One sentence from ``error_kinds``: how many kinds of arithmetic error, each with its claims."""
    if kinds.empty:
        return "No claim is inconsistent with the article's own figures."
    n = int(kinds["claims"].sum())
    head = (f"{n} claim{'s' if n != 1 else ''} do{'es' if n == 1 else ''} not follow from the article's own figures, "
            + ("all of one kind: " if len(kinds) == 1 else f"with {len(kinds)} kinds of error: "))
    return head + "; ".join(f"{r.error} ({r.claim_ids})" for r in kinds.itertuples()) + "."


def coverage(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """What the check rests on: per evidence table its rows, its data end date, and what its load kept
    (``attrs``: rows known as of a date, sources of a grade or better)."""
    rows = [{"table": name, "rows": len(frame), "data_end": frame.attrs.get("data_end", ""),
             "as_of": frame.attrs.get("as_of") or "all data",
             "sources_graded": f"{frame.attrs['min_grade']} or better" if frame.attrs.get("min_grade") else "any"}
            for name, frame in sorted(tables.items()) if name in EVIDENCE_TABLES]
    return pd.DataFrame(rows)


def data_end(tables: Mapping[str, pd.DataFrame]) -> str:
    """The latest data end date of the evidence tables ("" if none says)."""
    ends = [str(tables[n].attrs.get("data_end") or "") for n in EVIDENCE_TABLES if n in tables]
    return max(ends, default="")


# --- what the verdicts rest on, and the answer ----------------------------------------------

#: Statuses whose claims are listed with their evidence and recorded as key results (``<status>_claim_ids``).
FLAGGED = ("inconsistent", "contradicted", "outdated", "depends_on_definition")
#: Key results that are a claim's recomputed or re-read figure: name → claim id.
FIGURES = {"azure_net_new_fy2025_article_implied_usd_billion": ("S40", 2),
           "aws_net_new_fy2025_article_implied_usd_billion": ("S43", 2),
           "microsoft_investment_reading_usd_billion": ("S20", 1)}
WEAK = "weak"


def support(evidence: pd.DataFrame, grades: Mapping[str, str]) -> pd.DataFrame:
    """What each claim's sourced evidence rests on (the article's own figures left out): its rows, the
    rows whose source is graded weak, its best grade, and whether it rests on weak sources only."""
    rows = evidence[evidence["found"] & (evidence["source_id"] != ARTICLE)]
    rows = rows.assign(grade=rows["source_id"].map(lambda i: grades.get(i, "")).astype(str))
    rows = rows.assign(rank=rules.grade_rank(rows["grade"]))
    out = [{"claim_id": claim_id, "rows": len(g), "weak_rows": int((g["grade"] == WEAK).sum()),
            "best_grade": g.sort_values(["rank", "grade"])["grade"].iloc[0]}
           for claim_id, g in rows.groupby("claim_id", sort=True)]
    frame = pd.DataFrame(out, columns=["claim_id", "rows", "weak_rows", "best_grade"])
    return frame.assign(weak_only=frame["rows"].gt(0) & frame["rows"].eq(frame["weak_rows"]))


def _ids(ledger_frame: pd.DataFrame, status: str) -> list[str]:
    return sorted(ledger_frame.loc[ledger_frame["status"].astype(str) == status, "claim_id"])


def _figure(ledger_frame: pd.DataFrame, claim_id: str, decimals: int) -> float | None:
    found = ledger_frame.set_index("claim_id")["found"]
    return None if claim_id not in found.index or pd.isna(found[claim_id]) else round(float(found[claim_id]), decimals)


def key_results(ledger_frame: pd.DataFrame, support_frame: pd.DataFrame) -> dict[str, object]:
    """The fact check's key results (declared in ``kit.key_results``): claims per status, the claims
    that held (``HELD_STATUSES``), the ids of the flagged claims, the kinds of arithmetic error, the
    share of sourced evidence rows from weak sources, the claims judged against sources that rest on
    weak sources only, and the figures recomputed from the article's own numbers (``FIGURES``)."""
    status = ledger_frame["status"].astype(str)
    judged = set(ledger_frame.loc[status.isin(SOURCED_STATUSES), "claim_id"])
    weak_only = support_frame[support_frame["weak_only"] & support_frame["claim_id"].isin(judged)]
    rows, weak = int(support_frame["rows"].sum()), int(support_frame["weak_rows"].sum())
    return {
        "claims": len(ledger_frame),
        "claims_held": int(status.isin(HELD_STATUSES).sum()),
        "claims_checked_against_sources": len(judged),
        **{f"claims_{s}": int((status == s).sum()) for s in STATUSES},
        **{f"{s}_claim_ids": _ids(ledger_frame, s) for s in FLAGGED},
        "arithmetic_error_kinds": int(ledger_frame.loc[status == "inconsistent", "error_kind"].nunique()),
        "evidence_rows": rows,
        "evidence_weak_share_percent": round(100.0 * weak / rows, 1) if rows else None,
        "weak_only_claim_ids": sorted(weak_only["claim_id"]),
        **{name: _figure(ledger_frame, claim_id, decimals) for name, (claim_id, decimals) in FIGURES.items()},
    }


def _claims(n_text: str, n: int, verb: tuple[str, str] = ("is", "are"), noun: bool = True) -> str:
    word = (" claim" if n == 1 else " claims") if noun else ""
    return f"{n_text}{word} {verb[0] if n == 1 else verb[1]}"


def _listed(text: str) -> str:
    return "" if text == "none" else f" ({text})"


def settings_sentence(as_of: str, tolerance_percent: float, min_grade: str, end: str) -> str:
    """Under which settings the verdicts hold: the data (all, or as known at ``as_of``), the source grades
    and the tolerance."""
    data = f"what was known on {as_of}" if as_of else "all the data" + (f" (to {end})" if end else "")
    grade = f"only sources graded {min_grade} or better" if min_grade else "sources of every grade"
    margin = (f"the claim's rounding plus {tolerance_percent:g} %" if tolerance_percent
              else "the claim's rounding alone")
    return f"Checked against {data} and {grade}; a figure agrees when it lies within {margin}."


def answer_sentences(results: Mapping[str, object], ledger_frame: pd.DataFrame, settings: str,
                     value: Callable[[str, object], str]) -> list[str]:
    """The answer of the fact check, five sentences from its key results (``key_results``), each number
    formatted by ``value(name, x)`` (the key result's declaration): what holds, what is wrong and of
    which kinds, what depends on a definition, how sure, and under which ``settings``."""
    r, v = results, (lambda name: value(name, results[name]))  # noqa: E731
    split = ledger_frame[ledger_frame["definition_split"].astype(str) != ""]
    outdated = r["claims_outdated"]
    held = (f"Of the article's {v('claims')} claims, {v('claims_held')} hold: {v('claims_consistent')} follow "
            f"from its own figures, {v('claims_confirmed')} are confirmed by sources, and "
            f"{_claims(v('claims_outdated'), outdated, ('was', 'were'), noun=False)} right when written but "
            f"{'has' if outdated == 1 else 'have'} since been overtaken by "
            f"{'a later figure' if outdated == 1 else 'later figures'}{_listed(v('outdated_claim_ids'))}.")
    wrong = error_summary(error_kinds(ledger_frame))
    against = (f"{_claims(v('claims_contradicted'), r['claims_contradicted'])} contradicted by sources"
               f"{_listed(v('contradicted_claim_ids'))}")
    if len(split):
        against += "; " + "; ".join(f"{c} depends on whose definition is used: it {t}" for c, t
                                    in zip(split["claim_id"], split["definition_split"]))
    weak_only = len(r["weak_only_claim_ids"])
    sure = (f"{_claims(v('claims_unverifiable'), r['claims_unverifiable'])} unverifiable with the data; "
            f"{v('evidence_weak_share_percent')} of the {v('evidence_rows')} sourced evidence rows come from weak "
            f"hosts, and {weak_only or 'none'} of the {v('claims_checked_against_sources')} claims judged against "
            f"sources {'rest' if weak_only > 1 else 'rests'} on weak hosts only{_listed(v('weak_only_claim_ids'))}.")
    return [held, wrong, against + ".", sure, settings]


def _short(text: str, width: int = 44) -> str:
    return text if len(text) <= width else text[:width].rsplit(" ", 1)[0] + " …"


def deviations(ledger_frame: pd.DataFrame, min_percent: float = 0.0) -> pd.DataFrame:
    """Claims stated as exact figures with a number on both sides: (claimed − found) / |found| in
    percent, keeping those at least ``min_percent`` away, largest first. Bounds ("more than") and
    quantifier readings are left out: a distance from them means nothing."""
    both = ledger_frame[ledger_frame["claimed"].notna() & ledger_frame["found"].notna()
                        & (ledger_frame["found"] != 0) & (ledger_frame["bound"] == "exact")]
    out = pd.DataFrame({
        "claim_id": both["claim_id"],
        "claim": both["claim_id"] + ": " + both["claim_en"].map(_short),
        "claimed": both["claimed"], "found": both["found"],
        "deviation_percent": ((both["claimed"] - both["found"]) / both["found"].abs() * 100).round(1),
        "status": both["status"].astype(str),
    })
    out = out.assign(size=out["deviation_percent"].abs())
    out = out[out["size"] >= min_percent]
    return out.sort_values(["size", "claim_id"], ascending=[False, True]).drop(columns="size").reset_index(drop=True)


def evidence_table(evidence: pd.DataFrame, claim_ids: Iterable[str]) -> pd.DataFrame:
    """The evidence rows behind ``claim_ids``, for display: claim, role, table row, value, date, flag,
    source, and (where a row was left out of this run's data) why it is missing."""
    rows = evidence[evidence["claim_id"].isin(list(claim_ids))]
    frame = pd.DataFrame({
        "claim": rows["claim_id"], "operand": rows["operand"], "table": rows["table"], "row": rows["label"],
        "value": rows["value"], "date": rows["date"], "flag": rows["row_status"],
        "source_id": rows["source_id"].where(rows["found"], ""),
    })
    if "left_out" in rows.columns and (rows["left_out"] != "").any():
        frame["missing_because"] = rows["left_out"]
    return frame.reset_index(drop=True)
