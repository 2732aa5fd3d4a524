"""Partnership value: what Microsoft–OpenAI and Amazon–Anthropic brought each side.

Pure functions: which funding rows count, investor shares, the labs side by side, the seed
article's claims against the data, and a scenario model (revenue, margin, valuation multiple,
discount rate → value to the investor by channel, payback year, seeded Monte Carlo bands).
Money in USD billions, percentages as numbers (23 = 23 %).
"""
from __future__ import annotations

import re
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

PAIRS: dict[str, str] = {"Microsoft": "OpenAI", "Amazon": "Anthropic"}
CHANNELS: tuple[str, ...] = ("stake", "profit_share", "cloud")
RANGE_PARAMETERS: tuple[str, ...] = (
    "revenue_growth_first", "revenue_growth_last", "margin_first", "margin_last",
    "valuation_multiple", "discount_rate", "cloud_spend_share", "cloud_margin",
)
_STATUS_RANK = {"reported": 0, "media_report": 1, "estimate": 2, "leaked": 3, "low_confidence": 4}
_UP_TO_AMOUNT = re.compile(r"up to \$?(\d+(?:\.\d+)?)\s*(?:B\b|bn\b|billion)", re.IGNORECASE)

__all__ = [
    "PAIRS", "CHANNELS", "RANGE_PARAMETERS", "round_key", "check_round_keys", "is_up_to", "classify_rounds",
    "funding_totals", "investor_investments", "cumulative_investments", "investor_shares", "latest_valuation",
    "latest_runrate", "lab_comparison", "lab_ratios", "seed_check", "latest_metric", "stake_inputs",
    "projection", "channel_values", "payback_year", "profit_share_payback", "value_multiple", "midpoints",
    "monte_carlo", "bands", "payback_summary", "central_summary", "lab_gains", "money_back", "profit_share_terms",
    "model_inputs", "wide_inputs", "assumption_evidence", "distribution_metrics", "int_or_none",
]


# ---------------------------------------------------------------- money in

def round_key(row: pd.Series) -> str:
    """The key naming one funding row: ``company|YYYY-MM-DD|round``."""
    return f"{row['company']}|{pd.Timestamp(row['date']).date()}|{row['round']}"


def check_round_keys(funding: pd.DataFrame, keys: Iterable[str]) -> None:
    """Raise ``KeyError`` naming every key (``company|date|round``) that matches no row of ``funding``."""
    known = set(funding.apply(round_key, axis=1)) if len(funding) else set()
    unknown = [k for k in keys if k not in known]
    if unknown:
        raise KeyError(f"funding: no row matches {', '.join(repr(k) for k in unknown)} "
                       "(expected 'company|YYYY-MM-DD|round' as in data/funding.csv)")


def is_up_to(funding: pd.DataFrame) -> pd.Series:
    """True where the recorded amount is an "up to" ceiling, not money committed outright.

    A row is one when its round ends in ``(up to)`` or its round or note says "up to $N B"
    (or "N billion") with N equal to the recorded amount. A tranche of a larger "up to"
    commitment (amount below the ceiling) is not.
    """
    def one(row: pd.Series) -> bool:
        text = f"{row['round']} {row['note'] if pd.notna(row['note']) else ''}"
        if "(up to)" in str(row["round"]).lower():
            return True
        return any(abs(float(v) - row["amount_usd_billion"]) < 1e-9 for v in _UP_TO_AMOUNT.findall(text))

    return funding.apply(one, axis=1).astype(bool) if len(funding) else pd.Series([], dtype=bool)


def classify_rounds(funding: pd.DataFrame, include_up_to: bool = False, count_secondary: bool = False,
                    superseded: Sequence[str] = ()) -> pd.DataFrame:
    """``funding`` with what each row counts for.

    Adds ``up_to`` (bool), ``excluded`` (why the row counts for nothing, else empty),
    ``new_money`` (counts toward the lab's disclosed funding) and ``investor`` (the one investor
    the amount belongs to, else missing). Rules: a superseded row (by ``round_key``), the
    alternate figure of a conflict and (unless asked) secondary sales and "up to" ceilings count
    for nothing; a component counts for its investor but never toward the lab's total, which its
    aggregate row already holds.
    """
    out = funding.copy()
    out["up_to"] = is_up_to(out).to_numpy()
    keys = out.apply(round_key, axis=1) if len(out) else pd.Series([], dtype=str)
    rnd = out["round"].astype(str).str.lower()
    reasons = [
        (keys.isin(list(superseded)).to_numpy(), "superseded by a later row"),
        (rnd.str.contains("alternate figure").to_numpy(), "conflicting figure: the other source's row is counted"),
        ((not count_secondary) & rnd.str.contains("secondary").to_numpy(), "secondary sale: no new money"),
        ((not include_up_to) & out["up_to"].to_numpy(), "'up to' ceiling"),
    ]
    excluded = np.array([""] * len(out), dtype=object)
    for mask, why in reasons:
        excluded = np.where((excluded == "") & mask, why, excluded)
    out["excluded"] = pd.array(excluded, dtype="str")
    kind = out["row_kind"].astype(str)
    out["new_money"] = (out["excluded"] == "") & (kind != "component")
    investors = out["investors"].fillna("").astype(str).str.strip()
    sole = (investors != "") & ~investors.str.contains(r"[,;]|\bincl", regex=True)
    attributable = (out["excluded"] == "") & (kind != "aggregate") & sole
    out["investor"] = investors.where(attributable, None)
    return out


