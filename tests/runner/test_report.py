from __future__ import annotations

import re

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from kit.present import answer, banner, sources_list
from kit.runner.report import arrange, to_html


def _bundle(fragment) -> dict:
    return fragment._repr_mimebundle_()[0]


def _executed(with_pieces: bool = False):
    nb = new_notebook()
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nb.cells = [
        new_markdown_cell("# Partnership value\n\nThe question, with a formula $a^2$."),
        new_code_cell("secret_code_line = 42\nprint('visible output')", outputs=[
            new_output("stream", name="stdout", text="visible output\n")]),
        new_markdown_cell("## 1. Money in: what `each` investor put in\n\nText.\n\n```\n## not a heading\n```"),
        new_code_cell("df", outputs=[new_output("execute_result", data={
            "text/html": "<table><tr><td>cell value 7</td></tr></table>", "text/plain": "x"}, execution_count=2)]),
        new_markdown_cell("## Key results"),
    ]
    if with_pieces:
        block = answer("What did each partnership bring?", ["One.", "Two.", "Three."], order=1)
        scenario = banner({"name": "bull", "description": "Fast growth.", "changed": [["growth", 10, 40]]})
        nb.cells.append(new_code_cell("answer", outputs=[new_output("display_data", data=_bundle(block)),
                                                         new_output("display_data", data=_bundle(scenario))]))
        nb.cells.append(new_code_cell("sources", outputs=[new_output("display_data", data=_bundle(sources_list()))]))
    return nb


def test_report_shows_narrative_and_outputs_but_no_code():
    html = to_html(_executed(), "partnership_value")
    assert "Partnership value" in html and "visible output" in html and "cell value 7" in html
    assert "secret_code_line" not in html
    assert "<title>Partnership value</title>" in html


def test_report_opens_offline():
    html = to_html(_executed(True), "x")
    assert re.findall(r"<script[^>]*\ssrc=", html) == []
    assert re.findall(r"<link[^>]*href=\"?https?:", html) == []
    assert "require.js" not in html and "mathjax" not in html.lower() and "unpkg" not in html
    assert "@import url(" not in html


def test_report_is_deterministic():
    nb = _executed(True)
    copy = nbformat.reads(nbformat.writes(nb), as_version=4)  # as read back from disk
    assert to_html(nb, "x") == to_html(copy, "x")


def test_title_is_question_and_scenario_and_the_page_links_back_to_the_index():
    html = to_html(_executed(True), "partnership_value")
    assert "<title>What did each partnership bring? — scenario bull</title>" in html
    assert '<a href="../index.html">← All reports</a>' in html


def test_banner_then_answer_then_contents_open_the_report_right_under_the_title():
    html = to_html(_executed(True), "partnership_value")
    order = [html.index(s) for s in ('id="Partnership-value"', 'class="kit-banner"', 'class="kit-answer"',
                                     'class="kit-contents"', "The question, with a formula", "visible output")]
    assert order == sorted(order)
    assert html.count('class="kit-answer"') == 1 and html.count('class="kit-banner"') == 1


def test_contents_link_every_section_and_each_anchor_exists():
    html = to_html(_executed(True), "partnership_value")
    nav = html[html.index('class="kit-contents"'):]
    nav = nav[:nav.index("</nav>")]
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', nav)
    assert [text for _, text in links] == ["1. Money in: what each investor put in", "Key results", "Sources"]
    for anchor, _ in links:
        assert f'id="{anchor}"' in html, anchor
    assert "not a heading" not in nav


def test_charts_carry_their_title_as_alt_text():
    nb = _executed()
    nb.cells.append(new_code_cell("chart", outputs=[new_output(
        "display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "Chart: Revenue"},
        metadata={"kit": {"chart": {"name": "revenue", "title": "Revenue by quarter"}}})]))
    images = re.findall(r"<img[^>]*>", to_html(nb, "x"))
    assert len(images) == 1 and 'alt="Revenue by quarter"' in images[0]
    assert 'src="data:image/png;base64,iVBORw0KGgo="' in images[0]


def test_code_cells_without_output_leave_no_blank_space_in_the_report():
    nb = _executed()
    nb.cells.append(new_code_cell("x = 1", outputs=[]))
    assert not [c for c in arrange(nb).cells if c.cell_type == "code" and not c.outputs]
