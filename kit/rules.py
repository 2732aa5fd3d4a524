"""The kit's domain rules, each written once: ranking, as-of, growth arithmetic, funding counting.

Every analysis module, notebook and the fact check uses these; none restates them. This module imports
nothing from ``kit`` (only pandas and numpy), so the data layer (``kit.data``) can use its as-of rule
without importing upward.

Shared quantities: a quantity shown in two reports has one name and one value, computed here.

- ``lab_funding_usd_billion``: a lab's disclosed new money, the sum of the rows ``count_funding`` marks
  ``new_money``: an aggregate round once (never with its components), a closed round instead of the
  announcement it closes, one figure of a conflict, no secondary sale, no "up to" ceiling.
- ``investor_funding_usd_billion``: what one investor put into a lab: the counted rows naming it as the
  only investor, and its stated component of a shared round; its undisclosed parts of shared rounds are
  counted in ``undisclosed_parts``, not guessed.
- ``investor_share_of_funding_percent``: investor_funding ÷ lab_funding × 100, both without ceilings.
- ``investor_share_of_pledged_funding_percent``: the same with "up to" ceilings (letters of intent,
  commitments tied to milestones) counted in full: what has been *pledged*, a different quantity that
  a report must label as such (``include_up_to=True``).
- ``lab_funding_ratio``: OpenAI's lab_funding ÷ Anthropic's, a ``dated_ratio``. Not the article's 2.6
  (its own totals, 79.7 ÷ 31.2), which only the fact check judges (claim S27).
- ``stake_value_usd_billion``: an investor's stake (percent) × its lab's latest post-money valuation
  (dilution after the stake's date not applied): the observed value the partnership model starts from.
- ``profit_share_until_recoup_percent``: the share of OpenAI's profits Microsoft receives until it has
  recouped its investment (the data: 75 %); the article's 49 % is the stake after recoup, and the fact
  check's verdict on it (claim S14) is shown wherever the 49 % appears.
- ``partner_cloud_spend_usd_billion``: a lab's annual spend at its main partner's cloud, whole calendar
  years, one row per figure and source (``partner_cloud_spend``); the latest year's best-status figure is
  the one a model starts from (``latest_partner_cloud_spend``).
- ``increment_usd_billion``: the revenue a year added behind a growth rate, value − value / (1 + g)
  (``increment``); ``misapplied_increment`` is value × g, the slip of applying g to the new value.
- ``growth_percent``: 100 × (current / previous − 1) (``growth``).
- ``dated_ratio``: a ratio of two dated figures, with both dates; refused (missing, with the reason) when
  the dates lie more than one quarter (``MAX_PAIR_DAYS``) apart.

Money in USD billions, percentages as numbers (23 = 23 %).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

__all__ = [
    "STATUS_ORDER", "GRADE_ORDER", "status_rank", "grade_rank", "check_statuses",
    "stated_report_date", "known_from", "known_by",
    "growth", "increment", "misapplied_increment", "MAX_PAIR_DAYS", "dated_ratio",
    "OTHER_INVESTORS", "ANNOUNCEMENT_CLOSE_DAYS", "round_key", "check_round_keys", "is_up_to", "is_secondary",
    "sole_investor", "count_funding", "lab_funding", "investor_rows", "investor_share",
    "SPEND_METRICS", "partner_cloud_spend", "latest_partner_cloud_spend",
]

# ------------------------------------------------------------------ ranking

#: Status flags from firmest to weakest (data/README.md, "Status flags").
STATUS_ORDER: tuple[str, ...] = ("reported", "media_report", "estimate", "leaked", "low_confidence")
#: Source quality grades from best to weakest (data/README.md, "Source quality").
GRADE_ORDER: tuple[str, ...] = ("primary", "primary_copy", "reputable", "weak", "seed")


def _rank(values: pd.Series, order: Sequence[str]) -> pd.Series:
    position = {v: i for i, v in enumerate(order)}
    return values.astype("string").map(position).fillna(len(order)).astype(int)


def status_rank(statuses: pd.Series) -> pd.Series:
    """0 for ``reported`` … 4 for ``low_confidence``; an unknown or missing flag ranks last."""
    return _rank(statuses, STATUS_ORDER)


def grade_rank(grades: pd.Series) -> pd.Series:
    """0 for ``primary`` … 4 for ``seed``; an unknown or missing grade ranks last."""
    return _rank(grades, GRADE_ORDER)


def check_statuses(statuses: Iterable[str], what: str = "statuses") -> list[str]:
    """``statuses`` as a list; a ValueError names any flag that is not one of ``STATUS_ORDER``."""
    statuses = list(statuses)
    unknown = sorted(set(statuses) - set(STATUS_ORDER))
    if unknown:
        raise ValueError(f"{what}: unknown status {', '.join(unknown)}; known: {', '.join(STATUS_ORDER)}")
    return statuses


# ------------------------------------------------------------------ as of

_REPORTED_ON = re.compile(r"reported (?:on )?(\d{4}-\d{2}-\d{2})", re.IGNORECASE)


def stated_report_date(text: pd.Series) -> pd.Series:
    """The report date a row states in its text ("reported 2024-01-30"), else NaT."""
    found = text.astype("string").str.extract(_REPORTED_ON, expand=False)
    return pd.to_datetime(found, format="%Y-%m-%d", errors="coerce")


def published_by(published: pd.Series, precision: pd.Series | None = None) -> pd.Series:
    """The day by which each source was surely out: its date, or for a date known only to the month or the
    year (stored as its first day) the last day of that month or year; a source is never taken as known
    before it could have appeared. Without ``precision`` every date is taken to the day."""
    published = pd.to_datetime(published)
    if precision is None:
        return published
    precision = precision.astype("string").fillna("")
    out = published.copy()
    month, year = precision == "month", precision == "year"
    out[month] = published[month] + pd.offsets.MonthEnd(0)
    out[year] = published[year] + pd.offsets.YearEnd(0)
    return out


def known_from(published: pd.Series, row_date: pd.Series | None = None, lag_days: int = 0,
               stated: pd.Series | None = None) -> pd.Series:
    """When each row became known.

    Its source's publication date (``published_by``: a month or a year counts from its end); for an undated source, the report date the row itself states
    (``stated``, e.g. a period "FY24 Q2 (reported 2024-01-30)"), else the row's own date plus the table's
    reporting lag (``lag_days``); NaT when there is none of these. All series share one index.
    """
    known = pd.to_datetime(published)
    if stated is not None:
        known = known.fillna(stated_report_date(stated))
    if row_date is not None:
        known = known.fillna(pd.to_datetime(row_date) + pd.Timedelta(days=lag_days))
    return known


def known_by(known: pd.Series, as_of: str | pd.Timestamp | None) -> pd.Series:
    """True where a row known from ``known`` counts at ``as_of`` (all rows when as_of is empty; never NaT)."""
    if as_of is None or str(as_of) == "":
        return pd.Series(True, index=known.index)
    return (known <= pd.Timestamp(as_of)).fillna(False).astype(bool)


# ------------------------------------------------------------------ growth arithmetic

def growth(current: float, previous: float) -> float:
    """Growth in percent from ``previous`` to ``current``; ZeroDivisionError on a zero base."""
    if previous == 0:
        raise ZeroDivisionError("growth: the previous value is zero")
    return 100.0 * (current / previous - 1.0)


def increment(value: float, growth_percent: float) -> float:
    """The increase behind a value that grew by ``growth_percent``: value − value / (1 + g)."""
    return value - value / (1.0 + growth_percent / 100.0)


def misapplied_increment(value: float, growth_percent: float) -> float:
    """The common slip: the growth rate applied to the new value instead of the base (value × g)."""
    return value * growth_percent / 100.0


#: Two dated figures may be set against each other when no more than one quarter apart.
MAX_PAIR_DAYS = 92


def dated_ratio(numerator: float, numerator_date: pd.Timestamp, denominator: float,
                denominator_date: pd.Timestamp, max_days: int = MAX_PAIR_DAYS) -> dict:
    """``numerator / denominator`` with both dates and the days between them.

    The ratio is missing, and ``note`` says why, when a figure or date is missing, the denominator is
    zero, or the dates lie more than ``max_days`` apart (figures of different moments).
    """
    a_date, b_date = pd.Timestamp(numerator_date), pd.Timestamp(denominator_date)
    days = abs((a_date - b_date).days) if pd.notna(a_date) and pd.notna(b_date) else None
    out = {"numerator": numerator, "numerator_date": a_date, "denominator": denominator,
           "denominator_date": b_date, "days_apart": days, "ratio": np.nan, "note": ""}
    if pd.isna(numerator) or pd.isna(denominator):
        out["note"] = "a figure is missing"
    elif days is None:
        out["note"] = "a date is missing"
    elif denominator == 0:
        out["note"] = "the denominator is zero"
    elif days > max_days:
        out["note"] = (f"figures {days} days apart ({a_date.date()} and {b_date.date()}), "
                       f"more than one quarter: not compared")
    else:
        out["ratio"] = float(numerator) / float(denominator)
    return out


# ------------------------------------------------------------------ funding counting

OTHER_INVESTORS = "other investors"
#: A closing within this many days of an announced (aggregate) round replaces the announcement.
ANNOUNCEMENT_CLOSE_DAYS = 90
_UP_TO_AMOUNT = re.compile(r"up to \$?(\d+(?:\.\d+)?)\s*(?:B\b|bn\b|billion)", re.IGNORECASE)
_SEVERAL = re.compile(r"[,;]|\bincl|\blead\b|\band\b", re.IGNORECASE)


def round_key(row: pd.Series) -> str:
    """The key naming one funding row: ``company|YYYY-MM-DD|round``."""
    return f"{row['company']}|{pd.Timestamp(row['date']).date()}|{row['round']}"


def _keys(funding: pd.DataFrame) -> pd.Series:
    return funding.apply(round_key, axis=1) if len(funding) else pd.Series([], dtype=str)


def check_round_keys(funding: pd.DataFrame, keys: Iterable[str]) -> None:
    """Raise ``KeyError`` naming every key (``company|date|round``) that matches no row of ``funding``."""
    known = set(_keys(funding))
    unknown = [k for k in keys if k not in known]
    if unknown:
        raise KeyError(f"funding: no row matches {', '.join(repr(k) for k in unknown)} "
                       "(expected 'company|YYYY-MM-DD|round' as in data/funding.csv)")


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series("", index=frame.index, dtype="string")
    return frame[column].astype("string").fillna("")


def is_up_to(funding: pd.DataFrame) -> pd.Series:
    """True where the recorded amount is an "up to" ceiling, not money committed outright.

    A row is one when its round ends in ``(up to)`` or its round or note says "up to $N B" (or
    "N billion") with N equal to the recorded amount. A tranche of a larger "up to" commitment
    (amount below the ceiling) is not.
    """
    rounds, notes = _text(funding, "round"), _text(funding, "note")
    amounts = funding["amount_usd_billion"] if len(funding) else pd.Series([], dtype=float)

    def one(rnd: str, note: str, amount: float) -> bool:
        if "(up to)" in rnd.lower():
            return True
        return pd.notna(amount) and any(abs(float(v) - amount) < 1e-9
                                        for v in _UP_TO_AMOUNT.findall(f"{rnd} {note}"))

    return pd.Series([one(r, n, a) for r, n, a in zip(rounds, notes, amounts)], index=funding.index, dtype=bool)


def is_secondary(funding: pd.DataFrame) -> pd.Series:
    """True for a secondary sale (no new money): ``row_kind`` secondary, or "secondary" in the round."""
    return ((_text(funding, "row_kind") == "secondary")
            | _text(funding, "round").str.contains("secondary", case=False)).astype(bool)


def sole_investor(funding: pd.DataFrame) -> pd.Series:
    """The one investor a row's amount belongs to, else missing: ``investors`` names exactly one party
    (no list, no "incl.", no lead) and ``investor_of_interest`` is that same party. A round whose
    ``investors`` holds only its lead (a Series F led by one fund) belongs to no single investor."""
    investors = _text(funding, "investors").str.strip()
    interest = _text(funding, "investor_of_interest").str.strip()
    sole = (investors != "") & ~investors.str.contains(_SEVERAL) & (interest == investors)
    return pd.Series([str(v) if s else None for v, s in zip(investors, sole)], index=funding.index, dtype=object)


def _superseded_by_closing(f: pd.DataFrame, counted: pd.Series) -> dict:
    """{aggregate row: closing row}: an announced round replaced by its closing (same lab, several
    investors, within ``ANNOUNCEMENT_CLOSE_DAYS`` after it, at least as large)."""
    out = {}
    closings = f[counted & (f["row_kind"] == "single") & f["_sole"].isna()].sort_values(["date", "source_id"])
    for i, agg in f[counted & (f["row_kind"] == "aggregate")].iterrows():
        later = closings[(closings["company"] == agg["company"]) & (closings["date"] > agg["date"])
                         & (closings["date"] <= agg["date"] + pd.Timedelta(days=ANNOUNCEMENT_CLOSE_DAYS))
                         & (closings["amount_usd_billion"] >= agg["amount_usd_billion"])]
        if len(later):
            out[i] = later.index[0]
    return out


def count_funding(funding: pd.DataFrame, include_up_to: bool = False, count_secondary: bool = False,
                  superseded: Sequence[str] = (), conflict: str = "lower",
                  include_media_reports: bool = True) -> pd.DataFrame:
    """``funding`` with what each row counts for: the one funding-counting rule.

    Adds ``up_to`` (the amount is a ceiling), ``excluded`` (why the row counts for nothing, else
    empty), ``superseded`` (replaced by a later row: its valuation is no longer current), ``new_money``
    (counts toward the lab's funding), ``investor`` (the one investor the amount belongs to, else
    missing) and ``round_of`` (for a component, the row index of the round it is part of; for a
    counted round, its own index). Rules, the first that applies:

    - ``row_kind`` superseded, or a key (``company|date|round``) in ``superseded``: superseded;
    - an aggregate announcement closed by a later row (``ANNOUNCEMENT_CLOSE_DAYS``): superseded by it;
    - a secondary sale (``row_kind`` secondary or "secondary" in the round): no new money, unless
      ``count_secondary``;
    - an "up to" ceiling (``is_up_to``): left out unless ``include_up_to``;
    - a media report, when not ``include_media_reports``;
    - a conflict (same lab, date and sole investor, two sources): the ``conflict`` = "lower" or
      "higher" figure counts, the other is left out (never averaged);
    - a row without an amount counts for nothing but stays listed for its investor.

    A component counts for its investor, never toward the lab's total (its aggregate holds it); an
    aggregate counts toward the total, never for one investor.
    """
    if conflict not in ("lower", "higher"):
        raise ValueError(f"funding_conflict must be 'lower' or 'higher', not {conflict!r}")
    f = funding.reset_index(drop=True).copy()
    kind = _text(f, "row_kind")
    f["up_to"] = is_up_to(f)
    f["_sole"] = sole_investor(f)
    keys = _keys(f)
    excluded = pd.Series("", index=f.index, dtype=object)

    def rule(mask: pd.Series, why: str) -> None:
        excluded.loc[(excluded == "") & mask.astype(bool)] = why

    rule((kind == "superseded") | keys.isin(list(superseded)), "superseded by a later row")
    rule(is_secondary(f) & (not count_secondary), "secondary sale: no new money")
    rule(f["up_to"] & (not include_up_to), "'up to' ceiling")
    rule((_text(f, "status") == "media_report") & (not include_media_reports), "media report left out")
    closed = _superseded_by_closing(f, excluded == "")
    for agg, closing in closed.items():
        if excluded[agg] == "":
            excluded[agg] = f"announcement closed on {f.at[closing, 'date'].date()}"
    single = (excluded == "") & (kind == "single") & f["_sole"].notna() & f["amount_usd_billion"].notna()
    ranked = f[single].sort_values(["amount_usd_billion", "source_id"], ascending=[conflict == "lower", True])
    beaten = ranked.duplicated(["company", "date", "_sole"], keep="first")
    rule(pd.Series(f.index.isin(beaten[beaten].index), index=f.index),
         "conflicting figure: another source's row is counted")
    f["excluded"] = pd.array(excluded.astype(str), dtype="str")
    f["superseded"] = f["excluded"].str.startswith(("superseded", "announcement closed")).astype(bool)
    counted = f["excluded"] == ""
    f["new_money"] = counted & (kind != "component") & f["amount_usd_billion"].notna()
    f["investor"] = f["_sole"].where(counted & (kind != "aggregate"), None)
    f["round_of"] = _rounds_of(f, closed)
    return f.drop(columns="_sole")


def _rounds_of(f: pd.DataFrame, closed: dict) -> pd.Series:
    """Each component's round: the aggregate of its lab dated on it or up to ``ANNOUNCEMENT_CLOSE_DAYS``
    after it (the earliest; parts announced before a round closes belong to the closing), else the latest
    counted round of the lab within 31 days before it; a closed announcement hands over to its closing.
    A round's own index for a counted round."""
    out = pd.Series(pd.NA, index=f.index, dtype="Int64")
    rounds = f[f["new_money"] | f.index.isin(list(closed))]
    out.loc[f["new_money"]] = f.index[f["new_money"]]
    aggregates = f[(_text(f, "row_kind") == "aggregate") & f["new_money"]]
    for i, part in f[_text(f, "row_kind") == "component"].iterrows():
        home = aggregates[(aggregates["company"] == part["company"]) & (aggregates["date"] >= part["date"])
                          & (aggregates["date"] <= part["date"] + pd.Timedelta(days=ANNOUNCEMENT_CLOSE_DAYS))]
        before = rounds[(rounds["company"] == part["company"]) & (rounds["date"] <= part["date"])
                        & (rounds["date"] >= part["date"] - pd.Timedelta(days=31))]
        pick = home.sort_values(["date", "source_id"]).head(1) if len(home) else \
            before.sort_values(["date", "source_id"]).tail(1)
        if len(pick):
            parent = pick.index[0]
            out[i] = closed.get(parent, parent)
    return out


