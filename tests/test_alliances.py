"""Alliance shifts: graph building, commitments, funding attribution, concentration, verdicts, scenarios."""
from __future__ import annotations

import math

import pandas as pd
import pytest

import kit
from kit import alliances, rules
from tests.conftest import ROOT

EVENT_TYPES = ["investment", "exclusivity_change", "compute_deal", "chip_deal", "model_distribution", "restructuring"]


def events(rows: list[tuple]) -> pd.DataFrame:
    """Hand-made events: (event_id, date, parties, event_type, value, status)."""
    frame = pd.DataFrame(rows, columns=["event_id", "date", "parties", "event_type", "value_usd_billion", "status"])
    return frame.assign(date=pd.to_datetime(frame["date"]),
                        event_type=pd.Categorical(frame["event_type"], categories=EVENT_TYPES),
                        value_usd_billion=frame["value_usd_billion"].astype("float64"),
                        source_id="src-" + frame["event_id"].str.lower(), description="event " + frame["event_id"])


def funding(rows: list[tuple]) -> pd.DataFrame:
    """Hand-made funding rows: (company, date, round, amount, investors, investor_of_interest, row_kind, status)."""
    frame = pd.DataFrame(rows, columns=["company", "date", "round", "amount_usd_billion", "investors",
                                        "investor_of_interest", "row_kind", "status"])
    return frame.assign(date=pd.to_datetime(frame["date"]),
                        amount_usd_billion=frame["amount_usd_billion"].astype("float64"),
                        source_id=[f"f{i}" for i in range(len(frame))])


# --- commitments -------------------------------------------------------------------------------------------

def test_a_commitment_needs_one_lab_one_cloud_and_a_value():
    ev = events([
        ("E1", "2025-01-01", "OpenAI;Oracle", "compute_deal", 300, "reported"),
        ("E2", "2025-02-01", "OpenAI;Oracle;Microsoft;SoftBank", "compute_deal", 500, "reported"),
        ("E3", "2025-03-01", "Anthropic", "compute_deal", 50, "reported"),
        ("E4", "2025-04-01", "Microsoft;OpenAI", "restructuring", 250, "reported"),
        ("E5", "2025-05-01", "Amazon;Anthropic", "investment", 4, "reported"),
        ("E6", "2025-06-01", "OpenAI;CoreWeave", "compute_deal", None, "reported"),
        ("E7", "2025-07-01", "Microsoft;Nvidia;Anthropic", "compute_deal", 30, "reported"),
    ])
    got = alliances.compute_commitments(ev).set_index("event_id")
    assert list(got.index) == ["E1", "E2", "E3", "E4", "E7"]  # no investments, no unvalued events
    assert got.loc["E1", "supplier"] == "Oracle" and got.loc["E1", "counted"]
    assert got.loc["E2", "reason"] == "several clouds: value not attributable"
    assert got.loc["E3", "reason"] == "no cloud supplier named"
    assert got.loc["E4", "supplier"] == "Microsoft" and got.loc["E4", "counted"]
    assert got.loc["E7", "supplier"] == "Microsoft"  # a chip maker is not a cloud supplier


def test_commitments_can_be_left_out_by_id_or_by_status():
    ev = events([
        ("E1", "2025-01-01", "OpenAI;Oracle", "compute_deal", 300, "reported"),
        ("E2", "2025-02-01", "Anthropic;Google", "compute_deal", 200, "media_report"),
    ])
    got = alliances.compute_commitments(ev, exclude=["E1"], include_media_reports=False).set_index("event_id")
    assert got["reason"].to_dict() == {"E1": "left out by parameter", "E2": "media report left out"}
    assert not got["counted"].any()
    assert alliances.compute_commitments(ev)["counted"].all()


def test_an_event_without_parties_is_named_in_the_error():
    ev = events([("E9", "2025-01-01", " ; ", "compute_deal", 1, "reported")])
    with pytest.raises(ValueError, match="E9"):
        alliances.compute_commitments(ev)


