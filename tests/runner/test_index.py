from __future__ import annotations

import re

from kit.runner import index

MANIFEST = {"format": 1, "reports": {
    "partnership_value/default": {"status": "ok", "html": "partnership_value/default.html",
                                  "ipynb": "partnership_value/default.ipynb",
                                  "results": {"share_pct": 49.0, "label": "<b>x</b>", "list": [1, 2]}},
    "partnership_value/bull": {"status": "ok", "html": "partnership_value/bull.html",
                               "results": {"share_pct": 60.5}},
    "partnership_value/bear": {"status": "failed", "html": "partnership_value/bear.html",
                               "failed_ipynb": "partnership_value/bear.failed.ipynb",
                               "failure": {"message": "cell 4 ('if x:'): ValueError: <boom>"}},
    "aws_vs_azure/default": {"status": "ok", "html": "aws_vs_azure/default.html", "results": {}},
}}


def _row(html: str, table_id: str, name: str) -> list[str]:
    table = html[html.index(f'<table id="{table_id}">'):]
    table = table[:table.index("</table>")]
    row = re.search(rf"<tr><th>{re.escape(name)}</th>(.*?)</tr>", table).group(1)
    return re.findall(r"<td[^>]*>(.*?)</td>", row)


def test_each_notebook_compares_its_parameter_sets_side_by_side():
    html = index.render(MANIFEST)
    assert _row(html, "partnership_value", "share_pct") == ["", "60.5", "49.0"]  # bear, bull, default
    assert _row(html, "partnership_value", "list") == ["", "", "[1, 2]"]
    assert "<th>bear</th><th>bull</th><th>default</th>" in html
    assert html.index("<h2>aws_vs_azure</h2>") < html.index("<h2>partnership_value</h2>")
    assert "none recorded" in html
    assert '4 reports, <span class="failed">1 failed</span>' in html


def test_every_report_is_linked_and_failures_show_cell_and_exception_escaped():
    html = index.render(MANIFEST)
    for href in ("partnership_value/default.html", "partnership_value/default.ipynb", "partnership_value/bull.html",
                 "aws_vs_azure/default.html", "partnership_value/bear.failed.ipynb"):
        assert f'href="{href}"' in html
    [bear, _, _] = _row(html, "partnership_value", "status")
    assert "failed" in bear and "ValueError: &lt;boom&gt;" in bear and "earlier report" in bear
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<boom>" not in html and "<b>x</b>" not in html


def test_factcheck_summary_first_only_when_the_notebook_exists():
    assert "Fact check" not in index.render(MANIFEST)
    with_fc = {"format": 1, "reports": {**MANIFEST["reports"], "seed_factcheck/default": {
        "status": "ok", "html": "seed_factcheck/default.html", "results": {"claims_checked": 12, "refuted": 3}}}}
    html = index.render(with_fc)
    assert html.index("Fact check of the seed article") < html.index("<h2>aws_vs_azure</h2>")
    assert _row(html, "seed_factcheck", "claims_checked") == ["12"]
    assert 'href="seed_factcheck/default.html"' in html and html.count('<table id="seed_factcheck">') == 1


def test_flagged_claims_link_to_their_evidence_in_the_report():
    with_fc = {"format": 1, "reports": {"seed_factcheck/default": {
        "status": "ok", "html": "seed_factcheck/default.html",
        "results": {"inconsistent_claim_ids": ["S20", "S40"], "claims_inconsistent": 2}}}}
    html = index.render(with_fc)
    assert _row(html, "seed_factcheck", "inconsistent_claim_ids") == [
        '<a href="seed_factcheck/default.html#evidence-S20">S20</a>, '
        '<a href="seed_factcheck/default.html#evidence-S40">S40</a>']
    assert _row(html, "seed_factcheck", "claims_inconsistent") == ["2"]


def test_index_is_deterministic_and_self_contained():
    assert index.render(MANIFEST) == index.render(dict(MANIFEST))
    html = index.render(MANIFEST)
    assert "<script" not in html and "http" not in html
    assert "No reports yet" in index.render({"reports": {}})