def funding_totals(classified: pd.DataFrame) -> pd.DataFrame:
    """Disclosed new money per lab: total, number of rows counted, last counted date."""
    rows = classified[classified["new_money"]]
    out = (rows.assign(company=rows["company"].astype(str))
           .groupby("company").agg(funding_usd_billion=("amount_usd_billion", "sum"),
                                   rows_counted=("amount_usd_billion", "size"), last_round=("date", "max"))
           .reset_index())
    return out.sort_values("company").reset_index(drop=True)


def investor_investments(classified: pd.DataFrame, investors: Iterable[str]) -> pd.DataFrame:
    """The counted rows that belong to one of ``investors``, with the running total per investor and lab."""
    rows = classified[classified["investor"].isin(list(investors))]
    rows = rows.assign(company=rows["company"].astype(str)).sort_values(["investor", "company", "date", "round"])
    rows = rows.assign(cumulative_usd_billion=rows.groupby(["investor", "company"])["amount_usd_billion"].cumsum())
    cols = ["investor", "company", "date", "round", "amount_usd_billion", "cumulative_usd_billion", "status",
            "source_id"]
    return rows[cols].reset_index(drop=True)


def cumulative_investments(investments: pd.DataFrame, end: pd.Timestamp) -> pd.DataFrame:
    """Step series for a chart: each investor→lab running total, carried forward to ``end``."""
    last = (investments.sort_values("date").groupby(["investor", "company"], as_index=False).tail(1)
            .assign(date=pd.Timestamp(end), round="(carried forward)"))
    return pd.concat([investments, last]).sort_values(["investor", "company", "date"]).reset_index(drop=True)


def investor_shares(classified: pd.DataFrame, pairs: dict[str, str] = PAIRS) -> pd.DataFrame:
    """Each investor's counted investment in its lab as a percentage of the lab's disclosed funding.

    The share is missing (not infinite) when the lab has no counted funding.
    """
    totals = funding_totals(classified).set_index("company")["funding_usd_billion"]
    rows = []
    for investor, lab in pairs.items():
        mine = classified[(classified["investor"] == investor) & (classified["company"].astype(str) == lab)]
        invested = float(mine["amount_usd_billion"].sum())
        total = float(totals.get(lab, 0.0))
        rows.append({"investor": investor, "company": lab, "invested_usd_billion": invested,
                     "lab_funding_usd_billion": total,
                     "share_percent": 100 * invested / total if total > 0 else np.nan})
    return pd.DataFrame(rows).sort_values("investor").reset_index(drop=True)


def _latest(frame: pd.DataFrame, by: str, date: str) -> pd.DataFrame:
    ranked = frame.assign(_rank=frame["status"].astype(str).map(_STATUS_RANK).fillna(9))
    ranked = ranked.sort_values([by, date, "_rank"], ascending=[True, False, True])
    return ranked.groupby(by, observed=True).head(1).drop(columns="_rank")


def latest_valuation(classified: pd.DataFrame) -> pd.DataFrame:
    """Each lab's latest post-money valuation (rows not superseded; ties on a date go to the best status)."""
    rows = classified[classified["post_money_valuation_usd_billion"].notna()
                      & ~classified["excluded"].str.startswith("superseded")]
    rows = rows.assign(company=rows["company"].astype(str))
    out = _latest(rows, "company", "date")
    return (out[["company", "date", "round", "post_money_valuation_usd_billion", "status", "source_id"]]
            .rename(columns={"post_money_valuation_usd_billion": "valuation_usd_billion"})
            .sort_values("company").reset_index(drop=True))


def latest_runrate(runrate: pd.DataFrame, statuses: Iterable[str]) -> pd.DataFrame:
    """Each lab's latest annualized revenue among rows with one of ``statuses``.

    Rows on the same date are conflicts: the best status wins and ``other_values`` lists the rest.
    """
    statuses = list(statuses)
    unknown = sorted(set(statuses) - set(_STATUS_RANK))
    if unknown:
        raise ValueError(f"runrate_statuses: unknown status {', '.join(unknown)}; known: {', '.join(_STATUS_RANK)}")
    rows = runrate[runrate["status"].astype(str).isin(statuses)]
    rows = rows.assign(company=rows["company"].astype(str))
    out = _latest(rows, "company", "date")
    others = []
    for r in out.itertuples():
        same = rows[(rows["company"] == r.company) & (rows["date"] == r.date)
                    & (rows["source_id"] != r.source_id)]["annualized_revenue_usd_billion"]
        others.append(", ".join(f"{v:g}" for v in sorted(same)))
    out = out.assign(other_values=others)
    return (out[["company", "date", "annualized_revenue_usd_billion", "status", "source_id", "other_values"]]
            .sort_values("company").reset_index(drop=True))