# --- funding -----------------------------------------------------------------------------------------------

def test_a_round_goes_to_its_investor_only_when_it_is_the_sole_investor():
    f = funding([
        ("OpenAI", "2019-07-22", "Microsoft investment", 1, "Microsoft", "Microsoft", "single", "reported"),
        ("OpenAI", "2025-03-31", "SoftBank-led round", 40, "SoftBank (lead); Microsoft", "SoftBank", "single", "reported"),
        ("OpenAI", "2025-10-02", "Secondary tender (employees)", 6.6, "Thrive", "SoftBank", "single", "reported"),
    ])
    got = alliances.funding_by_investor(f)
    assert got[["investor", "amount_usd_billion"]].values.tolist() == [["Microsoft", 1.0], ["other investors", 40.0]]


def test_conflicting_figures_are_never_averaged():
    f = funding([
        ("Anthropic", "2023-02-01", "Google investment", 0.4, "Google", "Google", "single", "media_report"),
        ("Anthropic", "2023-02-01", "Google investment (alternate)", 0.55, "Google", "Google", "single", "reported"),
    ])
    assert alliances.funding_by_investor(f, "lower")["amount_usd_billion"].tolist() == [0.4]
    assert alliances.funding_by_investor(f, "higher")["amount_usd_billion"].tolist() == [0.55]
    assert alliances.funding_by_investor(f, "lower", include_media_reports=False)["amount_usd_billion"].tolist() == [0.55]
    with pytest.raises(ValueError, match="funding_conflict"):
        alliances.funding_by_investor(f, "mean")


def test_an_announced_round_is_replaced_by_its_closing_and_keeps_its_components():
    f = funding([
        ("OpenAI", "2026-02-27", "Round announced (aggregate)", 110, "Amazon, SoftBank, Nvidia", "Amazon;Nvidia;SoftBank", "aggregate", "reported"),
        ("OpenAI", "2026-02-27", "Component - Amazon", 50, "Amazon", "Amazon", "component", "reported"),
        ("OpenAI", "2026-02-27", "Component - Nvidia", 30, "Nvidia", "Nvidia", "component", "reported"),
        ("OpenAI", "2026-02-27", "Component - SoftBank", 30, "SoftBank", "SoftBank", "component", "reported"),
        ("OpenAI", "2026-03-31", "Round closed", 122, "many", "Amazon;Microsoft;Nvidia;SoftBank", "single", "reported"),
    ])
    got = alliances.funding_by_investor(f)
    assert got["amount_usd_billion"].sum() == pytest.approx(122)  # not 110 + 122
    assert got.groupby("investor")["amount_usd_billion"].sum().to_dict() == {
        "Amazon": 50, "Nvidia": 30, "SoftBank": 30, "other investors": pytest.approx(12)}


def test_an_aggregate_without_closing_counts_once():
    f = funding([
        ("OpenAI", "2026-02-27", "Round (aggregate)", 100, "A, B", "Amazon;Nvidia", "aggregate", "reported"),
        ("OpenAI", "2026-02-27", "Component - Amazon", 60, "Amazon", "Amazon", "component", "reported"),
    ])
    got = alliances.funding_by_investor(f).groupby("investor")["amount_usd_billion"].sum().to_dict()
    assert got == {"Amazon": 60, "other investors": 40}


# --- concentration -----------------------------------------------------------------------------------------

def test_hhi_known_values_and_empty():
    assert alliances.hhi(pd.Series([5.0])) == 10_000
    assert alliances.hhi(pd.Series([1.0, 1.0])) == pytest.approx(5_000)
    assert alliances.hhi(pd.Series([3.0, 1.0, 0.0])) == pytest.approx(75 ** 2 + 25 ** 2)
    assert math.isnan(alliances.hhi(pd.Series([], dtype=float)))