def lab_funding(counted: pd.DataFrame) -> pd.DataFrame:
    """Per lab (``company``): ``funding_usd_billion`` (the new money), rows counted, last counted date."""
    rows = counted[counted["new_money"]]
    out = (rows.assign(company=rows["company"].astype(str))
           .groupby("company").agg(funding_usd_billion=("amount_usd_billion", "sum"),
                                   rows_counted=("amount_usd_billion", "size"), last_round=("date", "max"))
           .reset_index())
    return out.sort_values("company").reset_index(drop=True)


def investor_rows(counted: pd.DataFrame) -> pd.DataFrame:
    """New money by investor, one row per (round, investor): each stated component or sole-investor round
    to its investor, the rest of a round to ``OTHER_INVESTORS`` (a round's total is never given to its
    lead). Rows of one lab add up to its ``lab_funding``."""
    cols = ["lab", "date", "round", "investor", "amount_usd_billion", "status", "source_id"]
    rows: list[dict] = []

    def add(r: pd.Series, investor: str, amount: float) -> None:
        if amount > 1e-12:
            rows.append({"lab": str(r["company"]), "date": r["date"], "round": r["round"], "investor": investor,
                         "amount_usd_billion": float(amount), "status": str(r["status"]),
                         "source_id": r["source_id"]})

    parts = counted[(counted["excluded"] == "") & (counted["row_kind"].astype(str) == "component")
                    & counted["investor"].notna() & counted["amount_usd_billion"].notna()]
    for i, r in counted[counted["new_money"]].iterrows():
        mine = parts[parts["round_of"] == i]
        for _, p in mine.iterrows():
            add(p, p["investor"], p["amount_usd_billion"])
        if pd.notna(r["investor"]) and mine.empty:
            add(r, r["investor"], r["amount_usd_billion"])
        else:
            add(r, OTHER_INVESTORS, r["amount_usd_billion"] - mine["amount_usd_billion"].sum())
    out = pd.DataFrame(rows, columns=cols)
    out["date"] = pd.to_datetime(out["date"])
    return out.sort_values(["lab", "date", "investor", "round"]).reset_index(drop=True)


