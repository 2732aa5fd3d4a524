"""What each lab brings its cloud: stated compute commitments and their yearly equivalent, their size
against the cloud's net new revenue, reported spend figures, and the clouds' own statements on AI.

Pure functions on the kit's tables. What counts is explicit:

- a commitment's *yearly equivalent* is its amount divided by its stated term. A commitment without a
  stated term has none, unless the caller gives an assumed term range [low, high] in years: then it is
  amount / high to amount / low, labelled assumed. Terms are never inferred.
- conflicting readings of one announcement (rows sharing a ``deal``) are alternatives, never added or
  averaged: a lab–cloud total is a low–high range over every combination of readings. A ``restated_total``
  reading includes the rows named in ``includes`` and replaces them in its combination.
- the yearly equivalents of a pair's commitments are added (taken to run side by side); "more than" and
  "up to" amounts count as stated and are labelled.
- a cloud's *net new revenue* is its trailing-twelve-month revenue minus the twelve months before
  (``kit.cloud.ttm``): AWS and Google Cloud as reported, Azure derived by ``kit.cloud.derive_azure_quarters``.

Money in USD billions, percentages as numbers (23 = 23 %).
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from kit import cloud, rules
from kit.rules import SPEND_METRICS

#: The cloud each provider sells, and the series of ``cloud_series`` that holds its revenue.
CLOUD = {"Amazon": "AWS", "Microsoft": "Azure", "Google": "Google Cloud", "Oracle": "Oracle Cloud",
         "CoreWeave": "CoreWeave"}
REVENUE_SERIES = {"AWS": "AWS", "Azure": cloud.AZURE_DERIVED, "Google Cloud": "Google Cloud"}
#: Figures of a lab's money at a cloud that are not spend (forecasts of revenue it adds).
ADDED_REVENUE_METRICS = {"anthropic_added_azure_revenue_forecast": ("Anthropic", "Microsoft")}
#: The clouds' own statements on what AI brings them (metrics table): metric -> (cloud, topic).
AI_STATEMENT_METRICS = {
    "ai_contribution_to_azure_growth": ("Azure", "AI points of growth"),
    "microsoft_ai_business_run_rate": ("Azure", "AI run-rate"),
    "azure_ai_customers": ("Azure", "AI customers"),
    "azure_ai_customers_new_share": ("Azure", "AI customers"),
    "azure_openai_service_customers": ("Azure", "AI customers"),
    "commercial_rpo": ("Azure", "backlog"),
    "trainium_graviton_chip_run_rate": ("AWS", "AI chips run-rate"),
    "custom_silicon_run_rate": ("AWS", "AI chips run-rate"),
    "aws_backlog": ("AWS", "backlog"),
    "google_cloud_backlog": ("Google Cloud", "backlog"),
}
BOTH_LABS = "OpenAI and Anthropic"
BOUND_LABEL = {"at_least": "more than", "up_to": "up to", "about": "about"}


def _assumed_range(assumed_term_years: Sequence[float] | None) -> tuple[float, float] | None:
    if assumed_term_years is None or len(assumed_term_years) == 0:
        return None
    if len(assumed_term_years) != 2 or not 0 < assumed_term_years[0] <= assumed_term_years[1]:
        raise ValueError(f"assumed_term_years must be [low, high] years with 0 < low <= high, "
                         f"got {list(assumed_term_years)!r}")
    return float(assumed_term_years[0]), float(assumed_term_years[1])


def _years(value: float) -> str:
    return f"{value:g} years"


# --- commitments -------------------------------------------------------------------------------------------

def commitments(table: pd.DataFrame, assumed_term_years: Sequence[float] | None = None,
                exclude: Iterable[str] = (), include_media_reports: bool = True) -> pd.DataFrame:
    """Each row of ``compute_commitments`` with its yearly equivalent (low, high) and whether it is counted.

    ``assumed_term_years``: [low, high] years for rows without a stated term (None: such rows get no
    yearly figure). Counted: an amount is stated, the row is not in ``exclude`` and, unless
    ``include_media_reports``, not a media report. Sorted by lab, cloud, announcement date and id.
    """
    assumed = _assumed_range(assumed_term_years)
    unknown = sorted(set(exclude) - set(table["commitment_id"]))
    if unknown:
        raise KeyError(f"exclude names commitments not in compute_commitments: {', '.join(unknown)}")
    rows = []
    for r in table.itertuples(index=False):
        amount, term = r.amount_usd_billion, r.term_years
        if pd.notna(term):
            low = high = amount / term
            term_basis = "stated"
        elif assumed is not None:
            low, high = amount / assumed[1], amount / assumed[0]
            term_basis = f"assumed {assumed[0]:g}–{_years(assumed[1])}"
        else:
            low = high = np.nan
            term_basis = "no term stated"
        if pd.isna(amount):
            reason = "no amount stated"
        elif r.commitment_id in set(exclude):
            reason = "left out by parameter"
        elif not include_media_reports and str(r.status) == "media_report":
            reason = "media report left out"
        else:
            reason = "counted"
        rows.append({"commitment_id": r.commitment_id, "lab": str(r.lab), "cloud": CLOUD[str(r.provider)],
                     "announced": r.announced, "amount_usd_billion": amount,
                     "amount_stated_as": BOUND_LABEL.get(str(r.amount_bound), ""),
                     "term_years": term, "term_as_stated": r.term_as_stated if pd.notna(r.term_as_stated) else "",
                     "term_basis": term_basis, "yearly_usd_billion_low": low, "yearly_usd_billion_high": high,
                     "basis": str(r.basis), "includes": r.includes if pd.notna(r.includes) else "",
                     "deal": r.deal, "status": str(r.status), "counted": reason == "counted", "reason": reason,
                     "source_id": r.source_id})
    cols = ["commitment_id", "lab", "cloud", "announced", "amount_usd_billion", "amount_stated_as", "term_years",
            "term_as_stated", "term_basis", "yearly_usd_billion_low", "yearly_usd_billion_high", "basis",
            "includes", "deal", "status", "counted", "reason", "source_id"]
    out = pd.DataFrame(rows, columns=cols)
    out["announced"] = pd.to_datetime(out["announced"])
    return out.sort_values(["lab", "cloud", "announced", "commitment_id"]).reset_index(drop=True)


def _readings(rows: pd.DataFrame) -> list[pd.DataFrame]:
    """Every combination of one reading per deal, restated totals replacing the rows they include."""
    groups = [g for _, g in rows.groupby("deal", sort=True)]
    out = []
    for choice in itertools.product(*[[r for _, r in g.iterrows()] for g in groups]):
        chosen = pd.DataFrame(list(choice))
        replaced = {i for inc in chosen["includes"] for i in str(inc).split(";") if i}
        out.append(chosen[~chosen["commitment_id"].isin(replaced)])
    return out


def pair_totals(rows: pd.DataFrame, per_lab: bool = True) -> pd.DataFrame:
    """Per lab and cloud, from ``commitments`` output: committed total and yearly equivalent, each a
    low–high range over the readings of conflicting rows, with the ids counted and left out.
    ``per_lab`` False: per cloud, both labs together (lab ``BOTH_LABS``).

    A reading with a commitment that has no yearly figure has none: the pair's yearly range is then
    empty and ``yearly_missing`` names the commitments without a term. The rows behind a pair are
    cited from the ``commitments`` frame: ``kit.citations(rows[rows["counted"]])``.
    """
    if not per_lab:
        rows = rows.assign(lab=BOTH_LABS)
    out = []
    for (lab, cld), all_rows in rows.groupby(["lab", "cloud"], sort=True):
        counted = all_rows[all_rows["counted"]]
        base = {"lab": lab, "cloud": cld, "commitments": ";".join(counted["commitment_id"]),
                "left_out": ";".join(f"{i} ({why})" for i, why in
                                     zip(all_rows.loc[~all_rows["counted"], "commitment_id"],
                                         all_rows.loc[~all_rows["counted"], "reason"]))}
        if counted.empty:
            out.append({**base, "readings": 0})
            continue
        readings = _readings(counted)
        totals = [r["amount_usd_billion"].sum() for r in readings]
        lows = [r["yearly_usd_billion_low"].sum(min_count=len(r)) for r in readings]
        highs = [r["yearly_usd_billion_high"].sum(min_count=len(r)) for r in readings]
        complete = not any(np.isnan(lows))
        bounds = sorted(set(counted["amount_stated_as"]) - {""})
        by_basis = counted.groupby("term_basis", sort=True)["commitment_id"].agg(", ".join)
        term_basis = (by_basis.index[0] if len(by_basis) == 1
                      else "; ".join(f"{b}: {ids}" for b, ids in by_basis.items()))
        out.append({**base, "readings": len(readings),
                    "committed_usd_billion_low": min(totals), "committed_usd_billion_high": max(totals),
                    "yearly_usd_billion_low": min(lows) if complete else np.nan,
                    "yearly_usd_billion_high": max(highs) if complete else np.nan,
                    "amounts_stated_as": ", ".join(bounds),
                    "term_basis": term_basis,
                    "yearly_missing": ";".join(counted.loc[counted["yearly_usd_billion_low"].isna(), "commitment_id"]),
                    "weakest_status": max(counted["status"], key=rules.STATUS_ORDER.index),
                    "latest_announced": counted["announced"].max()})
    cols = ["lab", "cloud", "commitments", "readings", "committed_usd_billion_low", "committed_usd_billion_high",
            "amounts_stated_as", "yearly_usd_billion_low", "yearly_usd_billion_high", "term_basis", "yearly_missing",
            "weakest_status", "latest_announced", "left_out"]
    result = pd.DataFrame(out).reindex(columns=cols)
    result["latest_announced"] = pd.to_datetime(result["latest_announced"])
    return result.sort_values(["cloud", "lab"]).reset_index(drop=True)


# --- the clouds' net new revenue ----------------------------------------------------------------------------

def cloud_series(cloud_revenue: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Quarterly revenue of AWS and Google Cloud (reported, one row per quarter as ``cloud.quarterly``
    chooses) and of Azure (derived by ``cloud.derive_azure_quarters``, left out when the data lacks
    Microsoft's fiscal-year Azure revenue). Columns: series, period_end, revenue_usd_billion, status,
    source_id, arithmetic (derived rows only)."""
    quarters, _ = cloud.quarterly(cloud_revenue, sources)
    parts = [quarters[quarters["series"].isin(["AWS", "Google Cloud"])].assign(arithmetic="")]
    azure = cloud_revenue[cloud_revenue["segment"].astype(str) == "azure"]
    weights = quarters[quarters["series"] == cloud.IC_NEW].set_index("period_end")["revenue_usd_billion"]
    try:
        parts.append(cloud.derive_azure_quarters(azure, weights))
    except ValueError:
        pass  # no Azure revenue to derive from: Azure's net new revenue is reported as missing
    cols = ["series", "period_end", "revenue_usd_billion", "status", "source_id", "arithmetic"]
    out = pd.concat([p[cols].assign(status=p["status"].astype(str)) for p in parts], ignore_index=True)
    return out.sort_values(["series", "period_end"]).reset_index(drop=True)


