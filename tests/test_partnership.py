"""kit.partnership: counting rules, shares, ratios, the seed's claims, the scenario model."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import kit
from kit import partnership as pv

SEED_DATE = "2025-09-19"
SUPERSEDED = ["OpenAI|2026-02-27|Primary round announced (aggregate)"]


def funding(rows: list[tuple]) -> pd.DataFrame:
    cols = ["company", "date", "round", "amount_usd_billion", "investors", "post_money_valuation_usd_billion",
            "row_kind", "status", "source_id", "note"]
    frame = pd.DataFrame(rows, columns=cols)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


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


# ---------------------------------------------------------------- counting rules

def test_up_to_flags_ceilings_but_not_tranches(small):
    flags = dict(zip(small["round"], pv.is_up_to(small)))
    assert flags["Chip deal"] and flags["Deal (up to)"]
    assert not flags["BigCo tranche 1 (up to $4B)"]  # 1.5 of a 4 ceiling is money committed
    assert not flags["Seed"]


def test_aggregates_and_components_are_never_added(small):
    c = pv.classify_rounds(small, superseded=["Lab|2022-04-01|Round C announced (aggregate)"])
    totals = pv.funding_totals(c).set_index("company")["funding_usd_billion"]
    # seed 1 + round B aggregate 10 + tranche 1.5 + round C closed 22; no components, no secondary,
    # no "up to" ceilings, no superseded announcement
    assert totals["Lab"] == pytest.approx(34.5)
    assert totals["Other"] == pytest.approx(0.5)  # the alternate figure of a conflict is not added


def test_components_count_for_their_investor(small):
    c = pv.classify_rounds(small)
    inv = pv.investor_investments(c, ["BigCo"])
    assert list(inv["amount_usd_billion"]) == [1.0, 4.0, 1.5]
    assert list(inv["cumulative_usd_billion"]) == [1.0, 5.0, 6.5]


def test_switches_change_what_counts(small):
    base = pv.funding_totals(pv.classify_rounds(small)).set_index("company")["funding_usd_billion"]["Lab"]
    up = pv.funding_totals(pv.classify_rounds(small, include_up_to=True)).set_index("company")
    sec = pv.funding_totals(pv.classify_rounds(small, count_secondary=True)).set_index("company")
    assert up.at["Lab", "funding_usd_billion"] == pytest.approx(base + 103.0)
    assert sec.at["Lab", "funding_usd_billion"] == pytest.approx(base + 2.0)


def test_unknown_superseded_key_is_named(small):
    pv.check_round_keys(small, ["Lab|2020-01-01|Seed"])
    with pytest.raises(KeyError, match=re.escape("Lab|2020-01-02|Seed")) as err:
        pv.check_round_keys(small, ["Lab|2020-01-01|Seed", "Lab|2020-01-02|Seed"])
    assert "2020-01-01" not in str(err.value)


def test_shares_with_known_answer_and_zero_funding(small):
    c = pv.classify_rounds(small, superseded=["Lab|2022-04-01|Round C announced (aggregate)"])
    shares = pv.investor_shares(c, {"BigCo": "Lab", "Fund": "Nowhere"}).set_index("investor")
    assert shares.at["BigCo", "share_percent"] == pytest.approx(100 * 6.5 / 34.5)
    assert shares.at["Fund", "invested_usd_billion"] == 0
    assert np.isnan(shares.at["Fund", "share_percent"])  # no funding: no share, not a division error


def test_latest_valuation_skips_superseded_rows(small):
    c = pv.classify_rounds(small, superseded=["Lab|2022-05-01|Round C closed"])
    v = pv.latest_valuation(c).set_index("company")
    assert v.at["Lab", "valuation_usd_billion"] == 80.0


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


def test_ratios_are_missing_not_infinite_when_a_side_is_zero():
    comp = pd.DataFrame({"company": ["X", "Y"] * 2, "measure": ["funding"] * 2 + ["valuation"] * 2,
                         "value": [10.0, 0.0, 30.0, 10.0]})
    r = pv.lab_ratios(comp, "X", "Y").set_index("measure")["ratio"]
    assert np.isnan(r["funding"]) and r["valuation"] == 3.0
    assert np.isnan(r["annualized_revenue"])  # not in the data: missing


# ---------------------------------------------------------------- the seed article against the data

@pytest.fixture(scope="module")
def at_seed() -> dict:
    c = pv.classify_rounds(kit.load("funding", as_of=SEED_DATE), superseded=SUPERSEDED)
    totals = pv.funding_totals(c)
    shares = pv.investor_shares(c)
    comp = pv.lab_comparison(totals, pv.latest_valuation(c),
                             pv.latest_runrate(kit.load("revenue_runrate", as_of=SEED_DATE),
                                               ["reported", "media_report"]))
    ratios = pv.lab_ratios(comp)
    check = pv.seed_check(kit.load("seed_claims"), ratios, shares, totals).set_index("claim_id")
    return {"ratios": ratios.set_index("measure")["ratio"], "shares": shares.set_index("investor"),
            "check": check, "classified": c}


def test_seed_revenue_and_valuation_ratios_come_out_of_the_data(at_seed):
    assert round(at_seed["ratios"]["annualized_revenue"], 1) == 2.4
    assert round(at_seed["ratios"]["valuation"], 1) == 1.6
    assert at_seed["check"].loc[["S26", "S28"], "agrees"].all()


def test_seed_investor_shares_hold_as_lower_bounds(at_seed):
    shares = at_seed["shares"]["share_percent"]
    assert shares["Microsoft"] > 16 and shares["Amazon"] > 25
    assert at_seed["shares"].at["Microsoft", "invested_usd_billion"] == 13.0
    assert at_seed["shares"].at["Amazon", "invested_usd_billion"] == 8.0
    assert at_seed["check"].loc[["S09", "S13"], "agrees"].all()


def test_seed_funding_ratio_is_the_articles_own_arithmetic_not_the_datas(at_seed):
    check = at_seed["check"]
    # the article's 2.6 is its own totals, 79.7 / 31.2; the sourced rounds give less for both labs
    assert round(check.at["S27", "article_arithmetic"], 1) == 2.6
    assert not check.at["S27", "agrees"]
    assert round(at_seed["ratios"]["funding"], 1) != 2.6
    assert not check.at["S06", "agrees"] and not check.at["S10", "agrees"]
    # and its shares follow from its own figures: 13 / 79.7 and 8 / 31.2
    assert check.at["S09", "article_arithmetic"] == pytest.approx(100 * 13 / 79.7)
    assert check.at["S13", "article_arithmetic"] == pytest.approx(100 * 8 / 31.2)


def test_nothing_after_the_seed_date_is_counted(at_seed):
    assert at_seed["classified"]["date"].max() <= pd.Timestamp(SEED_DATE)


def test_stakes_sourced_or_implied_or_missing():
    metrics = pd.DataFrame({
        "metric": ["microsoft_stake_in_openai", "anthropic_investment_fair_value"],
        "entity": ["Microsoft", "Amazon"], "period": ["2025-10", "2025-09-30"],
        "period_end": pd.to_datetime(["2025-10-28", "2025-09-30"]), "value": [27.0, 40.0],
        "status": ["reported", "estimate"], "source_id": ["m", "f"]})
    c = pv.classify_rounds(funding([
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


def test_profit_share_is_capped_at_the_investment():
    p = pv.projection(100.0, 2025, 3, 0, 0, 20, 20)  # profit 20 a year
    ch = pv.channel_values(p, investment=13, stake_percent=0, profit_share_percent=50, cloud_spend_share=0,
                           cloud_margin=0, valuation_multiple=0, discount_rate=0)
    share = ch[ch["channel"] == "profit_share"]["value_usd_billion"]
    assert list(share) == pytest.approx([10, 13, 13])


def test_discounting_and_channels():
    p = pv.projection(10.0, 2025, 2, 0, 0, 0, 0)
    ch = pv.channel_values(p, 5, stake_percent=10, profit_share_percent=0, cloud_spend_share=50, cloud_margin=20,
                           valuation_multiple=10, discount_rate=100).set_index(["channel", "year"])["value_usd_billion"]
    assert ch[("stake", 2026)] == pytest.approx(10 * 10 * 0.1 / 2)
    assert ch[("cloud", 2027)] == pytest.approx(1 / 2 + 1 / 4)
    nan = pv.channel_values(p, 5, np.nan, 0, 0, 0, 10, 0)
    assert nan[nan["channel"] == "stake"]["value_usd_billion"].isna().all()  # missing stake stays missing


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


RANGES = {"revenue_growth_first": [50.0, 50.0], "revenue_growth_last": [10.0, 10.0], "margin_first": [-20.0, -20.0],
          "margin_last": [30.0, 30.0], "valuation_multiple": [10.0, 10.0], "discount_rate": [10.0, 10.0],
          "cloud_spend_share": [40.0, 40.0], "cloud_margin": [30.0, 30.0]}
INPUTS = pd.DataFrame({"investor": ["Microsoft", "Amazon"], "company": ["OpenAI", "Anthropic"],
                       "start_year": [2025, 2025], "start_revenue": [12.0, 5.0], "investment": [13.0, 8.0],
                       "stake_percent": [27.0, np.nan], "profit_share_percent": [75.0, 0.0]})


def test_monte_carlo_with_point_ranges_equals_the_central_case():
    values, pay = pv.monte_carlo(INPUTS, RANGES, horizon=6, n_draws=2, seed=1,
                                 payback_channels=["profit_share", "cloud"])
    mid = pv.midpoints(RANGES)
    proj = pv.projection(12.0, 2025, 6, mid["revenue_growth_first"], mid["revenue_growth_last"],
                         mid["margin_first"], mid["margin_last"])
    ch = pv.channel_values(proj, 13.0, 27.0, 75.0, mid["cloud_spend_share"], mid["cloud_margin"],
                           mid["valuation_multiple"], mid["discount_rate"])
    got = values[(values["investor"] == "Microsoft") & (values["draw"] == 0)]
    merged = got.merge(ch, on=["year", "channel"])
    assert len(merged) == 18
    assert list(merged["value_usd_billion_x"]) == pytest.approx(list(merged["value_usd_billion_y"]))
    cash = ch[ch["channel"] != "stake"].groupby("year")["value_usd_billion"].sum()
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
    band = pv.bands(a[0]).set_index(["investor", "year"])
    assert (band["p10"] < band["p90"]).all()


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


def test_zero_investment_pays_back_at_once_and_has_no_multiple():
    zero = INPUTS.assign(investment=[0.0, 0.0])
    values, pay = pv.monte_carlo(zero, RANGES, 3, 1, 1, ["profit_share", "cloud"])
    assert (pay["payback_year"] == 2026).all()
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
RUNRATES = pd.DataFrame({"company": ["Anthropic", "OpenAI"], "date": pd.to_datetime(["2025-08-01", "2025-07-01"]),
                         "annualized_revenue_usd_billion": [5.0, 12.0], "status": ["reported"] * 2,
                         "source_id": ["ra", "ro"]})
SHARES = pd.DataFrame({"investor": ["Amazon", "Microsoft"], "company": ["Anthropic", "OpenAI"],
                       "invested_usd_billion": [8.0, 13.0]})
STAKES = pd.DataFrame({"investor": ["Amazon", "Microsoft"], "company": ["Anthropic", "OpenAI"],
                       "stake_percent": [np.nan, 27.0], "basis": ["not sourced", "sourced"],
                       "status": [None, "reported"], "source_id": [None, "v"]})


def test_profit_share_terms_keep_data_and_article_side_by_side():
    terms = pv.profit_share_terms(METRICS, SEED).set_index("source")
    assert terms.at["metrics", "share_percent"] == 75.0 and terms.at["seed_claims", "share_percent"] == 49.0
    assert terms.at["seed_claims", "source_id"] == "seed_article"


def test_model_inputs_choose_the_profit_share_and_report_missing_stakes():
    terms = pv.profit_share_terms(METRICS, SEED)
    wide = pv.wide_inputs(pv.model_inputs(RUNRATES, SHARES, STAKES, terms, "seed_claims")).set_index("investor")
    assert wide.at["Microsoft", "profit_share_percent"] == 49.0
    assert wide.at["Amazon", "profit_share_percent"] == 0.0  # no such term for Amazon in the data
    assert wide.at["Microsoft", "start_revenue"] == 12.0 and wide.at["Microsoft", "start_year"] == 2025
    assert np.isnan(wide.at["Amazon", "stake_percent"])
    data = pv.wide_inputs(pv.model_inputs(RUNRATES, SHARES, STAKES, terms, "metrics")).set_index("investor")
    assert data.at["Microsoft", "profit_share_percent"] == 75.0
    none = pv.wide_inputs(pv.model_inputs(RUNRATES, SHARES, STAKES, terms.iloc[1:], "metrics"))
    assert (none["profit_share_percent"] == 0).all()  # the data holds no term as of then
    with pytest.raises(ValueError, match="profit_share_source"):
        pv.model_inputs(RUNRATES, SHARES, STAKES, terms, "rumours")
    with pytest.raises(ValueError, match="OpenAI"):
        pv.model_inputs(RUNRATES[RUNRATES["company"] != "OpenAI"], SHARES, STAKES, terms, "metrics")


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
