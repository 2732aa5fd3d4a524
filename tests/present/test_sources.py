"""kit.present.sources: the sources a report used, one click away."""
from __future__ import annotations

import re

import pandas as pd
import pytest

import kit
from kit.present import sources as citing
from kit.present import sources_list, table, with_grade


@pytest.fixture(autouse=True)
def _fresh_citations():
    citing.forget()
    yield
    citing.forget()


def test_the_list_holds_every_source_a_table_showed_and_the_given_frames_with_anchors_and_links():
    funding = kit.load("funding")
    table(funding.head(3))
    extra = kit.load("cloud_revenue").head(2)
    listing = sources_list(extra)
    wanted = set(funding.head(3)["source_id"]) | set(extra["source_id"])
    assert set(listing.piece["ids"]) == wanted
    for source_id in wanted:
        assert f'id="src-{source_id}"' in listing.html
    urls = kit.sources().loc[sorted(wanted), "url"]
    for url in urls:
        assert re.search(rf'<a href="{re.escape(url.replace("&", "&amp;"))}"', listing.html), url
    assert '<h2 id="sources">Sources</h2>' in listing.html
    assert not re.search(r"\b(NaN|nan|None|NaT)\b", listing.html)


def test_publisher_title_date_kind_and_grade_are_shown():
    source_id = kit.load("cloud_revenue")["source_id"].iloc[0]
    row = kit.sources().loc[source_id]
    html = sources_list(pd.DataFrame({"source_id": [source_id]})).html
    assert row["publisher"].replace("&", "&amp;") in html
    assert ("grade" in html) and ("kind" in html) and ("date" in html)


def test_with_grade_puts_the_source_quality_beside_each_row():
    frame = kit.load("metrics").head(5)
    graded = with_grade(frame)
    assert list(graded.columns).index("grade") == list(graded.columns).index("source_id") + 1
    assert list(graded["grade"]) == list(kit.sources().loc[frame["source_id"], "quality"].astype(str))


def test_ids_of_splits_combined_ids_and_requires_a_source_column():
    assert citing.ids_of(pd.DataFrame({"source_id": ["b;a", "a", None]})) == ["a", "b"]
    with pytest.raises(KeyError, match="source_id"):
        citing.ids_of(pd.DataFrame({"x": [1]}))