def net_new_revenue(series: pd.DataFrame, end: str | pd.Timestamp | None = None) -> pd.DataFrame:
    """Each cloud's net new revenue over the twelve months to ``end`` (a calendar quarter end) against the
    twelve months before, from ``cloud_series`` output. ``end`` None: the latest quarter for which every
    series has eight consecutive quarters. A cloud without them has an empty row and a ``note``."""
    ttm = cloud.ttm(series)
    full = ttm[ttm["net_new_revenue"].notna()]
    if end is None or str(end) == "":
        common = set.intersection(*(set(g["period_end"]) for _, g in full.groupby("series"))) if len(full) else set()
        if not common:
            raise ValueError("no calendar quarter with eight quarters of revenue for every cloud series")
        end = max(common)
    end = pd.Timestamp(end)
    start = (pd.Period(end, freq="Q") - 3).start_time.normalize()
    rows = []
    for name, key in REVENUE_SERIES.items():
        hit = full[(full["series"] == key) & (full["period_end"] == end)]
        basis = "derived" if key == cloud.AZURE_DERIVED else "reported"
        row = {"cloud": name, "window_start": start, "window_end": end, "basis": basis}
        if hit.empty:
            rows.append({**row, "note": f"no eight consecutive quarters of {key} revenue to {end.date()} in the data"})
        else:
            h = hit.iloc[0]
            rows.append({**row, "ttm_revenue_usd_billion": h["ttm_revenue"],
                         "prior_ttm_revenue_usd_billion": h["ttm_revenue_year_before"],
                         "net_new_revenue_usd_billion": h["net_new_revenue"], "note": ""})
    cols = ["cloud", "window_start", "window_end", "ttm_revenue_usd_billion", "prior_ttm_revenue_usd_billion",
            "net_new_revenue_usd_billion", "basis", "note"]
    out = pd.DataFrame(rows).reindex(columns=cols)
    for c in ("window_start", "window_end"):
        out[c] = pd.to_datetime(out[c]).astype("datetime64[us]")
    return out


