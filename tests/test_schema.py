"""kit.schema and kit.load reject broken data with file, line and column."""
from __future__ import annotations

import shutil

import pytest

import kit
from kit import schema
from tests.conftest import edit_csv


def test_shipped_package_has_no_problems():
    from kit.paths import data_dir

    assert schema.check_package(data_dir()) == []


@pytest.mark.parametrize(
    "table, column, value, message",
    [
        ("cloud_revenue.csv", "revenue_usd_billion", "30,9", "'30,9' is not a valid number"),
        ("cloud_revenue.csv", "period_end", "2025-13-30", "'2025-13-30' is not a valid date"),
        ("cloud_revenue.csv", "period_end", "30.06.2025", "'30.06.2025' is not a valid date"),
        ("funding.csv", "company", "", "missing required value"),
        ("metrics.csv", "unit", "usd_million", "'usd_million' not allowed"),
        ("market_share.csv", "source_id", "nowhere-000000", "unknown source_id 'nowhere-000000'"),
        ("market_share.csv", "share_percent", "130", "130 is above the maximum 100"),
    ],
)
def test_broken_cell_is_named(data_copy, table, column, value, message):
    edit_csv(data_copy / table, 2, column, value)
    name = table.removesuffix(".csv")
    with pytest.raises(kit.DataError) as err:
        kit.load(name, data_dir=data_copy)
    text = str(err.value)
    assert f"{table}, line 2, column {column!r}: {message}" in text
    assert any(p.file == table and p.line == 2 and p.column == column for p in err.value.problems)


def test_duplicate_key_is_named(data_copy):
    path = data_copy / "alliance_events.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines + [lines[1]]), encoding="utf-8")
    with pytest.raises(kit.DataError, match=rf"alliance_events.csv, line {len(lines) + 1}, column 'event_id': duplicate"):
        kit.load("alliance_events", data_dir=data_copy)


def test_ragged_row_is_named(data_copy):
    path = data_copy / "revenue_runrate.csv"
    with path.open("a", encoding="utf-8") as fh:
        fh.write("OpenAI,2026-01-01\n")
    n = len(path.read_text(encoding="utf-8").splitlines())
    with pytest.raises(kit.DataError, match=rf"revenue_runrate.csv, line {n}, column '': wrong number of cells"):
        kit.load("revenue_runrate", data_dir=data_copy)


def test_broken_sources_table_stops_every_load(data_copy):
    edit_csv(data_copy / "sources.csv", 3, "kind", "blog")
    with pytest.raises(kit.DataError, match=r"sources.csv, line 3, column 'kind': 'blog' not allowed"):
        kit.load("funding", data_dir=data_copy)


def test_missing_descriptor_is_named(tmp_path):
    with pytest.raises(kit.DataError, match="datapackage.json"):
        kit.load("funding", data_dir=tmp_path)


def test_unknown_table_lists_valid_names():
    with pytest.raises(KeyError, match="cloud_revenue"):
        kit.load("cloud_revenu")


def test_frictionless_agrees_on_a_broken_copy(data_copy):
    """The reference validator reads the same schema and finds the same bad cell."""
    from kit.cli import _frictionless

    edit_csv(data_copy / "funding.csv", 4, "amount_usd_billion", "ten")
    problems = _frictionless(data_copy)
    assert any(p.file == "funding.csv" and p.line == 4 and p.column == "amount_usd_billion" for p in problems)


def test_cli_validate_exit_codes(data_copy, capsys):
    from kit.cli import main

    assert main(["data", "validate", "--quick", "--data-dir", str(data_copy)]) == 0
    edit_csv(data_copy / "metrics.csv", 5, "value", "n/a")
    assert main(["data", "validate", "--quick", "--data-dir", str(data_copy)]) == 1
    assert "metrics.csv, line 5, column 'value'" in capsys.readouterr().err


def test_every_declared_foreign_key_is_checked(data_copy):
    """Not only source_id: a link to another table (an expectation's deciding event) must resolve too."""
    edit_csv(data_copy / "article_expectations.csv", 2, "evidence_event_id", "E999")
    with pytest.raises(kit.DataError, match=r"article_expectations.csv, line 2, column 'evidence_event_id': unknown evidence_event_id 'E999' \(not in alliance_events.csv\)"):
        kit.load("article_expectations", data_dir=data_copy)
