"""kit.partnership: counting rules, shares, ratios, the seed's claims, the scenario model."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

import kit
from kit import factcheck, rules
from kit import partnership as pv
from tests.conftest import ROOT

SEED_DATE = "2025-09-19"
SUPERSEDED = ["OpenAI|2026-02-27|Primary round announced (aggregate)"]


def funding(rows: list[tuple]) -> pd.DataFrame:
    cols = ["company", "date", "round", "amount_usd_billion", "investors", "post_money_valuation_usd_billion",
            "row_kind", "status", "source_id", "note"]
    frame = pd.DataFrame(rows, columns=cols)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame.assign(investor_of_interest=frame["investors"])  # every named investor is of interest here


@pytest.fixture
def small() -> pd.DataFrame:
    return funding([
        ("Lab", "2020-01-01", "Seed", 1.0, "BigCo", None, "single", "reported", "s1", None),
        ("Lab", "2021-01-01", "Round B (aggregate)", 10.0, "BigCo; Fund", 50.0, "aggregate", "reported", "s2", None),
        ("Lab", "2021-01-01", "Round B component - BigCo", 4.0, "BigCo", 50.0, "component", "reported", "s2", None),
        ("Lab", "2021-01-01", "Round B component - Fund", 6.0, "Fund", 50.0, "component", "reported", "s2", None),
        ("Lab", "2021-06-01", "Secondary tender", 2.0, "Fund", 60.0, "single", "reported", "s3", None),
        ("Lab", "2022-01-01", "Chip deal", 100.0, "ChipCo", None, "single", "reported", "s4",
         'ChipCo "will invest up to $100 billion"'),
        ("Lab", "2022-02-01", "BigCo tranche 1 (up to $4B)", 1.5, "BigCo", None, "single", "reported", "s5", None),
        ("Lab", "2022-03-01", "Deal (up to)", 3.0, "OtherCo", None, "single", "reported", "s6", None),
        ("Lab", "2022-04-01", "Round C announced (aggregate)", 20.0, "Fund", 80.0, "aggregate", "reported", "s7", None),
        ("Lab", "2022-05-01", "Round C closed", 22.0, "Fund, Other", 90.0, "single", "reported", "s8", None),
        ("Other", "2020-01-01", "Grant", 0.5, "Fund", None, "single", "reported", "s9", None),
        ("Other", "2020-01-01", "Grant (alternate figure)", 0.7, "Fund", None, "single", "reported", "s10", None),
    ])


# ---------------------------------------------------------------- money in (counted by kit.rules)

def test_investments_list_an_investors_rows_with_a_running_total(small):
    c = rules.count_funding(small)
    inv = pv.investor_investments(c, ["BigCo"])
    assert list(inv["amount_usd_billion"]) == [1.0, 4.0, 1.5]
    assert list(inv["cumulative_usd_billion"]) == [1.0, 5.0, 6.5]


def test_funding_parts_split_each_labs_money_into_the_partners_part_and_the_rest(small):
    parts = pv.funding_parts(rules.count_funding(small), ["BigCo"])
    lab = parts[parts["lab"] == "Lab"].set_index("part")
    assert lab.at["BigCo", "amount_usd_billion"] == pytest.approx(1.0 + 4.0 + 1.5)
    assert lab["amount_usd_billion"].sum() == pytest.approx(rules.lab_funding(rules.count_funding(small))
                                                            .set_index("company").at["Lab", "funding_usd_billion"])
    assert lab.at["BigCo", "left"] == 0 and lab.at["other investors", "left"] == pytest.approx(6.5)


def test_latest_valuation_skips_superseded_rows(small):
    c = rules.count_funding(small, superseded=["Lab|2022-05-01|Round C closed"])
    v = pv.latest_valuation(c).set_index("company")
    assert v.at["Lab", "valuation_usd_billion"] == 80.0
    closed = pv.latest_valuation(rules.count_funding(small)).set_index("company")
    assert closed.at["Lab", "valuation_usd_billion"] == 90.0  # the announcement gave way to its closing


def test_latest_runrate_prefers_status_and_lists_conflicts():
    rr = pd.DataFrame({
        "company": ["A", "A", "A", "B"],
        "date": pd.to_datetime(["2025-01-01", "2025-06-01", "2025-06-01", "2025-03-01"]),
        "annualized_revenue_usd_billion": [1.0, 3.0, 2.5, 4.0],
        "status": ["reported", "media_report", "reported", "estimate"],
        "source_id": ["a", "b", "c", "d"]})
    out = pv.latest_runrate(rr, ["reported", "media_report"]).set_index("company")
    assert out.at["A", "annualized_revenue_usd_billion"] == 2.5
    assert out.at["A", "other_values"] == "3"
    assert "B" not in out.index  # estimates excluded by the caller's statuses
    with pytest.raises(ValueError, match="rumour"):
        pv.latest_runrate(rr, ["rumour"])


def comparison(values: dict[tuple[str, str], tuple[float, str]]) -> pd.DataFrame:
    return pd.DataFrame([{"company": c, "measure": m, "value": v, "as_at": pd.Timestamp(d)}
                         for (c, m), (v, d) in values.items()])


def test_ratios_show_both_dates_and_refuse_figures_more_than_a_quarter_apart():
    comp = comparison({("X", "annualized_revenue"): (24.0, "2026-03-01"),
                       ("Y", "annualized_revenue"): (47.0, "2026-05-01"),
                       ("X", "valuation"): (300.0, "2025-03-31"), ("Y", "valuation"): (183.0, "2025-09-02"),
                       ("X", "funding"): (10.0, "2025-01-01"), ("Y", "funding"): (0.0, "2025-01-01")})
    r = pv.lab_ratios(comp, "X", "Y").set_index("measure")
    assert r.at["annualized_revenue", "ratio"] == pytest.approx(24 / 47)
    assert (r.at["annualized_revenue", "X_as_at"], r.at["annualized_revenue", "Y_as_at"]) == ("2026-03-01",
                                                                                              "2026-05-01")
    assert r.at["annualized_revenue", "days_apart"] == 61
    assert np.isnan(r.at["valuation", "ratio"]) and "155 days apart" in r.at["valuation", "note"]
    assert np.isnan(r.at["funding", "ratio"]) and "zero" in r.at["funding", "note"]
    assert np.isnan(r.at["valuation_to_revenue", "ratio"]) and "missing" in r.at["valuation_to_revenue", "note"]


def test_lab_comparison_dates_each_measure_and_funding_stands_at_the_latest_round():
    totals = pd.DataFrame({"company": ["X", "Y"], "funding_usd_billion": [50.0, 20.0],
                           "last_round": pd.to_datetime(["2025-03-31", "2025-09-02"])})
    vals = pd.DataFrame({"company": ["X", "Y"], "date": pd.to_datetime(["2025-03-31", "2025-09-02"]),
                         "valuation_usd_billion": [300.0, 180.0], "source_id": ["vx", "vy"]})
    runs = pd.DataFrame({"company": ["X", "Y"], "date": pd.to_datetime(["2025-07-15", "2025-08-01"]),
                         "annualized_revenue_usd_billion": [12.0, 5.0], "source_id": ["rx", "ry"]})
    comp = pv.lab_comparison(totals, vals, runs).set_index(["company", "measure"])
    assert (comp.loc[("X", "funding"), "as_at"] == comp.loc[("Y", "funding"), "as_at"]
            == pd.Timestamp("2025-09-02"))  # cumulative totals: both stand at the latest counted round
    assert comp.loc[("Y", "valuation_to_revenue"), "value"] == pytest.approx(36.0)
    assert np.isnan(comp.loc[("X", "valuation_to_revenue"), "value"])  # March post-money, mid-July run-rate
    assert "106 days apart" in comp.loc[("X", "valuation_to_revenue"), "note"]
    ratios = pv.lab_ratios(comp.reset_index(), "X", "Y").set_index("measure")
    assert ratios.at["funding", "ratio"] == pytest.approx(2.5)


# ---------------------------------------------------------------- the seed article: judged by the fact check

@pytest.fixture(scope="module")
def at_seed() -> dict:
    c = rules.count_funding(kit.load("funding", as_of=SEED_DATE), superseded=SUPERSEDED)
    totals = rules.lab_funding(c)
    comp = pv.lab_comparison(totals, pv.latest_valuation(c),
                             pv.latest_runrate(kit.load("revenue_runrate", as_of=SEED_DATE),
                                               ["reported", "media_report"]))
    facts = {n: kit.load(n) for n in factcheck.ARTICLE_TABLES}
    facts |= {n: kit.load(n, as_of=SEED_DATE) for n in factcheck.EVIDENCE_TABLES}
    ledger = factcheck.check_article(facts, kit.sources().loc[factcheck.ARTICLE, "published"], as_of=SEED_DATE)
    return {"ratios": pv.lab_ratios(comp).set_index("measure"), "shares": rules.investor_share(c, pv.PAIRS),
            "verdicts": factcheck.claim_verdicts(ledger, pv.SEED_CLAIMS).set_index("claim_id"), "counted": c}


def test_seed_revenue_ratio_comes_out_of_the_data_with_its_dates(at_seed):
    revenue = at_seed["ratios"].loc["annualized_revenue"]
    assert round(revenue["ratio"], 1) == 2.4
    assert (revenue["OpenAI_as_at"], revenue["Anthropic_as_at"]) == ("2025-07-01", "2025-08-01")


def test_seed_valuations_of_march_and_september_are_not_compared(at_seed):
    valuation = at_seed["ratios"].loc["valuation"]
    assert np.isnan(valuation["ratio"]) and "more than one quarter" in valuation["note"]


def test_the_articles_funding_ratio_and_49_percent_are_judged_as_in_the_fact_check(at_seed):
    verdicts = at_seed["verdicts"]
    assert verdicts.at["S27", "status"] == "consistent"  # 79.7 / 31.2: the article's own totals
    assert round(at_seed["ratios"].at["funding", "ratio"], 2) == 2.13  # another quantity: counted new money
    assert verdicts.at["S14", "status"] == "contradicted" and "is the stake" in verdicts.at["S14", "explanation"]
    terms = pv.profit_share_terms(kit.load("metrics", as_of=SEED_DATE), kit.load("seed_claims"),
                                  verdicts.reset_index()).set_index("source")
    assert terms.at["seed_claims", "fact_check"].startswith("contradicted:")
    assert "is the stake" in terms.at["seed_claims", "fact_check"]
    with pytest.raises(KeyError, match="S14"):
        pv.profit_share_terms(kit.load("metrics"), kit.load("seed_claims"), verdicts.reset_index().iloc[:0])


def test_seed_investor_shares_are_the_shared_quantity(at_seed):
    shares = at_seed["shares"].set_index("investor")
    assert shares.at["Microsoft", "invested_usd_billion"] == 13.0 and shares.at["Amazon", "invested_usd_billion"] == 8
    assert shares.at["Microsoft", "share_percent"] > 16 and shares.at["Amazon", "share_percent"] > 25
    assert shares.at["Microsoft", "undisclosed_parts"] == 2  # October 2024 and March 2025: amounts not stated


def test_nothing_after_the_seed_date_is_counted(at_seed):
    assert at_seed["counted"]["date"].max() <= pd.Timestamp(SEED_DATE)


def test_stakes_sourced_or_implied_or_missing():
    metrics = pd.DataFrame({
        "metric": ["microsoft_stake_in_openai", "anthropic_investment_fair_value"],
        "entity": ["Microsoft", "Amazon"], "period": ["2025-10", "2025-09-30"],
        "period_end": pd.to_datetime(["2025-10-28", "2025-09-30"]), "value": [27.0, 40.0],
        "status": ["reported", "estimate"], "source_id": ["m", "f"]})
    c = rules.count_funding(funding([
        ("Anthropic", "2025-09-02", "F", 10.0, "Fund", 200.0, "single", "reported", "v", None),
        ("Anthropic", "2026-01-01", "G", 10.0, "Fund", 400.0, "single", "reported", "w", None)]))
    out = pv.stake_inputs(metrics, c, implied=True).set_index("investor")
    assert out.at["Microsoft", "stake_percent"] == 27.0
    assert out.at["Amazon", "stake_percent"] == pytest.approx(20.0)  # at the fair value's date, not the latest
    assert out.at["Amazon", "status"] == "estimate"
    off = pv.stake_inputs(metrics, c, implied=False).set_index("investor")
    assert np.isnan(off.at["Amazon", "stake_percent"]) and off.at["Amazon", "basis"] == "not sourced"


# ---------------------------------------------------------------- scenario model

def test_projection_known_answer():
    p = pv.projection(10.0, 2025, 3, growth_first=100, growth_last=0, margin_first=-50, margin_last=50)
    assert list(p["year"]) == [2026, 2027, 2028]
    assert list(p["growth_percent"]) == [100, 50, 0]
    assert list(p["revenue_usd_billion"]) == pytest.approx([20, 30, 30])
    assert list(p["profit_usd_billion"]) == pytest.approx([-10, 0, 15])


RANGES = {"revenue_growth_first": [50.0, 50.0], "revenue_growth_last": [10.0, 10.0], "margin_first": [-20.0, -20.0],
          "margin_last": [30.0, 30.0], "valuation_multiple": [10.0, 10.0], "discount_rate": [10.0, 10.0],
          "cloud_spend_share": [40.0, 40.0], "cloud_margin": [30.0, 30.0]}
INPUTS = pd.DataFrame({"investor": ["Microsoft", "Amazon"], "company": ["OpenAI", "Anthropic"],
                       "start_year": [2025, 2025], "start_revenue": [12.0, 5.0], "investment": [13.0, 8.0],
                       "stake_percent": [27.0, np.nan], "profit_share_percent": [75.0, 0.0]})


def point(**overrides: float) -> dict[str, list[float]]:
    return {k: [v[0], v[0]] for k, v in RANGES.items()} | {k: [v, v] for k, v in overrides.items()}


def one(inputs: dict, horizon: int, **overrides: float) -> pd.Series:
    frame = pd.DataFrame([{"investor": "X", "company": "L", "start_year": 2025, "investment": 0.0,
                           "stake_percent": 0.0, "profit_share_percent": 0.0} | inputs])
    values, _ = pv.monte_carlo(frame, point(**overrides), horizon, 1, 1, ["cloud"])
    return values.set_index(["channel", "year"])["value_usd_billion"]


def test_profit_share_is_capped_at_the_investment():
    v = one({"start_revenue": 100.0, "investment": 13.0, "profit_share_percent": 50.0}, 3, revenue_growth_first=0,
            revenue_growth_last=0, margin_first=20, margin_last=20, discount_rate=0)  # profit 20 a year
    assert [v[("profit_share", y)] for y in (2025, 2026, 2027, 2028)] == pytest.approx([0, 10, 13, 13])


def test_discounting_and_channels_from_year_0():
    v = one({"start_revenue": 10.0, "stake_percent": 10.0}, 2, revenue_growth_first=0, revenue_growth_last=0,
            valuation_multiple=10, cloud_spend_share=50, cloud_margin=20, discount_rate=100)
    assert v[("stake", 2025)] == pytest.approx(10 * 10 * 0.1)  # year 0: not discounted
    assert v[("stake", 2026)] == pytest.approx(10 * 10 * 0.1 / 2)
    assert v[("cloud", 2025)] == 0  # flows start in year 1
    assert v[("cloud", 2027)] == pytest.approx(1 / 2 + 1 / 4)
    missing = one({"start_revenue": 10.0, "stake_percent": np.nan}, 2)
    assert missing.loc["stake"].isna().all()  # a missing stake stays missing


def test_the_model_starts_from_the_observed_multiple_and_cloud_share():
    v = one({"start_revenue": 10.0, "stake_percent": 10.0, "multiple_start": 30.0, "cloud_share_start": 80.0}, 2,
            revenue_growth_first=0, revenue_growth_last=0, valuation_multiple=10, cloud_spend_share=40,
            cloud_margin=50, discount_rate=0)
    assert v[("stake", 2025)] == pytest.approx(0.1 * 10 * 30)  # stake × the observed valuation (10 × 30)
    assert v[("stake", 2026)] == pytest.approx(0.1 * 10 * 20)  # half way from 30 to the assumed 10
    assert v[("stake", 2027)] == pytest.approx(0.1 * 10 * 10)
    assert v[("cloud", 2026)] == pytest.approx(10 * 0.60 * 0.5)  # share half way from 80 % to 40 %
    assert v[("cloud", 2027)] == pytest.approx(10 * 0.60 * 0.5 + 10 * 0.40 * 0.5)


def test_no_profit_ever_means_no_payback():
    profit = pd.Series([-5.0, -1.0, 0.0, -2.0], index=[2026, 2027, 2028, 2029])
    assert pv.profit_share_payback(profit, investment=13, share_percent=75) is None


def test_profit_share_payback_known_answer():
    profit = pd.Series([10.0, 10.0, 10.0], index=[2026, 2027, 2028])
    assert pv.profit_share_payback(profit, investment=12, share_percent=50) == 2028
    assert pv.profit_share_payback(profit, investment=10, share_percent=50) == 2027


def test_zero_investment():
    assert pv.payback_year([2026, 2027], [0.0, 0.0], 0.0) == 2026
    assert pv.value_multiple(10.0, 0.0) is None
    assert pv.value_multiple(10.0, 5.0) == 2.0
    with pytest.raises(ValueError, match="negative"):
        pv.payback_year([2026], [1.0], -1.0)


def test_missing_years_are_an_error_not_an_interpolation():
    with pytest.raises(ValueError, match=r"missing \[2027\]"):
        pv.payback_year([2026, 2028], [1.0, 2.0], 1.5)
    with pytest.raises(ValueError, match=r"2027"):
        pv.payback_year([2026, 2027], [1.0, float("nan")], 5.0)
    with pytest.raises(ValueError, match=r"missing \[2027\]"):
        pv.profit_share_payback(pd.Series([1.0, 1.0], index=[2026, 2028]), 1.5, 100)


def test_monte_carlo_with_point_ranges_equals_the_central_case():
    values, pay = pv.monte_carlo(INPUTS, RANGES, horizon=6, n_draws=2, seed=1,
                                 payback_channels=["profit_share", "cloud"])
    mid = pv.midpoints(RANGES)
    proj = pv.projection(12.0, 2025, 6, mid["revenue_growth_first"], mid["revenue_growth_last"],
                         mid["margin_first"], mid["margin_last"]).set_index("year")
    run = values[(values["investor"] == "Microsoft") & (values["draw"] == 0)].set_index(["channel", "year"])
    disc = 1.1 ** -(proj.index - 2025)
    stake = 0.27 * proj["revenue_usd_billion"] * 10 * disc
    cloud = (proj["revenue_usd_billion"] * 0.4 * 0.3 * disc).cumsum()
    assert list(run.loc["stake"]["value_usd_billion"].iloc[1:]) == pytest.approx(list(stake))
    assert list(run.loc["cloud"]["value_usd_billion"].iloc[1:]) == pytest.approx(list(cloud))
    received = (0.75 * proj["profit_usd_billion"].clip(lower=0)).cumsum().clip(upper=13.0)
    share = (received.diff().fillna(received) * disc).cumsum()
    assert list(run.loc["profit_share"]["value_usd_billion"].iloc[1:]) == pytest.approx(list(share))
    cash = run.loc["profit_share"]["value_usd_billion"] + run.loc["cloud"]["value_usd_billion"]
    expected = pv.payback_year(list(cash.index), list(cash), 13.0)
    assert expected is not None
    assert (pay[pay["investor"] == "Microsoft"]["payback_year"] == expected).all()


def test_monte_carlo_is_seeded_and_draws_vary():
    wide = dict(RANGES, revenue_growth_first=[20.0, 120.0], margin_last=[-10.0, 40.0])
    a = pv.monte_carlo(INPUTS, wide, 5, 50, 7, ["profit_share", "cloud"])
    b = pv.monte_carlo(INPUTS, wide, 5, 50, 7, ["profit_share", "cloud"])
    c = pv.monte_carlo(INPUTS, wide, 5, 50, 8, ["profit_share", "cloud"])
    pd.testing.assert_frame_equal(a[0], b[0])
    pd.testing.assert_frame_equal(a[1], b[1])
    assert not a[0]["value_usd_billion"].equals(c[0]["value_usd_billion"])
    band = pv.bands(a[0])
    later = band[band["year"] > 2025]
    assert (later["p10"] < later["p90"]).all()
    assert (band.loc[band["year"] == 2025, "p10"] == band.loc[band["year"] == 2025, "p90"]).all()  # year 0: observed


def test_monte_carlo_without_profit_has_no_payback():
    losing = dict(RANGES, margin_first=[-50.0, -40.0], margin_last=[-30.0, -1.0])
    _, pay = pv.monte_carlo(INPUTS, losing, 8, 20, 3, ["profit_share"])
    assert pay["payback_year"].isna().all()
    summary = pv.payback_summary(pay).set_index("investor")
    assert summary["payback_median"].isna().all()
    assert (summary["share_paying_back_percent"] == 0).all()


def test_payback_summary_median_is_none_when_most_draws_never_pay_back():
    pay = pd.DataFrame({"draw": range(5), "investor": "X",
                        "payback_year": pd.array([2027, 2028, None, None, None], dtype="Int64")})
    s = pv.payback_summary(pay).iloc[0]
    assert s["payback_p10"] == 2027 and pd.isna(s["payback_median"]) and pd.isna(s["payback_p90"])
    assert s["share_paying_back_percent"] == 40.0


def test_bad_parameters_are_named():
    with pytest.raises(ValueError, match="margin_last"):
        pv.monte_carlo(INPUTS, dict(RANGES, margin_last=[30.0, 10.0]), 5, 2, 1, ["cloud"])
    with pytest.raises(ValueError, match="dividends"):
        pv.monte_carlo(INPUTS, RANGES, 5, 2, 1, ["dividends"])
    with pytest.raises(KeyError, match="cloud_margin"):
        pv.midpoints({k: v for k, v in RANGES.items() if k != "cloud_margin"})


def test_lab_gains_keeps_only_the_pairs_events():
    events = pd.DataFrame({
        "event_id": ["E1", "E2", "E3"], "date": pd.to_datetime(["2023-01-01", "2023-02-01", "2023-03-01"]),
        "parties": ["Microsoft;OpenAI", "Amazon;OpenAI", "Amazon;Anthropic"],
        "event_type": ["investment", "compute_deal", "model_distribution"], "description": ["a", "b", "c"],
        "value_usd_billion": [1.0, None, None], "status": ["reported"] * 3, "source_id": ["s1", "s2", "s3"]})
    out = pv.lab_gains(events)
    assert list(out["pair"]) == ["Amazon–Anthropic", "Microsoft–OpenAI"]
    assert list(out["lab_got"]) == ["distribution", "capital"]


def test_lab_gains_rows_are_jittered_the_same_on_every_run_with_the_same_seed():
    events = kit.load("alliance_events")
    first, again, other = pv.lab_gains(events, seed=3), pv.lab_gains(events, seed=3), pv.lab_gains(events, seed=4)
    assert first["row"].tolist() == again["row"].tolist()
    assert first["row"].tolist() != other["row"].tolist()
    position = first["lab_got"].map({g: i for i, g in enumerate(pv.GAINS)})
    assert ((first["row"] - position).abs() <= 0.15).all()  # each point stays within its label's band


def test_zero_investment_pays_back_at_once_and_has_no_multiple():
    zero = INPUTS.assign(investment=[0.0, 0.0])
    values, pay = pv.monte_carlo(zero, RANGES, 3, 1, 1, ["profit_share", "cloud"])
    assert (pay["payback_year"] == 2025).all()  # year 0
    # nothing to recoup: the profit share channel pays nothing
    assert (values[values["channel"] == "profit_share"]["value_usd_billion"] == 0).all()
    inputs = pd.DataFrame([{"investor": i, "company": c, "input": "investment", "value": 0.0}
                           for i, c in pv.PAIRS.items()])
    summary = pv.central_summary(values, pay, inputs)
    assert summary["multiple"].isna().all()


# ---------------------------------------------------------------- money back and model inputs

METRICS = pd.DataFrame({
    "metric": ["profit_share_until_recoup", "openai_related_loss_excluded_nongaap", "microsoft_stake_value"],
    "entity": ["Microsoft <- OpenAI", "Microsoft", "Microsoft"], "period": ["2023 terms", "FY26 Q1", "2025-10-28"],
    "period_end": pd.to_datetime([None, "2025-09-30", "2025-10-28"]), "value": [75.0, 3.1, 135.0],
    "unit": ["percent", "usd_billion", "usd_billion"], "status": ["reported"] * 3, "source_id": ["p", "l", "v"]})
SEED = pd.DataFrame({"claim_id": ["S14"], "metric": ["profit_share"], "value": [49.0], "source_id": ["seed_article"]})
VERDICTS = pd.DataFrame({"claim_id": ["S14"], "status": ["contradicted"],
                         "explanation": ["claimed 49; sourced 75: disagrees. the article's 49 % is the stake"]})
RUNRATES = pd.DataFrame({"company": ["Anthropic", "OpenAI"], "date": pd.to_datetime(["2025-08-01", "2025-07-01"]),
                         "annualized_revenue_usd_billion": [5.0, 12.0], "status": ["reported"] * 2,
                         "source_id": ["ra", "ro"]})
SHARES = pd.DataFrame({"investor": ["Amazon", "Microsoft"], "company": ["Anthropic", "OpenAI"],
                       "invested_usd_billion": [8.0, 13.0]})
STAKES = pd.DataFrame({"investor": ["Amazon", "Microsoft"], "company": ["Anthropic", "OpenAI"],
                       "stake_percent": [np.nan, 27.0], "basis": ["not sourced", "sourced"],
                       "status": [None, "reported"], "source_id": [None, "v"]})


def test_profit_share_terms_keep_data_and_article_side_by_side():
    terms = pv.profit_share_terms(METRICS, SEED, VERDICTS).set_index("source")
    assert terms.at["metrics", "share_percent"] == 75.0 and terms.at["seed_claims", "share_percent"] == 49.0
    assert terms.at["seed_claims", "source_id"] == "seed_article"
    assert terms.at["seed_claims", "fact_check"].startswith("contradicted: ")  # judged as in the fact check
    assert terms.at["metrics", "fact_check"] == ""


VALUATIONS = pd.DataFrame({"company": ["Anthropic", "OpenAI"], "date": pd.to_datetime(["2025-09-02", "2025-03-31"]),
                           "valuation_usd_billion": [183.0, 300.0], "status": ["reported"] * 2,
                           "source_id": ["va", "vo"]})
SPEND = pd.DataFrame({"lab": ["OpenAI", "OpenAI"], "partner": ["Microsoft"] * 2, "year": [2024, 2025],
                      "spend_usd_billion": [3.7, 13.0], "metric": ["openai_inference_spend_azure", "azure_spend"],
                      "status": ["leaked", "media_report (as cited by the article)"],
                      "source_id": ["l", "seed_article"]})


def inputs_for(terms: pd.DataFrame, source: str, runrates: pd.DataFrame = RUNRATES) -> pd.DataFrame:
    return pv.model_inputs(runrates, SHARES, STAKES, terms, source, VALUATIONS, SPEND)


def test_model_inputs_choose_the_profit_share_and_report_missing_stakes():
    terms = pv.profit_share_terms(METRICS, SEED, VERDICTS)
    wide = pv.wide_inputs(inputs_for(terms, "seed_claims")).set_index("investor")
    assert wide.at["Microsoft", "profit_share_percent"] == 49.0
    assert wide.at["Amazon", "profit_share_percent"] == 0.0  # no such term for Amazon in the data
    assert wide.at["Microsoft", "start_revenue"] == 12.0 and wide.at["Microsoft", "start_year"] == 2025
    assert np.isnan(wide.at["Amazon", "stake_percent"])
    data = pv.wide_inputs(inputs_for(terms, "metrics")).set_index("investor")
    assert data.at["Microsoft", "profit_share_percent"] == 75.0
    none = pv.wide_inputs(inputs_for(terms.iloc[1:], "metrics"))
    assert (none["profit_share_percent"] == 0).all()  # the data holds no term as of then
    with pytest.raises(ValueError, match="profit_share_source"):
        inputs_for(terms, "rumours")
    no_openai = inputs_for(terms, "metrics", RUNRATES[RUNRATES["company"] != "OpenAI"])
    ready, left_out = pv.modelled(no_openai)
    assert list(ready["investor"]) == ["Amazon"]  # a lab without a run-rate is left out of the model, and why
    assert left_out == {"Microsoft": pv.NO_RUNRATE}
    assert list(pv.year0_check(no_openai, RANGES)["investor"].unique()) == ["Amazon"]


def test_model_inputs_anchor_year_0_on_the_observed_valuation_and_cloud_spend():
    inputs = inputs_for(pv.profit_share_terms(METRICS, SEED, VERDICTS), "metrics")
    wide = pv.wide_inputs(inputs).set_index("investor")
    assert wide.at["Microsoft", "multiple_start"] == pytest.approx(300 / 12)  # 92 days apart: one quarter
    assert wide.at["Amazon", "multiple_start"] == pytest.approx(183 / 5)
    assert wide.at["Microsoft", "cloud_spend"] == 13.0  # the latest year's figure
    assert wide.at["Microsoft", "cloud_share_start"] == pytest.approx(100 * 13 / 12)
    assert np.isnan(wide.at["Amazon", "cloud_share_start"])  # no spend figure: the assumption from year 0
    rows = inputs.set_index(["investor", "input"])
    assert rows.at[("Amazon", "cloud_spend"), "basis"] == "no annual partner-cloud spend in the data"
    # each input with the date it stands at
    assert rows.at[("Microsoft", "start_revenue"), "as_at"] == "2025-07-01"
    assert rows.at[("Microsoft", "valuation"), "as_at"] == "2025-03-31"
    assert rows.at[("Microsoft", "cloud_spend"), "as_at"] == "2025"
    # spend of 2025 (its middle: 2025-07-02) against the run-rate of 2025-07-01: close enough, not flagged
    assert rows.at[("Microsoft", "cloud_share_start"), "flag"] == ""


def test_a_cloud_share_from_a_spend_year_far_from_the_run_rate_is_taken_and_flagged():
    later = RUNRATES.assign(date=pd.to_datetime(["2025-08-01", "2026-03-01"]))
    inputs = inputs_for(pv.profit_share_terms(METRICS, SEED, VERDICTS), "metrics", later)
    share = inputs.set_index(["investor", "input"]).loc[("Microsoft", "cloud_share_start")]
    assert share["value"] == pytest.approx(100 * 13 / 12)
    assert share["flag"] == ("spend of the year 2025 against the run-rate of 2026-03-01: 242 days from the "
                             "year's middle, more than one quarter")
    check = pv.year0_check(inputs, RANGES).set_index(["investor", "quantity"])
    assert check.at[("Microsoft", "cloud spend"), "note"] == share["flag"]
    assert check.at[("Microsoft", "cloud spend"), "observed_at"] == "2025"


def test_year0_check_reproduces_the_observed_stake_value_and_cloud_spend():
    stakes = STAKES.assign(stake_percent=[20.0, 27.0], basis=["sourced", "sourced"])
    spend = pd.concat([SPEND, SPEND.iloc[[0]].assign(lab="Anthropic", partner="Amazon", year=2025,
                                                      spend_usd_billion=2.0, source_id="a")])
    inputs = pv.model_inputs(RUNRATES, SHARES, stakes, pv.profit_share_terms(METRICS, SEED, VERDICTS), "metrics",
                             VALUATIONS, spend)
    check = pv.year0_check(inputs, RANGES).set_index(["investor", "quantity"])
    assert check.at[("Microsoft", "stake value"), "observed_usd_billion"] == pytest.approx(0.27 * 300)
    assert check.at[("Amazon", "stake value"), "observed_usd_billion"] == pytest.approx(0.20 * 183)
    assert check.at[("Amazon", "cloud spend"), "observed_usd_billion"] == 2.0
    assert check["difference_usd_billion"].abs().max() < 1e-9  # the model at year 0 is what is observed
    assert list(check["year"]) == [2025] * 4
    assert check.at[("Microsoft", "stake value"), "observed_at"] == "2025-03-31"  # the valuation's date
    assert check.at[("Microsoft", "stake value"), "source_id"] == "v;vo"  # the stake's and the valuation's
    unanchored = pv.year0_check(inputs_for(pv.profit_share_terms(METRICS, SEED, VERDICTS), "metrics"), RANGES)
    amazon = unanchored.set_index(["investor", "quantity"]).loc[("Amazon", "cloud spend")]
    assert np.isnan(amazon["observed_usd_billion"]) and amazon["model_usd_billion"] == pytest.approx(5 * 0.4)


def test_value_breakdown_splits_each_present_value_into_channels_as_multiples():
    stakes = STAKES.assign(stake_percent=[20.0, 27.0], basis=["sourced", "sourced"])
    inputs = pv.model_inputs(RUNRATES, SHARES, stakes, pv.profit_share_terms(METRICS, SEED, VERDICTS), "metrics",
                             VALUATIONS, SPEND)
    values, _ = pv.monte_carlo(pv.wide_inputs(inputs), RANGES, 4, 1, 1, ["cloud"])
    table = pv.value_breakdown(values, inputs, pv.midpoints(RANGES)).set_index(["investor", "channel"])
    ms = table.loc["Microsoft"]
    assert list(ms.index) == [*pv.CHANNELS, "total"]
    assert ms.at["total", "value_usd_billion"] == pytest.approx(ms.loc[list(pv.CHANNELS), "value_usd_billion"].sum())
    assert ms.at["stake", "multiple"] == pytest.approx(ms.at["stake", "value_usd_billion"] / 13.0)
    assert ms["share_of_total_percent"].loc[list(pv.CHANNELS)].sum() == pytest.approx(100.0)
    assert "25.0 (observed) → 10" in ms.at["stake", "inputs"]
    assert "108.3 % (observed) → 40 %" in ms.at["cloud", "inputs"]
    assert (table["year"] == 2029).all()
    amazon = pv.value_breakdown(values, pv.model_inputs(RUNRATES, SHARES, STAKES, pv.profit_share_terms(
        METRICS, SEED, VERDICTS), "metrics", VALUATIONS, SPEND), pv.midpoints(RANGES)).set_index(
        ["investor", "channel"]).loc[("Amazon", "stake")]
    assert amazon["inputs"] == "no stake known: no stake channel"  # never "stake nan %"


def test_year0_check_names_a_stake_older_than_the_valuation():
    stakes = STAKES.assign(stake_percent=[20.0, 27.0], as_at=["2024-12-31", "2025-06"])
    inputs = pv.model_inputs(RUNRATES, SHARES, stakes, pv.profit_share_terms(METRICS, SEED, VERDICTS), "metrics",
                             VALUATIONS, SPEND)
    check = pv.year0_check(inputs, RANGES).set_index(["investor", "quantity"])
    assert check.at[("Amazon", "stake value"), "note"] == "stake of 2024-12-31: dilution by later rounds not applied"
    assert check.at[("Microsoft", "stake value"), "note"] == ""  # stake of June, valuation of March


def test_horizon_bands_give_each_channel_and_the_total_as_multiples_of_the_money_in():
    values, _ = pv.monte_carlo(INPUTS, RANGES, 4, 200, 7, ["cloud"])
    inputs = pd.DataFrame([{"investor": r.investor, "company": r.company, "input": "investment",
                            "value": r.investment} for r in INPUTS.itertuples()])
    out = pv.horizon_bands(values, inputs).set_index(["investor", "channel"])
    assert list(out.loc["Microsoft"].index) == [*pv.CHANNELS, "total"]
    last = values[values["year"] == values["year"].max()]
    total = last[last["investor"] == "Microsoft"].groupby("draw")["value_usd_billion"].sum()
    ms = out.loc[("Microsoft", "total")]
    assert ms["p90_usd_billion"] == pytest.approx(total.quantile(0.9))
    assert ms["p10_ratio"] == pytest.approx(total.quantile(0.1) / ms["investment_usd_billion"])
    assert ms["p10_usd_billion"] <= ms["p50_usd_billion"] <= ms["p90_usd_billion"]


def test_assumption_table_lists_every_range_with_its_meaning_and_centre():
    table = pv.assumption_table(RANGES).set_index("assumption")
    assert list(table.index) == list(pv.RANGE_PARAMETERS)
    assert table.at["discount_rate", "central"] == pytest.approx(sum(RANGES["discount_rate"]) / 2)
    assert table["meaning"].str.len().min() > 10 and table["drives"].notna().all()
    with pytest.raises(ValueError, match="discount_rate"):
        pv.assumption_table(dict(RANGES, discount_rate=[9.0, 8.0]))


def test_ceiling_note_names_the_investors_own_and_the_largest_other_ceiling(small):
    counted = rules.count_funding(small)
    assert pv.ceiling_note(counted, {"BigCo": "Lab"}) == (  # none of its own: the largest at the lab
        "excludes 'up to' commitments such as ChipCo's up to $100 bn for Lab (2022-01-01)")
    assert pv.ceiling_note(counted, {"BigCo": "Lab", "OtherCo": "Lab"}) == (
        "excludes 'up to' commitments such as ChipCo's up to $100 bn for Lab (2022-01-01) and OtherCo's up to $3 bn "
        "for Lab (2022-03-01)")
    assert pv.ceiling_note(counted, {"OtherCo": "Lab", "Fund": "Other"}) == (
        "excludes 'up to' commitments such as OtherCo's up to $3 bn for Lab (2022-03-01)")  # its own ceiling
    assert pv.ceiling_note(rules.count_funding(small, include_up_to=True), {"OtherCo": "Lab"}).startswith(
        "counts 'up to' commitments in full, such as OtherCo's")
    assert pv.ceiling_note(counted, {"Fund": "Other"}) == ""  # no ceiling at that lab


def test_money_back_signs_losses_and_computes_stake_value():
    valuations = pd.DataFrame({"company": ["OpenAI"], "date": pd.to_datetime(["2025-03-31"]),
                               "valuation_usd_billion": [300.0], "source_id": ["val"]})
    out = pv.money_back(METRICS, STAKES, valuations, SHARES)
    value = dict(zip(out["item"], out["value_usd_billion"]))
    assert value["equity-method loss on OpenAI (negative), FY26 Q1"] == -3.1
    assert value["stake value (company), 2025-10-28"] == 135.0
    assert value["stake 27.0 % × post-money of 2025-03-31 (computed)"] == pytest.approx(81.0)
    assert "profit_share_until_recoup" not in " ".join(out["item"])  # a percentage, not money back
    assert list(out["investor"]) == sorted(out["investor"])


def test_shipped_default_run_reproduces_the_observed_year_0():
    params = yaml.safe_load((ROOT / "params" / "partnership_value" / "default.yaml").read_text(encoding="utf-8"))
    tables = {n: kit.load(n) for n in ["funding", "revenue_runrate", "metrics", "seed_claims"]}
    counted = rules.count_funding(tables["funding"], params["include_up_to"], params["count_secondary"],
                                  params["superseded_rounds"])
    valuations = pv.latest_valuation(counted)
    verdicts = pd.DataFrame({"claim_id": ["S14"], "status": ["contradicted"], "explanation": ["-"]})
    inputs = pv.model_inputs(pv.latest_runrate(tables["revenue_runrate"], params["runrate_statuses"]),
                             rules.investor_share(counted, pv.PAIRS),
                             pv.stake_inputs(tables["metrics"], counted, params["implied_stakes"]),
                             pv.profit_share_terms(tables["metrics"], tables["seed_claims"], verdicts),
                             params["profit_share_source"], valuations,
                             rules.partner_cloud_spend(tables["metrics"], tables["seed_claims"]))
    check = pv.year0_check(inputs, {k: params[k] for k in pv.RANGE_PARAMETERS})
    assert len(check) == 4 and check["observed_usd_billion"].notna().all()
    assert check["difference_usd_billion"].abs().max() < 1e-9
    stake = check.set_index(["investor", "quantity"])["observed_usd_billion"]
    latest = valuations.set_index("company")["valuation_usd_billion"]
    assert stake[("Microsoft", "stake value")] > 0.2 * latest["OpenAI"]  # about a quarter of OpenAI's post-money


# ---------------------------------------------------------------- key results and the answer

def run_small(runrates: pd.DataFrame = RUNRATES, pledged: bool = False) -> dict:
    """The notebook's chain on the small frames above: inputs → model → key numbers."""
    stakes = STAKES.assign(stake_percent=[20.0, 27.0], as_at=["2025-09", "2025-06"])
    terms = pv.profit_share_terms(METRICS, SEED, VERDICTS)
    inputs = pv.model_inputs(runrates, SHARES.assign(share_percent=[25.0, 16.0]), stakes, terms, "metrics",
                             VALUATIONS, SPEND)
    model, left_out = pv.modelled(inputs)
    central = pv.midpoints(RANGES)
    values, paybacks = pv.monte_carlo(model, RANGES, 3, 5, 1, ["cloud"])
    year0 = pv.year0_check(inputs, RANGES)
    spread, pay = pv.horizon_bands(values, inputs), pv.payback_summary(paybacks)
    summary = pv.central_summary(values, paybacks, inputs)
    _, terms = pv.profit_share_schedule(terms, model, central, 3)
    ratios = pd.DataFrame({"measure": ["funding", "annualized_revenue", "valuation"], "ratio": [2.0, np.nan, 1.5],
                           "note": ["", "figures 150 days apart (…): not compared", ""]})
    verdicts = VERDICTS.assign(held=pd.array([False], dtype="boolean"))
    totals = pd.DataFrame({"company": ["Anthropic", "OpenAI"], "funding_usd_billion": [32.0, 80.0]})
    key, why = pv.key_numbers(SHARES.assign(share_percent=[25.0, 16.25]), totals, ratios, verdicts, inputs, year0,
                              summary, spread, pay, terms, pledged, {"funding": "2025-09-02"})
    breakdown = pv.value_breakdown(values[values["draw"] == 0], inputs, central)
    return {"key": key, "why": why, "inputs": inputs, "left_out": left_out, "breakdown": breakdown,
            "verdicts": verdicts}