def test_concentration_is_cumulative_and_missing_before_the_first_item():
    items = pd.DataFrame({
        "lab": ["OpenAI", "OpenAI", "OpenAI"],
        "date": pd.to_datetime(["2025-01-01", "2025-06-01", "2025-09-01"]),
        "supplier": ["Oracle", "Microsoft", "Amazon"],
        "value_usd_billion": [100.0, 300.0, 100.0],
    })
    got = alliances.concentration(items, "supplier", "value_usd_billion",
                                  pd.to_datetime(["2024-12-31", "2025-01-01", "2025-09-01"]))
    assert list(got["date"]) == list(pd.to_datetime(["2025-01-01", "2025-09-01"]))  # nothing before: no row
    first, last = got.iloc[0], got.iloc[1]
    assert first["partner_share_percent"] == 0 and first["hhi"] == 10_000 and first["largest"] == "Oracle"
    assert last["total_usd_billion"] == 500 and last["partner_share_percent"] == pytest.approx(60)
    assert last["hhi"] == pytest.approx(20 ** 2 + 60 ** 2 + 20 ** 2)
    assert "Anthropic" not in set(got["lab"])  # nothing at all: no row, not zero


def test_a_partner_without_a_valued_commitment_leaves_share_and_index_missing_with_the_reason():
    """Compute: the partner's supply without a stated value is unknown, not a share of zero."""
    items = pd.DataFrame({"lab": ["OpenAI", "OpenAI"], "date": pd.to_datetime(["2025-01-01", "2025-06-01"]),
                          "supplier": ["Oracle", "Microsoft"], "value_usd_billion": [100.0, 300.0]})
    dates = pd.to_datetime(["2025-01-01", "2025-06-01"])
    got = alliances.concentration(items, "supplier", "value_usd_billion", dates, partner_required=True)
    first, last = got.iloc[0], got.iloc[1]
    assert math.isnan(first["partner_share_percent"]) and math.isnan(first["hhi"])
    assert first["note"] == "no Microsoft commitment with a stated value by then"
    assert last["partner_share_percent"] == pytest.approx(75) and last["note"] == ""
    plain = alliances.concentration(items, "supplier", "value_usd_billion", dates)
    assert plain.iloc[0]["partner_share_percent"] == 0 and plain.iloc[0]["hhi"] == 10_000  # funding: a true zero


def test_standing_gives_each_lab_at_each_moment_with_named_key_results_and_reasons():
    items = pd.DataFrame({"lab": ["OpenAI", "OpenAI"], "date": pd.to_datetime(["2025-01-01", "2025-10-01"]),
                          "supplier": ["Oracle", "Microsoft"], "value_usd_billion": [100.0, 300.0]})
    moments = {alliances.ARTICLE: pd.Timestamp("2025-09-19"), alliances.DATA_END: pd.Timestamp("2026-01-01")}
    compute = alliances.concentration(items, "supplier", "value_usd_billion", [*items["date"], *moments.values()],
                                      partner_required=True)
    f = funding([
        ("OpenAI", "2019-07-22", "Microsoft investment", 1, "Microsoft", "Microsoft", "single", "reported"),
        ("OpenAI", "2025-10-01", "Nvidia letter of intent (up to)", 9, "Nvidia", "Nvidia", "single", "reported"),
        ("Anthropic", "2025-10-01", "Amazon investment", 2, "Amazon", "Amazon", "single", "reported"),
        ("Anthropic", "2025-10-02", "Series X", 6, "Fund (lead)", "Amazon", "single", "reported"),
    ])
    shares = alliances.funding_shares(f, {alliances.ARTICLE: moments[alliances.ARTICLE], alliances.DATA_END: None})
    table = alliances.standing(compute, shares, moments).set_index(["lab", "when"])
    assert table.loc[("OpenAI", "data end"), "compute_share_percent"] == pytest.approx(75)
    assert table.loc[("OpenAI", "data end"), "funding_share_percent"] == 100  # the letter of intent is a ceiling
    assert table.loc[("OpenAI", "data end"), "pledged_funding_share_percent"] == pytest.approx(10)
    assert math.isnan(table.loc[("Anthropic", "article"), "funding_share_percent"])  # nothing dated by then
    assert table.loc[("Anthropic", "data end"), "undisclosed_parts"] == 1  # named in the Series X without an amount
    results = alliances.standing_results(table.reset_index(), shared=True)
    assert results["microsoft_share_of_openai_compute_commitments_percent"] == (75.0, "")
    assert results["microsoft_share_of_openai_compute_commitments_percent_at_article_date"] == (
        None, "no Microsoft commitment with a stated value by then")
    assert results["anthropic_compute_hhi"] == (None, alliances.NO_COMMITMENT)
    assert results["microsoft_share_of_openai_funding_percent"] == (100.0, "")
    assert results["microsoft_share_of_openai_pledged_funding_percent"] == (10.0, "")
    assert results["amazon_share_of_anthropic_funding_percent_at_article_date"] == (None, alliances.NO_FUNDING)
    assert results["amazon_share_of_anthropic_funding_percent"] == (25.0, "")
    other = alliances.standing_results(table.reset_index(), shared=False)
    assert "microsoft_share_of_openai_funding_percent" not in other
    assert "microsoft_share_of_openai_pledged_funding_percent_at_article_date" in other


