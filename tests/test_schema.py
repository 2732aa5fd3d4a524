"""kit.schema and kit.load reject broken data with file, line and column."""
from __future__ import annotations

import re
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


@pytest.mark.parametrize("value", ["inf", "-Infinity", "INF", "NaN", "1e400", "1_0", " 1", "0x10", "1,5"])
def test_numbers_are_finite_and_plainly_written(data_copy, value):
    edit_csv(data_copy / "funding.csv", 3, "amount_usd_billion", value)  # a field with minimum 0
    with pytest.raises(kit.DataError, match=rf"funding.csv, line 3, column 'amount_usd_billion': '{value}' is not "):
        kit.load("funding", data_dir=data_copy)


def test_integers_are_plainly_written(data_copy):
    edit_csv(data_copy / "claim_checks.csv", 2, "item", "1_0")
    with pytest.raises(kit.DataError, match=r"claim_checks.csv, line 2, column 'item': '1_0' is not a valid integer"):
        kit.load("claim_checks", data_dir=data_copy)


def test_a_schema_may_allow_infinite_numbers(data_copy):
    res = schema.resource(schema.read_package(data_copy), "metrics")
    edit_csv(data_copy / "metrics.csv", 2, "value", "-inf")
    assert [p.message for p in schema.check_table(data_copy, res)] == ["'-inf' is not a finite number"]
    field = next(f for f in res["schema"]["fields"] if f["name"] == "value")
    field["kit:infinite"] = True
    assert schema.check_table(data_copy, res) == []


def test_kit_data_validate_refuses_what_frictionless_would_accept(data_copy, capsys):
    """frictionless reads INF, NaN and 1_0 as numbers; the kit's own pass, run first, refuses them."""
    from kit.cli import main

    edit_csv(data_copy / "funding.csv", 3, "amount_usd_billion", "inf")
    assert main(["data", "validate", "--data-dir", str(data_copy)]) == 1
    assert "funding.csv, line 3, column 'amount_usd_billion': 'inf' is not a finite number" in capsys.readouterr().err


def test_a_file_that_is_not_utf8_is_named_with_line_and_column(data_copy, capsys):
    from kit.cli import main

    path = data_copy / "funding.csv"
    lines = path.read_bytes().split(b"\n")
    lines[4] = lines[4].replace(b"Anthropic", "Anthropic é".encode("latin-1"), 1)
    path.write_bytes(b"\n".join(lines))
    message = "funding.csv, line 5, column 'company': not valid UTF-8 (byte 0xe9); save the file as UTF-8"
    for call in (lambda: kit.load("funding", data_dir=data_copy), lambda: kit.datasets(data_copy)):
        with pytest.raises(kit.DataError, match=re.escape(message)):
            call()
    assert main(["data", "validate", "--data-dir", str(data_copy)]) == 1
    assert message in capsys.readouterr().err


def test_line_numbers_are_the_files_physical_lines(data_copy):
    path = data_copy / "funding.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    multi = lines[1].replace('"REPORTED;', '"REPORTED;\nsecond line of a quoted note;', 1)
    assert multi != lines[1]
    path.write_text(lines[0] + multi + "\n" + "".join(lines[2:]), encoding="utf-8")  # and a blank line
    edit = path.read_text(encoding="utf-8").splitlines(keepends=True)
    edit[4] = edit[4].replace(",0.55,", ",ten,", 1)  # the row after them, on physical line 5
    assert edit[4] != lines[2]
    path.write_text("".join(edit), encoding="utf-8")
    with pytest.raises(kit.DataError, match=r"funding.csv, line 5, column 'amount_usd_billion': 'ten'"):
        kit.load("funding", data_dir=data_copy)


def test_a_missing_sources_table_is_a_clear_error(data_copy, capsys):
    from kit.cli import main

    (data_copy / "sources.csv").unlink()
    with pytest.raises(kit.DataError, match=r"^invalid data:\nsources.csv: file not found$"):
        kit.load("funding", data_dir=data_copy)
    with pytest.raises(kit.DataError, match="sources.csv: file not found"):
        kit.datasets(data_copy)
    assert main(["data", "validate", "--data-dir", str(data_copy)]) == 1
    assert capsys.readouterr().err.splitlines() == ["sources.csv: file not found", f"1 problem(s) in {data_copy}"]
