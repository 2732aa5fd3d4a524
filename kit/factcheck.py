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
from typing import Iterable

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


def select(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """Rows of ``frame`` matching ``key`` ("column=value|column=value", compared as text)."""
    mask = pd.Series(True, index=frame.index)
    for col, value in _parse_key(key):
        if col not in frame.columns:
            raise KeyError(f"no column {col!r}; columns: {', '.join(frame.columns)}")
        mask &= _cell_text(frame[col]) == value
    return frame[mask]


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
    for claim_id, rows in checks.groupby("claim_id", sort=True):
        for col in ("check", "bound", "reading_low", "reading_high"):
            if rows[col].astype("string").fillna("").nunique() > 1:
                raise CheckError(f"claim {claim_id}: its claim_checks rows disagree on {col!r}")
        check = str(rows["check"].iloc[0])
        if check not in CHECKS:
            raise CheckError(f"claim {claim_id}: unknown check {check!r}; checks: {', '.join(CHECKS)}")
        bound = rows["bound"].iloc[0]
        if pd.notna(bound) and str(bound) not in BOUNDS:
            raise CheckError(f"claim {claim_id}: unknown bound {bound!r}; bounds: {', '.join(BOUNDS)}")
        operands = set(rows["operand"].dropna().astype(str))
        allowed = set(CHECKS[check]) | set(EXTRA_OPERANDS)
        if operands - allowed:
            raise CheckError(f"claim {claim_id}: operand(s) {sorted(operands - allowed)} not used by check "
                             f"{check!r} (needs {', '.join(CHECKS[check]) or 'none'})")
        if set(CHECKS[check]) - operands:
            raise CheckError(f"claim {claim_id}: check {check!r} needs operand(s) "
                             f"{sorted(set(CHECKS[check]) - operands)}")


def link_evidence(checks: pd.DataFrame, tables: dict[str, pd.DataFrame],
                  require_all: bool = True) -> pd.DataFrame:
    """One row per piece of evidence: the claim, its operand, the table row's label, value, date,
    status and source, its ``definition`` (``DEFINITION``: e.g. the research firm of a market share)
    and ``ceiling`` (a funding row whose amount is an "up to" ceiling, ``rules.is_up_to``). Each link
    names exactly one row: its key and its source.

    With ``require_all`` a link that matches no row raises CheckError; without it (data loaded
    ``as_of`` an earlier date) it is kept with ``found`` False.
    """
    out = []
    checks = checks.assign(item=checks["item"].astype(int))
    for link in checks.sort_values(["claim_id", "item"]).itertuples(index=False):
        if pd.isna(link.operand):
            continue
        where = f"claim {link.claim_id}, item {link.item} ({link.evidence_table}: {link.evidence_key})"
        if link.evidence_table not in tables:
            raise CheckError(f"{where}: no table {link.evidence_table!r} given; tables: {', '.join(sorted(tables))}")
        frame = tables[link.evidence_table]
        try:
            rows = select(frame, link.evidence_key)
        except (KeyError, ValueError) as exc:
            raise CheckError(f"{where}: {exc}") from None
        if link.evidence_column not in frame.columns:
            raise CheckError(f"{where}: no column {link.evidence_column!r} in {link.evidence_table}")
        if pd.isna(link.source_id):
            raise CheckError(f"{where}: no source_id; each link names one row by its key and source")
        rows = rows[rows["source_id"].astype(str) == link.source_id]
        if len(rows) > 1:
            raise CheckError(f"{where}: matches {len(rows)} rows of source {link.source_id}; make the key unique")
        base = {"claim_id": link.claim_id, "item": int(link.item), "operand": link.operand,
                "table": link.evidence_table, "source_id": link.source_id}
        if rows.empty:
            if require_all:
                raise CheckError(f"{where}: no row of source {link.source_id} matches")
            out.append({**base, "label": link.evidence_key, "value": math.nan, "date": pd.NaT,
                        "row_status": "", "definition": "", "ceiling": False, "found": False})
            continue
        row = rows.iloc[0]
        date_col = _date_column(frame)
        status = row["status"] if "status" in row.index else ""
        definition = DEFINITION.get(link.evidence_table)
        ceiling = "amount_usd_billion" in rows.columns and bool(rules.is_up_to(rows).iloc[0])
        out.append({**base, "label": _label(link.evidence_table, row), "value": _numeric(row[link.evidence_column]),
                    "date": row[date_col] if date_col else pd.NaT,
                    "row_status": "" if pd.isna(status) else str(status),
                    "definition": str(row[definition]) if definition else "", "ceiling": ceiling, "found": True})
    columns = ["claim_id", "item", "operand", "table", "label", "value", "date", "row_status", "source_id",
               "definition", "ceiling", "found"]
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
    """The outcome of one claim's check; ``kind`` is an inconsistent claim's kind of error (ERROR_KINDS)."""

    status: str
    found: float
    explanation: str
    kind: str = ""


def _fmt(x: float | None) -> str:
    if x is None or math.isnan(x):
        return "n/a"
    return f"{x:.2f}".rstrip("0").rstrip(".") if abs(x) < 1e5 else f"{x:.0f}"


def _reading(low: float | None, high: float | None) -> str:
    if high is None:
        return f"read as at least {_fmt(low)}"
    if low is None:
        return f"read as at most {_fmt(high)}"
    return f"read as {_fmt(low)}" if low == high else f"read as {_fmt(low)} to {_fmt(high)}"


_BOUND_WORDS = {"exact": "", "at_least": "at least ", "at_most": "at most ", "range": ""}


def _sum(ev: pd.DataFrame, operand: str) -> float:
    return float(ev.loc[ev["operand"] == operand, "value"].sum(min_count=1))


def _compute(check: str, ev: pd.DataFrame, article_date: pd.Timestamp) -> tuple[float, str]:
    """The recomputed value and the arithmetic, written out."""
    s = lambda name: _sum(ev, name)  # noqa: E731
    if check == "sum":
        terms = ev.loc[ev["operand"] == "term", "value"]
        return s("term"), " + ".join(_fmt(v) for v in terms) + f" = {_fmt(s('term'))}"
    if check == "ratio":
        value = ratio(s("numerator"), s("denominator"))
        return value, f"{_fmt(s('numerator'))} / {_fmt(s('denominator'))} = {_fmt(value)}"
    if check == "share":
        value = share(s("part"), s("whole"))
        return value, f"{_fmt(s('part'))} / {_fmt(s('whole'))} × 100 = {_fmt(value)} %"
    if check == "part_of":
        value = part_of(s("whole"), s("share"))
        return value, f"{_fmt(s('whole'))} × {_fmt(s('share'))} % = {_fmt(value)}"
    if check == "growth":
        value = rules.growth(s("current"), s("previous"))
        return value, f"{_fmt(s('current'))} / {_fmt(s('previous'))} − 1 = {_fmt(value)} %"
    if check == "increment":
        v, g = s("value"), s("growth")
        value = rules.increment(v, g)
        return value, f"{_fmt(v)} − {_fmt(v)} / {_fmt(1 + g / 100)} = {_fmt(value)}"
    if check == "increment_gap":
        a, b = rules.increment(s("value_a"), s("growth_a")), rules.increment(s("value_b"), s("growth_b"))
        return a - b, (f"({_fmt(s('value_a'))} − {_fmt(s('value_a'))} / {_fmt(1 + s('growth_a') / 100)}) − "
                       f"({_fmt(s('value_b'))} − {_fmt(s('value_b'))} / {_fmt(1 + s('growth_b') / 100)}) = "
                       f"{_fmt(a)} − {_fmt(b)} = {_fmt(a - b)}")
    if check == "difference":
        value = s("minuend") - s("subtrahend")
        return value, f"{_fmt(s('minuend'))} − {_fmt(s('subtrahend'))} = {_fmt(value)}"
    if check == "count":
        items = ev[(ev["operand"] == "item") & ~(ev["date"] > article_date)]
        when = ", ".join(sorted(d.strftime("%Y-%m") for d in items["date"].dropna()))
        return float(len(items)), f"{len(items)} found up to the article ({when})"
    raise ValueError(f"no arithmetic for check {check!r}")


def _judge(check: str, used: pd.DataFrame, claimed: float, bound: str, low: float | None, high: float | None,
           tolerance_percent: float, article_date: pd.Timestamp, shown: str) -> tuple[bool, float, list[str], str]:
    """One check on one set of evidence rows: (holds, value found, notes, kind of error if it does not)."""
    notes: list[str] = []
    if check == "value":
        hits = [agrees(claimed, v, bound, tolerance_percent, low, high) for v in used["value"]]
        pool = [v for v, hit in zip(used["value"], hits) if hit] or list(used["value"])
        target = claimed if not math.isnan(claimed) else (low if low is not None else high)
        found = float(min(pool, key=lambda v: abs(v - target)))
        listing = "; ".join(f"{_fmt(v)} ({sid})" for v, sid in zip(used["value"], used["source_id"]))
        notes.append(f"claimed {shown}; sourced {listing}: {'agrees' if any(hits) else 'disagrees'}"
                     + (" (other sources differ)" if any(hits) and not all(hits) else ""))
        return any(hits), found, notes, "does_not_fit"
    if check == "rising":
        points = used.sort_values("date")
        rising = is_rising(list(points["value"]))
        series = " → ".join(f"{_fmt(v)} ({d.year})" for v, d in zip(points["value"], points["date"]))
        notes.append(f"{series}: {'rising' if rising else 'not rising'} in every step")
        return rising, float(points["value"].iloc[-1]), notes, "does_not_fit"
    if check == "scale":
        reference = _sum(used, "reference")
        k = scale_reading(claimed, reference)
        refs = ", ".join(used["label"].str.split(",").str[0])
        if k == 0:
            notes.append(f"equals {_fmt(reference)} stated elsewhere")
        elif k is None:
            notes.append(f"claimed {_fmt(claimed)} against {_fmt(reference)} ({refs})")
        else:
            notes.append(f"off by a factor of {10 ** abs(k):,} against {_fmt(reference)} ({refs}): "
                         f"a garbled figure; the reading that fits is {_fmt(claimed * 10.0**k)}")
        return k == 0, reference, notes, "does_not_fit" if k is None else "power_of_ten"
    found, arithmetic = _compute(check, used, article_date)
    ok = agrees(claimed, found, bound, tolerance_percent, low, high)
    notes.append(f"{arithmetic}; claimed {shown}" + ("" if ok else ": does not fit"))
    kind = "does_not_fit"
    if check == "increment" and not ok:
        slip = rules.misapplied_increment(_sum(used, "value"), _sum(used, "growth"))
        if math.isclose(slip, claimed, abs_tol=rounding_halfwidth(claimed) * 2):
            kind = "misapplied_growth"
            notes.append(f"the claimed {_fmt(claimed)} is {_fmt(_sum(used, 'value'))} × "
                         f"{_fmt(_sum(used, 'growth'))} %: the growth rate applied to the new value, "
                         "not to the year-earlier base")
    if check in ("increment_gap", "difference") and not ok and math.copysign(1, found) == math.copysign(1, claimed):
        notes.append("the direction holds, the size does not")
    return ok, found, notes, kind


def _by_definition(used: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The evidence split by definition (rows without one go with every definition); one group if
    the rows follow at most one definition."""
    names = sorted(set(used["definition"]) - {""}) if "definition" in used.columns else []
    if len(names) < 2:
        return [("", used)]
    return [(n, used[used["definition"].isin([n, ""])]) for n in names]


def evaluate_claim(claim: pd.Series, rule: pd.Series, ev: pd.DataFrame, article_date: pd.Timestamp,
                   tolerance_percent: float, notes: list[str] | None = None) -> Verdict:
    """The verdict for one claim from its rule (check, bound, reading), its evidence rows and the
    curated ``notes`` of its claim_checks rows (appended to the explanation).

    Evidence from several definitions (``DEFINITION``) is checked under each on its own: the claim is
    confirmed (contradicted) when it holds (fails) under all of them, else ``depends_on_definition``.
    """
    check, bound = str(rule["check"]), str(rule["bound"]) if pd.notna(rule["bound"]) else "exact"
    low = None if pd.isna(rule["reading_low"]) else float(rule["reading_low"])
    high = None if pd.isna(rule["reading_high"]) else float(rule["reading_high"])
    claimed = float(claim["value"]) if pd.notna(claim["value"]) and bound != "range" else math.nan
    if math.isnan(claimed) and bound != "range" and check not in ("none", "rising"):
        raise CheckError(f"claim {claim['claim_id']}: no value to check; give a range reading or use check 'none'")
    used = ev[ev["operand"].isin(CHECKS[check]) & ev["found"]]
    missing = ev[ev["operand"].isin(CHECKS[check]) & ~ev["found"]]
    statuses: list[str] = []
    curated, notes = list(notes or []), []
    shown = f"{_BOUND_WORDS[bound]}{_fmt(claimed)}" if bound != "range" else _reading(low, high)
    found, kind = math.nan, ""
    if check == "none":
        pass  # the curated note says why nothing can be checked
    elif not missing.empty or used.empty:
        notes.append("evidence not known at the as-of date: " + "; ".join(missing["label"]))
    else:
        internal = bool((used["source_id"] == ARTICLE).all())
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
                notes.append(f"holds under {' and '.join(yes)}'s definition, not under {' and '.join(no)}'s")
            found = next((f for _, ok, f, *_ in results if ok), results[0][2])
            kind = next((k for _, ok, _, _, k in results if not ok), "")
        status = ok_word if all(held) else bad_word if not any(held) else "depends_on_definition"
        statuses.append(status)
        kind = kind if status == "inconsistent" else ""
    reference = used["date"].max() if not used.empty and used["date"].notna().any() else article_date
    later = ev[(ev["operand"] == "later") & ev["found"] & (ev["date"] > reference) & ev["value"].notna()]
    later = later.sort_values(["date", "source_id"])
    for r in later[later["ceiling"]].itertuples():
        notes.append(f"later: an additional commitment of up to {_fmt(r.value)} ({r.label}, {r.source_id}), "
                     "not a new total")
    later = later[~later["ceiling"]]
    if not later.empty:
        # a later figure counts if it differs beyond the claim's rounding (no tolerance: a new figure is new)
        newer = [r for r in later.itertuples() if math.isnan(claimed) or not agrees(claimed, r.value, "exact", 0.0)]
        if newer:
            last = newer[-1]
            statuses.append("outdated")
            notes.append(f"later figure: {_fmt(last.value)} ({last.label}, {last.source_id})")
    context = ev[(ev["operand"] == "context") & ev["found"]]
    if not context.empty:
        notes.append("context: " + "; ".join(f"{_fmt(v)} ({lab}, {sid})" for v, lab, sid
                                              in zip(context["value"], context["label"], context["source_id"])))
    return Verdict(primary_status(statuses), found, ". ".join(notes + curated), kind)


def ledger(claims: pd.DataFrame, checks: pd.DataFrame, evidence: pd.DataFrame, article_date: pd.Timestamp,
           tolerance_percent: float) -> pd.DataFrame:
    """One row per claim: quote, the claimed value it is tested on (empty for a quantifier or a
    direction read as a range), the value found, status, explanation, kind of error and sources."""
    validate_checks(checks, claims)
    by_claim = checks.assign(item=checks["item"].astype(int)).sort_values("item").groupby("claim_id", sort=True).first()
    rows = []
    for claim in claims.sort_values("claim_id").itertuples(index=False):
        claim = pd.Series(claim._asdict())
        ev = evidence[evidence["claim_id"] == claim["claim_id"]]
        rule = by_claim.loc[claim["claim_id"]]
        notes = checks.loc[checks["claim_id"] == claim["claim_id"], "note"].dropna().astype(str)
        verdict = evaluate_claim(claim, rule, ev, article_date, tolerance_percent, list(dict.fromkeys(notes)))
        sources = sorted(set(ev.loc[ev["found"], "source_id"]) - {ARTICLE})
        bound = rule["bound"] if pd.notna(rule["bound"]) else ""
        rows.append({"claim_id": claim["claim_id"], "claim_en": claim["claim_en"], "quote_de": claim["quote_de"],
                     "claimed": math.nan if bound == "range" else claim["value"], "unit": claim["unit"],
                     "check": rule["check"], "bound": bound, "found": verdict.found, "status": verdict.status,
                     "explanation": verdict.explanation, "error_kind": verdict.kind, "sources": ";".join(sources)})
    frame = pd.DataFrame(rows)
    frame["status"] = pd.Categorical(frame["status"], categories=STATUSES)
    return frame


def check_article(tables: dict[str, pd.DataFrame], article_date: pd.Timestamp,
                  tolerance_percent: float = DEFAULT_TOLERANCE, as_of: str = "") -> pd.DataFrame:
    """The ledger of the seed article from its tables (``ARTICLE_TABLES``, loaded whole, and
    ``EVIDENCE_TABLES``, loaded ``as_of``): the one place where its claims are judged. Evidence left out
    by ``as_of`` or by a ``min_grade`` load (``attrs``) makes a claim unverifiable, never an error."""
    missing = sorted(set(ARTICLE_TABLES + EVIDENCE_TABLES) - set(tables))
    if missing:
        raise CheckError(f"tables missing for the fact check: {', '.join(missing)}")
    filtered = bool(as_of) or any(tables[name].attrs.get("min_grade") for name in EVIDENCE_TABLES)
    evidence = link_evidence(tables["claim_checks"], tables, require_all=not filtered)
    return ledger(tables["seed_claims"], tables["claim_checks"], evidence, article_date, tolerance_percent)


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
    """Claims per status, every status listed (zero where none), in the order of STATUSES."""
    counts = ledger_frame["status"].value_counts().reindex(STATUSES, fill_value=0)
    return pd.DataFrame({"status": STATUSES, "claims": counts.to_numpy().astype(int)})


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


def html_table(frame: pd.DataFrame, anchor: tuple[str, str] | None = None,
               links: dict[str, str] | None = None) -> str:
    """``frame`` as an HTML table. ``anchor`` = (column, prefix) gives the first row of each value
    ``id="<prefix>-<value>"``; the cells of each column in ``links`` (";"-separated ids) link to
    ``#<prefix>-<id>``."""
    from html import escape

    links = links or {}

    def cell(col: str, value: object) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
            return ""
        if isinstance(value, pd.Timestamp):
            return value.strftime("%Y-%m-%d")
        if isinstance(value, float):
            return _fmt(value)
        text = str(value)
        if col in links and text:
            return "; ".join(f'<a href="#{links[col]}-{escape(i)}">{escape(i)}</a>' for i in text.split(";"))
        return escape(text)

    head = "".join(f"<th>{escape(str(c))}</th>" for c in frame.columns)
    body, seen = [], set()
    for row in frame.itertuples(index=False):
        values = dict(zip(frame.columns, row))
        key = str(values[anchor[0]]) if anchor else None
        rid = f' id="{anchor[1]}-{escape(key)}"' if anchor and key not in seen else ""
        seen.add(key)
        tds = "".join(f"<td>{cell(c, v)}</td>" for c, v in values.items())
        body.append(f"<tr{rid}>{tds}</tr>")
    return (f'<table class="dataframe" style="text-align:left"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


def coverage(tables: dict[str, pd.DataFrame], article_date: pd.Timestamp, as_of: str = "") -> pd.DataFrame:
    """What the check rests on: per evidence table its rows, its data end date and the as-of date."""
    rows = [{"table": name, "rows": len(frame), "data_end": frame.attrs.get("data_end", ""),
             "as_of": as_of or "all data", "article_published": article_date.strftime("%Y-%m-%d")}
            for name, frame in sorted(tables.items()) if name != "seed_claims"]
    return pd.DataFrame(rows)


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
    """The evidence rows behind ``claim_ids``, for display: claim, role, table row, value, date, flag, source."""
    rows = evidence[evidence["claim_id"].isin(list(claim_ids))]
    return pd.DataFrame({
        "claim": rows["claim_id"], "operand": rows["operand"], "table": rows["table"], "row": rows["label"],
        "value": rows["value"], "date": rows["date"], "flag": rows["row_status"],
        "source_id": rows["source_id"].where(rows["found"], ""),
    }).reset_index(drop=True)