def test_the_shared_counting_is_the_rules_default():
    """A run counts funding as the shared quantity only with count_funding's own defaults."""
    import inspect

    defaults = inspect.signature(rules.count_funding).parameters
    assert alliances.SHARED_COUNTING == {k: defaults[k].default for k in alliances.SHARED_COUNTING}
    assert alliances.counts_as_shared("lower", True)
    assert not alliances.counts_as_shared("higher", True) and not alliances.counts_as_shared("lower", False)


# --- graph -------------------------------------------------------------------------------------------------

def test_graph_links_labs_to_each_party_and_types_the_edges():
    ev = events([
        ("E1", "2023-01-01", "Microsoft;OpenAI", "investment", 10, "reported"),
        ("E2", "2025-01-01", "OpenAI;SoftBank;Oracle", "compute_deal", 500, "reported"),
        ("E3", "2025-11-18", "Microsoft;Nvidia;Anthropic", "investment", 15, "reported"),
        ("E4", "2026-01-01", "Microsoft;OpenAI", "exclusivity_change", None, "reported"),
    ])
    g = alliances.alliance_graph(ev, until="2025-12-31")
    assert sorted(g.nodes) == ["Anthropic", "Microsoft", "Nvidia", "OpenAI", "Oracle", "SoftBank"]
    assert g.nodes["Nvidia"]["role"] == "chips" and g.nodes["SoftBank"]["role"] == "investor"
    assert not g.has_edge("Oracle", "SoftBank")  # parties are linked through the lab, not to each other
    assert g.edges["Microsoft", "OpenAI", "investment"]["value_usd_billion"] == 10
    assert g.edges["OpenAI", "Oracle", "compute_deal"]["value_usd_billion"] == 500  # one cloud: attributable
    assert g.edges["OpenAI", "SoftBank", "compute_deal"]["value_usd_billion"] == 0
    assert g.edges["Anthropic", "Microsoft", "investment"]["value_usd_billion"] == 0  # 15 shared: not split
    assert not g.has_edge("Microsoft", "OpenAI", "exclusivity_change")  # after `until`
    later = alliances.alliance_graph(ev, exclude=["E2"])
    assert later.has_edge("Microsoft", "OpenAI", "exclusivity_change")
    assert later.edges["OpenAI", "Oracle", "compute_deal"]["value_usd_billion"] == 0
    table = alliances.edge_table(later)
    assert table[["party_a", "party_b", "event_type"]].values.tolist() == sorted(
        table[["party_a", "party_b", "event_type"]].values.tolist())