def investor_share(counted: pd.DataFrame, pairs: dict[str, str]) -> pd.DataFrame:
    """Each investor's funding of its lab and its share of the lab's funding (the quantities
    ``investor_funding_usd_billion`` and ``investor_share_of_funding_percent``; "pledged" when
    ``counted`` includes ceilings).

    ``undisclosed_parts`` counts the counted rounds the investor took part in without a stated amount
    (named among several investors or as investor of interest with no stated component, or its component
    without an amount): the share is then a lower bound.
    The share is missing (not infinite) when the lab has no counted funding.
    """
    totals = lab_funding(counted).set_index("company")["funding_usd_billion"]
    named_in = _text(counted, "investors") + ";" + _text(counted, "investor_of_interest")
    rows = []
    for investor, lab in pairs.items():
        of_lab = counted[counted["company"].astype(str) == lab]
        mine = of_lab[of_lab["investor"] == investor]
        invested = float(mine["amount_usd_billion"].sum())
        parts = mine[mine["row_kind"].astype(str) == "component"]
        stated = set(parts.loc[parts["amount_usd_billion"].notna(), "round_of"].dropna())
        named = of_lab["new_money"] & of_lab["investor"].isna() & named_in[of_lab.index].str.contains(
            rf"\b{re.escape(investor)}\b") & ~of_lab.index.isin(list(stated))
        unstated = mine[mine["amount_usd_billion"].isna()]
        rounds = set(of_lab.index[named]) | {r if pd.notna(r) else ("row", i) for i, r in unstated["round_of"].items()}
        undisclosed = len(rounds)
        total = float(totals.get(lab, 0.0))
        rows.append({"investor": investor, "company": lab, "invested_usd_billion": invested,
                     "lab_funding_usd_billion": total,
                     "share_percent": 100 * invested / total if total > 0 else np.nan,
                     "undisclosed_parts": undisclosed})
    return pd.DataFrame(rows).sort_values("investor").reset_index(drop=True)


