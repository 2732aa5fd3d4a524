"""kit.factcheck: the check rules, the linking of claims to evidence, and the ledger of the shipped seed article."""
from __future__ import annotations

import functools
import math

import pandas as pd
import pytest

import kit
from kit import factcheck as fc

ARTICLE_DATE = pd.Timestamp("2025-09-19")


# --- the arithmetic rules ---------------------------------------------------------------------

def test_ratio_share_and_part():
    assert fc.ratio(12, 5) == pytest.approx(2.4)
    assert fc.share(13, 79.7) == pytest.approx(16.311, abs=1e-3)
    assert fc.part_of(53000, 33) == pytest.approx(17490)


def test_ratio_of_zero_denominator_raises():
    with pytest.raises(ZeroDivisionError, match="denominator"):
        fc.ratio(1, 0)


def test_rising_needs_every_step_up_and_two_points():
    assert fc.is_rising([21.1, 21.5, 23.0])
    assert not fc.is_rising([21.1, 21.1, 23.0])
    assert not fc.is_rising([23.0, 21.5])
    assert not fc.is_rising([5.0])


def test_scale_reading_finds_the_power_of_ten():
    assert fc.scale_reading(1.3, 13) == 1
    assert fc.scale_reading(13, 13) == 0
    assert fc.scale_reading(1300, 13) == -2
    assert fc.scale_reading(2, 13) is None
    assert fc.scale_reading(1.3, 0) is None


@pytest.mark.parametrize("value, half", [(60, 0.5), (2.4, 0.05), (106.3, 0.05), (0.875, 0.0005), (53000, 0.5)])
def test_rounding_halfwidth_follows_the_stated_digits(value, half):
    assert fc.rounding_halfwidth(value) == pytest.approx(half)


def test_agrees_exact_uses_rounding_plus_tolerance():
    assert fc.agrees(2.6, 2.554, "exact", 0)  # 2.554 rounds to 2.6
    assert not fc.agrees(2.6, 2.54, "exact", 0)
    assert not fc.agrees(63, 62, "exact", 0)
    assert fc.agrees(63, 62, "exact", 5)


def test_agrees_bounds_and_ranges():
    assert fc.agrees(16, 16.3, "at_least", 0)
    assert not fc.agrees(16, 15.2, "at_least", 0)
    assert fc.agrees(10, 9.6, "at_most", 0)
    assert not fc.agrees(10, 11, "at_most", 0)
    assert fc.agrees(math.nan, 250, "range", 0, 100, 999)
    assert not fc.agrees(math.nan, 1000, "range", 0, 100, 999)
    assert fc.agrees(math.nan, 17490, "range", 0, 1000, None)
    with pytest.raises(ValueError, match="reading_low or reading_high"):
        fc.agrees(math.nan, 5, "range", 0)
    with pytest.raises(ValueError, match="unknown bound"):
        fc.agrees(1, 1, "roughly", 0)


def test_primary_status_order():
    assert fc.primary_status(["confirmed", "outdated"]) == "outdated"
    assert fc.primary_status(["outdated", "contradicted"]) == "contradicted"
    assert fc.primary_status(["contradicted", "inconsistent"]) == "inconsistent"
    assert fc.primary_status(["consistent", "confirmed"]) == "confirmed"
    assert fc.primary_status(["outdated", "depends_on_definition"]) == "depends_on_definition"
    assert fc.primary_status(["depends_on_definition", "inconsistent"]) == "inconsistent"
    assert fc.primary_status([]) == "unverifiable"


# --- small hand-made data ---------------------------------------------------------------------

def claims_frame(*rows: tuple) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["claim_id", "quote_de", "claim_en", "value", "unit"])
    return frame.assign(source_id="seed_article")


def link(claim_id, item, check, operand, table="", key="", column="", source=None, bound="exact",
         low=None, high=None, note=None) -> dict:
    return {"claim_id": claim_id, "item": item, "check": check, "bound": bound, "reading_low": low,
            "reading_high": high, "operand": operand or None, "evidence_table": table or None,
            "evidence_key": key or None, "evidence_column": column or None, "source_id": source, "note": note}


