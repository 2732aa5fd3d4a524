"""Partnership value: what Microsoft–OpenAI and Amazon–Anthropic brought each side.

Pure functions: each investor's money in (counted by ``kit.rules``), the labs side by side with dated
ratios, money back, and a scenario model anchored on observed values (revenue, margin, valuation
multiple, cloud spend, discount rate → value to the investor by channel, payback year, seeded Monte
Carlo bands). The seed article's claims are judged by ``kit.factcheck`` only. Money in USD billions,
percentages as numbers (23 = 23 %).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from kit import rules

PAIRS: dict[str, str] = {"Microsoft": "OpenAI", "Amazon": "Anthropic"}
CHANNELS: tuple[str, ...] = ("stake", "profit_share", "cloud")
RANGE_PARAMETERS: tuple[str, ...] = (
    "revenue_growth_first", "revenue_growth_last", "margin_first", "margin_last",
    "valuation_multiple", "discount_rate", "cloud_spend_share", "cloud_margin",
)
#: The seed article's claims on money in, valuations, ratios and terms (judged by the fact check).
SEED_CLAIMS: tuple[str, ...] = ("S06", "S07", "S08", "S09", "S10", "S11", "S12", "S13", "S14", "S19", "S20",
                                "S26", "S27", "S28")
MEASURES: tuple[str, ...] = ("annualized_revenue", "funding", "valuation", "valuation_to_revenue")

__all__ = [
    "PAIRS", "CHANNELS", "RANGE_PARAMETERS", "SEED_CLAIMS", "MEASURES", "investor_investments",
    "cumulative_investments", "latest_valuation", "latest_runrate", "lab_comparison", "lab_ratios",
    "latest_metric", "stake_inputs", "money_back", "profit_share_terms", "model_inputs", "wide_inputs",
    "projection", "monte_carlo", "year0_check", "value_breakdown", "payback_year", "profit_share_payback",
    "value_multiple", "midpoints", "bands", "payback_summary", "central_summary", "lab_gains",
    "assumption_evidence", "distribution_metrics", "int_or_none", "ceilings", "ceiling_note", "NO_RUNRATE",
    "spend_date", "modelled", "horizon_bands", "ASSUMPTIONS", "assumption_table", "GAINS", "INPUT_UNITS",
    "INPUT_LABELS",
    "profit_share_schedule", "key_numbers", "funding_parts", "answer_sentences",
]


# ---------------------------------------------------------------- money in (counted by kit.rules)

def investor_investments(counted: pd.DataFrame, investors: Sequence[str]) -> pd.DataFrame:
    """The rows of ``rules.count_funding`` output that belong to one of ``investors``, with the running
    total per investor and lab (a row without a stated amount adds nothing and stays listed)."""
    rows = counted[counted["investor"].isin(list(investors))]
    rows = rows.assign(company=rows["company"].astype(str)).sort_values(["investor", "company", "date", "round"])
    running = rows["amount_usd_billion"].fillna(0.0).groupby([rows["investor"], rows["company"]]).cumsum()
    rows = rows.assign(cumulative_usd_billion=running)
    cols = ["investor", "company", "date", "round", "amount_usd_billion", "cumulative_usd_billion", "status",
            "source_id"]
    return rows[cols].reset_index(drop=True)


def cumulative_investments(investments: pd.DataFrame, end: pd.Timestamp) -> pd.DataFrame:
    """Step series for a chart: each investor→lab running total, carried forward to ``end``."""
    last = (investments.sort_values("date").groupby(["investor", "company"], as_index=False).tail(1)
            .assign(date=pd.Timestamp(end), round="(carried forward)"))
    return pd.concat([investments, last]).sort_values(["investor", "company", "date"]).reset_index(drop=True)


def ceilings(counted: pd.DataFrame) -> pd.DataFrame:
    """The "up to" ceilings among ``rules.count_funding`` rows (counted or not): lab, date, investor,
    amount, round and source, newest first within each lab."""
    rows = counted[counted["up_to"].astype(bool)]
    out = pd.DataFrame({"company": rows["company"].astype(str), "date": rows["date"],
                        "investor": rows["investor_of_interest"].astype(str),
                        "amount_usd_billion": rows["amount_usd_billion"], "round": rows["round"],
                        "counted": rows["excluded"] == "", "source_id": rows["source_id"]})
    return out.sort_values(["company", "date"], ascending=[True, False]).reset_index(drop=True)


def ceiling_note(counted: pd.DataFrame, pairs: dict[str, str] = PAIRS) -> str:
    """What the shares of the labs' funding do with "up to" ceilings, in words, naming for each pair the
    investor's own ceilings at its lab, or where it has none the largest one there: "excludes 'up to'
    commitments such as …" (or "counts … in full, such as …" where they are counted); "" when there
    are none."""
    found = ceilings(counted)
    named = []
    for investor, lab in pairs.items():
        at = found[found["company"] == lab]
        own = at[at["investor"] == investor]
        shown = own if len(own) else at.sort_values(["amount_usd_billion", "date"], ascending=False).head(1)
        named += [f"{r.investor}'s up to ${r.amount_usd_billion:g} bn for {lab} ({r.date.date()})"
                  for r in shown.itertuples()]
    if not named:
        return ""
    shown = found[found["company"].isin(list(pairs.values()))]
    verb = ("counts 'up to' commitments in full, such as" if shown["counted"].all()
            else "excludes 'up to' commitments such as")
    return f"{verb} {', '.join(named[:-1]) + ' and ' + named[-1] if len(named) > 1 else named[0]}"


def funding_parts(counted: pd.DataFrame, investors: Sequence[str] = tuple(PAIRS)) -> pd.DataFrame:
    """Each lab's counted new money split into the parts of ``investors`` and the rest ("other
    investors", undisclosed parts included), with where each part starts in a stacked bar (``left``):
    the sums of ``rules.investor_rows`` (which cite the rows) of ``rules.count_funding`` output."""
    rows = rules.investor_rows(counted)
    rows = rows.assign(part=rows["investor"].where(rows["investor"].isin(list(investors)), rules.OTHER_INVESTORS))
    out = rows.groupby(["lab", "part"], as_index=False)["amount_usd_billion"].sum()
    out = out.assign(_other=out["part"] == rules.OTHER_INVESTORS).sort_values(["lab", "_other", "part"])
    left = out.groupby("lab")["amount_usd_billion"].cumsum() - out["amount_usd_billion"]
    return out.assign(left=left).drop(columns="_other").reset_index(drop=True)


def _latest(frame: pd.DataFrame, by: str, date: str) -> pd.DataFrame:
    ranked = frame.assign(_rank=rules.status_rank(frame["status"]))
    ranked = ranked.sort_values([by, date, "_rank"], ascending=[True, False, True])
    return ranked.groupby(by, observed=True).head(1).drop(columns="_rank")


def latest_valuation(counted: pd.DataFrame) -> pd.DataFrame:
    """Each lab's latest post-money valuation (superseded rows skipped; ties on a date go to the best status)."""
    rows = counted[counted["post_money_valuation_usd_billion"].notna() & ~counted["superseded"]]
    rows = rows.assign(company=rows["company"].astype(str))
    out = _latest(rows, "company", "date")
    return (out[["company", "date", "round", "post_money_valuation_usd_billion", "status", "source_id"]]
            .rename(columns={"post_money_valuation_usd_billion": "valuation_usd_billion"})
            .sort_values("company").reset_index(drop=True))


