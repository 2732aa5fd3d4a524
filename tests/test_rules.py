"""kit.rules: ranking, as-of, growth arithmetic and funding counting on small made-up tables."""
from __future__ import annotations

import ast
import math
import re

import numpy as np
import pandas as pd
import pytest

from kit import rules
from tests.conftest import ROOT


def funding(rows: list[tuple]) -> pd.DataFrame:
    """(company, date, round, amount, investors, investor_of_interest, row_kind, status[, note])."""
    cols = ["company", "date", "round", "amount_usd_billion", "investors", "investor_of_interest", "row_kind",
            "status", "note"]
    frame = pd.DataFrame([r + (None,) * (len(cols) - len(r)) for r in rows], columns=cols)
    return frame.assign(date=pd.to_datetime(frame["date"]),
                        amount_usd_billion=frame["amount_usd_billion"].astype(float), post_money_valuation_usd_billion=np.nan, source_id=[f"s{i}" for i in range(len(frame))])


@pytest.fixture
def small() -> pd.DataFrame:
    return funding([
        ("Lab", "2020-01-01", "Seed", 1.0, "BigCo", "BigCo", "single", "reported"),
        ("Lab", "2021-01-01", "Round B (aggregate)", 10.0, "BigCo; Fund", "BigCo", "aggregate", "reported"),
        ("Lab", "2021-01-01", "Round B component - BigCo", 4.0, "BigCo", "BigCo", "component", "reported"),
        ("Lab", "2021-06-01", "Secondary tender", 2.0, "Fund", "Fund", "single", "reported"),
        ("Lab", "2022-01-01", "Chip deal", 100.0, "ChipCo", "ChipCo", "single", "reported",
         'ChipCo "will invest up to $100 billion"'),
        ("Lab", "2022-02-01", "BigCo tranche 1 (up to $4B)", 1.5, "BigCo", "BigCo", "single", "reported"),
        ("Lab", "2022-03-01", "Deal (up to)", 3.0, "OtherCo", "OtherCo", "single", "reported"),
        ("Lab", "2022-04-01", "Round C announced (aggregate)", 20.0, "Fund, BigCo", "BigCo", "aggregate", "reported"),
        ("Lab", "2022-04-01", "Round C component - BigCo", 5.0, "BigCo", "BigCo", "component", "reported"),
        ("Lab", "2022-05-01", "Round C closed", 22.0, "Fund, BigCo, Other", "BigCo", "single", "reported"),
        ("Lab", "2022-06-01", "Round D component - BigCo", None, "BigCo", "BigCo", "component", "media_report"),
        ("Lab", "2022-06-01", "Round D", 8.0, "Fund (lead); BigCo", "", "single", "reported"),
        ("Other", "2020-01-01", "Grant", 0.5, "Fund", "Fund", "single", "media_report"),
        ("Other", "2020-01-01", "Grant (alternate figure)", 0.7, "Fund", "Fund", "single", "reported"),
    ])


def counted_by_round(frame: pd.DataFrame) -> dict[str, str]:
    return dict(zip(frame["round"], frame["excluded"]))


# ---------------------------------------------------------------- ranking

def test_one_order_of_status_flags_and_grades():
    assert list(rules.status_rank(pd.Series(["estimate", "reported", "low_confidence", None, "rumour"]))) == \
        [2, 0, 4, 5, 5]
    assert list(rules.grade_rank(pd.Series(pd.Categorical(["weak", "primary", "seed"])))) == [3, 0, 4]
    assert rules.check_statuses(("reported", "leaked")) == ["reported", "leaked"]
    with pytest.raises(ValueError, match="runrate_statuses: unknown status rumour"):
        rules.check_statuses(["reported", "rumour"], "runrate_statuses")


# ---------------------------------------------------------------- as of

def test_a_row_is_known_from_its_source_else_its_stated_report_date_else_its_date_plus_lag():
    published = pd.Series(pd.to_datetime(["2024-02-01", None, None, None]))
    stated = pd.Series(["FY24 Q2", "FY24 Q2 (reported 2024-01-30)", "Q3", "no date"])
    row_date = pd.Series(pd.to_datetime(["2023-12-31", None, "2023-09-30", None]))
    known = rules.known_from(published, row_date, lag_days=21, stated=stated)
    assert list(known[:3]) == list(pd.to_datetime(["2024-02-01", "2024-01-30", "2023-10-21"]))
    assert pd.isna(known[3])  # undated source, no stated date, no row date: never known