def texts(key: dict, why: dict) -> dict[str, str]:
    return {k: f"— ({why.get(k, 'missing')})" if v is None else str(v) for k, v in key.items()}


def test_key_numbers_are_declared_rounded_and_missing_with_their_reason():
    from kit.results import declared

    out = run_small()
    key, why = out["key"], out["why"]
    assert set(key) <= set(declared()), sorted(set(key) - set(declared()))
    assert key["microsoft_share_of_openai_funding_percent"] == 16.2  # rounded to one decimal, as recorded
    assert key["microsoft_stake_value_usd_billion"] == pytest.approx(0.27 * 300)
    assert key["microsoft_stake_value_to_investment_ratio"] == round(0.27 * 300 / 13, 1)
    assert key["openai_partner_cloud_spend_usd_billion"] == 13.0 and key["openai_partner_cloud_spend_year"] == 2025
    assert key["anthropic_partner_cloud_spend_usd_billion"] is None  # no spend figure: the declared reason applies
    assert key["microsoft_profit_share_until_recoup_percent"] == 75.0
    assert key["openai_anthropic_revenue_ratio"] is None and "150 days apart" in why["openai_anthropic_revenue_ratio"]
    assert key["seed_claims_agreeing"] == 0 and key["funding_data_end"] == "2025-09-02"
    assert key["microsoft_value_to_investment_p10_ratio"] <= key["microsoft_value_to_investment_p90_ratio"]