def sample_tables() -> dict[str, pd.DataFrame]:
    claims = claims_frame(
        ("A1", "75 Milliarden", "Revenue 75", 75.0, "usd_billion"),
        ("A2", "34 %", "Growth 34", 34.0, "percent"),
        ("A3", "25,5 Milliarden", "Increase 25.5", 25.5, "usd_billion"),
        ("A4", "1,3 Milliarden", "Investment 1.3", 1.3, "usd_billion"),
        ("A5", "300 Milliarden", "Valuation 300", 300.0, "usd_billion"),
        ("A6", "ohne Zahl", "No number", math.nan, "text"),
        ("A7", "13 Milliarden", "Investment 13", 13.0, "usd_billion"),
    )
    funding = pd.DataFrame({
        "company": ["X", "X", "X"], "round": ["A", "B", "C"],
        "date": pd.to_datetime(["2025-03-31", "2025-10-02", "2026-03-31"]).astype("datetime64[us]"),
        "valuation": [300.0, 500.0, 852.0], "status": ["reported", "media_report", "reported"],
        "source_id": ["s1", "s2", "s3"],
    })
    return {"seed_claims": claims, "funding": funding}


def sample_checks() -> pd.DataFrame:
    return pd.DataFrame([
        link("A1", 1, "value", "value", "funding", "company=X|round=A", "valuation", "s1"),
        link("A2", 1, "none", None, note="nothing to check"),
        link("A3", 1, "increment", "value", "seed_claims", "claim_id=A1", "value", "seed_article"),
        link("A3", 2, "increment", "growth", "seed_claims", "claim_id=A2", "value", "seed_article"),
        link("A4", 1, "scale", "reference", "seed_claims", "claim_id=A7", "value", "seed_article"),
        link("A5", 1, "value", "value", "funding", "company=X|round=A", "valuation", "s1"),
        link("A5", 2, "value", "later", "funding", "company=X|round=B", "valuation", "s2"),
        link("A5", 3, "value", "later", "funding", "company=X|round=C", "valuation", "s3"),
        link("A6", 1, "none", None, note="a timing claim"),
        link("A7", 1, "none", None, note="no total"),
    ])


def run(checks=None, tables=None, tolerance=0.0, require_all=True) -> pd.DataFrame:
    tables = tables or sample_tables()
    checks = sample_checks() if checks is None else checks
    evidence = fc.link_evidence(checks, tables, require_all=require_all)
    return fc.ledger(tables["seed_claims"], checks, evidence, ARTICLE_DATE, tolerance).set_index("claim_id")


def test_ledger_gives_each_claim_one_status_with_its_reason():
    led = run()
    assert list(led.index) == ["A1", "A2", "A3", "A4", "A5", "A6", "A7"]
    assert led.loc["A1", "status"] == "contradicted"  # 75 against a sourced 300
    assert "75" in led.loc["A1", "explanation"] and "300 (s1)" in led.loc["A1", "explanation"]
    assert led.loc["A2", "status"] == "unverifiable"
    assert led.loc["A2", "explanation"] == "nothing to check"
    assert led.loc["A3", "status"] == "inconsistent"
    assert led.loc["A3", "found"] == pytest.approx(19.03, abs=0.01)
    assert "75 × 34 %" in led.loc["A3", "explanation"]


def test_garbled_figure_is_inconsistent_and_shows_the_reading_that_fits():
    led = run()
    assert led.loc["A4", "status"] == "inconsistent"
    assert "factor of 10" in led.loc["A4", "explanation"]
    assert "the reading that fits is 13" in led.loc["A4", "explanation"]


def test_later_figure_after_the_article_makes_a_confirmed_claim_outdated():
    led = run()
    assert led.loc["A5", "status"] == "outdated"
    assert "later figure: 852" in led.loc["A5", "explanation"]


def test_without_later_rows_the_same_claim_is_confirmed():
    tables = sample_tables()
    tables["funding"] = tables["funding"].iloc[:1]
    assert run(tables=tables, require_all=False).loc["A5", "status"] == "confirmed"


def test_a_later_figure_equal_to_the_claim_does_not_make_it_outdated():
    tables = sample_tables()
    tables["funding"] = tables["funding"].assign(valuation=[300.0, 300.0, 300.0])
    assert run(tables=tables).loc["A5", "status"] == "confirmed"


def test_tolerance_decides_between_confirmed_and_contradicted():
    tables = sample_tables()
    tables["funding"] = tables["funding"].assign(valuation=[290.0, 500.0, 852.0]).iloc[:1]
    assert run(tables=tables, tolerance=0.0, require_all=False).loc["A5", "status"] == "contradicted"
    assert run(tables=tables, tolerance=5.0, require_all=False).loc["A5", "status"] == "confirmed"