def lab_comparison(totals: pd.DataFrame, valuations: pd.DataFrame, runrates: pd.DataFrame) -> pd.DataFrame:
    """One row per lab and measure (funding, valuation, annualized revenue, valuation/revenue multiple)."""
    labs = sorted(set(totals["company"]) | set(valuations["company"]) | set(runrates["company"]))
    rows = []
    for lab in labs:
        f = totals[totals["company"] == lab]
        v = valuations[valuations["company"] == lab]
        r = runrates[runrates["company"] == lab]
        fv = float(f["funding_usd_billion"].iloc[0]) if len(f) else np.nan
        vv = float(v["valuation_usd_billion"].iloc[0]) if len(v) else np.nan
        rv = float(r["annualized_revenue_usd_billion"].iloc[0]) if len(r) else np.nan
        vsrc = v["source_id"].iloc[0] if len(v) else None
        rsrc = r["source_id"].iloc[0] if len(r) else None
        rows += [
            {"company": lab, "measure": "funding", "value": fv, "as_at": f["last_round"].iloc[0] if len(f) else pd.NaT,
             "source_id": None},
            {"company": lab, "measure": "valuation", "value": vv, "as_at": v["date"].iloc[0] if len(v) else pd.NaT,
             "source_id": vsrc},
            {"company": lab, "measure": "annualized_revenue", "value": rv,
             "as_at": r["date"].iloc[0] if len(r) else pd.NaT, "source_id": rsrc},
            {"company": lab, "measure": "valuation_to_revenue", "value": vv / rv if rv > 0 else np.nan,
             "as_at": pd.NaT, "source_id": vsrc},
        ]
    return pd.DataFrame(rows)


def lab_ratios(comparison: pd.DataFrame, numerator: str = "OpenAI", denominator: str = "Anthropic") -> pd.DataFrame:
    """``numerator`` ÷ ``denominator`` per measure (missing where either side is missing or zero)."""
    wide = comparison.pivot(index="measure", columns="company", values="value")
    rows = []
    for measure in ["annualized_revenue", "funding", "valuation", "valuation_to_revenue"]:
        a = wide.at[measure, numerator] if numerator in wide.columns and measure in wide.index else np.nan
        b = wide.at[measure, denominator] if denominator in wide.columns and measure in wide.index else np.nan
        rows.append({"measure": measure, numerator: a, denominator: b,
                     "ratio": a / b if pd.notna(a) and pd.notna(b) and b != 0 else np.nan})
    return pd.DataFrame(rows)


def seed_check(seed_claims: pd.DataFrame, ratios: pd.DataFrame, shares: pd.DataFrame,
               totals: pd.DataFrame) -> pd.DataFrame:
    """The seed article's funding and ratio claims next to the same figures computed from the data.

    Ratios agree when the data's ratio rounds to the claimed one decimal; "more than" claims
    (shares, totals) when the data's figure exceeds the claim. ``article_arithmetic`` recomputes
    a claim from the article's own other figures (its totals, its investments), which shows
    what the article must have used where it and the data part ways.
    """
    claims = seed_claims.set_index("claim_id")["value"]
    ratio = ratios.set_index("measure")["ratio"]
    share = shares.set_index("investor")["share_percent"]
    total = totals.set_index("company")["funding_usd_billion"]

    def c(cid: str) -> float:
        return float(claims[cid]) if cid in claims.index else np.nan

    rows = [
        ("S06", "OpenAI total funding > (USD bn)", c("S06"), total.get("OpenAI", np.nan), np.nan, "more_than"),
        ("S10", "Anthropic total funding > (USD bn)", c("S10"), total.get("Anthropic", np.nan), np.nan, "more_than"),
        ("S09", "Microsoft share of OpenAI funding > (%)", c("S09"), share.get("Microsoft", np.nan),
         100 * c("S08") / c("S06"), "more_than"),
        ("S13", "Amazon share of Anthropic funding > (%)", c("S13"), share.get("Amazon", np.nan),
         100 * c("S12") / c("S10"), "more_than"),
        ("S26", "revenue ratio OpenAI/Anthropic", c("S26"), ratio.get("annualized_revenue", np.nan),
         c("S23") / c("S25"), "rounds_to"),
        ("S27", "funding ratio OpenAI/Anthropic", c("S27"), ratio.get("funding", np.nan), c("S06") / c("S10"),
         "rounds_to"),
        ("S28", "valuation ratio OpenAI/Anthropic", c("S28"), ratio.get("valuation", np.nan), c("S07") / c("S11"),
         "rounds_to"),
    ]
    out = pd.DataFrame(rows, columns=["claim_id", "claim", "article", "from_data", "article_arithmetic", "test"])

    def agrees(r: pd.Series) -> bool | None:
        if pd.isna(r["article"]) or pd.isna(r["from_data"]):
            return None
        if r["test"] == "more_than":
            return bool(r["from_data"] > r["article"])
        return bool(round(r["from_data"], 1) == round(r["article"], 1))

    out["agrees"] = out.apply(agrees, axis=1).astype("boolean")
    return out


