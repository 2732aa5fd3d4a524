"""kit.present.table: a DataFrame as a table a reader can use."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from kit.present import sources as citing
from kit.present.tables import table


@pytest.fixture(autouse=True)
def _fresh_citations():
    citing.forget()
    yield
    citing.forget()


def _cells(html: str) -> list[list[str]]:
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html, flags=re.S)
    return [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, flags=re.S) for row in rows]


def _styles(html: str) -> list[str]:
    return re.findall(r'<td class="(kit-\w+)" style="([^"]*)"', html)


def test_no_index_column_but_a_named_index_is_kept_as_a_column():
    frame = pd.DataFrame({"a": [1, 2]})
    assert _cells(table(frame).html)[0] == ["a"]
    assert _cells(table(frame.iloc[[1]]).html) == [["a"], ["2"]]  # row positions of a selection too
    pivot = pd.DataFrame({"value": [1.5, 2.5]}, index=pd.Index([2024, 2025], name="year"))
    assert _cells(table(pivot).html)[0] == ["year", "value"]
    assert _cells(table(pivot).html)[1] == ["2024", "1.5"]


def test_missing_values_show_a_dash_never_nan_or_none():
    frame = pd.DataFrame({"x": [1.0, np.nan], "when": [pd.Timestamp("2025-01-02"), pd.NaT],
                          "who": ["a", None], "text": ["nan", "None"], "n": pd.array([1, None], dtype="Int64")})
    html = table(frame, missing={"x": "not disclosed"}).html
    assert not re.search(r"\b(NaN|nan|None|NaT|null|&lt;NA&gt;)\b", html)
    body = _cells(html)[2]
    assert body[0].startswith('<span class="kit-missing">—</span>') and "not disclosed" in body[0]
    assert all("—" in cell for cell in body)
    assert "—" in table(frame).text and "nan" not in table(frame).text.lower()


def test_numbers_right_aligned_with_one_number_of_decimals_per_column_and_text_left_wrapped():
    frame = pd.DataFrame({"name": ["Azure", "AWS"], "revenue_usd_billion": [75.0, 137.12],
                          "year": [2031, 2032], "big": [1234567.0, 2.0]})
    html = table(frame).html
    assert _cells(html)[1] == ["Azure", "75.00", "2031", "1,234,567"]
    assert _cells(html)[2] == ["AWS", "137.12", "2032", "2"]
    styles = dict(zip(["name", "revenue", "year", "big"], _styles(html)[:4]))
    assert styles["name"] == ("kit-text", "text-align:left;white-space:normal")
    assert styles["revenue"][0] == "kit-num" and "text-align:right" in styles["revenue"][1]
    assert "revenue (USD bn)" in _cells(html)[0]


def test_formats_per_column_as_template_spec_or_function():
    frame = pd.DataFrame({"a": [0.5], "b": [1234.5], "c": [3.0]})
    html = table(frame, formats={"a": "{:.0%}", "b": ",.0f", "c": lambda v: f"{v:g}×"}).html
    assert _cells(html)[1] == ["50%", "1,234", "3×"]


def test_true_false_read_yes_no_and_codes_read_as_words():
    frame = pd.DataFrame({"chosen": [True, False], "status": pd.Categorical(["low_confidence", "media_report"]),
                          "event_type": ["compute_deal", "chip_deal"], "event_id": ["E_1", "E_2"]})
    rows = _cells(table(frame).html)
    assert rows[1] == ["yes", "low confidence", "compute deal", "E_1"]
    assert rows[2] == ["no", "media report", "chip deal", "E_2"]
    assert rows[0] == ["chosen", "status", "event type", "event id"]


def test_source_ids_link_to_the_sources_list_and_are_noted_for_it():
    frame = pd.DataFrame({"value": [1.0, 2.0], "source_id": ["neowin-5d5e28", "a-1;b-2"]})
    html = table(frame).html
    assert '<a href="#src-neowin-5d5e28">neowin-5d5e28</a>' in html
    assert '<a href="#src-a-1">a-1</a>; <a href="#src-b-2">b-2</a>' in html
    assert citing.cited() == ["a-1", "b-2", "neowin-5d5e28"]


def test_row_anchors_on_first_occurrence_and_custom_links():
    frame = pd.DataFrame({"claim": ["S1", "S1", "S2"], "evidence": ["S1", "", "S2"]})
    html = table(frame, anchor=("claim", "evidence"), links={"evidence": "claim"}).html
    assert html.count('id="evidence-S1"') == 1 and html.count('id="evidence-S2"') == 1
    assert '<a href="#claim-S1">S1</a>' in html


def test_web_addresses_are_links_also_inside_text_and_text_is_escaped():
    frame = pd.DataFrame({"url": ["https://example.com/a?b=1&c=2"],
                          "note": ["<b>bold</b> & co (https://example.org/x), see"]})
    html = table(frame).html
    assert '<a href="https://example.com/a?b=1&amp;c=2" class="kit-url"' in html
    assert '&lt;b&gt;bold&lt;/b&gt; &amp; co (<a href="https://example.org/x" class="kit-url"' in html
    assert "</a>), see" in html and "<b>bold</b>" not in html


def test_long_text_is_never_cut():
    reason = "A verdict reason that runs on for a long while, " * 6
    html = table(pd.DataFrame({"verdict_reason": [reason]})).html
    assert reason.strip() in html and "…" not in html


def test_rendering_is_deterministic():
    frame = pd.DataFrame({"a": [1.25, None], "b": ["x", "y"]})
    assert table(frame).html == table(frame.copy()).html


def test_notes_show_what_the_source_says_without_the_record_of_searches():
    frame = pd.DataFrame({"value": [392.0, 8.3, 34.0],
                          "note": ["+51%; FIFTH PASS searched: Hood's wording: only copies",
                                   "WEAK SOURCE ONLY: searched the release; SECOND PASS searched: more",
                                   'NEW (gap fill, primary): "rose one point to 34%"; CONFLICT with row 12']})
    out = table(frame)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", out.html, flags=re.S)
    notes = [re.sub(r"<[^>]+>", "", c).strip() for c in cells[1::2]]
    assert notes == ["+51%", "—", "&#34;rose one point to 34%&#34;; CONFLICT with row 12"]
    assert "PASS" not in out.text and "WEAK SOURCE ONLY" not in out.text and "gap fill" not in out.text