def test_missing_evidence_raises_naming_claim_item_and_key():
    tables = sample_tables()
    tables["funding"] = tables["funding"].iloc[1:]
    with pytest.raises(fc.CheckError, match=r"claim A1, item 1 \(funding: company=X\|round=A\).*s1"):
        run(tables=tables)


def test_missing_evidence_under_as_of_makes_the_claim_unverifiable():
    tables = sample_tables()
    tables["funding"] = tables["funding"].iloc[1:]
    tables["funding"].attrs = {"as_of": "2025-09-19", "min_grade": None}
    led = run(tables=tables, require_all=False)
    assert led.loc["A1", "status"] == "unverifiable"
    assert "evidence not known at the as-of date (2025-09-19): company=X|round=A" in led.loc["A1", "explanation"]


def test_evidence_left_out_by_min_grade_says_so_and_alternatives_left_are_judged():
    claims = claims_frame(("V1", "300 Milliarden", "Valued at 300", 300.0, "usd_billion"))
    funding = sample_tables()["funding"].iloc[[0]]  # only s1 (reputable) is left
    funding.attrs = {"as_of": None, "min_grade": "reputable"}
    checks = pd.DataFrame([link("V1", 1, "value", "value", "funding", "company=X|round=A", "valuation", "s1"),
                           link("V1", 2, "value", "value", "funding", "company=X|round=B", "valuation", "s2"),
                           link("V1", 3, "value", "later", "funding", "company=X|round=C", "valuation", "s3")])
    tables = {"seed_claims": claims, "funding": funding}
    evidence = fc.link_evidence(checks, tables, require_all=False, grades={"s1": "reputable", "s2": "weak",
                                                                            "s3": "weak"})
    assert list(evidence["left_out"]) == ["", "left out, its source graded weak (below reputable)",
                                          "left out, its source graded weak (below reputable)"]
    row = fc.ledger(claims, checks, evidence, ARTICLE_DATE, 0.0).set_index("claim_id").loc["V1"]
    assert row["status"] == "confirmed" and row["found"] == 300  # judged on the source left; no later figure
    assert "evidence left out, its source graded weak (below reputable): company=X|round=B" in row["explanation"]
    assert "company=X|round=C" not in row["explanation"]  # a later figure left out is no evidence
    unknown = fc.link_evidence(checks, tables, require_all=False)  # without grades: why, as far as it is known
    assert set(unknown.loc[~unknown["found"], "left_out"]) == {
        "left out of the data loaded (sources graded reputable or better)"}


def test_a_key_matching_two_rows_of_one_source_raises():
    tables = sample_tables()
    tables["funding"] = tables["funding"].assign(source_id="s1")
    checks = pd.DataFrame([link(c, 1, "none", None, note="n") for c in "A1 A2 A3 A4 A5 A6 A7".split()])
    checks.loc[0] = link("A1", 1, "value", "value", "funding", "company=X", "valuation", "s1")
    with pytest.raises(fc.CheckError, match="matches 3 rows"):
        run(checks=checks, tables=tables)


def test_bad_key_and_column_are_named():
    checks = sample_checks()
    checks.loc[0, "evidence_key"] = "company X"
    with pytest.raises(fc.CheckError, match="claim A1.*not column=value"):
        run(checks=checks)
    checks = sample_checks()
    checks.loc[0, "evidence_column"] = "price"
    with pytest.raises(fc.CheckError, match="no column 'price'"):
        run(checks=checks)


def test_every_claim_needs_a_check_and_every_check_a_claim():
    checks = sample_checks()
    with pytest.raises(fc.CheckError, match="claims without a check.*A7"):
        run(checks=checks[checks["claim_id"] != "A7"])
    extra = pd.concat([checks, pd.DataFrame([link("Z9", 1, "none", None)])])
    with pytest.raises(fc.CheckError, match="unknown claims: Z9"):
        run(checks=extra)


def test_rows_of_one_claim_must_agree_and_give_the_operands_the_check_needs():
    checks = sample_checks()
    checks.loc[3, "check"] = "ratio"
    with pytest.raises(fc.CheckError, match="claim A3.*disagree on 'check'"):
        run(checks=checks)
    checks = sample_checks()
    checks = checks.drop(index=3)
    with pytest.raises(fc.CheckError, match=r"claim A3: check 'increment' needs operand\(s\) \['growth'\]"):
        run(checks=checks)
    checks = sample_checks()
    checks.loc[0, "operand"] = "numerator"
    with pytest.raises(fc.CheckError, match="claim A1: operand"):
        run(checks=checks)