# ---------------------------------------------------------------- money back

def latest_metric(metrics: pd.DataFrame, metric: str, entity: str | None = None) -> pd.Series | None:
    """The latest row of ``metric`` (best status on ties; undated rows count as oldest), or None."""
    rows = metrics[metrics["metric"] == metric]
    if entity is not None:
        rows = rows[rows["entity"] == entity]
    if rows.empty:
        return None
    rows = rows.assign(_rank=rows["status"].astype(str).map(_STATUS_RANK).fillna(9))
    rows = rows.sort_values(["period_end", "_rank"], ascending=[False, True], na_position="last")
    return rows.iloc[0].drop("_rank")


def stake_inputs(metrics: pd.DataFrame, classified: pd.DataFrame, implied: bool) -> pd.DataFrame:
    """Each investor's stake in its lab (percent): the latest sourced figure where the data has one,
    else (if ``implied``) its fair value ÷ the lab's post-money valuation at the fair value's date,
    flagged as an estimate (later dilution not applied); else missing."""
    rows = []
    for investor, lab in PAIRS.items():
        row = latest_metric(metrics, f"{investor.lower()}_stake_in_{lab.lower()}")
        if row is not None:
            rows.append({"investor": investor, "company": lab, "stake_percent": float(row["value"]),
                         "basis": f"sourced ({row['period']})", "status": str(row["status"]),
                         "source_id": row["source_id"]})
            continue
        fair = latest_metric(metrics, f"{lab.lower()}_investment_fair_value", investor)
        val = pd.DataFrame()
        if fair is not None and pd.notna(fair["period_end"]):
            val = latest_valuation(classified[classified["date"] <= fair["period_end"]])
            val = val[val["company"] == lab]
        if implied and len(val):
            rows.append({"investor": investor, "company": lab,
                         "stake_percent": 100 * float(fair["value"]) / float(val["valuation_usd_billion"].iloc[0]),
                         "basis": f"implied: fair value {fair['value']:g} / post-money "
                                  f"{val['valuation_usd_billion'].iloc[0]:g} ({fair['period']})",
                         "status": "estimate", "source_id": fair["source_id"]})
        else:
            rows.append({"investor": investor, "company": lab, "stake_percent": np.nan, "basis": "not sourced",
                         "status": None, "source_id": None})
    return pd.DataFrame(rows).sort_values("investor").reset_index(drop=True)


_MONEY_BACK = {  # metric: (investor, label, sign)
    "openai_inference_spend_azure": ("Microsoft", "OpenAI inference spend on Azure", 1),
    "microsoft_revenue_share_received": ("Microsoft", "revenue share received from OpenAI", 1),
    "microsoft_stake_value": ("Microsoft", "stake value (company)", 1),
    "openai_investment_gain": ("Microsoft", "accounting gain on OpenAI", 1),
    "openai_related_loss_excluded_nongaap": ("Microsoft", "equity-method loss on OpenAI (negative)", -1),
    "anthropic_expected_aws_spend": ("Amazon", "Anthropic spend on AWS (expected)", 1),
    "anthropic_investment_fair_value": ("Amazon", "fair value of Anthropic holding", 1),
    "anthropic_pretax_gain": ("Amazon", "pre-tax gain on Anthropic", 1),
}


def money_back(metrics: pd.DataFrame, stakes: pd.DataFrame, valuations: pd.DataFrame,
               shares: pd.DataFrame) -> pd.DataFrame:
    """What flowed back to each investor, one row per sourced figure (USD bn, not additive), plus its
    counted investment and its stake × the lab's latest post-money (computed, dilution ignored)."""
    rows = []
    for r in metrics[metrics["metric"].isin(list(_MONEY_BACK)) & (metrics["unit"] == "usd_billion")].itertuples():
        investor, label, sign = _MONEY_BACK[r.metric]
        rows.append({"investor": investor, "item": f"{label}, {r.period}", "value_usd_billion": sign * r.value,
                     "status": str(r.status), "source_id": r.source_id})
    for r in shares.itertuples():
        rows.append({"investor": r.investor, "item": "investment (counted rows)",
                     "value_usd_billion": r.invested_usd_billion, "status": "computed", "source_id": None})
    val = valuations.set_index("company")
    for r in stakes.itertuples():
        if pd.notna(r.stake_percent) and r.company in val.index:
            v = val.loc[r.company]
            rows.append({"investor": r.investor,
                         "item": f"stake {r.stake_percent:.1f} % × post-money of {v['date'].date()} (computed)",
                         "value_usd_billion": r.stake_percent / 100 * v["valuation_usd_billion"],
                         "status": "computed", "source_id": r.source_id})
    cols = ["investor", "item", "value_usd_billion", "status", "source_id"]
    return pd.DataFrame(rows, columns=cols).sort_values(["investor", "item"]).reset_index(drop=True)