def test_known_by_as_of():
    known = pd.Series(pd.to_datetime(["2024-01-30", "2025-01-01", None]))
    assert list(rules.known_by(known, "2024-06-30")) == [True, False, False]
    assert list(rules.known_by(known, "")) == [True, True, True]  # no as-of date: all data
    stated = rules.stated_report_date(pd.Series(["deal (reported on 2025-06-10 by Reuters)", "REPORTED"]))
    assert stated[0] == pd.Timestamp("2025-06-10") and pd.isna(stated[1])


# ---------------------------------------------------------------- growth arithmetic

def test_increment_is_taken_over_the_base_not_the_new_value():
    """75 after +34 % means an increase of 75 − 75/1.34 = 19.0; 25.5 is the slip 75 × 34 %."""
    assert rules.increment(75, 34) == pytest.approx(19.03, abs=0.01)
    assert rules.misapplied_increment(75, 34) == pytest.approx(25.5)
    assert rules.increment(110, 10) == pytest.approx(10.0)
    assert rules.increment(100, 0) == 0


def test_growth_between_two_values():
    assert rules.growth(116.438, 98.6) == pytest.approx(18.091, abs=1e-3)
    assert rules.growth(100, 100 / 1.34) == pytest.approx(34.0)  # growth and increment agree
    with pytest.raises(ZeroDivisionError, match="previous"):
        rules.growth(1, 0)


def test_a_ratio_of_dated_figures_shows_both_dates_and_refuses_figures_a_quarter_apart():
    ok = rules.dated_ratio(24.0, "2026-03-01", 47.0, "2026-05-01")
    assert ok["ratio"] == pytest.approx(24 / 47) and ok["days_apart"] == 61 and ok["note"] == ""
    assert ok["numerator_date"] == pd.Timestamp("2026-03-01")
    edge = rules.dated_ratio(300.0, "2025-03-31", 12.0, "2025-07-01")
    assert edge["days_apart"] == rules.MAX_PAIR_DAYS and edge["ratio"] == 25  # exactly one quarter: compared
    far = rules.dated_ratio(300.0, "2025-03-31", 183.0, "2025-09-02")
    assert math.isnan(far["ratio"]) and "155 days apart" in far["note"] and "more than one quarter" in far["note"]
    assert "zero" in rules.dated_ratio(1.0, "2025-01-01", 0.0, "2025-01-01")["note"]
    assert "missing" in rules.dated_ratio(np.nan, "2025-01-01", 1.0, "2025-01-01")["note"]
    assert "date is missing" in rules.dated_ratio(1.0, None, 1.0, "2025-01-01")["note"]


# ---------------------------------------------------------------- funding: which rows count

def test_up_to_flags_ceilings_but_not_tranches(small):
    flags = dict(zip(small["round"], rules.is_up_to(small)))
    assert flags["Chip deal"] and flags["Deal (up to)"]
    assert not flags["BigCo tranche 1 (up to $4B)"]  # 1.5 of a 4 ceiling is money committed
    assert not flags["Seed"] and not flags["Round D component - BigCo"]  # no amount: no ceiling


def test_secondary_rows_by_name_or_row_kind():
    f = funding([("L", "2024-01-01", "Employee tender", 1.0, "X", "X", "secondary", "reported"),
                 ("L", "2024-02-01", "Secondary sale", 1.0, "X", "X", "single", "reported"),
                 ("L", "2024-03-01", "Series A", 1.0, "X", "X", "single", "reported")])
    assert list(rules.is_secondary(f)) == [True, True, False]


def test_a_sole_investor_is_named_alone_and_as_the_investor_of_interest(small):
    sole = dict(zip(small["round"], rules.sole_investor(small)))
    assert sole["Seed"] == "BigCo" and sole["Round B component - BigCo"] == "BigCo"
    assert sole["Round B (aggregate)"] is None and sole["Round C closed"] is None
    assert sole["Round D"] is None  # a lead among others
    lead_only = funding([("L", "2025-09-02", "Series F", 13.0, "ICONIQ", "", "single", "reported")])
    assert rules.sole_investor(lead_only).iloc[0] is None  # a round's lead is not its only investor