def test_a_link_without_a_source_raises():
    checks = sample_checks()
    checks.loc[0, "source_id"] = None
    with pytest.raises(fc.CheckError, match="claim A1, item 1.*no source_id"):
        run(checks=checks)


def test_count_counts_the_rows_up_to_the_article_only():
    checks = sample_checks()
    checks = checks[checks["claim_id"] != "A5"]
    items = [link("A5", i, "count", "item", "funding", f"company=X|round={r}", "valuation", s)
             for i, (r, s) in enumerate([("A", "s1"), ("B", "s2"), ("C", "s3")], start=1)]
    checks = pd.concat([checks, pd.DataFrame(items)])
    tables = sample_tables()
    tables["seed_claims"].loc[4, "value"] = 1.0
    led = run(checks=checks, tables=tables)
    assert led.loc["A5", "found"] == 1  # the 2025-10 and 2026-03 rows are after the article
    assert led.loc["A5", "status"] == "confirmed"


def test_select_compares_dates_and_categories_as_text():
    frame = sample_tables()["funding"].assign(company=pd.Categorical(["X", "X", "Y"]))
    assert len(fc.select(frame, "date=2025-10-02")) == 1
    assert len(fc.select(frame, "company=X|round=B")) == 1
    with pytest.raises(KeyError, match="no column 'nope'"):
        fc.select(frame, "nope=1")


def test_status_counts_lists_every_status_even_when_zero():
    counts = fc.status_counts(run().reset_index()).set_index("status")
    assert list(counts.index) == fc.STATUSES
    assert counts["claims"].sum() == 7
    assert counts.loc["consistent", "claims"] == 0 and counts.loc["consistent", "claim_ids"] == ""
    assert counts.loc["inconsistent", "claim_ids"] == "A3;A4"


def test_deviations_skip_claims_without_two_numbers():
    led = run().reset_index()
    gaps = fc.deviations(led)
    assert "A2" not in set(gaps["claim_id"]) and "A6" not in set(gaps["claim_id"])
    assert gaps.set_index("claim_id").loc["A3", "deviation_percent"] == pytest.approx(34.0, abs=0.1)
    assert list(gaps["deviation_percent"].abs()) == sorted(gaps["deviation_percent"].abs(), reverse=True)
    assert "A5" in set(gaps["claim_id"])  # 300 against 300: no deviation, kept by default
    assert "A5" not in set(fc.deviations(led, min_percent=1.0)["claim_id"])


def test_deviations_leave_out_bounds_and_ranges():
    led = run().reset_index()
    led.loc[led["claim_id"] == "A1", "bound"] = "at_least"
    assert "A1" not in set(fc.deviations(led)["claim_id"])


# --- the shipped seed article -----------------------------------------------------------------

def shipped(as_of: str = "", tolerance: float = 5.0) -> pd.DataFrame:
    tables = {name: kit.load(name) for name in fc.ARTICLE_TABLES}
    tables |= {name: kit.load(name, as_of=as_of) for name in fc.EVIDENCE_TABLES}
    article = kit.sources().loc[fc.ARTICLE, "published"]
    return fc.check_article(tables, article, tolerance, as_of).set_index("claim_id")


@pytest.fixture(scope="module")
def seed_ledger() -> pd.DataFrame:
    return shipped()


@pytest.fixture(scope="module")
def as_published() -> pd.DataFrame:
    return shipped(as_of="2025-09-19")


def test_every_claim_of_the_article_has_exactly_one_status(seed_ledger):
    claims = kit.load("seed_claims")
    assert sorted(seed_ledger.index) == sorted(claims["claim_id"])
    assert seed_ledger.index.is_unique
    assert seed_ledger["status"].notna().all()
    assert set(seed_ledger["status"].astype(str)) <= set(fc.STATUSES)
    assert (seed_ledger["explanation"].str.len() > 10).all()


def test_claim_checks_resolve_to_claims_and_sources():
    checks = kit.load("claim_checks")
    assert set(checks["claim_id"]) == set(kit.load("seed_claims")["claim_id"])
    assert set(checks["source_id"].dropna()) <= set(kit.sources().index)
    none = checks[checks["check"] == "none"]
    assert none.groupby("claim_id")["note"].count().gt(0).all(), "a claim that cannot be checked says why"