def net_new_inputs(series: pd.DataFrame, net_new: pd.DataFrame) -> pd.DataFrame:
    """The eight quarters behind each row of ``net_new_revenue``, with status and source_id (to cite them)."""
    parts = []
    for r in net_new.dropna(subset=["net_new_revenue_usd_billion"]).itertuples(index=False):
        first = r.window_start - pd.DateOffset(years=1)
        rows = series[(series["series"] == REVENUE_SERIES[r.cloud]) & (series["period_end"] > first)
                      & (series["period_end"] <= r.window_end)]
        parts.append(rows.assign(cloud=r.cloud, window=np.where(rows["period_end"] >= r.window_start,
                                                                "latest twelve months", "twelve months before")))
    cols = ["cloud", "window", "period_end", "revenue_usd_billion", "status", "arithmetic", "source_id"]
    if not parts:
        return pd.DataFrame(columns=cols)
    return pd.concat(parts, ignore_index=True)[cols].sort_values(["cloud", "period_end"]).reset_index(drop=True)


# --- commitments against net new revenue --------------------------------------------------------------------

def commitment_shares(pairs: pd.DataFrame, net_new: pd.DataFrame) -> pd.DataFrame:
    """Each pair's yearly equivalent (``pair_totals``) as a percent of its cloud's net new revenue and
    TTM revenue (``net_new_revenue``), low and high, with the window and basis of the revenue figures.
    Clouds without a revenue series in the data keep their row with empty percents and a note."""
    rev = net_new.set_index("cloud")
    rows = []
    for p in pairs.itertuples(index=False):
        row = {"lab": p.lab, "cloud": p.cloud, "commitments": p.commitments,
               "committed_usd_billion_low": p.committed_usd_billion_low,
               "committed_usd_billion_high": p.committed_usd_billion_high,
               "yearly_usd_billion_low": p.yearly_usd_billion_low, "yearly_usd_billion_high": p.yearly_usd_billion_high,
               "amounts_stated_as": p.amounts_stated_as, "term_basis": p.term_basis,
               "yearly_missing": p.yearly_missing, "weakest_status": p.weakest_status}
        notes = []
        if p.cloud not in rev.index:
            notes.append(f"no {p.cloud} revenue in the data")
        else:
            c = rev.loc[p.cloud]
            row.update({"revenue_window": f"{c['window_start'].date()} to {c['window_end'].date()}",
                        "revenue_basis": c["basis"], "ttm_revenue_usd_billion": c["ttm_revenue_usd_billion"],
                        "net_new_revenue_usd_billion": c["net_new_revenue_usd_billion"]})
            net, ttm = c["net_new_revenue_usd_billion"], c["ttm_revenue_usd_billion"]
            if pd.isna(net):
                notes.append(c["note"])
            elif net <= 0:
                notes.append("net new revenue not positive: no percent")
            else:
                for end in ("low", "high"):
                    yearly = getattr(p, f"yearly_usd_billion_{end}")
                    row[f"percent_of_net_new_{end}"] = 100 * yearly / net
                    row[f"percent_of_ttm_revenue_{end}"] = 100 * yearly / ttm
        if pd.isna(p.yearly_usd_billion_low):
            notes.append(f"no yearly figure: no term stated for {p.yearly_missing}" if isinstance(p.yearly_missing, str)
                         and p.yearly_missing else "no amount counted")
        rows.append({**row, "note": "; ".join(notes)})
    cols = ["lab", "cloud", "commitments", "committed_usd_billion_low", "committed_usd_billion_high", "amounts_stated_as",
            "yearly_usd_billion_low", "yearly_usd_billion_high", "term_basis", "yearly_missing", "weakest_status",
            "revenue_window",
            "revenue_basis", "ttm_revenue_usd_billion", "net_new_revenue_usd_billion", "percent_of_net_new_low",
            "percent_of_net_new_high", "percent_of_ttm_revenue_low", "percent_of_ttm_revenue_high", "note"]
    return pd.DataFrame(rows).reindex(columns=cols).sort_values(["cloud", "lab"]).reset_index(drop=True)


