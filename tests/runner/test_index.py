from __future__ import annotations

import inspect
import re

from kit.runner import index


def _decl(name, label, unit, fmt, meaning="What it means.", missing=None):
    item = {"name": name, "label": label, "unit": unit, "fmt": fmt, "meaning": meaning}
    return {**item, "missing": missing} if missing else item


def _summary(question=None, order=None, answer=None, links=None, scenario=None, key_results=()):
    out = {"key_results": list(key_results)}
    if question:
        out["answer"] = {"question": question, "sentences": answer or ["Line one.", "Two.", "Three."],
                         "order": order, "links": links or {}}
    if scenario:
        out["scenario"] = scenario
    return out


SHARE = _decl("share_pct", "Microsoft's share of OpenAI's funding", "percent", "{:.1f}%")
YEAR = _decl("payback_year", "Payback year", "calendar year", "{:d}")
PV = "What did each partnership bring?"
MANIFEST = {"format": 1, "reports": {
    "partnership_value/default": {
        "status": "ok", "html": "partnership_value/default.html", "ipynb": "partnership_value/default.ipynb",
        "results": {"share_pct": 49.0, "payback_year": None},
        "summary": _summary(PV, 1, ["Microsoft holds 49.0% of OpenAI's funding.", "b.", "c."],
                            scenario={"name": "default", "description": "", "changed": []},
                            key_results=[SHARE, {**YEAR, "missing": "no payback within the horizon"}])},
    "partnership_value/bull#2": {
        "status": "ok", "html": "partnership_value/bull#2.html", "ipynb": "partnership_value/bull#2.ipynb",
        "results": {"share_pct": 60.5, "payback_year": 2030}, "previous_results": {"share_pct": 58.0, "payback_year": 2030},
        "summary": _summary(PV, 1, scenario={"name": "bull#2", "description": "Fast growth, rich multiples.",
                                             "changed": [["growth", [20.0, 60.0], [40.0, 80.0]]]},
                            key_results=[SHARE, YEAR])},
    "partnership_value/bear": {
        "status": "failed", "html": "partnership_value/bear.html", "failed_ipynb": "partnership_value/bear.failed.ipynb",
        "failure": {"message": "cell 4 ('if x:'): ValueError: <boom>"}},
    "seed_factcheck/default": {
        "status": "ok", "html": "seed_factcheck/default.html",
        "results": {"contradicted_claim_ids": ["S14", "S19"]},
        "summary": _summary("The seed article, fact-checked: which of its numbers hold?", 4,
                            links={"contradicted_claim_ids": "evidence-{}"},
                            key_results=[_decl("contradicted_claim_ids", "Contradicted claims", "claim ids", "{}")])},
    "aws_vs_azure/default": {"status": "ok", "html": "aws_vs_azure/default.html",
                             "results": {"crossover_year": 2031},
                             "summary": _summary("Can Amazon with Anthropic stop Microsoft's cloud push?", 2)},
    "other/default": {"status": "ok", "html": "other/default.html", "results": {"raw_value": None}},
}}


def _section(html: str, notebook: str) -> str:
    part = html[html.index(f'<section id="{notebook}">'):]
    return part[:part.index("</section>")]


def _row(html: str, notebook: str, label: str) -> list[str]:
    row = re.search(rf"<tr><th scope=\"row\">{re.escape(label)}.*?</tr>", _section(html, notebook), flags=re.S).group(0)
    return re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)


def test_questions_in_their_declared_order_in_words_with_the_default_answer_line():
    html = index.render(MANIFEST)
    positions = [html.index(f'<section id="{nb}">') for nb in ("partnership_value", "aws_vs_azure", "seed_factcheck", "other")]
    assert positions == sorted(positions)
    pv = _section(html, "partnership_value")
    assert f"<h2>{PV}</h2>" in pv
    assert "<strong>Default answer:</strong> Microsoft holds 49.0% of OpenAI&#39;s funding." in pv
    assert '<a href="partnership_value/default.html">Read the report</a>' in pv
    assert "<h2>other</h2>" in html  # a notebook that declares nothing keeps its name