# ------------------------------------------------------------------ partner cloud spend

#: Metrics (and seed-article claims) giving a lab's annual spend at its partner's cloud: (lab, partner).
SPEND_METRICS = {
    "openai_inference_spend_azure": ("OpenAI", "Microsoft"),
    "azure_spend": ("OpenAI", "Microsoft"),
    "anthropic_expected_aws_spend": ("Anthropic", "Amazon"),
}
ARTICLE_STATUS = "media_report (as cited by the article)"


def partner_cloud_spend(metrics: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    """``partner_cloud_spend_usd_billion``: each lab's annual spend at its main partner's cloud, one row per
    figure and source (conflicting figures side by side); only figures for a whole calendar year."""
    rows = []
    for frame, from_article in ((metrics, False), (claims, True)):
        sel = frame[frame["metric"].isin(SPEND_METRICS) & frame["value"].notna()
                    & frame["period"].astype(str).str.fullmatch(r"\d{4}")]
        for r in sel.itertuples(index=False):
            lab, partner = SPEND_METRICS[r.metric]
            rows.append({"lab": lab, "partner": partner, "year": int(r.period), "spend_usd_billion": float(r.value),
                         "metric": r.metric, "status": ARTICLE_STATUS if from_article else str(r.status),
                         "source_id": r.source_id})
    cols = ["lab", "partner", "year", "spend_usd_billion", "metric", "status", "source_id"]
    return pd.DataFrame(rows, columns=cols).sort_values(["lab", "year", "source_id"]).reset_index(drop=True)


def latest_partner_cloud_spend(spend: pd.DataFrame) -> pd.DataFrame:
    """Per lab, the figure of the latest year; on a tie the firmer status (an article's citation of a
    media report ranks as a media report), then the smaller source id."""
    if spend.empty:
        return spend.copy()
    flag = spend["status"].astype(str).str.split(" ").str[0]
    ranked = spend.assign(_r=status_rank(flag)).sort_values(["lab", "year", "_r", "source_id"],
                                                            ascending=[True, False, True, True])
    return ranked.groupby("lab").head(1).drop(columns="_r").reset_index(drop=True)