def test_article_increases_are_inconsistent_with_their_growth_rates(seed_ledger):
    azure, aws = seed_ledger.loc["S40"], seed_ledger.loc["S43"]
    assert azure["status"] == "inconsistent" and azure["found"] == pytest.approx(19.0, abs=0.05)
    assert aws["status"] == "inconsistent" and aws["found"] == pytest.approx(17.8, abs=0.05)
    assert "75 × 34 %" in azure["explanation"]
    assert azure["error_kind"] == aws["error_kind"] == "misapplied_growth"


def test_the_1_3_billion_is_a_garble_of_13(seed_ledger):
    row = seed_ledger.loc["S20"]
    assert row["status"] == "inconsistent"
    assert row["found"] == 13
    assert "the reading that fits is 13" in row["explanation"]


def test_the_article_ratios_hold(seed_ledger):
    assert set(seed_ledger.loc[["S09", "S13", "S26", "S27", "S28", "S32"], "status"]) == {"consistent"}
    assert seed_ledger.loc["S27", "found"] == pytest.approx(79.7 / 31.2)  # 2.55: the article's 2.6 holds


def test_sourced_aws_year_is_recomputed_from_quarters(seed_ledger):
    assert seed_ledger.loc["S41", "found"] == pytest.approx(116.44, abs=0.01)
    assert seed_ledger.loc["S42", "found"] == pytest.approx(18.09, abs=0.01)
    assert set(seed_ledger.loc[["S41", "S42"], "status"]) == {"confirmed"}


def test_contradicted_claims_show_both_values_and_a_source(seed_ledger):
    contradicted = seed_ledger[seed_ledger["status"] == "contradicted"]
    assert len(contradicted) > 0
    for claim_id, row in contradicted.iterrows():
        assert row["sources"], claim_id
        assert row["found"] != row["claimed"], claim_id


def test_strict_tolerance_turns_a_near_miss_into_a_contradiction():
    assert shipped(tolerance=5.0).loc["S17B", "status"] == "confirmed"  # 63 against Gartner's 39.0 + 23.0
    assert shipped(tolerance=0.0).loc["S17B", "status"] == "contradicted"


def test_as_published_nothing_after_the_article_counts(as_published):
    then = as_published
    assert then.loc["S07", "status"] == "confirmed"  # the later OpenAI valuations were not yet known
    assert then.loc["S05", "status"] == "outdated"  # ByteDance's higher valuation was reported in August 2025
    assert then.loc["S21", "status"] == "unverifiable"  # the $250B Azure commitment came in October 2025


# --- definitions, ceilings, kinds of error (hand-made data) ---------------------------------

def share_tables(gartner: tuple[float, float], synergy: tuple[float, float]) -> dict[str, pd.DataFrame]:
    claims = claims_frame(("M1", "mehr als 60 %", "Two clouds above 60 %", 60.0, "percent"))
    rows = [("Gartner", "AWS", gartner[0], "g"), ("Gartner", "Microsoft", gartner[1], "g"),
            ("Synergy Research Group", "AWS", synergy[0], "s"),
            ("Synergy Research Group", "Microsoft", synergy[1], "s")]
    shares = pd.DataFrame(rows, columns=["research_firm", "provider", "share_percent", "source_id"])
    return {"seed_claims": claims, "market_share": shares.assign(status="reported")}


def share_checks() -> pd.DataFrame:
    return pd.DataFrame([link("M1", i, "sum", "term", "market_share", f"research_firm={firm}|provider={p}",
                              "share_percent", src, bound="at_least")
                         for i, (firm, p, src) in enumerate([("Gartner", "AWS", "g"), ("Gartner", "Microsoft", "g"),
                                                             ("Synergy Research Group", "AWS", "s"),
                                                             ("Synergy Research Group", "Microsoft", "s")], 1)])


def test_research_firms_are_never_added_and_a_split_verdict_names_both():
    led = run(share_checks(), share_tables((39.0, 23.0), (31.0, 24.0))).loc["M1"]
    assert led["status"] == "depends_on_definition"
    assert "Gartner: 39 + 23 = 62" in led["explanation"]
    assert "Synergy Research Group: 31 + 24 = 55" in led["explanation"]
    assert "holds under Gartner's definition, not under Synergy Research Group's" in led["explanation"]
    assert led["found"] == 62  # never 117 (all four added)