def test_graph_of_an_event_without_a_lab_links_all_parties_and_unknown_parties_are_other():
    g = alliances.alliance_graph(events([("E1", "2025-01-01", "Nvidia;Acme", "chip_deal", 5, "reported")]))
    assert g.has_edge("Acme", "Nvidia", "chip_deal") and g.nodes["Acme"]["role"] == "other"


def test_layout_is_fixed_and_puts_labs_inside():
    ev = kit.load("alliance_events")
    g = alliances.alliance_graph(ev)
    pos = alliances.layout(g)
    assert pos == alliances.layout(alliances.alliance_graph(ev.sample(frac=1, random_state=1)))
    radius = {n: math.hypot(*xy) for n, xy in pos.items()}
    assert max(radius[n] for n in alliances.LABS) < min(r for n, r in radius.items() if alliances.role(n) == "cloud")


# --- since the article -------------------------------------------------------------------------------------

def test_events_by_period_counts_every_type_including_zero():
    ev = events([("E1", "2025-01-01", "A;OpenAI", "investment", 1, "reported"),
                 ("E2", "2025-10-01", "A;OpenAI", "investment", 1, "reported"),
                 ("E3", "2025-09-19", "A;OpenAI", "chip_deal", 1, "reported")])
    got = alliances.events_by_period(ev, "2025-09-19").set_index("event_type")
    assert list(got.index) == EVENT_TYPES
    assert got["after"].to_dict() == {t: (1 if t == "investment" else 0) for t in EVENT_TYPES}
    assert got.loc["chip_deal", "up_to"] == 1 and got.loc["investment", "up_to"] == 1  # the article's day is "up to"


def test_pair_events_cross_investments_and_loosening():
    ev = events([
        ("E1", "2025-01-01", "Microsoft;OpenAI", "exclusivity_change", None, "reported"),  # before: left out
        ("E2", "2025-10-28", "Microsoft;OpenAI", "restructuring", 250, "reported"),
        ("E3", "2026-02-27", "Amazon;OpenAI", "investment", 50, "reported"),
        ("E4", "2026-04-27", "Microsoft;OpenAI", "exclusivity_change", None, "reported"),
        ("E5", "2026-05-28", "Anthropic;Amazon;Google;Microsoft;Nvidia", "investment", 65, "reported"),
        ("E6", "2026-05-01", "Anthropic;Nvidia", "investment", 10, "reported"),  # a chip maker is not a rival cloud
        ("E7", "2026-06-01", "Amazon;Anthropic", "compute_deal", None, "reported"),
    ])
    pairs = alliances.pair_events(ev, "2025-09-19")
    assert pairs[["alliance", "event_id"]].values.tolist() == [
        ["Amazon-Anthropic", "E5"], ["Amazon-Anthropic", "E7"],
        ["Microsoft-OpenAI", "E2"], ["Microsoft-OpenAI", "E4"]]
    cross = alliances.cross_investments(ev, "2025-09-19")
    assert cross[["lab", "event_id", "rivals"]].values.tolist() == [
        ["Anthropic", "E5", "Google; Microsoft"], ["OpenAI", "E3", "Amazon"]]
    summary = alliances.loosening(pairs, cross).set_index("lab")
    assert summary.loc["OpenAI", ["exclusivity_changes", "restructurings", "cross_investments"]].tolist() == [1, 1, 1]
    assert summary.loc["Anthropic", ["pair_events", "exclusivity_changes", "cross_investments"]].tolist() == [2, 0, 1]
    assert summary.loc["Anthropic", "rival_investors"] == "Google, Microsoft"
    none = alliances.loosening(pairs.iloc[:0], cross.iloc[:0]).set_index("lab")
    assert none["cross_investments"].tolist() == [0, 0] and none["rival_investors"].tolist() == ["", ""]