def latest_runrate(runrate: pd.DataFrame, statuses: Sequence[str]) -> pd.DataFrame:
    """Each lab's latest annualized revenue among rows with one of ``statuses``.

    Rows on the same date are conflicts: the best status wins and ``other_values`` lists the rest.
    """
    statuses = rules.check_statuses(statuses, "runrate_statuses")
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
    """One row per lab and measure (funding, valuation, annualized revenue, valuation/revenue multiple),
    each with the date it is ``as_at``: funding is cumulative, so every lab's total stands at the latest
    counted round of any lab; a valuation or run-rate at its own date. The multiple is a
    ``rules.dated_ratio`` (missing, with a ``note``, when valuation and run-rate lie more than one quarter
    apart)."""
    labs = sorted(set(totals["company"]) | set(valuations["company"]) | set(runrates["company"]))
    funded_to = totals["last_round"].max() if len(totals) else pd.NaT
    rows = []
    for lab in labs:
        f = totals[totals["company"] == lab]
        v = valuations[valuations["company"] == lab]
        r = runrates[runrates["company"] == lab]
        fv = float(f["funding_usd_billion"].iloc[0]) if len(f) else np.nan
        vv, vd = (float(v["valuation_usd_billion"].iloc[0]), v["date"].iloc[0]) if len(v) else (np.nan, pd.NaT)
        rv, rd = (float(r["annualized_revenue_usd_billion"].iloc[0]), r["date"].iloc[0]) if len(r) else (np.nan, pd.NaT)
        vsrc = v["source_id"].iloc[0] if len(v) else None
        multiple = rules.dated_ratio(vv, vd, rv, rd)
        rows += [
            {"company": lab, "measure": "funding", "value": fv, "as_at": funded_to if len(f) else pd.NaT,
             "source_id": None,
             "note": f"counted new money to {funded_to.date()}" if len(f) else "no counted round"},
            {"company": lab, "measure": "valuation", "value": vv, "as_at": vd, "source_id": vsrc, "note": ""},
            {"company": lab, "measure": "annualized_revenue", "value": rv, "as_at": rd,
             "source_id": r["source_id"].iloc[0] if len(r) else None, "note": ""},
            {"company": lab, "measure": "valuation_to_revenue", "value": multiple["ratio"],
             "as_at": max(vd, rd) if pd.notna(vd) and pd.notna(rd) else pd.NaT, "source_id": vsrc,
             "note": multiple["note"]},
        ]
    return pd.DataFrame(rows)


def _day(ts: pd.Timestamp) -> str:
    return "" if pd.isna(ts) else str(pd.Timestamp(ts).date())


def lab_ratios(comparison: pd.DataFrame, numerator: str = "OpenAI", denominator: str = "Anthropic") -> pd.DataFrame:
    """``numerator`` ÷ ``denominator`` per measure with both figures' dates (ISO text, ``rules.dated_ratio``):
    missing, with the reason in ``note``, where a side is missing or zero or the dates lie more than a
    quarter apart."""
    rows = []
    for measure in MEASURES:
        def side(lab: str) -> tuple[float, pd.Timestamp]:
            hit = comparison[(comparison["company"] == lab) & (comparison["measure"] == measure)]
            return (float(hit["value"].iloc[0]), hit["as_at"].iloc[0]) if len(hit) else (np.nan, pd.NaT)

        (a, a_at), (b, b_at) = side(numerator), side(denominator)
        r = rules.dated_ratio(a, a_at, b, b_at)
        rows.append({"measure": measure, numerator: a, f"{numerator}_as_at": _day(r["numerator_date"]),
                     denominator: b, f"{denominator}_as_at": _day(r["denominator_date"]),
                     "days_apart": r["days_apart"], "ratio": r["ratio"], "note": r["note"]})
    out = pd.DataFrame(rows)
    return out.astype({"days_apart": "Int64"})


# ---------------------------------------------------------------- money back

def latest_metric(metrics: pd.DataFrame, metric: str, entity: str | None = None) -> pd.Series | None:
    """The latest row of ``metric`` (best status on ties; undated rows count as oldest), or None."""
    rows = metrics[metrics["metric"] == metric]
    if entity is not None:
        rows = rows[rows["entity"] == entity]
    if rows.empty:
        return None
    rows = rows.assign(_rank=rules.status_rank(rows["status"]))
    rows = rows.sort_values(["period_end", "_rank"], ascending=[False, True], na_position="last")
    return rows.iloc[0].drop("_rank")