def reported_spend(metrics: pd.DataFrame, series: pd.DataFrame) -> pd.DataFrame:
    """A lab's reported, leaked or estimated money at a cloud (``rules.SPEND_METRICS`` and
    ``ADDED_REVENUE_METRICS`` in ``metrics``), each against the cloud's net new revenue of the same
    calendar year where the data has it (else empty, with a note). One row per figure and source."""
    wanted = {**SPEND_METRICS, **ADDED_REVENUE_METRICS}
    ttm = cloud.ttm(series)
    rows = []
    for r in metrics[metrics["metric"].isin(wanted) & metrics["value"].notna()].itertuples(index=False):
        lab, provider = wanted[r.metric]
        name = CLOUD[provider]
        row = {"lab": lab, "cloud": name, "metric": r.metric, "period": r.period, "usd_billion": r.value,
               "status": str(r.status), "source_id": r.source_id}
        if not re.fullmatch(r"\d{4}", str(r.period)):
            rows.append({**row, "note": "not a calendar year: no comparison"})
            continue
        end = pd.Timestamp(f"{r.period}-12-31")
        hit = ttm[(ttm["series"] == REVENUE_SERIES.get(name)) & (ttm["period_end"] == end)
                  & ttm["net_new_revenue"].notna()]
        if hit.empty:
            rows.append({**row, "note": f"{name} net new revenue for {r.period} not in the data"})
            continue
        net = float(hit["net_new_revenue"].iloc[0])
        rows.append({**row, "net_new_revenue_same_year_usd_billion": net,
                     "percent_of_net_new": 100 * r.value / net if net > 0 else np.nan, "note": ""})
    cols = ["lab", "cloud", "metric", "period", "usd_billion", "status", "net_new_revenue_same_year_usd_billion",
            "percent_of_net_new", "note", "source_id"]
    return pd.DataFrame(rows).reindex(columns=cols).sort_values(["cloud", "lab", "period", "source_id"]).reset_index(
        drop=True)


