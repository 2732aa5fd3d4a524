"""kit.lab_clouds: commitments and their yearly equivalent, conflicting readings, net new revenue, shares,
reported spend, the clouds' AI statements and the key numbers."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import kit
from kit import cloud, lab_clouds as lc

AZ = cloud.AZURE_DERIVED
COLS = ["commitment_id", "lab", "provider", "announced", "amount_usd_billion", "amount_bound", "term_years",
        "term_as_stated", "basis", "includes", "deal", "status"]


def table(rows: list[tuple]) -> pd.DataFrame:
    """Hand-made compute_commitments rows in COLS order; the source id is derived from the id."""
    frame = pd.DataFrame(rows, columns=COLS)
    return frame.assign(announced=pd.to_datetime(frame["announced"]),
                        amount_usd_billion=frame["amount_usd_billion"].astype("float64"),
                        term_years=frame["term_years"].astype("float64"),
                        source_id="src-" + frame["commitment_id"].str.lower())


def row(cid, lab="OpenAI", provider="Amazon", amount=70.0, term=7.0, basis="new", includes=None, deal=None,
        status="reported", bound="exact", announced="2025-11-03"):
    return (cid, lab, provider, announced, amount, bound if not pd.isna(amount) else None, term,
            f"{term:g} years" if not pd.isna(term) else None, basis, includes, deal or cid, status)


def series(name: str, start: str, values: list[float], status: str = "reported") -> pd.DataFrame:
    """Quarterly revenue rows of one series, as ``cloud_series`` returns them."""
    ends = pd.period_range(start, periods=len(values), freq="Q").end_time.normalize().astype("datetime64[us]")
    return pd.DataFrame({"series": name, "period_end": ends, "revenue_usd_billion": values, "status": status,
                         "source_id": [f"{name[:3].lower()}-{i}" for i in range(len(values))], "arithmetic": ""})


# --- commitments and their yearly equivalent -----------------------------------------------------------------

def test_yearly_equivalent_is_the_amount_over_the_stated_term():
    out = lc.commitments(table([row("C01", amount=38.0, term=7.0)]))
    r = out.iloc[0]
    assert r["cloud"] == "AWS" and r["term_basis"] == "stated" and r["counted"]
    assert r["yearly_usd_billion_low"] == r["yearly_usd_billion_high"] == pytest.approx(38 / 7)


def test_without_a_stated_term_there_is_no_yearly_figure():
    out = lc.commitments(table([row("C01", provider="Microsoft", amount=250.0, term=np.nan)]))
    r = out.iloc[0]
    assert r["cloud"] == "Azure" and r["term_basis"] == "no term stated"
    assert math.isnan(r["yearly_usd_billion_low"]) and math.isnan(r["yearly_usd_billion_high"])


def test_an_assumed_term_range_gives_a_labelled_range_and_leaves_stated_terms_alone():
    out = lc.commitments(table([row("C01", amount=250.0, term=np.nan), row("C02", amount=38.0, term=7.0)]),
                         assumed_term_years=[5, 10]).set_index("commitment_id")
    assert out.loc["C01", "term_basis"] == "assumed 5–10 years"
    assert (out.loc["C01", "yearly_usd_billion_low"], out.loc["C01", "yearly_usd_billion_high"]) == (25.0, 50.0)
    assert out.loc["C02", "term_basis"] == "stated"
    assert out.loc["C02", "yearly_usd_billion_low"] == pytest.approx(38 / 7)


@pytest.mark.parametrize("bad", [[10, 5], [0, 5], [5], [1, 2, 3]])
def test_a_bad_assumed_term_range_is_named(bad):
    with pytest.raises(ValueError, match="assumed_term_years"):
        lc.commitments(table([row("C01")]), assumed_term_years=bad)


def test_rows_without_an_amount_excluded_rows_and_media_reports_are_not_counted_and_say_why():
    rows = table([row("C01", amount=np.nan, term=np.nan), row("C02"), row("C03", status="media_report"), row("C04")])
    out = lc.commitments(rows, exclude=["C02"], include_media_reports=False).set_index("commitment_id")
    assert out["reason"].to_dict() == {"C01": "no amount stated", "C02": "left out by parameter",
                                       "C03": "media report left out", "C04": "counted"}
    assert out["counted"].to_dict() == {"C01": False, "C02": False, "C03": False, "C04": True}
    assert lc.commitments(rows).set_index("commitment_id")["counted"].sum() == 3


def test_excluding_an_unknown_commitment_is_an_error_naming_it():
    with pytest.raises(KeyError, match="C99"):
        lc.commitments(table([row("C01")]), exclude=["C99"])


def test_commitments_are_sorted_and_keep_their_source():
    out = lc.commitments(table([row("C02", lab="OpenAI", announced="2026-01-01"), row("C01", lab="OpenAI"),
                                row("C03", lab="Anthropic")]))
    assert list(out["commitment_id"]) == ["C03", "C01", "C02"]
    assert list(out["source_id"]) == ["src-c03", "src-c01", "src-c02"]


# --- totals per lab and cloud --------------------------------------------------------------------------------

def conflicting_expansion() -> pd.DataFrame:
    """A $38B / 7-year deal, then one announcement read two ways: +$100B over 8 years, or $100B in all."""
    return table([row("C06", amount=38.0, term=7.0),
                  row("C07", amount=100.0, term=8.0, basis="addition", deal="x", announced="2026-02-27"),
                  row("C08", amount=100.0, term=8.0, basis="restated_total", includes="C06", deal="x",
                      announced="2026-02-27")])


def test_conflicting_readings_give_a_range_over_readings_never_an_average():
    pairs = lc.pair_totals(lc.commitments(conflicting_expansion()))
    p = pairs.iloc[0]
    assert p["readings"] == 2 and p["commitments"] == "C06;C07;C08"
    assert (p["committed_usd_billion_low"], p["committed_usd_billion_high"]) == (100.0, 138.0)
    assert p["yearly_usd_billion_low"] == pytest.approx(12.5)
    assert p["yearly_usd_billion_high"] == pytest.approx(38 / 7 + 12.5)


def test_leaving_out_one_reading_leaves_a_single_value():
    pairs = lc.pair_totals(lc.commitments(conflicting_expansion(), exclude=["C08"]))
    p = pairs.iloc[0]
    assert p["readings"] == 1 and p["committed_usd_billion_low"] == p["committed_usd_billion_high"] == 138.0
    assert p["left_out"] == "C08 (left out by parameter)"


def test_a_pair_with_a_commitment_without_term_has_no_yearly_range_and_names_it():
    rows = table([row("C01", amount=11.9, term=5.0), row("C02", amount=4.0, term=np.nan, basis="addition")])
    p = lc.pair_totals(lc.commitments(rows)).iloc[0]
    assert p["committed_usd_billion_low"] == pytest.approx(15.9)
    assert math.isnan(p["yearly_usd_billion_low"]) and p["yearly_missing"] == "C02"
    p = lc.pair_totals(lc.commitments(rows, assumed_term_years=[4, 8])).iloc[0]
    assert (p["yearly_usd_billion_low"], p["yearly_usd_billion_high"]) == pytest.approx((11.9 / 5 + 0.5, 11.9 / 5 + 1))
    assert p["term_basis"] == "assumed 4–8 years: C02; stated: C01"


def test_pair_labels_say_how_amounts_are_stated_and_how_firm_they_are():
    rows = table([row("C01", lab="Anthropic", amount=100.0, term=10.0, bound="at_least"),
                  row("C02", lab="Anthropic", amount=6.5, term=5.0, bound="up_to", status="media_report")])
    p = lc.pair_totals(lc.commitments(rows)).iloc[0]
    assert p["amounts_stated_as"] == "more than, up to"
    assert p["weakest_status"] == "media_report"
    assert p["latest_announced"] == pd.Timestamp("2025-11-03")


def test_per_cloud_totals_add_both_labs():
    rows = table([row("C01", lab="OpenAI", amount=38.0, term=7.0), row("C02", lab="Anthropic", amount=100.0, term=10.0),
                  row("C03", lab="Anthropic", provider="Microsoft", amount=30.0, term=np.nan)])
    per_lab = lc.pair_totals(lc.commitments(rows))
    assert list(zip(per_lab["lab"], per_lab["cloud"])) == [("Anthropic", "AWS"), ("OpenAI", "AWS"), ("Anthropic", "Azure")]
    both = lc.pair_totals(lc.commitments(rows), per_lab=False).set_index("cloud")
    assert set(both["lab"]) == {lc.BOTH_LABS}
    assert both.loc["AWS", "committed_usd_billion_low"] == 138.0
    assert both.loc["AWS", "yearly_usd_billion_low"] == pytest.approx(38 / 7 + 10)


def test_a_pair_with_nothing_counted_keeps_its_row():
    p = lc.pair_totals(lc.commitments(table([row("C01", amount=np.nan, term=np.nan)]))).iloc[0]
    assert p["readings"] == 0 and math.isnan(p["committed_usd_billion_low"])
    assert p["left_out"] == "C01 (no amount stated)"


# --- net new revenue -----------------------------------------------------------------------------------------

def three_clouds() -> pd.DataFrame:
    """Nine quarters of AWS and Google Cloud (2023 Q1 on), eight of derived Azure (2023 Q2 on)."""
    return pd.concat([series("AWS", "2023Q1", [20, 21, 22, 23, 24, 25, 26, 27, 28]),
                      series("Google Cloud", "2023Q1", [8, 8, 9, 9, 10, 10, 11, 11, 12]),
                      series(AZ, "2023Q2", [10, 11, 12, 13, 14, 15, 16, 17], status="derived")], ignore_index=True)


def test_net_new_revenue_defaults_to_the_latest_quarter_every_cloud_has():
    net = lc.net_new_revenue(three_clouds()).set_index("cloud")
    assert set(net["window_end"]) == {pd.Timestamp("2025-03-31")}
    assert set(net["window_start"]) == {pd.Timestamp("2024-04-01")}
    assert net.loc["AWS", "net_new_revenue_usd_billion"] == (25 + 26 + 27 + 28) - (21 + 22 + 23 + 24)
    assert net.loc["Azure", "net_new_revenue_usd_billion"] == (14 + 15 + 16 + 17) - (10 + 11 + 12 + 13)
    assert net.loc["Azure", "basis"] == "derived" and net.loc["AWS", "basis"] == "reported"


def test_a_cloud_without_eight_quarters_to_the_end_gets_a_note_not_a_number():
    net = lc.net_new_revenue(three_clouds(), end="2024-12-31").set_index("cloud")
    assert net.loc["AWS", "net_new_revenue_usd_billion"] == (24 + 25 + 26 + 27) - (20 + 21 + 22 + 23)
    assert math.isnan(net.loc["Azure", "net_new_revenue_usd_billion"])
    assert "no eight consecutive quarters" in net.loc["Azure", "note"]


def test_net_new_inputs_are_the_eight_quarters_with_their_sources():
    data = three_clouds()
    inputs = lc.net_new_inputs(data, lc.net_new_revenue(data))
    aws = inputs[inputs["cloud"] == "AWS"]
    assert len(aws) == 8 and list(aws["source_id"]) == [f"aws-{i}" for i in range(1, 9)]
    assert (aws["window"] == "latest twelve months").sum() == 4
    assert set(inputs.loc[inputs["cloud"] == "Azure", "status"]) == {"derived"}


def test_cloud_series_derives_azure_and_leaves_it_out_before_its_disclosure():
    sources = kit.sources()
    now = lc.cloud_series(kit.load("cloud_revenue"), sources)
    assert set(now["series"]) == {"AWS", AZ, "Google Cloud"}
    then = lc.cloud_series(kit.load("cloud_revenue", as_of="2025-06-30"), sources)
    assert set(then["series"]) == {"AWS", "Google Cloud"}
    net = lc.net_new_revenue(then).set_index("cloud")
    assert math.isnan(net.loc["Azure", "net_new_revenue_usd_billion"]) and net.loc["Azure", "note"]


def test_net_new_revenue_agrees_with_kit_cloud():
    data = lc.cloud_series(kit.load("cloud_revenue"), kit.sources())
    net = lc.net_new_revenue(data).set_index("cloud")
    ttm = cloud.ttm(data)
    for name, key in lc.REVENUE_SERIES.items():
        expected = ttm[(ttm["series"] == key) & (ttm["period_end"] == net.loc[name, "window_end"])]
        assert net.loc[name, "net_new_revenue_usd_billion"] == pytest.approx(expected["net_new_revenue"].iloc[0])


# --- commitments against net new revenue ---------------------------------------------------------------------

def test_shares_are_the_yearly_range_over_net_new_and_ttm_revenue_with_the_window():
    rows = table([row("C06", amount=38.0, term=7.0),
                  row("C07", amount=100.0, term=8.0, basis="addition", deal="x"),
                  row("C08", amount=100.0, term=8.0, basis="restated_total", includes="C06", deal="x"),
                  row("C09", provider="Oracle", amount=300.0, term=5.0)])
    net = lc.net_new_revenue(three_clouds())
    shares = lc.commitment_shares(lc.pair_totals(lc.commitments(rows)), net).set_index("cloud")
    aws = shares.loc["AWS"]
    assert aws["revenue_window"] == "2024-04-01 to 2025-03-31" and aws["revenue_basis"] == "reported"
    assert aws["amounts_stated_as"] == "" and aws["term_basis"] == "stated"
    assert aws["percent_of_net_new_low"] == pytest.approx(100 * 12.5 / 16)
    assert aws["percent_of_net_new_high"] == pytest.approx(100 * (38 / 7 + 12.5) / 16)
    assert aws["percent_of_ttm_revenue_low"] == pytest.approx(100 * 12.5 / 106)
    oracle = shares.loc["Oracle Cloud"]
    assert math.isnan(oracle["percent_of_net_new_low"]) and oracle["note"] == "no Oracle Cloud revenue in the data"


def test_no_percent_without_a_yearly_figure_or_with_shrinking_revenue():
    rows = table([row("C01", provider="Microsoft", amount=250.0, term=np.nan), row("C02", amount=38.0, term=7.0)])
    shrinking = pd.concat([series("AWS", "2023Q1", [30, 30, 30, 30, 20, 20, 20, 20]),
                           series(AZ, "2023Q1", [10, 11, 12, 13, 14, 15, 16, 17], status="derived")])
    shares = lc.commitment_shares(lc.pair_totals(lc.commitments(rows)), lc.net_new_revenue(shrinking)).set_index("cloud")
    assert math.isnan(shares.loc["Azure", "percent_of_net_new_low"])
    assert shares.loc["Azure", "note"] == "no yearly figure: no term stated for C01"
    assert math.isnan(shares.loc["AWS", "percent_of_net_new_low"])
    assert "not positive" in shares.loc["AWS", "note"]


# --- reported spend and the clouds' statements ---------------------------------------------------------------

def metrics(rows: list[tuple]) -> pd.DataFrame:
    """Hand-made metrics rows: (metric, period, period_end, value, unit, status, source_id)."""
    frame = pd.DataFrame(rows, columns=["metric", "period", "period_end", "value", "unit", "status", "source_id"])
    return frame.assign(entity="x", period_end=pd.to_datetime(frame["period_end"]), note="")


def test_reported_spend_is_set_against_the_same_calendar_year_only():
    m = metrics([("anthropic_expected_aws_spend", "2024", "2024-12-31", 4.0, "usd_billion", "estimate", "s1"),
                 ("anthropic_expected_aws_spend", "2026", "2026-12-31", 5.0, "usd_billion", "estimate", "s2"),
                 ("openai_inference_spend_azure", "2025 Q1-Q3", None, 8.7, "usd_billion", "leaked", "s3"),
                 ("capex", "2024", "2024-12-31", 80.0, "usd_billion", "reported", "s4")])
    spend = lc.reported_spend(m, three_clouds()).set_index("source_id")
    assert list(spend.index) == ["s1", "s2", "s3"]
    assert spend.loc["s1", "net_new_revenue_same_year_usd_billion"] == (24 + 25 + 26 + 27) - (20 + 21 + 22 + 23)
    assert spend.loc["s1", "percent_of_net_new"] == pytest.approx(100 * 4 / 16)
    assert spend.loc["s1", "status"] == "estimate"
    assert spend.loc["s2", "note"] == "AWS net new revenue for 2026 not in the data"
    assert spend.loc["s3", "note"] == "not a calendar year: no comparison" and spend.loc["s3", "cloud"] == "Azure"


def test_ai_statements_gather_the_clouds_own_figures_with_status_and_grade():
    m = metrics([("ai_contribution_to_azure_growth", "FY25 Q3", "2025-03-31", 16.0, "percentage_points", "reported", "w1"),
                 ("ai_contribution_to_azure_growth", "FY24 Q2", "2023-12-31", 6.0, "percentage_points", "estimate", "w2"),
                 ("trainium_graviton_chip_run_rate", "Q4 2025", "2025-12-31", 10.0, "usd_billion", "reported", "r1"),
                 ("azure_ai_revenue_estimate", "FY2025", "2025-06-30", 12.1, "usd_billion", "estimate", "r1")])
    src = pd.DataFrame({"quality": {"w1": "weak", "w2": "weak", "r1": "reputable"}}).rename_axis("source_id")
    out = lc.ai_statements(m, src)
    assert list(zip(out["cloud"], out["period"])) == [("AWS", "Q4 2025"), ("Azure", "FY24 Q2"), ("Azure", "FY25 Q3")]
    assert list(out["quality"]) == ["reputable", "weak", "weak"]
    assert list(out["status"]) == ["reported", "estimate", "reported"]
    with pytest.raises(KeyError, match="w2"):
        lc.ai_statements(m, src.drop(index="w2"))


# --- key numbers ---------------------------------------------------------------------------------------------

def test_key_numbers_give_low_and_high_per_pair_and_the_reason_where_not_computed():
    rows = table([row("C01", amount=38.0, term=7.0), row("C02", provider="Microsoft", amount=250.0, term=np.nan)])
    shares = lc.commitment_shares(lc.pair_totals(lc.commitments(rows)), lc.net_new_revenue(three_clouds()))
    values, why = lc.key_numbers(shares, [("OpenAI", "AWS"), ("OpenAI", "Azure"), ("Anthropic", "AWS")])
    assert values["openai_aws_commitment_yearly_usd_billion_low"] == round(38 / 7, 1)
    assert values["openai_aws_commitment_share_of_net_new_percent_high"] == round(100 * 38 / 7 / 16, 1)
    assert values["openai_azure_commitment_usd_billion_high"] == 250.0
    assert values["openai_azure_commitment_yearly_usd_billion_low"] is None
    assert why["openai_azure_commitment_yearly_usd_billion_low"] == "no term stated for C02"
    assert why["openai_azure_commitment_share_of_net_new_percent_high"] == "no term stated for C02"
    assert why["anthropic_aws_commitment_usd_billion_low"] == "no commitment of Anthropic to AWS in the data"
    assert set(why) == {k for k, v in values.items() if v is None}
    assert len(values) == 3 * 6


def test_key_numbers_of_an_assumed_term_are_a_range():
    rows = table([row("C02", provider="Microsoft", amount=250.0, term=np.nan)])
    pairs = lc.pair_totals(lc.commitments(rows, assumed_term_years=[5, 10]))
    values, why = lc.key_numbers(lc.commitment_shares(pairs, lc.net_new_revenue(three_clouds())), [("OpenAI", "Azure")])
    assert (values["openai_azure_commitment_yearly_usd_billion_low"],
            values["openai_azure_commitment_yearly_usd_billion_high"]) == (25.0, 50.0)
    assert why == {}
    with pytest.raises(KeyError, match="per_year"):
        lc.key_name("OpenAI", "Azure", "per_year", "low")


# --- the shipped table ---------------------------------------------------------------------------------------

def test_shipped_commitments_state_a_term_only_with_its_words():
    rows = kit.load("compute_commitments")
    assert (rows["term_years"].notna() == rows["term_as_stated"].notna()).all()
    assert (rows["amount_usd_billion"].notna() == rows["amount_bound"].notna()).all()
    restated = rows[rows["basis"] == "restated_total"]
    assert restated["includes"].notna().all()
    assert set(";".join(restated["includes"]).split(";")) <= set(rows["commitment_id"])


def test_shipped_conflicting_readings_stay_side_by_side():
    rows = kit.load("compute_commitments")
    deals = rows.groupby("deal")["commitment_id"].count()
    conflicting = deals[deals > 1].index
    assert len(conflicting) >= 1
    for deal in conflicting:
        assert rows.loc[rows["deal"] == deal, "note"].str.contains("CONFLICT").all()
    pairs = lc.pair_totals(lc.commitments(rows))
    split = pairs[pairs["readings"] > 1]
    assert (split["committed_usd_billion_low"] < split["committed_usd_billion_high"]).all()


def test_main_pairs_come_first_each_cloud_beside_the_other_lab():
    frame = pd.DataFrame({"lab": ["Anthropic", "OpenAI", "OpenAI", "Anthropic"],
                          "cloud": ["Azure", "AWS", "Azure", "AWS"]})
    out = lc.main_pairs_first(frame)
    assert list(out["pair"]) == ["Anthropic → AWS", "OpenAI → Azure", "OpenAI → AWS", "Anthropic → Azure"]