def test_lab_ties_count_the_events_behind_each_tie_of_a_lab():
    ev = events([("E1", "2025-01-01", "Microsoft;OpenAI", "investment", 1, "reported"),
                 ("E2", "2025-11-01", "Microsoft;OpenAI", "compute_deal", 250, "reported"),
                 ("E3", "2025-11-02", "Nvidia;Acme", "chip_deal", 1, "reported")])
    graphs = {"then": alliances.alliance_graph(ev, "2025-09-19"), "now": alliances.alliance_graph(ev)}
    assert alliances.lab_ties(graphs).values.tolist() == [["Microsoft", "OpenAI", 1, 2]]  # no lab: no tie shown


def test_a_verdict_is_open_until_its_evidence_is_published():
    exp = pd.DataFrame({"expectation_id": ["X02", "X01"], "verdict": ["held", "not_held"],
                        "verdict_reason": ["r2", "r1"], "evidence_source_id": ["s1", "s2"],
                        "evidence_date": pd.to_datetime(["2025-10-28", "2026-02-27"])})
    src = pd.DataFrame({"published": pd.to_datetime(["2025-11-01", None])}, index=["s1", "s2"])
    assert alliances.judge(exp, src)["verdict"].tolist() == ["not_held", "held"]
    early = alliances.judge(exp, src, "2025-10-30")  # s1 published later than its event
    assert early["verdict"].tolist() == ["open", "open"]
    assert alliances.judge(exp, src, "2025-12-31")["verdict"].tolist() == ["open", "held"]  # s2 undated: event date
    assert alliances.verdict_counts(early) == {"held": 0, "partly_held": 0, "not_held": 0, "open": 2}
    assert early["verdict_reason"].tolist() == ["open: its evidence was not yet published on 2025-10-30"] * 2


def test_a_verdict_on_evidence_graded_below_min_grade_is_open_and_says_why():
    exp = pd.DataFrame({"expectation_id": ["X01", "X02"], "partnership": ["Microsoft-OpenAI", "both"],
                        "verdict": ["held", "not_held"], "verdict_reason": ["because", "because"],
                        "evidence_source_id": ["good", "blog"], "evidence_date": pd.to_datetime(["2025-10-28"] * 2)})
    src = pd.DataFrame({"published": pd.to_datetime(["2025-10-28", "2025-10-28"]), "quality": ["reputable", "weak"]},
                       index=["good", "blog"])
    everything = alliances.judge(exp, src)
    assert everything["verdict"].tolist() == ["held", "not_held"]
    assert everything["evidence_grade"].tolist() == ["reputable", "weak"]
    firm = alliances.judge(exp, src, min_grade="reputable")
    assert firm["verdict"].tolist() == ["held", "open"]
    assert firm["verdict_reason"].tolist() == ["because", "open: its evidence is graded below reputable"]
    tally = alliances.verdict_tally(firm)
    assert list(tally.columns) == list(alliances.VERDICTS)
    assert tally.loc["both"].tolist() == [0, 0, 0, 1] and tally.loc["Amazon-Anthropic"].sum() == 0


# --- scenarios ---------------------------------------------------------------------------------------------