def test_sets_side_by_side_default_first_each_explained_by_its_description():
    pv = _section(index.render(MANIFEST), "partnership_value")
    heads = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', pv, flags=re.S)
    assert [re.sub(r"<span.*", "", h) for h in heads] == ["parameter set", "default", "bear", "bull#2"]
    assert '<span class="note">Fast growth, rich multiples.</span>' in heads[3]
    assert "the notebook&#39;s own parameters" in heads[1]
    assert 'title="growth: [20.0, 60.0] → [40.0, 80.0]"' in pv


def test_key_results_read_as_labels_with_units_formatted_values_and_reasons_never_null():
    html = index.render(MANIFEST)
    assert _row(html, "partnership_value", "Microsoft&#39;s share of OpenAI&#39;s funding")[0] == "49.0%"
    assert '<span class="unit">percent</span>' in html and '<span class="meaning">What it means.</span>' in html
    year = _row(html, "partnership_value", "Payback year")
    assert year[0] == '—<span class="why">no payback within the horizon</span>'
    assert year[1] == "" and year[2] == "2030"
    assert _row(html, "other", "raw_value") == ["—"]
    text = re.sub(r"<[^>]+>", " ", html)
    assert not re.search(r"\b(null|None|NaN|nan)\b", text)
    assert "share_pct" not in text


def test_a_value_that_moved_since_the_previous_run_shows_old_and_new():
    html = index.render(MANIFEST)
    assert _row(html, "partnership_value", "Microsoft&#39;s share")[2] == ('<span class="old">58.0%</span> → 60.5%'
                                                                        '<span class="why">+23.5 % vs default</span>')
    assert _row(html, "partnership_value", "Payback year")[2] == "2030"
    assert "moved since the previous run" in html


def test_links_are_url_encoded_and_ids_link_to_anchors_the_notebook_declared():
    html = index.render(MANIFEST)
    assert 'href="partnership_value/bull%232.html"' in html and 'href="partnership_value/bull#2.html"' not in html
    assert _row(html, "seed_factcheck", "Contradicted claims") == [
        '<a href="seed_factcheck/default.html#evidence-S14">S14</a>, '
        '<a href="seed_factcheck/default.html#evidence-S19">S19</a>']


def test_failures_show_cell_and_exception_escaped_with_the_earlier_report():
    html = index.render(MANIFEST)
    bear = _row(html, "partnership_value", "status")[1]
    assert "failed" in bear and "ValueError: &lt;boom&gt;" in bear and "earlier report" in bear
    assert 'href="partnership_value/bear.failed.ipynb"' in bear and "<boom>" not in html
    assert '6 reports, <span class="failed">1 failed</span>' in html


def test_index_is_deterministic_self_contained_and_names_no_notebook():
    assert index.render(MANIFEST) == index.render(dict(MANIFEST))
    html = index.render(MANIFEST)
    assert "<script" not in html and "http" not in html
    assert "No reports yet" in index.render({"reports": {}})
    code = inspect.getsource(index)
    assert "seed_factcheck" not in code and "evidence" not in code


def test_a_set_run_with_min_grade_shows_how_far_key_results_move_without_weak_sources():
    manifest = {"format": 1, "reports": {
        "nb/default": {"status": "ok", "html": "nb/default.html", "results": {"share_pct": 40.0, "payback_year": 2030},
                       "summary": _summary("Q?", 1, scenario={"name": "default", "description": "", "changed": []},
                                           key_results=[SHARE, YEAR])},
        "nb/reputable": {"status": "ok", "html": "nb/reputable.html", "results": {"share_pct": 50.0, "payback_year": 2030},
                         "summary": _summary("Q?", 1, scenario={"name": "reputable", "description": "No weak sources.",
                                                                "changed": [["min_grade", "", "reputable"]]},
                                             key_results=[SHARE, YEAR])}}}
    html = index.render(manifest)
    assert "With sources graded at least reputable (set reputable): 1 of 2 key results move by 5 % or more" in html
    assert "<li>Microsoft&#39;s share of OpenAI&#39;s funding: 40.0% → 50.0% (+25.0 %)</li>" in html
    assert "+25.0 % vs default" in html