def test_aggregates_and_components_are_never_added_and_a_closing_supersedes_its_announcement(small):
    c = rules.count_funding(small)
    why = counted_by_round(c)
    assert why["Round C announced (aggregate)"] == "announcement closed on 2022-05-01"
    assert why["Secondary tender"] == "secondary sale: no new money"
    assert why["Chip deal"] == why["Deal (up to)"] == "'up to' ceiling"
    assert why["Grant (alternate figure)"] == "conflicting figure: another source's row is counted"
    assert c.set_index("round")["superseded"]["Round C announced (aggregate)"]
    totals = rules.lab_funding(c).set_index("company")["funding_usd_billion"]
    # seed 1 + round B 10 + tranche 1.5 + round C closed 22 + round D 8: no component, secondary, ceiling or
    # superseded announcement; one figure of a conflict
    assert totals["Lab"] == pytest.approx(42.5)
    assert totals["Other"] == pytest.approx(0.5)


def test_explicit_and_row_kind_superseded_rows_count_for_nothing(small):
    c = rules.count_funding(small, superseded=["Lab|2020-01-01|Seed"])
    assert counted_by_round(c)["Seed"] == "superseded by a later row"
    marked = small.assign(row_kind=small["row_kind"].where(small["round"] != "Round D", "superseded"))
    assert counted_by_round(rules.count_funding(marked))["Round D"] == "superseded by a later row"
    with pytest.raises(KeyError, match=re.escape("Lab|2020-01-02|Seed")) as err:
        rules.check_round_keys(small, ["Lab|2020-01-01|Seed", "Lab|2020-01-02|Seed"])
    assert "2020-01-01" not in str(err.value)


def test_switches_change_what_counts(small):
    base = rules.lab_funding(rules.count_funding(small)).set_index("company")["funding_usd_billion"]
    up = rules.lab_funding(rules.count_funding(small, include_up_to=True)).set_index("company")
    sec = rules.lab_funding(rules.count_funding(small, count_secondary=True)).set_index("company")
    high = rules.lab_funding(rules.count_funding(small, conflict="higher")).set_index("company")
    firm = rules.lab_funding(rules.count_funding(small, include_media_reports=False)).set_index("company")
    assert up.at["Lab", "funding_usd_billion"] == pytest.approx(base["Lab"] + 103.0)
    assert sec.at["Lab", "funding_usd_billion"] == pytest.approx(base["Lab"] + 2.0)
    assert high.at["Other", "funding_usd_billion"] == pytest.approx(0.7)  # never the mean of 0.5 and 0.7
    assert firm.at["Other", "funding_usd_billion"] == pytest.approx(0.7)  # the media report left out first
    with pytest.raises(ValueError, match="funding_conflict"):
        rules.count_funding(small, conflict="mean")


def test_components_belong_to_their_round_and_its_closing(small):
    c = rules.count_funding(small).set_index("round")
    index = dict(zip(rules.count_funding(small)["round"], range(len(small))))
    assert c.at["Round B component - BigCo", "round_of"] == index["Round B (aggregate)"]
    assert c.at["Round C component - BigCo", "round_of"] == index["Round C closed"]
    assert c.at["Round D component - BigCo", "round_of"] == index["Round D"]
    assert c.at["Round D component - BigCo", "investor"] == "BigCo"  # listed, without an amount


def test_investor_rows_add_up_to_the_lab_and_give_the_rest_to_other_investors(small):
    c = rules.count_funding(small)
    rows = rules.investor_rows(c)
    per = rows.groupby(["lab", "investor"])["amount_usd_billion"].sum()
    assert per[("Lab", "BigCo")] == pytest.approx(1 + 4 + 1.5 + 5)
    assert per[("Lab", rules.OTHER_INVESTORS)] == pytest.approx(6 + 17 + 8)  # round B and C rest, round D
    assert rows.groupby("lab")["amount_usd_billion"].sum().to_dict() == pytest.approx(
        rules.lab_funding(c).set_index("company")["funding_usd_billion"].to_dict())


def test_investor_share_counts_undisclosed_parts_and_has_no_share_without_funding(small):
    share = rules.investor_share(rules.count_funding(small), {"BigCo": "Lab", "Fund": "Nowhere"}).set_index("investor")
    assert share.at["BigCo", "invested_usd_billion"] == pytest.approx(11.5)
    assert share.at["BigCo", "share_percent"] == pytest.approx(100 * 11.5 / 42.5)
    assert share.at["BigCo", "undisclosed_parts"] == 1  # round D: named, its component without an amount
    assert share.at["Fund", "invested_usd_billion"] == 0 and np.isnan(share.at["Fund", "share_percent"])
    pledged = rules.investor_share(rules.count_funding(small, include_up_to=True), {"BigCo": "Lab"})
    assert pledged["share_percent"].iloc[0] == pytest.approx(100 * 11.5 / 145.5)  # another quantity