def test_shift_effect_arithmetic_and_bad_input():
    spend = pd.DataFrame({"lab": ["OpenAI"], "partner": ["Microsoft"], "year": [2025], "spend_usd_billion": [13.0],
                          "status": ["estimate"], "source_id": ["s"]})
    revenue = {"Microsoft": 75.0, "Amazon": 130.0, "Google": 65.0}
    got = alliances.shift_effect(spend, revenue, {"OpenAI": 0.5}, {"OpenAI": "Amazon"}).iloc[0]
    assert got["moved_usd_billion"] == 6.5
    assert got["partner_change_percent"] == pytest.approx(-100 * 6.5 / 75)
    assert got["to_change_percent"] == pytest.approx(5.0)
    both = alliances.shift_effect(pd.concat([spend, spend.assign(year=2024, spend_usd_billion=3.7)]), revenue,
                                  {"OpenAI": 0.25}, {"OpenAI": "Amazon"})
    assert alliances.shift_range(both, "OpenAI") == (-4.3, -1.2)  # largest figure first, never averaged
    assert alliances.shift_range(both, "Anthropic") == (None, None)
    bars = alliances.shift_bars(both)
    assert len(bars) == 4 and set(bars["cloud"]) == {"Microsoft", "Amazon"}
    assert bars["figure"].iloc[0] == "OpenAI 2025: $13B (estimate)"
    assert alliances.shift_effect(spend, revenue, {"OpenAI": 0.0}, {"OpenAI": "Google"}).iloc[0]["moved_usd_billion"] == 0
    with pytest.raises(ValueError, match="between 0 and 1"):
        alliances.shift_effect(spend, revenue, {"OpenAI": 1.5}, {"OpenAI": "Amazon"})
    with pytest.raises(ValueError, match="own partner"):
        alliances.shift_effect(spend, revenue, {"OpenAI": 0.5}, {"OpenAI": "Microsoft"})
    with pytest.raises(ValueError, match="Oracle"):
        alliances.shift_effect(spend, revenue, {"OpenAI": 0.5}, {"OpenAI": "Oracle"})


def test_annual_revenue_prefers_four_recent_quarters_else_the_fiscal_year():
    cr = pd.DataFrame({
        "segment": ["aws"] * 4 + ["azure", "azure"],
        "period_type": ["quarter"] * 4 + ["fiscal_year", "quarter"],
        "fiscal_period": ["Q2", "Q3", "Q4", "Q1", "FY2025", "FY26 Q1"],
        "period_end": pd.to_datetime(["2025-06-30", "2025-09-30", "2025-12-31", "2026-03-31", "2025-06-30", "2025-09-30"]),
        "revenue_usd_billion": [30.9, 33.0, 35.6, 37.6, 75.0, None],
        "source_id": list("abcdef"),
    })
    assert alliances.annual_revenue(cr, "Amazon")["revenue_usd_billion"].sum() == pytest.approx(137.1)
    assert alliances.annual_revenue(cr, "Microsoft")["revenue_usd_billion"].tolist() == [75.0]
    assert alliances.annual_revenue(cr.iloc[1:], "Amazon").empty  # three quarters, no fiscal year: nothing
    with pytest.raises(ValueError, match="Oracle"):
        alliances.annual_revenue(cr, "Oracle")
    table = alliances.revenue_table({"Amazon": alliances.annual_revenue(cr, "Amazon"),
                                     "Microsoft": alliances.annual_revenue(cr, "Microsoft"),
                                     "Google": alliances.annual_revenue(cr, "Google")}).set_index("cloud")
    assert list(table.index) == ["Amazon", "Microsoft"]  # no rows: left out
    assert table.loc["Amazon", "period"] == "Q2 to Q1" and table.loc["Amazon", "source_id"] == "a; b; c; d"
    assert table.loc["Microsoft", "period"] == "FY2025" and table.loc["Microsoft", "revenue_usd_billion"] == 75


# --- the shipped data --------------------------------------------------------------------------------------

def test_shipped_expectations_quote_the_article_and_cite_resolving_evidence():
    exp = kit.load("article_expectations")
    text = (ROOT / "data" / "seed_article_de.txt").read_text(encoding="utf-8")
    ev = kit.load("alliance_events").set_index("event_id")
    src = kit.sources()
    assert (exp["source_id"] == "seed_article").all()
    for row in exp.itertuples():
        assert row.quote_de in text, row.expectation_id
        assert row.evidence_source_id in src.index, row.expectation_id
        assert row.evidence_event_id in ev.index, row.expectation_id
        assert str(ev.loc[row.evidence_event_id, "status"]) == str(row.evidence_status), row.expectation_id
        assert row.evidence_date >= src.loc["seed_article", "published"], row.expectation_id


