"""kit.datasets, kit.load, kit.citations on the shipped data."""
from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

import kit
from kit import schema
from kit.paths import data_dir

TABLES = [r["name"] for r in schema.read_package(data_dir())["resources"]]


def test_datasets_lists_every_table_with_a_description():
    table = kit.datasets()
    assert list(table.index) == TABLES
    assert (table["description"].str.len() > 20).all()
    assert (table["rows"] > 0).all()


@pytest.mark.parametrize("name", [t for t in TABLES if t != "sources"])
def test_every_row_resolves_to_a_source_with_a_url(name):
    frame = kit.load(name)
    cited = kit.citations(frame)
    assert set(frame["source_id"]) == set(cited.index)
    assert cited["url"].str.len().gt(0).all()
    assert cited["publisher"].str.len().gt(0).all()


def test_seed_article_is_a_source_and_ships_with_the_data():
    seed = kit.sources().loc["seed_article"]
    assert seed["kind"] == "seed_article"
    assert seed["url"].startswith("https://")
    text = (data_dir() / "seed_article_de.txt").read_text(encoding="utf-8")
    assert text.startswith(seed["title"])


def test_types():
    frame = kit.load("cloud_revenue")
    assert frame["period_end"].dtype.kind == "M"
    assert frame["revenue_usd_billion"].dtype == "float64"
    assert isinstance(frame["segment"].dtype, pd.CategoricalDtype)


def test_as_of_keeps_only_what_was_known():
    full = kit.load("funding")
    then = kit.load("funding", as_of="2025-09-30")
    assert 0 < len(then) < len(full)
    assert then["date"].max() <= pd.Timestamp("2025-09-30")
    assert then.attrs["as_of"] == "2025-09-30"


def test_as_of_uses_the_reporting_lag_for_undated_sources():
    frame = kit.load("cloud_revenue", as_of="2025-10-10")
    # calendar Q3 2025 results were published at the end of October 2025
    assert not (frame["period_end"] == pd.Timestamp("2025-09-30")).any()
    assert (frame["period_end"] == pd.Timestamp("2025-06-30")).any()


def test_conflicting_sources_are_kept_side_by_side():
    frame = kit.load("funding")
    google_2023 = frame[(frame["company"] == "Anthropic") & (frame["date"] == "2023-02-01")]
    assert sorted(google_2023["amount_usd_billion"]) == [0.4, 0.55]


def test_estimates_and_media_reports_are_flagged():
    for name in ["funding", "revenue_runrate", "metrics"]:
        statuses = set(kit.load(name)["status"].astype(str))
        assert statuses & {"media_report", "estimate"}, name


def test_citations_need_the_source_id_column():
    with pytest.raises(KeyError, match="source_id"):
        kit.citations(kit.load("funding").drop(columns="source_id"))


def test_import_kit_does_not_import_plotting():
    code = "import sys, kit; kit.load('funding'); print('matplotlib' in sys.modules or 'seaborn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_data_end_leaves_out_forward_looking_rows():
    """A 2030 target in the metrics table does not make its data run to 2030."""
    metrics = kit.load("metrics")
    assert metrics["period_end"].max() >= pd.Timestamp("2030-01-01")
    assert metrics.attrs["data_end"] <= max(str(d.date()) for d in kit.sources()["published"].dropna())
    assert int(metrics.attrs["forward_looking_rows"]) == (metrics["period_end"] > kit.sources()["published"].max()).sum()
    then = kit.load("metrics", as_of="2025-09-19")
    assert then.attrs["data_end"] <= "2025-09-19"
    # events are never forward-looking: their data end is the latest event
    events = kit.load("alliance_events")
    assert events.attrs["data_end"] == str(events["date"].max().date())
    assert "forward_looking_rows" not in events.attrs


def test_capex_rows_match_the_companies_filings():
    """Alphabet's 2021 capex is the 10-K's $24.6 bn (an aggregator listed its 2022 figure); Microsoft's annual
    capex rows are fiscal years, ending 30 June, not calendar years."""
    capex = kit.load("metrics").query("metric == 'capex'")
    alphabet = capex[capex["entity"] == "Alphabet"].set_index("period")["value"]
    assert (alphabet["2020"], alphabet["2021"]) == (22.3, 24.6)
    microsoft = capex[(capex["entity"] == "Microsoft") & capex["period_end"].notna()]
    annual = microsoft[~microsoft["period"].str.contains("Q")]
    assert len(annual) >= 4
    assert annual["period"].str.startswith("FY").all(), annual["period"].tolist()
    assert ((annual["period_end"].dt.month == 6) & (annual["period_end"].dt.day == 30)).all()
    fiscal = annual.set_index(annual["period_end"].dt.year)["value"]
    assert fiscal[2021] < fiscal[2022] < fiscal[2023] == 28.107