def profit_share_terms(metrics: pd.DataFrame, seed_claims: pd.DataFrame) -> pd.DataFrame:
    """Microsoft's share of OpenAI's profits until recoup, from the data and from the seed article, side by side."""
    rows = []
    row = latest_metric(metrics, "profit_share_until_recoup")
    if row is not None:
        rows.append({"source": "metrics", "basis": f"data: {row['period']}", "share_percent": float(row["value"]),
                     "status": str(row["status"]), "source_id": row["source_id"]})
    seed = seed_claims[seed_claims["metric"] == "profit_share"]
    if len(seed):
        r = seed.iloc[0]
        rows.append({"source": "seed_claims", "basis": f"seed article, claim {r['claim_id']}",
                     "share_percent": float(r["value"]), "status": "seed", "source_id": r["source_id"]})
    return pd.DataFrame(rows, columns=["source", "basis", "share_percent", "status", "source_id"])


def model_inputs(runrates: pd.DataFrame, shares: pd.DataFrame, stakes: pd.DataFrame, terms: pd.DataFrame,
                 profit_share_source: str) -> pd.DataFrame:
    """The model's starting values from the data, one row per investor and input, with basis and source.

    Inputs: start_revenue (latest run-rate), start_year (its year), investment (counted rows),
    stake_percent (missing when not known), profit_share_percent (Microsoft: the chosen term,
    0 when the data holds none; Amazon: no such term in the data, 0).
    """
    if profit_share_source not in ("metrics", "seed_claims"):
        raise ValueError(f"profit_share_source must be 'metrics' or 'seed_claims', got {profit_share_source!r}")
    rr = runrates.set_index("company")
    sh = shares.set_index("investor")
    st = stakes.set_index("investor")
    term = terms[terms["source"] == profit_share_source]
    rows = []
    for investor, lab in PAIRS.items():
        def add(name: str, value: float, basis: str, status: str | None, source_id: str | None) -> None:
            rows.append({"investor": investor, "company": lab, "input": name, "value": value, "basis": basis,
                         "status": status, "source_id": source_id})

        if lab not in rr.index:
            raise ValueError(f"{lab}: no annualized revenue row with an allowed status to start the model from")
        r = rr.loc[lab]
        add("start_revenue", float(r["annualized_revenue_usd_billion"]), f"run-rate of {r['date'].date()}",
            r["status"], r["source_id"])
        add("start_year", float(r["date"].year), "year of that run-rate", None, None)
        add("investment", float(sh.at[investor, "invested_usd_billion"]), "counted rows (section 1)", "computed",
            None)
        s = st.loc[investor]
        add("stake_percent", float(s["stake_percent"]), s["basis"], s["status"], s["source_id"])
        if investor == "Microsoft" and len(term):
            t = term.iloc[0]
            add("profit_share_percent", float(t["share_percent"]), t["basis"], t["status"], t["source_id"])
        else:
            add("profit_share_percent", 0.0, "no profit-share term in the data", None, None)
    return pd.DataFrame(rows)


def wide_inputs(inputs: pd.DataFrame) -> pd.DataFrame:
    """``model_inputs`` as one row per investor, the shape ``monte_carlo`` takes."""
    wide = inputs.pivot(index=["investor", "company"], columns="input", values="value").reset_index()
    wide.columns.name = None
    return wide.sort_values("investor").reset_index(drop=True)


_EVIDENCE = {
    "openai_nongaap_operating_margin": "margin_first", "openai_cash_burn_projection": "margin_first",
    "openai_inference_spend_azure": "cloud_spend_share", "openai_revenue": "cloud_spend_share",
    "anthropic_expected_aws_spend": "cloud_spend_share", "anthropic_quarterly_revenue": "cloud_spend_share",
}