def stake_inputs(metrics: pd.DataFrame, counted: pd.DataFrame, implied: bool) -> pd.DataFrame:
    """Each investor's stake in its lab (percent): the latest sourced figure where the data has one,
    else (if ``implied``) its fair value ÷ the lab's post-money valuation at the fair value's date,
    flagged as an estimate (later dilution not applied); else missing."""
    rows = []
    for investor, lab in PAIRS.items():
        row = latest_metric(metrics, f"{investor.lower()}_stake_in_{lab.lower()}")
        if row is not None:
            rows.append({"investor": investor, "company": lab, "stake_percent": float(row["value"]),
                         "as_at": str(row["period"]), "basis": "sourced", "status": str(row["status"]),
                         "source_id": row["source_id"]})
            continue
        fair = latest_metric(metrics, f"{lab.lower()}_investment_fair_value", investor)
        val = pd.DataFrame()
        if fair is not None and pd.notna(fair["period_end"]):
            val = latest_valuation(counted[counted["date"] <= fair["period_end"]])
            val = val[val["company"] == lab]
        if implied and len(val):
            rows.append({"investor": investor, "company": lab,
                         "stake_percent": 100 * float(fair["value"]) / float(val["valuation_usd_billion"].iloc[0]),
                         "as_at": str(fair["period"]),
                         "basis": f"implied: fair value {fair['value']:g} / post-money "
                                  f"{val['valuation_usd_billion'].iloc[0]:g}",
                         "status": "estimate", "source_id": fair["source_id"]})
        else:
            rows.append({"investor": investor, "company": lab, "stake_percent": np.nan, "as_at": "",
                         "basis": "not sourced", "status": None, "source_id": None})
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


def profit_share_terms(metrics: pd.DataFrame, seed_claims: pd.DataFrame, verdicts: pd.DataFrame) -> pd.DataFrame:
    """Microsoft's share of OpenAI's profits until recoup, from the data and from the seed article, side by
    side; the article's figure carries the fact check's verdict on it (``verdicts``: ``factcheck.claim_verdicts``
    output), so it is judged here as in the fact check."""
    rows = []
    row = latest_metric(metrics, "profit_share_until_recoup")
    if row is not None:
        rows.append({"source": "metrics", "basis": f"data: {row['period']}", "share_percent": float(row["value"]),
                     "status": str(row["status"]), "source_id": row["source_id"], "fact_check": ""})
    seed = seed_claims[seed_claims["metric"] == "profit_share"]
    judged = verdicts.set_index("claim_id")
    if len(seed):
        r = seed.iloc[0]
        if r["claim_id"] not in judged.index:
            raise KeyError(f"no fact-check verdict on claim {r['claim_id']}: pass the verdicts on SEED_CLAIMS")
        v = judged.loc[r["claim_id"]]
        rows.append({"source": "seed_claims", "basis": f"seed article, claim {r['claim_id']}",
                     "share_percent": float(r["value"]), "status": "seed", "source_id": r["source_id"],
                     "fact_check": f"{v['status']}: {v['explanation']}"})
    return pd.DataFrame(rows, columns=["source", "basis", "share_percent", "status", "source_id", "fact_check"])


def model_inputs(runrates: pd.DataFrame, shares: pd.DataFrame, stakes: pd.DataFrame, terms: pd.DataFrame,
                 profit_share_source: str, valuations: pd.DataFrame, spend: pd.DataFrame) -> pd.DataFrame:
    """The model's starting values from the data, one row per investor and input, with the date it stands
    at (``as_at``: a day, a period or a year, as text), basis, status, source and a ``flag``.

    Inputs: start_revenue (latest run-rate), start_year (its year: year 0), investment (counted rows),
    stake_percent (missing when not known), profit_share_percent (Microsoft: the chosen term, 0 when
    the data holds none; Amazon: no such term in the data, 0), and the two observed anchors of year 0:
    valuation (latest post-money) with multiple_start = valuation ÷ run-rate (``rules.dated_ratio``:
    missing when more than a quarter apart), and cloud_spend (``rules.latest_partner_cloud_spend`` of
    ``spend``) with cloud_share_start = cloud spend ÷ run-rate × 100. A whole year's spend stands at the
    middle of its year (``spend_date``); where that lies more than a quarter from the run-rate the share
    is still taken (the spend has no closer date) and flagged. A missing anchor leaves the model on its
    assumption for that input, and ``year0_check`` shows it. A lab without a run-rate has a missing
    start_revenue (its basis says why) and is left out of the model (``modelled``).
    """
    if profit_share_source not in ("metrics", "seed_claims"):
        raise ValueError(f"profit_share_source must be 'metrics' or 'seed_claims', got {profit_share_source!r}")
    rr = runrates.set_index("company")
    sh = shares.set_index("investor")
    st = stakes.set_index("investor")
    val = valuations.set_index("company")
    cloud = rules.latest_partner_cloud_spend(spend).set_index("lab")
    term = terms[terms["source"] == profit_share_source]
    rows = []
    for investor, lab in PAIRS.items():
        def add(name: str, value: float, as_at: str, basis: str, status: str | None = None,
                source_id: str | None = None, flag: str = "") -> None:
            rows.append({"investor": investor, "company": lab, "input": name, "value": value,
                         "unit": INPUT_UNITS[name], "as_at": as_at, "basis": basis, "status": status,
                         "source_id": source_id, "flag": flag})

        revenue, start = np.nan, pd.NaT
        if lab in rr.index:
            r = rr.loc[lab]
            revenue, start = float(r["annualized_revenue_usd_billion"]), r["date"]
            add("start_revenue", revenue, _day(start), "latest run-rate", r["status"], r["source_id"])
            add("start_year", float(start.year), str(start.year), "year of that run-rate (year 0)")
        else:
            add("start_revenue", np.nan, "", NO_RUNRATE)
            add("start_year", np.nan, "", NO_RUNRATE)
        add("investment", float(sh.at[investor, "invested_usd_billion"]), "", "counted rows (money in)", "computed")
        s = st.loc[investor]
        add("stake_percent", float(s["stake_percent"]), str(s.get("as_at") or ""), s["basis"], s["status"],
            s["source_id"])
        if investor == "Microsoft" and len(term):
            t = term.iloc[0]
            add("profit_share_percent", float(t["share_percent"]), "", t["basis"], t["status"], t["source_id"])
        else:
            add("profit_share_percent", 0.0, "", "no profit-share term in the data")
        if lab in val.index:
            v = val.loc[lab]
            add("valuation", float(v["valuation_usd_billion"]), _day(v["date"]), "latest post-money",
                str(v["status"]), v["source_id"])
            m = rules.dated_ratio(float(v["valuation_usd_billion"]), v["date"], revenue, start)
            add("multiple_start", m["ratio"], _day(v["date"]),
                f"valuation / run-rate, {m['days_apart']} days apart" if not m["note"] else
                f"not observed ({m['note']}): the assumed multiple from year 0", "computed", v["source_id"])
        else:
            add("valuation", np.nan, "", "no post-money valuation in the data")
            add("multiple_start", np.nan, "", "no valuation: the assumed multiple from year 0")
        if lab in cloud.index:
            c = cloud.loc[lab]
            add("cloud_spend", float(c["spend_usd_billion"]), str(c["year"]),
                f"{lab} spend at {c['partner']} ({c['metric']})", str(c["status"]), c["source_id"])
            apart = rules.dated_ratio(float(c["spend_usd_billion"]), spend_date(c["year"]), revenue, start)
            far = apart["note"].startswith("figures")
            add("cloud_share_start", 100 * float(c["spend_usd_billion"]) / revenue if revenue > 0 else np.nan,
                str(c["year"]), f"cloud spend {c['year']} / run-rate × 100", "computed", c["source_id"],
                f"spend of the year {c['year']} against the run-rate of {_day(start)}: "
                f"{apart['days_apart']} days from the year's middle, more than one quarter" if far else "")
        else:
            add("cloud_spend", np.nan, "", "no annual partner-cloud spend in the data")
            add("cloud_share_start", np.nan, "", "no spend: the assumed share from year 0")
    return pd.DataFrame(rows)