def test_firms_that_agree_give_one_verdict():
    assert run(share_checks(), share_tables((39.0, 23.0), (35.0, 27.0))).loc["M1", "status"] == "confirmed"
    assert run(share_checks(), share_tables((30.0, 20.0), (31.0, 24.0))).loc["M1", "status"] == "contradicted"


def test_a_later_up_to_commitment_is_not_a_new_total():
    claims = claims_frame(("T1", "mindestens 8", "Invested at least 8", 8.0, "usd_billion"))
    funding = pd.DataFrame({
        "company": ["L", "L", "L"], "round": ["Tranche 1", "Tranche 2", "Investment (up to $25B)"],
        "date": pd.to_datetime(["2023-09-25", "2024-11-22", "2026-04-20"]).astype("datetime64[us]"),
        "amount_usd_billion": [4.0, 4.0, 25.0], "note": [None, None, None], "status": "reported",
        "source_id": ["a", "b", "c"]})
    checks = pd.DataFrame([link("T1", 1, "sum", "term", "funding", "round=Tranche 1", "amount_usd_billion", "a",
                                bound="at_least"),
                           link("T1", 2, "sum", "term", "funding", "round=Tranche 2", "amount_usd_billion", "b",
                                bound="at_least"),
                           link("T1", 3, "sum", "later", "funding", "round=Investment (up to $25B)",
                                "amount_usd_billion", "c", bound="at_least")])
    led = run(checks, {"seed_claims": claims, "funding": funding}).loc["T1"]
    assert led["status"] == "confirmed"
    assert "additional commitment of up to 25" in led["explanation"] and "not a new total" in led["explanation"]
    funding.loc[2, "round"] = "New total"  # the same later row as a new figure for the total
    checks.loc[2, "evidence_key"] = "round=New total"
    assert run(checks, {"seed_claims": claims, "funding": funding}).loc["T1", "status"] == "outdated"


def test_error_kinds_are_counted_from_the_ledger():
    led = run().reset_index()
    assert dict(zip(led["claim_id"], led["error_kind"]))["A3"] == "misapplied_growth"
    assert dict(zip(led["claim_id"], led["error_kind"]))["A4"] == "power_of_ten"
    kinds = fc.error_kinds(led)
    assert set(kinds["kind"]) == {"misapplied_growth", "power_of_ten"} and kinds["claims"].sum() == 2
    text = fc.error_summary(kinds)
    assert "2 kinds of error" in text and "(A3)" in text and "(A4)" in text
    one = fc.error_kinds(led[led["claim_id"] != "A4"])
    assert "all of one kind" in fc.error_summary(one)
    assert fc.error_summary(fc.error_kinds(led[led["claim_id"] == "A5"])).startswith("No claim")


def test_claim_verdicts_say_whether_each_claim_held():
    table = fc.claim_verdicts(run().reset_index(), ["A5", "A1", "A2"]).set_index("claim_id")
    assert list(table.index) == ["A1", "A2", "A5"]
    assert table.at["A1", "held"] == False  # noqa: E712  (contradicted)
    assert pd.isna(table.at["A2", "held"])  # unverifiable: the data cannot say
    assert table.at["A5", "held"] == True  # noqa: E712  (outdated: it held when written)
    with pytest.raises(KeyError, match="Z9"):
        fc.claim_verdicts(run().reset_index(), ["Z9"])


def test_a_range_reading_shows_no_claimed_figure():
    claims = claims_frame(("R1", "mehr", "More than the other", 4.5, "usd_billion"))
    checks = pd.DataFrame([link("R1", 1, "value", "value", "funding", "company=X|round=A", "valuation", "s1",
                                bound="range", low=0)])
    led = run(checks, {"seed_claims": claims, "funding": sample_tables()["funding"]}).loc["R1"]
    assert led["status"] == "confirmed" and math.isnan(led["claimed"])  # 4.5 is not what is tested


# --- regression: verdicts on the shipped article ----------------------------------------------

def test_s44_azure_added_more_than_aws_holds_and_no_unprinted_gap_is_tested(seed_ledger):
    row = seed_ledger.loc["S44"]
    assert row["status"] == "consistent"
    assert row["found"] == pytest.approx(19.03 - 17.76, abs=0.01) and row["found"] > 0
    assert math.isnan(row["claimed"]) and "read as at least 0" in row["explanation"]
    assert "S44" not in set(fc.deviations(seed_ledger.reset_index())["claim_id"])