def test_answer_says_what_holds_how_sure_and_under_which_assumptions():
    out = run_small()
    grades = pd.Series({"v": "reputable", "p": "reputable", "ra": "weak", "ro": "weak", "va": "weak", "vo": "primary",
                        "l": "weak", "seed_article": "seed"})
    gains = pd.DataFrame({"pair": ["Microsoft–OpenAI", "Microsoft–OpenAI", "Amazon–Anthropic"]})
    sentences = pv.answer_sentences(texts(out["key"], out["why"]), out["inputs"], out["verdicts"], gains,
                                    out["breakdown"], out["left_out"], grades, "excludes 'up to' commitments such as X",
                                    RANGES, 3, False, "the default")
    assert len(sentences) == 6
    assert sentences[0].endswith("of the labs' disclosed funding, a count that excludes 'up to' commitments such as X.")
    assert "Microsoft's stake of 27.0 (reported) is worth 81.0 (6.2 its money)" in sentences[1]
    assert "no annual spend of Anthropic at Amazon in the data" in sentences[2]
    assert "(2 and 1 dated events)" in sentences[2]
    assert sentences[3].endswith("the fact check judges claim S14 contradicted: the article's 49 % is the stake.")
    assert "Amazon has no such term in the data" in sentences[3]
    assert sentences[4].startswith("How sure: of the model's ")
    assert "under the default assumption ranges (revenue growth 50–50 % falling to 10–10 %" in sentences[5].lower()


