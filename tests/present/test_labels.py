"""kit.present.labels: one mapping from codes to words."""
from __future__ import annotations

from kit.present.labels import column_label, label


def test_codes_read_as_words():
    assert label("low_confidence") == "low confidence"
    assert label("compute_deal") == "compute deal"
    assert label("primary_copy") == "primary (verbatim copy)"
    assert label("some_new_code") == "some new code"


def test_text_and_non_text_are_left_alone():
    for value in ("AWS", "Google Cloud", "S17B", "neowin-5d5e28", "The seed_article's words", 3.5, None):
        assert label(value) == value


def test_column_names_read_with_their_unit():
    assert column_label("revenue_usd_billion") == "revenue (USD bn)"
    assert column_label("partner_share_percent") == "partner share (%)"
    assert column_label("gap_pts") == "gap (points)"
    assert column_label("source_id") == "source"
    assert column_label("expectation_en") == "expectation en"