def test_s19_microsoft_invested_five_times_up_to_the_article(seed_ledger):
    row = seed_ledger.loc["S19"]
    assert row["status"] == "contradicted" and row["found"] == 5
    assert "(2019-07, 2021-01, 2023-01, 2024-10, 2025-03)" in row["explanation"]


def test_s12_is_not_outdated_by_an_additional_up_to_commitment(seed_ledger):
    row = seed_ledger.loc["S12"]
    assert row["status"] == "confirmed" and row["found"] == 8
    assert "additional commitment of up to 25" in row["explanation"] and "not a new total" in row["explanation"]


def test_s35_is_not_confirmed_by_a_figure_for_another_quarter(seed_ledger, as_published):
    for led in (seed_ledger, as_published):
        row = led.loc["S35"]
        assert row["status"] == "unverifiable" and math.isnan(row["found"])
        assert "no figure for the quarter to 2025-06-30" in row["explanation"]


def test_s22_and_s33_count_a_row_from_its_stated_report_date(as_published):
    assert as_published.loc["S33", "status"] == "confirmed"  # 53,000 AI customers, reported 2024-01-30
    assert as_published.loc["S22", "status"] == "confirmed"
    assert "not known at the as-of date" not in as_published.loc["S22", "explanation"]


def test_s16_event_e007_names_both_chips(seed_ledger):
    row = seed_ledger.loc["S16"]
    assert row["status"] == "confirmed" and row["found"] == 2
    assert "E007" in row["explanation"] and row["sources"] == "theinformation-49cbea"


def test_s01_depends_on_the_research_firm(seed_ledger):
    row = seed_ledger.loc["S01"]
    assert row["status"] == "depends_on_definition"
    assert "Gartner: 39 + 23 = 62" in row["explanation"]
    assert "Synergy Research Group: 31 + 24 = 55" in row["explanation"]
    assert "holds under Gartner's definition, not under Synergy Research Group's" in row["explanation"]


def test_the_arithmetic_errors_are_of_two_kinds(seed_ledger):
    kinds = fc.error_kinds(seed_ledger.reset_index()).set_index("kind")
    assert kinds["claim_ids"].to_dict() == {"misapplied_growth": "S40, S43", "power_of_ten": "S20"}
    assert "all of one kind" not in fc.error_summary(kinds.reset_index())


# --- what the verdicts rest on, key results and the answer ------------------------------------

def test_support_counts_weak_rows_and_the_best_grade_without_the_article():
    evidence = pd.DataFrame({"claim_id": ["A", "A", "B", "B", "C"], "found": [True, True, True, False, True],
                             "source_id": ["w1", "r1", "w1", "p1", fc.ARTICLE]})
    grades = {"w1": "weak", "r1": "reputable", "p1": "primary", fc.ARTICLE: "seed"}
    table = fc.support(evidence, grades).set_index("claim_id")
    assert list(table.index) == ["A", "B"]  # C rests on the article's own figures only
    assert table.loc["A", ["rows", "weak_rows", "best_grade", "weak_only"]].tolist() == [2, 1, "reputable", False]
    assert table.loc["B", ["rows", "weak_rows", "best_grade", "weak_only"]].tolist() == [1, 1, "weak", True]


def test_settings_sentence_follows_the_parameters():
    assert fc.settings_sentence("", 5.0, "", "2026-07-01") == (
        "Checked against all the data (to 2026-07-01) and sources of every grade; a figure agrees when it lies "
        "within the claim's rounding plus 5 %.")
    text = fc.settings_sentence("2025-09-19", 0.0, "reputable", "2025-09-18")
    assert "what was known on 2025-09-19" in text and "only sources graded reputable or better" in text
    assert text.endswith("within the claim's rounding alone.")


def test_coverage_says_what_each_evidence_table_kept():
    tables = {"seed_claims": pd.DataFrame(), "funding": pd.DataFrame({"x": [1, 2]})}
    tables["funding"].attrs = {"data_end": "2025-09-02", "as_of": "2025-09-19", "min_grade": "reputable"}
    table = fc.coverage(tables)
    assert table.to_dict("records") == [{"table": "funding", "rows": 2, "data_end": "2025-09-02",
                                         "as_of": "2025-09-19", "sources_graded": "reputable or better"}]
    assert fc.data_end(tables) == "2025-09-02"


