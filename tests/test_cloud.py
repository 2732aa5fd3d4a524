"""kit.cloud: choosing rows, TTM, derived Azure quarters, share gaps, projection and crossover."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import kit
from kit import cloud, rules

AZ = cloud.AZURE_DERIVED


def sources(**quality: str) -> pd.DataFrame:
    return pd.DataFrame({"quality": pd.Series(quality)}).rename_axis("source_id")


def quarters(series: str, start: str, values: list[float | None]) -> pd.DataFrame:
    ends = pd.period_range(start, periods=len(values), freq="Q").end_time.normalize().astype("datetime64[us]")
    return pd.DataFrame({"series": series, "period_end": ends, "revenue_usd_billion": values})


# --- choosing among conflicting rows -----------------------------------------------------------

def test_rank_rows_prefers_better_source_then_firmer_status_then_id():
    frame = pd.DataFrame({"key": ["a", "a", "b", "b", "c"], "value": [1.0, 2.0, 3.0, 4.0, 5.0],
                          "status": ["reported", "reported", "estimate", "reported", "reported"],
                          "source_id": ["weak1", "rep1", "rep2", "rep3", "rep1"]})
    ranked = cloud.rank_rows(frame, sources(weak1="weak", rep1="reputable", rep2="reputable", rep3="reputable"),
                             ["key"])
    chosen = ranked[ranked["chosen"]].set_index("key")["value"]
    assert chosen.to_dict() == {"a": 2.0, "b": 4.0, "c": 5.0}
    assert sorted(cloud.conflicts(ranked, ["key"])["value"]) == [1.0, 2.0, 3.0, 4.0]


def test_rank_rows_names_unknown_sources():
    frame = pd.DataFrame({"key": ["a"], "status": ["reported"], "source_id": ["nowhere-123"]})
    with pytest.raises(KeyError, match="nowhere-123"):
        cloud.rank_rows(frame, sources(other="primary"), ["key"])


def test_intelligent_cloud_is_split_at_the_2024_redefinition():
    frame = pd.DataFrame({"segment": ["intelligent_cloud", "intelligent_cloud", "aws"],
                          "period_end": pd.to_datetime(["2024-06-30", "2024-09-30", "2024-06-30"])})
    assert cloud.with_series(frame)["series"].tolist() == [cloud.IC_OLD, cloud.IC_NEW, "AWS"]


def test_shipped_conflict_for_aws_q2_2019_keeps_the_reputable_row():
    q, found = cloud.quarterly(kit.load("cloud_revenue"), kit.sources())
    row = q[(q["series"] == "AWS") & (q["period_end"] == "2019-06-30")]
    assert row["revenue_usd_billion"].tolist() == [8.4]
    assert set(found.loc[found["period_end"] == "2019-06-30", "revenue_usd_billion"]) == {8.3, 8.4}
    assert not q.duplicated(["series", "period_end"]).any()


# --- missing quarters, TTM ---------------------------------------------------------------------

def test_missing_quarters_lists_gaps_and_rows_without_value():
    frame = pd.concat([quarters("X", "2020Q1", [1.0, None, 3.0]), quarters("X", "2021Q1", [5.0])])
    missing = cloud.missing_quarters(frame)
    assert missing["period_end"].dt.strftime("%Y-%m-%d").tolist() == ["2020-06-30", "2020-12-31"]
    assert missing["missing"].tolist() == ["row without revenue_usd_billion", "no row"]


def test_ttm_sums_four_consecutive_quarters_and_never_bridges_a_gap():
    frame = quarters("X", "2020Q1", [1.0, 2.0, 3.0, 4.0, 2.0, 3.0, 4.0, 5.0, None, 6.0, 7.0, 8.0, 9.0])
    t = cloud.ttm(frame).set_index("period_end")
    assert t.loc["2020-12-31", "ttm_revenue"] == 10.0
    assert t.loc["2021-12-31", "ttm_revenue"] == 14.0
    assert t.loc["2021-12-31", "net_new_revenue"] == 4.0
    assert t.loc["2021-12-31", "ttm_growth_percent"] == pytest.approx(40.0)
    assert np.isnan(t.loc["2022-12-31", "ttm_revenue"])  # 2022Q1 is missing: no interpolation
    assert t.loc["2023-03-31", "ttm_revenue"] == 30.0
    assert np.isnan(t.loc["2023-03-31", "net_new_revenue"])


def test_shipped_aws_calendar_2024_ttm_matches_the_annual_row():
    q, _ = cloud.quarterly(kit.load("cloud_revenue"), kit.sources())
    t = cloud.ttm(q[q["series"] == "AWS"]).set_index("period_end")
    assert t.loc["2024-12-31", "ttm_revenue"] == pytest.approx(107.6, abs=0.1)


# --- derived Azure quarters, the seed's net-new claim --------------------------------------------

def azure_rows(total: float, fy_end: str, growth: dict[str, float]) -> pd.DataFrame:
    rows = [{"period_type": "fiscal_year", "fiscal_period": "FY2025", "period_end": pd.Timestamp(fy_end),
             "revenue_usd_billion": total, "yoy_growth_percent": np.nan, "source_id": "fy"}]
    rows += [{"period_type": "quarter", "fiscal_period": "", "period_end": pd.Timestamp(p),
              "revenue_usd_billion": np.nan, "yoy_growth_percent": g, "source_id": f"g{p}"}
             for p, g in growth.items()]
    return pd.DataFrame(rows)


def test_derive_azure_splits_back_and_forward_and_stops_at_a_gap():
    growth = {"2024-09-30": 25.0, "2024-12-31": 25.0, "2025-03-31": 25.0, "2025-06-30": 25.0,
              "2025-09-30": 50.0, "2026-03-31": 10.0}  # 2025-12-31 has no growth rate
    weights = pd.Series([1.0, 1.0, 1.0, 1.0],
                        index=pd.to_datetime(["2024-09-30", "2024-12-31", "2025-03-31", "2025-06-30"]))
    d = cloud.derive_azure_quarters(azure_rows(100.0, "2025-06-30", growth), weights).set_index("period_end")
    assert d.loc["2024-09-30", "revenue_usd_billion"] == 25.0
    assert d.loc["2023-09-30", "revenue_usd_billion"] == 20.0
    assert d.loc["2025-09-30", "revenue_usd_billion"] == 37.5
    assert pd.Timestamp("2025-12-31") not in d.index and pd.Timestamp("2026-03-31") not in d.index
    assert pd.Timestamp("2022-12-31") not in d.index  # never further back than one year
    assert set(d["status"]) == {"derived"}
    assert d.loc["2025-09-30", "fiscal_period"] == "FY2026 Q1"


def test_derive_azure_needs_a_disclosed_year_and_weights_for_each_quarter():
    no_total = azure_rows(np.nan, "2025-06-30", {"2024-09-30": 30.0})
    with pytest.raises(ValueError, match="no fiscal-year Azure revenue"):
        cloud.derive_azure_quarters(no_total, pd.Series(dtype=float))
    three = pd.Series([1.0, 1.0, 1.0], index=pd.to_datetime(["2024-09-30", "2024-12-31", "2025-03-31"]))
    with pytest.raises(ValueError, match="2025Q2"):
        cloud.derive_azure_quarters(azure_rows(100.0, "2025-06-30", {}), three)


def test_net_new_comparison_uses_the_shared_increment_rule():
    azure = pd.DataFrame({"period_type": ["fiscal_year"], "period_end": pd.to_datetime(["2025-06-30"]),
                          "revenue_usd_billion": [110.0], "yoy_growth_percent": [10.0]})
    aws_ttm = pd.DataFrame({"period_end": pd.to_datetime(["2025-06-30"]), "ttm_revenue": [120.0],
                            "ttm_revenue_year_before": [100.0], "ttm_growth_percent": [20.0],
                            "net_new_revenue": [20.0]})
    table = cloud.net_new_comparison(aws_ttm, azure).set_index("provider")
    assert table.loc["Azure", "net_new"] == pytest.approx(rules.increment(110.0, 10.0)) == pytest.approx(10.0)
    assert table.loc["Azure", "prior_year"] == pytest.approx(100.0)
    assert table.loc["Azure", "shortcut_revenue_x_growth"] == pytest.approx(11.0)
    assert table.loc["AWS", "shortcut_revenue_x_growth"] == pytest.approx(24.0)


def test_seed_net_new_claim_against_the_shipped_data():
    cloud_rows = kit.load("cloud_revenue")
    q, _ = cloud.quarterly(cloud_rows, kit.sources())
    table = cloud.net_new_comparison(cloud.ttm(q[q["series"] == "AWS"]),
                                     cloud_rows[cloud_rows["segment"] == "azure"]).set_index("provider")
    seed = kit.load("seed_claims").set_index("claim_id")["value"]
    assert table.loc["AWS", "revenue"] == pytest.approx(seed["S41"], abs=0.05)  # same calendar window
    assert table.loc["AWS", "net_new"] == pytest.approx(17.84, abs=0.01)
    assert table.loc["Azure", "net_new"] == pytest.approx(19.03, abs=0.01)
    assert table.loc["Azure", "net_new"] > table.loc["AWS", "net_new"]
    # the seed's 25.5 and 21 are revenue × growth, not revenue minus the prior year's
    assert table.loc["Azure", "shortcut_revenue_x_growth"] == pytest.approx(seed["S40"])
    assert table.loc["AWS", "shortcut_revenue_x_growth"] == pytest.approx(seed["S43"], abs=0.1)


# --- market share ------------------------------------------------------------------------------

def shares(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame([{"research_firm": f, "market_definition": "d", "period": p,
                          "period_end": pd.Timestamp(p), "provider": prov, "share_percent": s}
                         for f, p, prov, s in rows])


def test_share_gap_never_mixes_firms():
    frame = shares([("A", "2024-12-31", "AWS", 30.0), ("B", "2024-12-31", "Microsoft", 20.0),
                    ("A", "2025-12-31", "AWS", 29.0), ("A", "2025-12-31", "Microsoft", 22.0)])
    gap = cloud.share_gap(frame)
    assert gap[["research_firm", "gap_points"]].values.tolist() == [["A", 7.0]]
    assert cloud.latest_gap(gap)["period_end"].tolist() == [pd.Timestamp("2025-12-31")]


def test_share_gap_without_a_pair_is_empty():
    assert cloud.share_gap(shares([("A", "2024-12-31", "AWS", 30.0)])).empty


# --- projection and crossover --------------------------------------------------------------------

def base(aws: list[float], azure: list[float], start: str = "2025Q2") -> pd.DataFrame:
    return cloud.base_quarters(pd.concat([quarters("AWS", start, aws), quarters(AZ, start, azure)]), ["AWS", AZ])


def test_base_quarters_takes_the_latest_four_consecutive_common_quarters():
    frame = pd.concat([quarters("AWS", "2024Q1", [1, 2, 3, 4, 5, 6, 7, 8.0]),
                       quarters(AZ, "2024Q1", [1, 2, 3, 4, 5, None, 7, 8.0])])
    b = cloud.base_quarters(frame, ["AWS", AZ])
    assert b.index[-1] == pd.Timestamp("2025-03-31") and b["AWS"].tolist() == [2, 3, 4, 5.0]
    with pytest.raises(ValueError, match="four consecutive"):
        cloud.base_quarters(quarters("AWS", "2024Q1", [1, None, 3, 4, None, 6.0]), ["AWS"])


def test_project_grows_each_quarter_on_the_same_quarter_a_year_earlier():
    b = base([10, 10, 10, 20.0], [1, 1, 1, 2.0])
    p = cloud.project(b, {"AWS": 10.0, AZ: 100.0}, {"AWS": 0.0, AZ: 1.0}, 2027)
    aws = p[p["series"] == "AWS"].set_index("period_end")["revenue"]
    assert aws["2026-06-30"] == pytest.approx(11.0) and aws["2027-03-31"] == pytest.approx(22.0)
    az = p[p["series"] == AZ].set_index("period_end")["revenue"]
    assert az["2026-06-30"] == pytest.approx(2.0)  # full growth in the first projected quarter
    assert az["2027-06-30"] == pytest.approx(2.0)  # decay 1: no growth after a year
    yearly = cloud.annual(p)
    assert yearly.index.tolist() == [2026, 2027]  # 2025 is incomplete in the frame
    assert yearly.loc[2026, "AWS"] == pytest.approx(10 * 1.1 * 3 + 20)


def test_a_provider_that_never_catches_up_gives_none_not_a_far_year():
    b = base([30, 30, 30, 30.0], [10, 10, 10, 10.0])
    p = cloud.project(b, {"AWS": 20.0, AZ: 40.0}, {"AWS": 0.0, AZ: 0.5}, 2060)
    assert cloud.crossover_year(cloud.annual(p), "AWS", AZ) is None


def test_crossover_is_the_first_year_ahead_and_equal_is_not_ahead():
    totals = pd.DataFrame({"AWS": [10.0, 10.0, 10.0], AZ: [9.0, 10.0, 11.0]}, index=[2026, 2027, 2028])
    assert cloud.crossover_year(totals, "AWS", AZ) == 2028
    totals[AZ] = [12.0, 9.0, 9.0]
    assert cloud.crossover_year(totals, "AWS", AZ) == 2026


def test_end_year_must_lie_after_the_data():
    with pytest.raises(ValueError, match="end_year 2024"):
        cloud.project(base([1, 1, 1, 1.0], [1, 1, 1, 1.0]), {"AWS": 1, AZ: 1}, {"AWS": 0, AZ: 0}, 2024)


def test_monte_carlo_is_seeded_and_its_probability_never_falls():
    b = base([30, 30, 30, 30.0], [20, 20, 20, 20.0])
    args = (b, "AWS", AZ, [10.0, 30.0], [20.0, 45.0], [0.0, 0.3], 2040, 500)
    one, again, other = cloud.monte_carlo(*args, seed=7), cloud.monte_carlo(*args, seed=7), \
        cloud.monte_carlo(*args, seed=8)
    pd.testing.assert_frame_equal(one, again)
    assert not one.equals(other)
    prob = cloud.crossover_probability(one, range(2026, 2041))["probability"]
    assert prob.is_monotonic_increasing and 0 < prob.iloc[-1] < 1
    assert one["crossover_year"].isna().any()  # some draws never cross: <NA>, not a far year


def test_monte_carlo_rejects_bad_ranges():
    b = base([30, 30, 30, 30.0], [20, 20, 20, 20.0])
    with pytest.raises(ValueError, match="challenger_growth"):
        cloud.monte_carlo(b, "AWS", AZ, [10.0, 30.0], [45.0, 20.0], [0.0, 0.3], 2040, 10, seed=1)


def test_sensitivity_faster_challenger_never_crosses_later():
    b = base([30, 30, 30, 30.0], [20, 20, 20, 20.0])
    s = cloud.sensitivity(b, "AWS", AZ, [10.0, 20.0], [20.0, 30.0, 40.0], 0.1, 0.1, 2045)
    table = s.pivot(index="leader_growth", columns="challenger_growth", values="crossover_year")
    assert table.shape == (2, 3)
    assert pd.isna(table.loc[20.0, 20.0])  # same growth, smaller start: never
    for _, row in table.iterrows():
        years = row.dropna().tolist()
        assert years == sorted(years, reverse=True)


# --- common quarters and AI's points of growth ---------------------------------------------------------

def growth_rows(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame([{"series": s, "period_end": pd.Timestamp(p), "yoy_growth_percent": g,
                          "source_id": f"{s[:2].lower()}-{p}"} for s, p, g in rows])


def test_latest_common_is_the_latest_quarter_every_series_has():
    frame = growth_rows([("AWS", "2025-12-31", 24.0), ("Azure", "2025-12-31", 39.0), ("AWS", "2026-03-31", 28.0),
                         ("Azure", "2026-03-31", float("nan"))])
    out = cloud.latest_common(frame, "yoy_growth_percent", ["AWS", "Azure"])
    assert out[["series", "yoy_growth_percent"]].values.tolist() == [["AWS", 24.0], ["Azure", 39.0]]
    assert cloud.latest_common(frame, "yoy_growth_percent", ["AWS", "Google Cloud"]).empty


def test_ai_points_are_set_against_the_growth_lead_of_the_same_quarter():
    quarters = growth_rows([("AWS", "2025-03-31", 17.0), ("Azure", "2025-03-31", 33.0), ("Azure", "2024-12-31", 31.0)])
    ai = pd.DataFrame({"period_end": pd.to_datetime(["2025-03-31", "2024-12-31"]), "period": ["FY25 Q3", "FY25 Q2"],
                       "value": [16.0, 13.0], "status": ["reported", "reported"], "source_id": ["a1", "a2"]})
    out = cloud.ai_points_against_growth(ai, quarters)
    assert list(out["period"]) == ["FY25 Q2", "FY25 Q3"]
    q3 = out.iloc[1]
    assert (q3["azure_growth_percent"], q3["azure_growth_without_ai_percent"], q3["aws_growth_percent"]) == (33, 17, 17)
    assert (q3["lead_points"], q3["lead_without_ai_points"]) == (16, 0)
    assert q3["growth_sources"] == "az-2025-03-31;aw-2025-03-31"
    q2 = out.iloc[0]  # AWS's growth is missing: no lead, never a guess
    assert q2["azure_growth_without_ai_percent"] == 18 and np.isnan(q2["lead_points"])


def test_projection_lines_join_complete_data_years_to_the_projection():
    ttm_frame = pd.DataFrame({"series": ["AWS", "AWS", "AWS"], "period_end": pd.to_datetime(
        ["2024-12-31", "2025-06-30", "2025-12-31"]), "ttm_revenue": [100.0, 110.0, 120.0]})
    annual_projection = pd.DataFrame({"AWS": [120.0, 130.0]}, index=pd.Index([2025, 2026], name="year"))
    out = cloud.projection_lines(ttm_frame, annual_projection)
    assert out[["year", "kind", "revenue"]].values.tolist() == [[2024, "data", 100.0], [2025, "projection", 120.0],
                                                                [2026, "projection", 130.0]]


def test_share_gap_names_both_sources_and_the_weaker_grade():
    frame = shares([("A", "2025-12-31", "AWS", 29.0), ("A", "2025-12-31", "Microsoft", 22.0)]).assign(
        source_id=["s-aws", "s-msft"], quality=["reputable", "weak"])
    gap = cloud.share_gap(frame).iloc[0]
    assert gap["source_ids"] == "s-aws;s-msft" and gap["grade"] == "weak"