def assumption_evidence(metrics: pd.DataFrame, comparison: pd.DataFrame) -> pd.DataFrame:
    """Sourced figures that bear on the assumptions (for reference, not used by the model)."""
    rows = [{"assumption": a, "evidence": r.metric, "period": r.period, "value": r.value, "unit": r.unit,
             "status": str(r.status), "source_id": r.source_id}
            for r in metrics[metrics["metric"].isin(list(_EVIDENCE))].itertuples() for a in [_EVIDENCE[r.metric]]]
    for r in comparison[comparison["measure"] == "valuation_to_revenue"].itertuples():
        rows.append({"assumption": "valuation_multiple", "evidence": f"{r.company} valuation / run-rate",
                     "period": "latest", "value": r.value, "unit": "ratio", "status": "computed",
                     "source_id": r.source_id})
    cols = ["assumption", "evidence", "period", "value", "unit", "status", "source_id"]
    return pd.DataFrame(rows, columns=cols).sort_values(["assumption", "evidence", "period"]).reset_index(drop=True)


_DISTRIBUTION = ["copilot_family_mau", "ai_feature_mau", "azure_openai_service_customers", "azure_ai_customers",
                 "azure_ai_customers_new_share"]


def distribution_metrics(metrics: pd.DataFrame) -> pd.DataFrame:
    """Reach of the partner's distribution of the lab's models (Copilot, Azure OpenAI), as sourced."""
    rows = metrics[metrics["metric"].isin(_DISTRIBUTION)]
    cols = ["metric", "entity", "period", "value", "unit", "status", "source_id", "note"]
    return rows[cols].sort_values(["metric", "period"]).reset_index(drop=True)


def int_or_none(value: object) -> int | None:
    """An int for a year, None for a missing one (pd.NA, NaN, None)."""
    return None if value is None or pd.isna(value) else int(value)


# ---------------------------------------------------------------- scenario model

def _contiguous(years: Sequence[int], what: str) -> None:
    years = [int(y) for y in years]
    if not years:
        return
    missing = sorted(set(range(min(years), max(years) + 1)) - set(years))
    if missing or len(set(years)) != len(years):
        raise ValueError(f"{what}: years must be contiguous and unique; missing {missing or 'none'}, "
                         f"duplicated {sorted({y for y in years if years.count(y) > 1}) or 'none'}")


def projection(start_revenue: float, start_year: int, horizon: int, growth_first: float, growth_last: float,
               margin_first: float, margin_last: float) -> pd.DataFrame:
    """Lab revenue and operating profit per year, ``start_year + 1 … start_year + horizon``.

    Growth and margin move in a straight line from the first to the last year (percent). Year t's
    revenue is ``start_revenue × Π (1 + growth)`` up to t; profit is revenue × margin.
    """
    if horizon < 1:
        raise ValueError(f"horizon must be at least 1 year, got {horizon}")
    if not np.isfinite(start_revenue) or start_revenue < 0:
        raise ValueError(f"start revenue must be a non-negative number, got {start_revenue}")
    steps = np.linspace(0.0, 1.0, horizon) if horizon > 1 else np.zeros(1)
    growth = growth_first + (growth_last - growth_first) * steps
    margin = margin_first + (margin_last - margin_first) * steps
    revenue = start_revenue * np.cumprod(1 + growth / 100)
    return pd.DataFrame({"year": np.arange(start_year + 1, start_year + horizon + 1), "growth_percent": growth,
                         "revenue_usd_billion": revenue, "margin_percent": margin,
                         "profit_usd_billion": revenue * margin / 100})


def channel_values(proj: pd.DataFrame, investment: float, stake_percent: float, profit_share_percent: float,
                   cloud_spend_share: float, cloud_margin: float, valuation_multiple: float,
                   discount_rate: float) -> pd.DataFrame:
    """Value to the investor per year and channel, discounted to the year before the first projected one.

    stake: stake × revenue × valuation multiple (a holding, not cumulated; missing if the stake is);
    profit_share: share of positive profit until the nominal receipts equal ``investment``, cumulated;
    cloud: lab revenue × cloud-spend share × the partner's margin on it, cumulated.
    """
    _contiguous(list(proj["year"]), "projection")
    t = np.arange(1, len(proj) + 1)
    disc = (1 + discount_rate / 100) ** -t
    revenue = proj["revenue_usd_billion"].to_numpy()
    profit = proj["profit_usd_billion"].to_numpy()
    stake = stake_percent / 100 * revenue * valuation_multiple * disc
    received = np.minimum(np.cumsum(profit_share_percent / 100 * np.clip(profit, 0, None)), max(investment, 0.0))
    share = np.diff(received, prepend=0.0)
    cloud = revenue * cloud_spend_share / 100 * cloud_margin / 100
    years = proj["year"].to_numpy()
    frames = [pd.DataFrame({"year": years, "channel": "stake", "value_usd_billion": stake}),
              pd.DataFrame({"year": years, "channel": "profit_share", "value_usd_billion": np.cumsum(share * disc)}),
              pd.DataFrame({"year": years, "channel": "cloud", "value_usd_billion": np.cumsum(cloud * disc)})]
    return pd.concat(frames, ignore_index=True)