@functools.lru_cache(maxsize=None)
def shipped_run(**load: str) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """The shipped article's ledger, evidence and grades, loaded with ``load`` (read only: cached)."""
    tables = {name: kit.load(name) for name in fc.ARTICLE_TABLES}
    tables |= {name: kit.load(name, **load) for name in fc.EVIDENCE_TABLES}
    grades = kit.sources()["quality"].astype(str).to_dict()
    evidence = fc.article_evidence(tables, grades)
    led = fc.ledger(tables["seed_claims"], tables["claim_checks"], evidence, kit.sources().loc[fc.ARTICLE, "published"],
                    fc.DEFAULT_TOLERANCE)
    return led, evidence, grades


def test_key_results_are_declared_and_add_up():
    from kit.results import declared

    led, evidence, grades = shipped_run()
    results = fc.key_results(led, fc.support(evidence, grades))
    assert set(results) <= set(declared())
    assert sum(results[f"claims_{s}"] for s in fc.STATUSES) == results["claims"] == len(led)
    assert results["claims_held"] == sum(results[f"claims_{s}"] for s in fc.HELD_STATUSES)
    assert results["depends_on_definition_claim_ids"] == ["S01"]
    assert results["arithmetic_error_kinds"] == 2
    assert results["azure_net_new_fy2025_article_implied_usd_billion"] == pytest.approx(19.03)
    assert results["aws_net_new_fy2025_article_implied_usd_billion"] == pytest.approx(17.76)
    assert 0 < results["evidence_weak_share_percent"] < 100
    assert set(results["weak_only_claim_ids"]) <= set(led.loc[led["status"].isin(fc.SOURCED_STATUSES), "claim_id"])


def test_the_answer_names_the_kinds_of_error_the_split_claim_and_the_settings():
    from kit import present

    led, evidence, grades = shipped_run()
    results = fc.key_results(led, fc.support(evidence, grades))
    sentences = fc.answer_sentences(results, led, "Checked against all the data.", present.value)
    text = " ".join(sentences)
    assert 3 <= len(sentences) <= 6 and sentences[-1] == "Checked against all the data."
    assert "with 2 kinds of error" in text and "all of one kind" not in text
    assert "S01 depends on whose definition is used: it holds under Gartner's definition, not under " \
           "Synergy Research Group's" in text
    assert f"{results['claims_held']} hold" in text and "(S04, S05, S07, S11, S23, S25)" in text


def test_under_min_grade_evidence_below_it_is_left_out_and_said_so():
    led, evidence, grades = shipped_run(min_grade="reputable")
    led = led.set_index("claim_id")
    assert not (evidence.loc[evidence["found"], "source_id"].map(grades) == "weak").any()
    assert led.loc["S47", "status"] == "confirmed"  # judged on its reputable source, the weak one left out
    # S18's only source is graded reputable: one grade up, it is left out, and the verdict says why
    strict, strict_evidence, _ = shipped_run(min_grade="primary_copy")
    strict = strict.set_index("claim_id")
    assert strict.loc["S18", "status"] == "unverifiable"
    assert "evidence left out, its source graded reputable (below primary_copy)" in strict.loc["S18", "explanation"]
    assert "missing_because" in fc.evidence_table(strict_evidence, ["S18", "S47"]).columns
    assert "missing_because" not in fc.evidence_table(shipped_run()[1], ["S18"]).columns


def test_evidence_left_out_by_min_grade_makes_claims_unverifiable_not_an_error():
    tables = {name: kit.load(name) for name in fc.ARTICLE_TABLES}
    tables |= {name: kit.load(name, min_grade="primary_copy") for name in fc.EVIDENCE_TABLES}
    ledger = fc.check_article(tables, kit.sources().loc[fc.ARTICLE, "published"]).set_index("claim_id")
    assert ledger.loc["S44", "status"] == "consistent"  # judged on the article's own figures
    assert (ledger["status"] == "unverifiable").sum() > (shipped()["status"] == "unverifiable").sum()


def test_judging_a_few_claims_gives_the_verdicts_of_the_whole_fact_check():
    tables = {name: kit.load(name) for name in fc.ARTICLE_TABLES + fc.EVIDENCE_TABLES}
    date = kit.sources().loc[fc.ARTICLE, "published"]
    ids = ["S14", "S40", "S43", "S44", "S01"]
    few = fc.claim_verdicts(fc.check_article(tables, date, claim_ids=ids), ids)
    whole = fc.claim_verdicts(shipped().reset_index(), ids)
    pd.testing.assert_frame_equal(few, whole)
    with pytest.raises(KeyError, match="no claim S99"):
        fc.check_article(tables, date, claim_ids=["S99"])