def test_data_readme_measured_section_is_current():
    """data/README.md's measured part is what scripts/data_summary.py prints for the shipped data."""
    root = data_dir().parent
    printed = subprocess.run([sys.executable, str(root / "scripts" / "data_summary.py")], capture_output=True,
                             text=True, check=True).stdout
    expected = "\n".join("#" + line if line.startswith("## ") else line for line in printed.splitlines())
    readme = (data_dir() / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Measured"):]
    measured = section[section.index("\n### "):]
    assert measured.strip() == expected.strip(), "regenerate with scripts/data_summary.py"


def test_funding_new_money_counts_each_dollar_once():
    """Summing the funding table's new money (every row but components) counts each round once: a round's
    components and a superseded announcement are components of the row that holds the whole round."""
    funding = kit.load("funding")
    kind = funding["row_kind"].astype(str)
    new_money = funding[kind != "component"]

    def counted(company: str, first: str, last: str) -> float:
        rows = new_money[(new_money["company"] == company) & new_money["date"].between(first, last)]
        return float(rows["amount_usd_billion"].sum())

    # OpenAI's 2026 round: announced at $110B (2026-02-27), closed at $122B (2026-03-31)
    assert counted("OpenAI", "2026-02-01", "2026-04-30") == 122
    # OpenAI's October 2024 round and its Microsoft part
    assert counted("OpenAI", "2024-10-01", "2024-10-31") == pytest.approx(6.6)
    # every component belongs to one aggregate of its company, dated on or up to 90 days after it,
    # and the single-investor components of an aggregate add up to no more than it
    aggregates = funding[kind == "aggregate"]
    for row in funding[kind == "component"].itertuples():
        home = aggregates[(aggregates["company"] == row.company) & (aggregates["date"] >= row.date - pd.Timedelta(days=31))
                          & (aggregates["date"] <= row.date + pd.Timedelta(days=90))]
        assert len(home) == 1, f"component {row.round} ({row.date.date()}) has {len(home)} aggregates"
    for agg in aggregates.itertuples():
        parts = funding[(kind == "component") & (funding["company"] == agg.company)
                        & funding["date"].between(agg.date - pd.Timedelta(days=90), agg.date + pd.Timedelta(days=31))
                        & ~funding["investor_of_interest"].fillna("").str.contains(";")]
        assert parts["amount_usd_billion"].sum() <= agg.amount_usd_billion, agg.round


@pytest.mark.parametrize("event_id, lab, cloud, value, term", [
    ("E028", "OpenAI", "Microsoft", 250, "no term stated"),  # incremental Azure commitment, October 2025
    ("E030", "OpenAI", "Amazon", 38, "seven-year"),
    ("E036", "OpenAI", "Amazon", 100, "over the next eight years"),
    ("E033", "Anthropic", "Microsoft", 30, "no term stated"),
    ("E042", "Anthropic", "Amazon", 100, "over the next ten years"),
    ("E048", "Anthropic", "Google", 200, "over five years"),
])
def test_labs_compute_commitments_to_clouds_carry_amount_and_term_as_stated(event_id, lab, cloud, value, term):
    """What each lab brings its cloud: the stated commitment, its amount, and its term in the source's words."""
    events = kit.load("alliance_events").set_index("event_id")
    event = events.loc[event_id]
    assert {lab, cloud} <= set(str(event["parties"]).split(";"))
    assert event["value_usd_billion"] == value
    assert term in event["description"]
    assert kit.sources().loc[event["source_id"], "url"].startswith("http")


def test_a_table_is_checked_once_while_its_files_stay_the_same_and_again_when_they_change(data_copy):
    from kit import data
    from tests.conftest import edit_csv

    first = kit.load("funding", data_dir=data_copy)
    first.loc[0, "amount_usd_billion"] = -1.0  # a caller changing its frame changes no later load
    again = kit.load("funding", data_dir=data_copy)
    assert again.loc[0, "amount_usd_billion"] != -1.0
    cached = len(data._CHECKED)
    edit_csv(data_copy / "funding.csv", 2, "amount_usd_billion", "0.123")
    assert kit.load("funding", data_dir=data_copy).loc[0, "amount_usd_billion"] == 0.123
    assert len(data._CHECKED) == cached + 1
    edit_csv(data_copy / "funding.csv", 2, "amount_usd_billion", "abc")
    with pytest.raises(kit.DataError, match="funding.csv, line 2"):
        kit.load("funding", data_dir=data_copy)