def payback_year(years: Sequence[int], cumulative: Sequence[float], investment: float) -> int | None:
    """First year whose cumulative value reaches ``investment``; None when it never does.

    Zero investment pays back in the first year. Years must be contiguous (a gap is an error,
    not an interpolation); a missing value is an error naming its year.
    """
    years = [int(y) for y in years]
    values = list(cumulative)
    if len(years) != len(values):
        raise ValueError(f"{len(years)} years but {len(values)} values")
    if investment < 0:
        raise ValueError(f"investment must not be negative, got {investment}")
    _contiguous(years, "payback")
    bad = [y for y, v in zip(years, values) if v is None or not np.isfinite(v)]
    if bad:
        raise ValueError(f"payback: missing value for year(s) {bad}")
    for year, value in sorted(zip(years, values)):
        if value >= investment - 1e-12:
            return year
    return None


def profit_share_payback(profit: pd.Series, investment: float, share_percent: float) -> int | None:
    """Year in which ``share_percent`` of the lab's positive profits (indexed by year) recoups ``investment``.

    No profit ever: None.
    """
    received = (share_percent / 100 * profit.clip(lower=0)).cumsum()
    return payback_year(list(profit.index), list(received), investment)


def value_multiple(value: float, investment: float) -> float | None:
    """Value ÷ investment; None when nothing was invested (the multiple is undefined)."""
    if investment <= 0 or value is None or not np.isfinite(value):
        return None
    return value / investment


def midpoints(ranges: dict[str, Sequence[float]]) -> dict[str, float]:
    """The centre of each ``[low, high]`` range: the central case of the scenario."""
    return {k: (float(v[0]) + float(v[1])) / 2 for k, v in _checked(ranges).items()}


def _checked(ranges: dict[str, Sequence[float]]) -> dict[str, tuple[float, float]]:
    out = {}
    for name in RANGE_PARAMETERS:
        if name not in ranges:
            raise KeyError(f"missing range parameter {name!r}")
        r = ranges[name]
        if len(r) != 2 or not all(np.isfinite(float(x)) for x in r) or float(r[0]) > float(r[1]):
            raise ValueError(f"parameter {name!r} must be [low, high] with low <= high, got {list(r)}")
        out[name] = (float(r[0]), float(r[1]))
    return out


def _paths(start_revenue: float, investment: float, stake_percent: float, profit_share_percent: float,
           p: dict[str, np.ndarray], horizon: int) -> dict[str, np.ndarray]:
    """The model of ``projection`` + ``channel_values`` for many draws at once (arrays: draws × years)."""
    col = {k: np.asarray(v, dtype=float)[:, None] for k, v in p.items()}
    steps = np.linspace(0.0, 1.0, horizon)[None, :] if horizon > 1 else np.zeros((1, 1))
    growth = col["revenue_growth_first"] + (col["revenue_growth_last"] - col["revenue_growth_first"]) * steps
    margin = col["margin_first"] + (col["margin_last"] - col["margin_first"]) * steps
    revenue = start_revenue * np.cumprod(1 + growth / 100, axis=1)
    profit = revenue * margin / 100
    disc = (1 + col["discount_rate"] / 100) ** -np.arange(1, horizon + 1)[None, :]
    received = np.minimum(np.cumsum(profit_share_percent / 100 * np.clip(profit, 0, None), axis=1),
                          max(investment, 0.0))
    share = np.diff(received, axis=1, prepend=0.0)
    return {"stake": stake_percent / 100 * revenue * col["valuation_multiple"] * disc,
            "profit_share": np.cumsum(share * disc, axis=1),
            "cloud": np.cumsum(revenue * col["cloud_spend_share"] / 100 * col["cloud_margin"] / 100 * disc, axis=1)}