# ---------------------------------------------------------------- partner cloud spend

def test_partner_cloud_spend_keeps_whole_years_side_by_side_and_picks_the_latest_firmest():
    metrics = pd.DataFrame({"metric": ["openai_inference_spend_azure", "openai_inference_spend_azure",
                                       "anthropic_expected_aws_spend", "other"],
                            "period": ["2024", "2025 Q1-Q3", "2026", "2026"], "value": [3.7, 8.7, 5.0, 1.0],
                            "status": ["leaked", "leaked", "estimate", "reported"], "source_id": ["a", "b", "c", "d"]})
    claims = pd.DataFrame({"metric": ["azure_spend"], "period": ["2024"], "value": [4.0], "source_id": ["seed"]})
    spend = rules.partner_cloud_spend(metrics, claims)
    assert list(zip(spend["lab"], spend["year"], spend["spend_usd_billion"])) == [
        ("Anthropic", 2026, 5.0), ("OpenAI", 2024, 3.7), ("OpenAI", 2024, 4.0)]  # no partial year
    latest = rules.latest_partner_cloud_spend(spend).set_index("lab")
    assert latest.at["OpenAI", "spend_usd_billion"] == 4.0  # an article's media report ranks above a leak
    assert latest.at["Anthropic", "year"] == 2026


# ---------------------------------------------------------------- layers

def test_rules_import_nothing_from_kit():
    tree = ast.parse((ROOT / "kit" / "rules.py").read_text(encoding="utf-8"))
    imported = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not [m for m in imported if m == "kit" or m.startswith("kit.")]


def test_grade_and_status_orders_are_the_data_packages_enums():
    """The rules rank grades and status flags in the order the data package declares them."""
    import json

    from kit.paths import data_dir

    package = json.loads((data_dir() / "datapackage.json").read_text(encoding="utf-8"))
    enums = {(r["name"], f["name"]): f.get("constraints", {}).get("enum")
             for r in package["resources"] for f in r["schema"]["fields"]}
    assert tuple(enums[("sources", "quality")]) == rules.GRADE_ORDER
    assert tuple(enums[("cloud_revenue", "status")]) == rules.STATUS_ORDER


def test_parts_announced_before_a_round_closes_belong_to_the_closing():
    """An announcement's single-investor parts dated weeks before the aggregate that closes the round are
    that round's components, credited to their investors (not to 'other investors')."""
    rows = pd.DataFrame({
        "company": ["Lab"] * 4, "date": pd.to_datetime(["2026-02-27", "2026-02-27", "2026-02-27", "2026-03-31"]),
        "round": ["Round announced (aggregate)", "Round component - BigCo", "Round component - Chips",
                  "Round closed (aggregate)"],
        "amount_usd_billion": [110.0, 50.0, 30.0, 122.0], "investors": ["BigCo, Chips", "BigCo", "Chips", "many"],
        "investor_of_interest": ["", "BigCo", "Chips", ""], "row_kind": ["component", "component", "component",
                                                                       "aggregate"],
        "status": ["reported"] * 4, "source_id": ["a", "a", "b", "c"], "note": [""] * 4})
    c = rules.count_funding(rows)
    assert list(c["round_of"]) == [3, 3, 3, 3]
    assert rules.lab_funding(c).at[0, "funding_usd_billion"] == pytest.approx(122.0)
    by_investor = rules.investor_rows(c).groupby("investor")["amount_usd_billion"].sum()
    assert by_investor["BigCo"] == pytest.approx(50.0) and by_investor["Chips"] == pytest.approx(30.0)


def test_a_source_dated_to_a_month_or_year_counts_as_known_from_its_end():
    published = pd.Series(pd.to_datetime(["2025-10-01", "2024-01-01", "2025-06-03", None]))
    precision = pd.Series(["month", "year", "day", None])
    assert rules.published_by(published, precision).tolist() == [
        pd.Timestamp("2025-10-31"), pd.Timestamp("2024-12-31"), pd.Timestamp("2025-06-03"), pd.NaT]
    assert rules.known_by(rules.known_from(rules.published_by(published, precision)), "2025-10-29").tolist() == [
        False, True, True, False]
