from __future__ import annotations

from kit.runner import index

MANIFEST = {"format": 1, "reports": {
    "partnership_value/default": {"status": "ok", "html": "partnership_value/default.html",
                                  "ipynb": "partnership_value/default.ipynb",
                                  "results": {"share_pct": 49.0, "label": "<b>x</b>", "list": [1, 2]}},
    "partnership_value/bear": {"status": "failed", "html": "partnership_value/bear.html",
                               "failed_ipynb": "partnership_value/bear.failed.ipynb",
                               "failure": {"message": "cell 4 ('if x:'): ValueError: <boom>"}},
    "aws_vs_azure/default": {"status": "ok", "html": "aws_vs_azure/default.html", "results": {}},
}}


def test_index_links_every_report_with_its_key_results():
    html = index.render(MANIFEST)
    for href in ("partnership_value/default.html", "partnership_value/default.ipynb", "aws_vs_azure/default.html",
                 "partnership_value/bear.failed.ipynb"):
        assert f'href="{href}"' in html
    assert "<dt>share_pct</dt><dd>49.0</dd>" in html and "<dd>[1, 2]</dd>" in html
    assert "none recorded" in html
    assert html.index("aws_vs_azure") < html.index("partnership_value")
    assert "3 reports, <span class=\"failed\">1 failed</span>" in html


def test_failures_are_shown_with_cell_and_exception_and_escaped():
    html = index.render(MANIFEST)
    assert "ValueError: &lt;boom&gt;" in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert "<boom>" not in html
    assert "from an earlier run" in html


def test_factcheck_summary_only_when_the_notebook_exists():
    assert "Fact check" not in index.render(MANIFEST)
    with_fc = {"format": 1, "reports": {**MANIFEST["reports"], "seed_factcheck/default": {
        "status": "ok", "html": "seed_factcheck/default.html", "results": {"claims_checked": 12, "refuted": 3}}}}
    html = index.render(with_fc)
    section = html[html.index("Fact check"):html.index("</section>")]
    assert "<dt>claims_checked</dt><dd>12</dd>" in section and 'href="seed_factcheck/default.html"' in section


def test_index_is_deterministic_and_self_contained():
    assert index.render(MANIFEST) == index.render(dict(MANIFEST))
    html = index.render(MANIFEST)
    assert "<script" not in html and "http" not in html
    assert "No reports yet" in index.render({"reports": {}})