def monte_carlo(inputs: pd.DataFrame, ranges: dict[str, Sequence[float]], horizon: int, n_draws: int,
                seed: int, payback_channels: Sequence[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Draw each range uniformly (independently; one draw shared by all investors) and run the model.

    ``inputs`` has one row per investor: investor, start_year, start_revenue, investment,
    stake_percent, profit_share_percent. Returns (value per draw, investor, year and channel;
    payback year per draw and investor, missing when there is none within the horizon).
    """
    bad = sorted(set(payback_channels) - set(CHANNELS))
    if bad or not payback_channels:
        raise ValueError(f"payback_channels: unknown or no channel {bad}; known: {', '.join(CHANNELS)}")
    if n_draws < 1 or horizon < 1:
        raise ValueError(f"n_draws and horizon must be at least 1, got {n_draws} and {horizon}")
    rng = np.random.default_rng(seed)
    draws = {k: rng.uniform(lo, hi, n_draws) for k, (lo, hi) in _checked(ranges).items()}
    values, paybacks = [], []
    for r in inputs.sort_values("investor").itertuples():
        if r.investment < 0 or not np.isfinite(r.start_revenue):
            raise ValueError(f"{r.investor}: needs a start revenue and a non-negative investment")
        paths = _paths(r.start_revenue, r.investment, r.stake_percent, r.profit_share_percent, draws, horizon)
        years = np.arange(int(r.start_year) + 1, int(r.start_year) + horizon + 1)
        for channel in CHANNELS:
            values.append(pd.DataFrame({
                "draw": np.repeat(np.arange(n_draws), horizon), "investor": r.investor,
                "year": np.tile(years, n_draws), "channel": channel,
                "value_usd_billion": paths[channel].ravel()}))
        cash = sum(paths[c] for c in payback_channels)
        reached = cash >= r.investment - 1e-12
        first = np.where(reached.any(axis=1), years[reached.argmax(axis=1)], -1)
        paybacks.append(pd.DataFrame({"draw": np.arange(n_draws), "investor": r.investor,
                                      "payback_year": pd.array(np.where(first < 0, None, first), dtype="Int64")}))
    return (pd.concat(values, ignore_index=True).sort_values(["investor", "draw", "channel", "year"],
                                                             ignore_index=True),
            pd.concat(paybacks, ignore_index=True))


def bands(values: pd.DataFrame, quantiles: Sequence[float] = (0.1, 0.5, 0.9)) -> pd.DataFrame:
    """Quantiles of the total value (sum of channels, missing ones skipped) per investor and year."""
    total = values.groupby(["investor", "draw", "year"])["value_usd_billion"].sum(min_count=1).reset_index()
    q = total.groupby(["investor", "year"])["value_usd_billion"].quantile(list(quantiles)).unstack()
    q.columns = [f"p{int(round(100 * c))}" for c in q.columns]
    return q.reset_index()


def payback_summary(paybacks: pd.DataFrame) -> pd.DataFrame:
    """Per investor: median, P10 and P90 payback year (no payback counts as never: None when the
    quantile falls on it) and the share of draws that pay back within the horizon."""
    rows = []
    for investor, g in paybacks.groupby("investor"):
        years = np.sort(g["payback_year"].astype("Float64").fillna(np.inf).to_numpy(dtype=float))

        def q(p: float) -> int | None:
            v = float(np.quantile(years, p, method="inverted_cdf"))
            return None if np.isinf(v) else int(v)

        rows.append({"investor": investor, "payback_p10": q(0.1), "payback_median": q(0.5),
                     "payback_p90": q(0.9), "share_paying_back_percent": 100 * float(np.isfinite(years).mean())})
    return pd.DataFrame(rows).astype({"payback_p10": "Int64", "payback_median": "Int64", "payback_p90": "Int64"})


def central_summary(values: pd.DataFrame, paybacks: pd.DataFrame, inputs: pd.DataFrame) -> pd.DataFrame:
    """Per investor, the last projected year's value by channel, the total, the multiple of the
    investment (None when nothing was invested) and the payback year of one run (draw 0)."""
    run = values[values["draw"] == 0]
    last = run[run["year"] == run.groupby("investor")["year"].transform("max")]
    wide = last.pivot(index=["investor", "year"], columns="channel", values="value_usd_billion").reset_index()
    wide.columns.name = None
    wide["total"] = wide[list(CHANNELS)].sum(axis=1, min_count=1)
    invest = wide_inputs(inputs).set_index("investor")["investment"]
    wide["investment"] = wide["investor"].map(invest)
    wide["multiple"] = [value_multiple(t, i) for t, i in zip(wide["total"], wide["investment"])]
    pay = paybacks[paybacks["draw"] == 0].set_index("investor")["payback_year"]
    wide["payback_year"] = wide["investor"].map(pay).astype("Int64")
    return wide[["investor", "year", *CHANNELS, "total", "investment", "multiple", "payback_year"]]


# ---------------------------------------------------------------- what the lab got

_GOT = {"investment": "capital", "compute_deal": "compute", "chip_deal": "compute",
        "model_distribution": "distribution", "exclusivity_change": "terms", "restructuring": "terms"}


def lab_gains(events: pd.DataFrame, pairs: dict[str, str] = PAIRS) -> pd.DataFrame:
    """Alliance events between each investor and its lab, labelled by what the lab got
    (capital, compute, distribution, terms)."""
    rows = []
    for investor, lab in pairs.items():
        parties = events["parties"].astype(str).str.split(";")
        mine = events[parties.map(lambda p: investor in p and lab in p)]
        rows.append(mine.assign(pair=f"{investor}–{lab}",
                                lab_got=mine["event_type"].astype(str).map(_GOT).fillna("other")))
    out = pd.concat(rows, ignore_index=True)
    cols = ["pair", "date", "lab_got", "event_type", "description", "value_usd_billion", "status", "source_id"]
    return out[cols].sort_values(["pair", "date", "lab_got"]).reset_index(drop=True)