# --- the clouds' own statements -----------------------------------------------------------------------------

def ai_statements(metrics: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The clouds' statements on what AI brings them (``AI_STATEMENT_METRICS``), one row per figure and
    source, with status and the grade of the source; sorted by cloud, topic, metric and period end."""
    rows = metrics[metrics["metric"].isin(AI_STATEMENT_METRICS)]
    quality = rows["source_id"].map(sources["quality"].astype(str))
    unknown = sorted(set(rows.loc[quality.isna(), "source_id"]))
    if unknown:
        raise KeyError(f"source ids not in the sources table: {', '.join(unknown)}")
    out = rows.assign(cloud=rows["metric"].map(lambda m: AI_STATEMENT_METRICS[m][0]),
                      topic=rows["metric"].map(lambda m: AI_STATEMENT_METRICS[m][1]),
                      status=rows["status"].astype(str), unit=rows["unit"].astype(str), quality=quality)
    cols = ["cloud", "topic", "metric", "period", "period_end", "value", "unit", "status", "quality", "note",
            "source_id"]
    return out[cols].sort_values(["cloud", "topic", "metric", "period_end", "source_id"],
                                 na_position="last").reset_index(drop=True)


# --- key numbers --------------------------------------------------------------------------------------------

#: The pairs question 2 sets side by side: each cloud with the lab its owner backs.
MAIN_PAIRS = (("Anthropic", "AWS"), ("OpenAI", "Azure"))
#: Key-number name -> (column of ``commitment_shares`` without _low/_high).
KEY_COLUMNS = {"commitment_usd_billion": "committed_usd_billion", "commitment_yearly_usd_billion": "yearly_usd_billion",
               "commitment_share_of_net_new_percent": "percent_of_net_new"}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def key_name(lab: str, cloud_name: str, quantity: str, end: str) -> str:
    """The key-result name of a pair's number: ``anthropic_aws_commitment_yearly_usd_billion_low``."""
    if quantity not in KEY_COLUMNS or end not in ("low", "high"):
        raise KeyError(f"no key number {quantity!r} / {end!r}; known: {', '.join(KEY_COLUMNS)} / low, high")
    return f"{_slug(lab)}_{_slug(cloud_name)}_{quantity}_{end}"


def _why_missing(row: pd.Series | None, quantity: str, lab: str, cloud_name: str) -> str:
    if row is None:
        return f"no commitment of {lab} to {cloud_name} in the data"
    if pd.isna(row["committed_usd_billion_low"]):
        return "no amount stated"
    if quantity == "commitment_usd_billion":
        return "no amount stated"
    if pd.isna(row["yearly_usd_billion_low"]):
        ids = row["yearly_missing"] if isinstance(row["yearly_missing"], str) else ""
        return f"no term stated for {ids.replace(';', ', ')}" if ids else "no term stated"
    return row["note"] or f"no {cloud_name} net new revenue in the data"


def key_numbers(shares: pd.DataFrame, pairs: Sequence[tuple[str, str]] = MAIN_PAIRS,
                digits: int = 1) -> tuple[dict[str, float | None], dict[str, str]]:
    """The numbers a summary quotes for each (lab, cloud) of ``pairs``, from ``commitment_shares``: committed
    total, yearly equivalent and percent of the cloud's net new revenue, each low and high (names by
    ``key_name``), rounded to ``digits``; and for each missing value (None) the reason ("no term stated for
    C05", "no commitment of Anthropic to AWS in the data", ...)."""
    values: dict[str, float | None] = {}
    reasons: dict[str, str] = {}
    for lab, cloud_name in pairs:
        hit = shares[(shares["lab"] == lab) & (shares["cloud"] == cloud_name)]
        row = hit.iloc[0] if len(hit) else None
        for quantity, column in KEY_COLUMNS.items():
            for end in ("low", "high"):
                name = key_name(lab, cloud_name, quantity, end)
                value = np.nan if row is None else row[f"{column}_{end}"]
                values[name] = None if pd.isna(value) else round(float(value), digits)
                if values[name] is None:
                    reasons[name] = _why_missing(row, quantity, lab, cloud_name)
    return values, reasons


def main_pairs_first(frame: pd.DataFrame, pairs: Sequence[tuple[str, str]] = MAIN_PAIRS) -> pd.DataFrame:
    """``frame`` (rows per lab and cloud) with a ``pair`` label ("Anthropic → AWS") in front, ``pairs`` first
    in their order (each cloud beside the other's lab), then the rest by cloud and lab."""
    rank = {pair: i for i, pair in enumerate(pairs)}
    order = [rank.get((lab, c), len(rank)) for lab, c in zip(frame["lab"], frame["cloud"])]
    out = frame.assign(_rank=order).sort_values(["_rank", "cloud", "lab"], kind="stable").drop(columns="_rank")
    out.insert(0, "pair", out["lab"].astype(str) + " → " + out["cloud"].astype(str))
    return out.reset_index(drop=True)