def test_answer_names_an_investor_left_out_of_the_model_and_why():
    out = run_small(RUNRATES[RUNRATES["company"] != "Anthropic"], pledged=True)
    assert out["left_out"] == {"Amazon": pv.NO_RUNRATE}
    sentences = pv.answer_sentences(texts(out["key"], out["why"]), out["inputs"], out["verdicts"],
                                    pd.DataFrame({"pair": []}), out["breakdown"], out["left_out"], pd.Series(dtype=str),
                                    "", RANGES, 3, True, "this scenario's")
    assert f"Amazon not modelled ({pv.NO_RUNRATE})" in sentences[5]
    assert sentences[0].endswith("of the labs' pledged funding.")  # no ceiling named: no clause
    assert "Under this scenario's assumption ranges" in sentences[5]


def test_answer_says_which_investor_has_no_stake_channel():
    out = run_small()
    breakdown = out["breakdown"].copy()
    no_stake = (breakdown["investor"] == "Amazon") & (breakdown["channel"] == "stake")
    breakdown.loc[no_stake, "share_of_total_percent"] = float("nan")  # as when no stake is in the data
    sentences = pv.answer_sentences(texts(out["key"], out["why"]), out["inputs"], out["verdicts"],
                                    pd.DataFrame({"pair": []}), breakdown, out["left_out"], pd.Series(dtype=str),
                                    "", RANGES, 3, False, "the default")
    assert "Amazon's money (no stake in the data: its cloud and profit-share channels only)" in sentences[5]
    assert sentences[5].endswith("the stake making up 77 % of Microsoft's in the central case.")