#: The unit of each model input.
INPUT_UNITS: dict[str, str] = {
    "start_revenue": "USD bn", "start_year": "year", "investment": "USD bn", "stake_percent": "%",
    "profit_share_percent": "%", "valuation": "USD bn", "multiple_start": "×", "cloud_spend": "USD bn",
    "cloud_share_start": "%"}
#: What each model input is, in words.
INPUT_LABELS: dict[str, str] = {
    "start_revenue": "start run-rate", "start_year": "year 0", "investment": "money in",
    "stake_percent": "stake", "profit_share_percent": "profit-share term", "valuation": "valuation",
    "multiple_start": "valuation ÷ run-rate", "cloud_spend": "cloud spend",
    "cloud_share_start": "cloud spend ÷ run-rate"}
NO_RUNRATE = "no run-rate of an allowed status and grade for its lab"


def spend_date(year: int) -> pd.Timestamp:
    """The date a whole calendar year's spend stands at when set against a run-rate: the year's middle."""
    return pd.Timestamp(int(year), 7, 2)


def modelled(inputs: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """``wide_inputs`` of the investors the model can run (their lab has a start revenue), and the
    others with the reason each is left out."""
    wide = wide_inputs(inputs)
    ok = wide["start_revenue"].notna()
    reasons = {str(i): NO_RUNRATE for i in wide.loc[~ok, "investor"]}
    return wide[ok].reset_index(drop=True), reasons


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


def _model(start_revenue: float, investment: float, stake_percent: float, profit_share_percent: float,
           multiple_start: float, cloud_share_start: float, p: dict[str, np.ndarray],
           horizon: int) -> dict[str, np.ndarray]:
    """The scenario model (its one implementation), for many draws at once: arrays of draws × years 0…horizon.

    Year 0 is the start, the latest run-rate: revenue = ``start_revenue``; the valuation multiple and the
    cloud-spend share start at their observed values (``multiple_start``, ``cloud_share_start``; the
    assumed value where missing) and move in a straight line to the assumed ``valuation_multiple`` and
    ``cloud_spend_share`` of the last year. Revenue growth and margin move in a straight line from year 1
    (``*_first``) to the last year (``*_last``). Values are discounted to year 0 at ``discount_rate``.
    Channels: stake = stake × revenue × multiple (a holding; year 0: stake × the observed valuation);
    profit_share = share of positive profit until the nominal receipts equal ``investment``, cumulated;
    cloud = revenue × cloud share × the partner's margin on it, cumulated from year 1. Also revenue,
    growth, margin, profit, multiple, cloud_share and cloud_spend (undiscounted).
    """
    if horizon < 1:
        raise ValueError(f"horizon must be at least 1 year, got {horizon}")
    if not np.isfinite(start_revenue) or start_revenue < 0:
        raise ValueError(f"start revenue must be a non-negative number, got {start_revenue}")
    col = {k: np.asarray(v, dtype=float)[:, None] for k, v in p.items()}
    n = col["revenue_growth_first"].shape[0]
    t = np.arange(horizon + 1)[None, :]
    steps = np.linspace(0.0, 1.0, horizon)[None, :] if horizon > 1 else np.zeros((1, 1))
    growth = col["revenue_growth_first"] + (col["revenue_growth_last"] - col["revenue_growth_first"]) * steps
    margin = col["margin_first"] + (col["margin_last"] - col["margin_first"]) * steps
    revenue = start_revenue * np.concatenate([np.ones((n, 1)), np.cumprod(1 + growth / 100, axis=1)], axis=1)
    profit = np.concatenate([np.zeros((n, 1)), revenue[:, 1:] * margin / 100], axis=1)

    def path(start: float, end: np.ndarray) -> np.ndarray:
        begin = np.full_like(end, start) if np.isfinite(start) else end
        return begin + (end - begin) * t / horizon

    multiple = path(multiple_start, col["valuation_multiple"])
    share = path(cloud_share_start, col["cloud_spend_share"])
    disc = (1 + col["discount_rate"] / 100) ** -t
    received = np.minimum(np.cumsum(profit_share_percent / 100 * np.clip(profit, 0, None), axis=1),
                          max(investment, 0.0))
    spend = revenue * share / 100
    cloud = spend * col["cloud_margin"] / 100 * disc
    cloud[:, 0] = 0.0
    first = np.full((n, 1), np.nan)
    return {"revenue": revenue, "growth": np.concatenate([first, growth], axis=1),
            "margin": np.concatenate([first, margin], axis=1), "profit": profit, "multiple": multiple,
            "cloud_share": share, "cloud_spend": spend,
            "stake": stake_percent / 100 * revenue * multiple * disc,
            "profit_share": np.cumsum(np.diff(received, axis=1, prepend=0.0) * disc, axis=1),
            "cloud": np.cumsum(cloud, axis=1)}


def projection(start_revenue: float, start_year: int, horizon: int, growth_first: float, growth_last: float,
               margin_first: float, margin_last: float) -> pd.DataFrame:
    """Lab revenue and operating profit per year, ``start_year + 1 … start_year + horizon``: the model's
    revenue path for one set of growth and margin assumptions."""
    p = {k: [0.0] for k in RANGE_PARAMETERS} | {"revenue_growth_first": [growth_first],
                                               "revenue_growth_last": [growth_last],
                                               "margin_first": [margin_first], "margin_last": [margin_last]}
    m = _model(start_revenue, 0.0, np.nan, 0.0, np.nan, np.nan, p, horizon)
    return pd.DataFrame({"year": np.arange(start_year + 1, start_year + horizon + 1),
                         "growth_percent": m["growth"][0, 1:], "revenue_usd_billion": m["revenue"][0, 1:],
                         "margin_percent": m["margin"][0, 1:], "profit_usd_billion": m["profit"][0, 1:]})


def profit_share_schedule(terms: pd.DataFrame, model: pd.DataFrame, central: dict[str, float],
                          horizon: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Microsoft's receipts under each profit-share term of ``terms`` in the central case (undiscounted,
    cumulative, capped at its investment): one row per term and year (``term``: share and basis), and
    ``terms`` with the year each repays the investment (``payback_year``, missing when it never does or
    when Microsoft is not modelled: ``model`` is ``modelled`` output)."""
    cols = ["term", "year", "received_usd_billion", "investment_usd_billion", "source_id"]
    ms = model[model["investor"] == "Microsoft"]
    if ms.empty or terms.empty:
        return pd.DataFrame(columns=cols), terms.assign(payback_year=pd.array([None] * len(terms), dtype="Int64"))
    r = ms.iloc[0]
    proj = projection(float(r["start_revenue"]), int(r["start_year"]), horizon, central["revenue_growth_first"],
                      central["revenue_growth_last"], central["margin_first"], central["margin_last"])
    profit = proj.set_index("year")["profit_usd_billion"]
    paths, years = [], []
    for t in terms.itertuples():
        received = (t.share_percent / 100 * profit.clip(lower=0)).cumsum().clip(upper=float(r["investment"]))
        paths.append(pd.DataFrame({"term": f"{t.share_percent:g} % ({t.basis})", "year": profit.index,
                                   "received_usd_billion": received.to_numpy(),
                                   "investment_usd_billion": float(r["investment"]), "source_id": t.source_id}))
        years.append(profit_share_payback(profit, float(r["investment"]), t.share_percent))
    return (pd.concat(paths, ignore_index=True)[cols],
            terms.assign(payback_year=pd.array(years, dtype="Int64")))


def _inputs_of(r) -> tuple:
    """The model's scalar inputs from one row of ``wide_inputs`` (anchors missing where absent)."""
    return (float(r.start_revenue), float(r.investment), float(r.stake_percent), float(r.profit_share_percent),
            float(getattr(r, "multiple_start", np.nan)), float(getattr(r, "cloud_share_start", np.nan)))


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


def monte_carlo(inputs: pd.DataFrame, ranges: dict[str, Sequence[float]], horizon: int, n_draws: int,
                seed: int, payback_channels: Sequence[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Draw each range uniformly (independently; one draw shared by all investors) and run the model.

    ``inputs`` has one row per investor (``wide_inputs``): investor, start_year, start_revenue,
    investment, stake_percent, profit_share_percent, and the anchors multiple_start and
    cloud_share_start (missing: the assumption from year 0). Returns (value per draw, investor, year
    0…horizon and channel; payback year per draw and investor, missing when there is none within the
    horizon). Zero investment pays back at once, in year 0.
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
        paths = _model(*_inputs_of(r), draws, horizon)
        years = np.arange(int(r.start_year), int(r.start_year) + horizon + 1)
        for channel in CHANNELS:
            values.append(pd.DataFrame({
                "draw": np.repeat(np.arange(n_draws), horizon + 1), "investor": r.investor,
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


def year0_check(inputs: pd.DataFrame, ranges: dict[str, Sequence[float]]) -> pd.DataFrame:
    """The model at year 0 against what is observed, per modelled investor: the stake's value (stake ×
    the lab's latest post-money, dilution after the stake's date not applied) and the lab's annual
    spend at the partner's cloud, each with the date the observed figure stands at, how it is made, its
    sources and a ``note`` where the anchor is missing or flagged. The model is run (central case), not
    restated; a difference means a missing anchor (``model_inputs`` says why)."""
    wide, _ = modelled(inputs)
    rows = []
    for r in wide.itertuples():
        m = _model(*_inputs_of(r), {k: [v] for k, v in midpoints(ranges).items()}, 1)
        got = inputs[inputs["investor"] == r.investor].set_index("input")
        stake, mult, spend, share = (got.loc[k] for k in ("stake_percent", "valuation", "cloud_spend",
                                                           "cloud_share_start"))
        if np.isfinite(r.stake_percent):
            how = (f"stake {r.stake_percent:.2f} % ({stake['basis']}, {stake['as_at']}) × post-money "
                   f"{r.valuation:g}")
            ids = ";".join(i for i in (stake["source_id"], mult["source_id"]) if isinstance(i, str))
            note = "" if np.isfinite(r.multiple_start) else str(got.at["multiple_start", "basis"])
            stake_at = pd.to_datetime(str(stake["as_at"])[:10], errors="coerce")
            if pd.notna(stake_at) and stake_at < pd.Timestamp(mult["as_at"]):
                note = "; ".join(filter(None, [note, f"stake of {stake['as_at']}: dilution by later rounds "
                                                     "not applied"]))
            observed = r.stake_percent / 100 * r.valuation
        else:
            how, ids, note, observed = f"no stake known ({stake['basis']})", None, "no stake channel", np.nan
        cloud_note = share["flag"] or ("" if np.isfinite(r.cloud_share_start) else str(share["basis"]))
        for quantity, key, value, at, text, why, source in (
                ("stake value", "stake", observed, mult["as_at"] if ids else "", how, note, ids),
                ("cloud spend", "cloud_spend", r.cloud_spend, spend["as_at"], spend["basis"], cloud_note,
                 spend["source_id"])):
            model = float(m[key][0, 0])
            rows.append({"investor": r.investor, "quantity": quantity, "year": int(r.start_year),
                         "model_usd_billion": model, "observed_usd_billion": value,
                         "difference_usd_billion": model - value, "observed_at": at, "observed_as": text,
                         "note": why, "source_id": source if isinstance(source, str) else None})
    cols = ["investor", "quantity", "year", "model_usd_billion", "observed_usd_billion", "difference_usd_billion",
            "observed_at", "observed_as", "note", "source_id"]
    return pd.DataFrame(rows, columns=cols)


def value_breakdown(values: pd.DataFrame, inputs: pd.DataFrame, params: dict[str, float],
                    draw: int = 0) -> pd.DataFrame:
    """Each investor's present value in the last projected year of one run (``draw``, made with
    ``params``: e.g. the central case), split into its channels and totalled, each as a multiple of the
    money put in, as a share of the total and with the inputs it rests on."""
    wide = wide_inputs(inputs).set_index("investor")
    run = values[values["draw"] == draw]
    last = run[run["year"] == run.groupby("investor")["year"].transform("max")]
    rows = []
    for investor, g in last.groupby("investor", sort=True):
        w = wide.loc[investor]
        start = f"{w['multiple_start']:.1f} (observed)" if np.isfinite(w["multiple_start"]) else "assumed"
        share = f"{w['cloud_share_start']:.1f} % (observed)" if np.isfinite(w["cloud_share_start"]) else "assumed"
        how = {"stake": f"stake {w['stake_percent']:.2f} % × revenue × valuation multiple {start} → "
                        f"{params['valuation_multiple']:g}; discounted at {params['discount_rate']:g} %"
                        if np.isfinite(w["stake_percent"]) else "no stake known: no stake channel",
               "profit_share": f"{w['profit_share_percent']:g} % of positive profit until {w['investment']:g} "
                               f"recouped; margin {params['margin_first']:g} → {params['margin_last']:g} %",
               "cloud": f"revenue × cloud spend share {share} → {params['cloud_spend_share']:g} % × partner "
                        f"margin {params['cloud_margin']:g} %"}
        year = int(g["year"].iloc[0])
        for channel in CHANNELS:
            v = float(g.loc[g["channel"] == channel, "value_usd_billion"].sum(min_count=1))
            rows.append({"investor": investor, "year": year, "channel": channel, "value_usd_billion": v,
                         "investment_usd_billion": float(w["investment"]),
                         "multiple": value_multiple(v, float(w["investment"])), "inputs": how[channel]})
        total = float(g["value_usd_billion"].sum(min_count=1))
        rows.append({"investor": investor, "year": year, "channel": "total", "value_usd_billion": total,
                     "investment_usd_billion": float(w["investment"]),
                     "multiple": value_multiple(total, float(w["investment"])),
                     "inputs": f"revenue {w['start_revenue']:g} in {int(w['start_year'])}, growth "
                               f"{params['revenue_growth_first']:g} → {params['revenue_growth_last']:g} %"})
    out = pd.DataFrame(rows)
    total = out["investor"].map(out[out["channel"] == "total"].set_index("investor")["value_usd_billion"])
    share = (100 * out["value_usd_billion"] / total).where(total > 0)
    out.insert(out.columns.get_loc("multiple") + 1, "share_of_total_percent", share)
    return out


def horizon_bands(values: pd.DataFrame, inputs: pd.DataFrame,
                  quantiles: Sequence[float] = (0.1, 0.5, 0.9)) -> pd.DataFrame:
    """Per investor, each channel's and the total's present value in the last projected year over the
    draws: quantiles in USD bn (``p10_usd_billion`` …) and as multiples of the money put in
    (``p10_ratio`` …; missing where nothing was invested). A channel's quantiles do not add up to
    the total's: each is taken over the draws on its own."""
    last = values[values["year"] == values.groupby("investor")["year"].transform("max")]
    total = (last.groupby(["investor", "draw", "year"], as_index=False)["value_usd_billion"].sum(min_count=1)
             .assign(channel="total"))
    both = pd.concat([last, total], ignore_index=True)
    invest = wide_inputs(inputs).set_index("investor")["investment"]
    rows = []
    for (investor, channel), g in both.groupby(["investor", "channel"], sort=False):
        v = g["value_usd_billion"].dropna()
        row = {"investor": investor, "year": int(g["year"].iloc[0]), "channel": channel,
               "investment_usd_billion": float(invest[investor])}
        for q in quantiles:
            at = float(v.quantile(q)) if len(v) else np.nan
            row[f"p{int(round(100 * q))}_usd_billion"] = at
            row[f"p{int(round(100 * q))}_ratio"] = value_multiple(at, float(invest[investor]))
        rows.append(row)
    order = {c: i for i, c in enumerate([*CHANNELS, "total"])}
    out = pd.DataFrame(rows)
    return (out.assign(_o=out["channel"].map(order)).sort_values(["investor", "_o"]).drop(columns="_o")
            .reset_index(drop=True))


#: What each assumption range means, its unit and the channel it drives (the model's parameters).
ASSUMPTIONS: dict[str, tuple[str, str, str]] = {
    "revenue_growth_first": ("lab revenue growth in the first projected year", "% a year", "all channels"),
    "revenue_growth_last": ("lab revenue growth in the last projected year (a straight line between)",
                            "% a year", "all channels"),
    "margin_first": ("lab operating margin in the first projected year", "% of revenue", "profit share"),
    "margin_last": ("lab operating margin in the last projected year (a straight line between)", "% of revenue",
                    "profit share"),
    "valuation_multiple": ("lab valuation ÷ annual revenue in the last projected year (a straight line from "
                           "the observed multiple of year 0)", "×", "stake"),
    "discount_rate": ("the investor's discount rate: later money is worth less today", "% a year",
                      "all channels"),
    "cloud_spend_share": ("share of the lab's revenue spent at the partner's cloud in the last projected year "
                          "(a straight line from the observed share of year 0)", "% of revenue", "cloud"),
    "cloud_margin": ("the partner's operating margin on that cloud spend", "% of spend", "cloud"),
}


def assumption_table(ranges: dict[str, Sequence[float]]) -> pd.DataFrame:
    """The model's assumption ranges as a table: meaning, unit, the channel each drives, low, central
    (the middle: the central case) and high. The Monte Carlo draws each range uniformly."""
    checked = _checked(ranges)
    return pd.DataFrame([{"assumption": name, "meaning": ASSUMPTIONS[name][0], "unit": ASSUMPTIONS[name][1],
                          "drives": ASSUMPTIONS[name][2], "low": lo, "central": (lo + hi) / 2, "high": hi}
                         for name, (lo, hi) in checked.items()])


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


GAINS: tuple[str, ...] = ("capital", "compute", "distribution", "terms", "other")


def lab_gains(events: pd.DataFrame, pairs: dict[str, str] = PAIRS, seed: int = 0,
              jitter: float = 0.15) -> pd.DataFrame:
    """Alliance events between each investor and its lab, labelled by what the lab got (``GAINS``:
    capital, compute, distribution, terms), with ``row``: the label's position in ``GAINS`` plus a
    vertical offset within ±``jitter`` drawn from a generator seeded with ``seed`` (so a chart of the
    events is the same on every run)."""
    rows = []
    for investor, lab in pairs.items():
        parties = events["parties"].astype(str).str.split(";")
        mine = events[parties.map(lambda p: investor in p and lab in p)]
        rows.append(mine.assign(pair=f"{investor}–{lab}",
                                lab_got=mine["event_type"].astype(str).map(_GOT).fillna("other")))
    out = pd.concat(rows, ignore_index=True)
    cols = ["pair", "date", "lab_got", "event_type", "description", "value_usd_billion", "status", "source_id"]
    out = out[cols].sort_values(["pair", "date", "lab_got", "event_type"]).reset_index(drop=True)
    offset = np.random.default_rng(seed).uniform(-jitter, jitter, len(out))
    return out.assign(row=out["lab_got"].map({g: i for i, g in enumerate(GAINS)}) + offset)


# ---------------------------------------------------------------- key results

def _r(value: object, digits: int) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), digits)


def key_numbers(shares: pd.DataFrame, totals: pd.DataFrame, ratios: pd.DataFrame, verdicts: pd.DataFrame,
                inputs: pd.DataFrame, year0: pd.DataFrame, summary: pd.DataFrame, spread: pd.DataFrame,
                pay: pd.DataFrame, terms: pd.DataFrame, pledged: bool, data_ends: dict[str, str],
                ) -> tuple[dict[str, object], dict[str, str]]:
    """The key results of a partnership-value run (names declared in ``kit.key_results``), rounded as
    recorded, and the reasons of those missing for a reason of their own (a ratio of figures too far
    apart); other missing values are None (their declared reason applies). ``pledged``: ceilings were
    counted, so the funding quantities take their "pledged" names. ``data_ends``: table → data end."""
    funding = "pledged_funding" if pledged else "funding"
    out: dict[str, object] = {"funding_data_end": data_ends.get("funding"),
                              "runrate_data_end": data_ends.get("revenue_runrate")}
    why: dict[str, str] = {}
    share = shares.set_index("investor")
    total = totals.set_index("company")["funding_usd_billion"]
    wide = wide_inputs(inputs).set_index("investor")
    stake_value = year0[year0["quantity"] == "stake value"].set_index("investor")["observed_usd_billion"]
    last = spread.set_index(["investor", "channel"])
    for investor, lab in PAIRS.items():
        who, of = investor.lower(), lab.lower()
        w = wide.loc[investor]
        out[f"{who}_share_of_{of}_{funding}_percent"] = _r(share.at[investor, "share_percent"], 1)
        out[f"{of}_{funding}_usd_billion"] = _r(total.get(lab), 2)
        out[f"{who}_investment_in_{of}_usd_billion"] = _r(share.at[investor, "invested_usd_billion"], 2)
        out[f"{who}_stake_in_{of}_percent"] = _r(w["stake_percent"], 2)
        out[f"{who}_stake_value_usd_billion"] = _r(stake_value.get(investor), 1)
        out[f"{who}_stake_value_to_investment_ratio"] = _r(value_multiple(stake_value.get(investor, np.nan),
                                                                          float(w["investment"])), 1)
        out[f"{of}_partner_cloud_spend_usd_billion"] = _r(w.get("cloud_spend"), 2)
        spend_year = inputs[(inputs["investor"] == investor) & (inputs["input"] == "cloud_spend")]["as_at"]
        out[f"{of}_partner_cloud_spend_year"] = int(spend_year.iloc[0]) if len(spend_year) and spend_year.iloc[0] \
            else None
        central = summary.set_index("investor")["payback_year"] if len(summary) else pd.Series(dtype="Int64")
        out[f"{who}_payback_year_central"] = int_or_none(central.get(investor))
        median = pay.set_index("investor")["payback_median"] if len(pay) else pd.Series(dtype="Int64")
        out[f"{who}_payback_year_median"] = int_or_none(median.get(investor))
        modelled_ = (investor, "total") in last.index
        for pct in ("p10", "p90"):
            out[f"{who}_value_{pct}_usd_billion"] = _r(last.at[(investor, "total"), f"{pct}_usd_billion"], 1) \
                if modelled_ else None
        for pct in ("p10", "p50", "p90"):
            out[f"{who}_value_to_investment_{pct}_ratio"] = _r(last.at[(investor, "total"), f"{pct}_ratio"], 1) \
                if modelled_ else None
    term = float(wide.at["Microsoft", "profit_share_percent"])
    out["microsoft_profit_share_until_recoup_percent"] = term if term > 0 else None
    chosen = terms[terms["share_percent"] == term]["payback_year"] if "payback_year" in terms else []
    out["microsoft_profit_share_payback_year"] = int_or_none(chosen.iloc[0]) if len(chosen) else None
    by = ratios.set_index("measure")
    for measure, name in (("funding", "funding"), ("annualized_revenue", "revenue"), ("valuation", "valuation")):
        key = f"openai_anthropic_{name}_ratio"
        out[key] = _r(by.at[measure, "ratio"], 2)
        if out[key] is None and by.at[measure, "note"]:
            why[key] = str(by.at[measure, "note"])
    out["seed_claims_agreeing"] = int(verdicts["held"].fillna(False).sum())
    return out, why


# ---------------------------------------------------------------- the answer in words

def _plain(text: object) -> str:
    """A status or basis as running text: no underscores, no nested brackets."""
    return "" if text is None or pd.isna(text) else (
        str(text).replace("_", " ").replace(" (", ", ").replace(")", ""))


def answer_sentences(text: dict[str, str], inputs: pd.DataFrame, verdicts: pd.DataFrame, gains: pd.DataFrame,
                     breakdown: pd.DataFrame, left_out: dict[str, str], grades: pd.Series, ceiling: str,
                     ranges: dict[str, Sequence[float]], horizon: int, pledged: bool, run: str) -> list[str]:
    """The answer of a partnership-value run in six sentences: money in and the shares of funding (with
    what they do with ceilings: ``ceiling``), stake values, cloud spend back and what the labs got, the
    profit-share term with the fact check's verdict on the article's figure, how sure the starting values
    are (status, source grade: ``grades`` by source id), and the model's p10–p90 multiples under the
    ranges of this run (``run``: "the default", "this scenario's"). ``text`` holds the key results as a
    reader sees them (formatted, "—" and a reason where missing)."""
    row = inputs.set_index(["investor", "input"])
    has = {k: not v.startswith("—") for k, v in text.items()}
    funding = "pledged_funding" if pledged else "funding"
    held, spent = [], []
    for investor, lab in PAIRS.items():
        i, of = investor.lower(), lab.lower()
        held.append(f"{investor}'s stake of {text[f'{i}_stake_in_{of}_percent']} "
                    f"({_plain(row.at[(investor, 'stake_percent'), 'status'])}) is worth "
                    f"{text[f'{i}_stake_value_usd_billion']} ({text[f'{i}_stake_value_to_investment_ratio']} its "
                    "money)" if has[f"{i}_stake_value_usd_billion"] else f"{investor}'s stake is not in the data")
        flag = (f"; flagged: a {row.at[(investor, 'cloud_spend'), 'as_at']} figure against the run-rate of "
                f"{row.at[(investor, 'start_revenue'), 'as_at']}" if row.at[(investor, "cloud_share_start"), "flag"]
                else "")
        spent.append(f"{lab} {text[f'{of}_partner_cloud_spend_usd_billion']} at {investor} in "
                     f"{text[f'{of}_partner_cloud_spend_year']} "
                     f"({_plain(row.at[(investor, 'cloud_spend'), 'status'])}{flag})"
                     if has[f"{of}_partner_cloud_spend_usd_billion"]
                     else f"no annual spend of {lab} at {investor} in the data")
    events = gains.groupby("pair").size()
    s14 = verdicts.set_index("claim_id").loc["S14"]
    sourced = inputs[inputs["source_id"].notna() & (inputs["status"] != "computed")]
    weak = sourced[sourced["source_id"].map(grades).isin(["weak", "seed"])]
    stake = breakdown[breakdown["channel"] == "stake"].set_index("investor")["share_of_total_percent"].dropna()
    modelled = [i for i in PAIRS if i not in left_out]
    spreads = [f"{text[f'{i.lower()}_value_to_investment_p10_ratio']}–"
               f"{text[f'{i.lower()}_value_to_investment_p90_ratio']} {i}'s money"
               + ("" if i in stake or stake.empty else " (no stake in the data: its cloud and profit-share channels only)")
               if i in modelled else f"{i} not modelled ({left_out[i]})" for i in PAIRS]
    if stake.empty:
        stake_part = "with no stake channel (no stake in the data)"
    elif all(i in stake for i in modelled):
        stake_part = " and ".join(f"{stake[i]:.0f} %" for i in modelled) + " of it the stake"
    else:
        stake_part = "the stake making up " + " and ".join(f"{stake[i]:.0f} % of {i}'s" for i in modelled if i in stake)
    r = {k: f"{v[0]:g}–{v[1]:g}" for k, v in ranges.items()}
    return [
        f"Microsoft put {text['microsoft_investment_in_openai_usd_billion']} into OpenAI and Amazon "
        f"{text['amazon_investment_in_anthropic_usd_billion']} into Anthropic: "
        f"{text[f'microsoft_share_of_openai_{funding}_percent']} and "
        f"{text[f'amazon_share_of_anthropic_{funding}_percent']} of the labs' "
        f"{'pledged' if pledged else 'disclosed'} funding" + (f", a count that {ceiling}." if ceiling else "."),
        f"At the labs' latest valuations {' and '.join(held)}"
        + (", before any dilution since each stake's date." if any("is worth" in h for h in held) else "."),
        f"Cloud spend flows back: {' and '.join(spent)}; the labs got capital, compute and distribution in return "
        f"({events.get('Microsoft–OpenAI', 0)} and {events.get('Amazon–Anthropic', 0)} dated events).",
        f"Microsoft's share of OpenAI's profits until it recoups its money is "
        f"{text['microsoft_profit_share_until_recoup_percent']} "
        f"({_plain(row.at[('Microsoft', 'profit_share_percent'), 'basis'])}), repaying it in "
        f"{text['microsoft_profit_share_payback_year']} in the central case"
        + ("; Amazon has no such term in the data" if not row.at[("Amazon", "profit_share_percent"), "value"] else "")
        + f"; the fact check judges claim {s14.name} {s14['status']}: {s14['explanation'].rsplit('. ', 1)[-1]}.",
        f"How sure: of the model's {len(sourced)} sourced starting values, {len(weak)} rest"
        f"{'s' if len(weak) == 1 else ''} only on weak hosts or on the article"
        + (f" ({', '.join(dict.fromkeys(INPUT_LABELS[i] for i in weak['input']))})" if len(weak) else "")
        + f"; {int((sourced['status'] != 'reported').sum())} of the {len(sourced)} are media reports, estimates or "
        "leaks rather than reported figures.",
        f"Under {run} assumption ranges (revenue growth {r['revenue_growth_first']} % falling to "
        f"{r['revenue_growth_last']} %, valuation multiple {r['valuation_multiple']}, discount rate "
        f"{r['discount_rate']} %) the present value after {horizon} years is {' and '.join(spreads)} (p10–p90), "
        + stake_part + " in the central case.",
    ]
