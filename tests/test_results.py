"""kit.results: key results declared once, recorded with their labels, missing values with a reason."""
from __future__ import annotations

import math

import pytest

from kit import results
from kit.results import DECLARATIONS_MIMETYPE, MIMETYPE, declare, missing, read, read_declarations, record, summary


@pytest.fixture
def shown(monkeypatch):
    import IPython.display

    outputs = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **kwargs: outputs.append(obj))
    return outputs


def _notebook(*bundles):
    return {"cells": [{"cell_type": "code", "outputs": [{"output_type": "display_data", "data": b}]} for b in bundles]}


def test_record_refuses_an_undeclared_name(shown):
    with pytest.raises(KeyError, match="undeclared key result.*not_declared_anywhere.*kit.declare"):
        record(crossover_year=2031, not_declared_anywhere=1)
    assert shown == []


def test_record_shows_labels_and_formatted_values_and_keeps_plain_values_for_tools(shown):
    plain = record(crossover_year=2031, aws_ttm_revenue_usd_billion=137.1234567)
    assert plain == {"aws_ttm_revenue_usd_billion": 137.123457, "crossover_year": 2031}
    bundle = shown[0]
    assert bundle[MIMETYPE] == plain
    assert [i["name"] for i in bundle[DECLARATIONS_MIMETYPE]] == ["crossover_year", "aws_ttm_revenue_usd_billion"]
    assert "Year Azure&#39;s revenue passes AWS&#39;s (projection)" in bundle["text/html"]
    assert "$137.1 bn" in bundle["text/html"] and "$137.1 bn" in bundle["text/plain"]


def test_a_missing_value_is_null_for_tools_and_a_dash_with_its_reason_for_readers(shown):
    plain = record(crossover_year=None, share_gap_omdia_points=float("nan"),
                   aws_ttm_revenue_usd_billion=missing("AWS did not report this quarter"))
    assert plain == {"aws_ttm_revenue_usd_billion": None, "crossover_year": None, "share_gap_omdia_points": None}
    items = {i["name"]: i for i in shown[0][DECLARATIONS_MIMETYPE]}
    assert items["crossover_year"]["missing"] == "no crossover by the projection's end year"
    assert items["aws_ttm_revenue_usd_billion"]["missing"] == "AWS did not report this quarter"
    assert items["share_gap_omdia_points"]["text"] == "— (no period with both shares from this firm)"
    for text in (shown[0]["text/html"], shown[0]["text/plain"]):
        assert "None" not in text and "nan" not in text.lower() and "null" not in text


def test_a_notebook_may_declare_its_own_results(shown):
    declare("fixture_total", "Total of the fixture", "rows", "{:,.0f}", "A number for this test.", "no rows")
    assert record(fixture_total=1234.0) == {"fixture_total": 1234.0}
    assert shown[0][DECLARATIONS_MIMETYPE][0]["text"] == "1,234"


@pytest.mark.parametrize("field", ["label", "unit", "fmt", "meaning"])
def test_a_declaration_needs_label_unit_format_and_meaning(field):
    args = {"label": "L", "unit": "U", "fmt": "{}", "meaning": "M"}
    with pytest.raises(ValueError, match=field):
        declare("x_result", **{**args, field: " "})


def test_missing_needs_a_reason():
    with pytest.raises(ValueError, match="reason"):
        missing("")


def test_read_merges_values_and_declarations_in_cell_order(shown):
    record(crossover_year=2031)
    record(crossover_year=2030, ttm_end_date="2026-03-31")
    nb = _notebook(*shown)
    assert read(nb) == {"crossover_year": 2030, "ttm_end_date": "2026-03-31"}
    assert [i["name"] for i in read_declarations(nb)] == ["crossover_year", "ttm_end_date"]
    assert read_declarations(nb)[0]["text"] == "2030"


def test_summary_gives_the_index_declarations_answer_and_scenario(shown):
    from kit.present import answer, banner

    record(crossover_year=None)
    pieces = [answer("Q?", ["One.", "Two.", "Three."], order=2), banner({"name": "bull", "changed": [["a", 1, 2]]})]
    bundles = shown + [p._repr_mimebundle_()[0] for p in pieces]
    got = summary(_notebook(*bundles))
    assert got["key_results"][0]["label"] == "Year Azure's revenue passes AWS's (projection)"
    assert got["key_results"][0]["missing"] == "no crossover by the projection's end year"
    assert got["answer"] == {"question": "Q?", "sentences": ["One.", "Two.", "Three."], "order": 2, "links": {}}
    assert got["scenario"] == {"name": "bull", "description": "", "changed": [["a", 1, 2]]}


def test_format_value_never_shows_nan():
    assert results.format_value(math.nan, "{:.1f}", "why") == "— (why)"
    assert results.format_value(["S1", "S2"]) == "S1, S2"
    assert results.format_value(True) == "yes"


def test_a_calendar_year_moves_by_years_not_by_a_percent_of_itself():
    assert results.change(2029, 2032, "calendar year") == (3.0, "+3 years")
    assert results.change(2029, 2028, "calendar year") == (-1.0, "-1 year")
    assert results.moved(2029, 2030, "calendar year", min_percent=5)  # 0.05 % of 2029, but a year later
    assert results.change(100.0, 103.0, "USD billion") == (3.0, "+3.0 %")
    assert not results.moved(100.0, 103.0, "USD billion", min_percent=5)
    assert results.moved(0, 5) and results.moved("2026-03-31", "2025-12-31") and not results.moved(7, 7)
    assert results.change("a", "b") == (None, "") and results.change(True, False) == (None, "")
    assert results.change(40.0, 50.0) == (25.0, "+25.0 %") and results.change(0, 5) == (None, "")