def test_shipped_data_gives_the_article_pairs_as_counted_commitments_and_funding():
    ev = kit.load("alliance_events")
    counted = alliances.compute_commitments(ev, ["E022", "E029"]).query("counted")
    by_supplier = counted.groupby(["lab", "supplier"])["value_usd_billion"].sum()
    assert by_supplier[("OpenAI", "Microsoft")] == 250  # the October 2025 Azure commitment
    assert by_supplier[("OpenAI", "CoreWeave")] == pytest.approx(22.4)  # 11.9 + 4 + 6.5, as its source totals
    money = alliances.funding_by_investor(kit.load("funding"))
    assert money.query("lab == 'OpenAI' and investor == 'Microsoft'")["amount_usd_billion"].sum() == 13  # seed: $13B
    assert money.query("lab == 'Anthropic' and investor == 'Amazon' and date <= '2025-09-30'")[
        "amount_usd_billion"].sum() == 8  # seed: at least $8B


def test_partner_shares_are_the_shared_quantities_with_and_without_ceilings():
    """funding_shares is rules.investor_share on rules.count_funding, as partnership_value computes it:
    without ceilings the shared quantity, with them (pledged) what the concentration chart plots."""
    f = kit.load("funding")
    pairs = {partner: lab for lab, partner in alliances.MAIN_PARTNER.items()}
    shares = alliances.funding_shares(f, {alliances.DATA_END: None}).set_index("lab")
    for up_to, column in ((False, "share_percent"), (True, "pledged_share_percent")):
        rule = rules.investor_share(rules.count_funding(f, include_up_to=up_to), pairs).set_index("company")
        conc = alliances.concentration(alliances.funding_by_investor(f, include_up_to=up_to), "investor",
                                       "amount_usd_billion", [f["date"].max()]).set_index("lab")
        for lab in alliances.LABS:
            assert shares.at[lab, column] == pytest.approx(rule.at[lab, "share_percent"])
            assert conc.at[lab, "partner_share_percent"] == pytest.approx(rule.at[lab, "share_percent"])
    assert shares.at["OpenAI", "pledged_share_percent"] < shares.at["OpenAI", "share_percent"]  # Nvidia's $100B LOI
    assert round(shares.at["OpenAI", "share_percent"], 1) == 7.2 and round(shares.at["Anthropic", "share_percent"], 1) == 6.5


def test_shares_at_the_article_date_count_the_rounds_dated_up_to_it():
    f = kit.load("funding")
    article = pd.Timestamp("2025-09-19")
    then = alliances.funding_shares(f, {alliances.ARTICLE: article}).set_index("lab")
    pairs = {partner: lab for lab, partner in alliances.MAIN_PARTNER.items()}
    rule = rules.investor_share(rules.count_funding(f[f["date"] <= article]), pairs).set_index("company")
    assert then.at["OpenAI", "share_percent"] == pytest.approx(rule.at["OpenAI", "share_percent"])
    assert round(then.at["OpenAI", "share_percent"], 1) == 21.8 and round(then.at["Anthropic", "share_percent"], 1) == 28.6


def test_a_verdict_with_an_undated_source_and_no_evidence_date_stays_open_under_as_of():
    exp = pd.DataFrame({"expectation_id": ["X01"], "verdict": ["held"], "verdict_reason": ["r"], "evidence_source_id": ["s"],
                        "evidence_date": pd.to_datetime([None])})
    src = pd.DataFrame({"published": pd.to_datetime([None])}, index=["s"])
    assert alliances.judge(exp, src, "2030-01-01")[["verdict", "verdict_reason"]].values.tolist() == [
        ["open", "open: its evidence is undated"]]
    assert alliances.judge(exp, src)["verdict"].tolist() == ["held"]
