from __future__ import annotations

import re

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from kit.runner.report import to_html


def _executed():
    nb = new_notebook()
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nb.cells = [
        new_markdown_cell("# Partnership value\n\nThe question, with a formula $a^2$."),
        new_code_cell("secret_code_line = 42\nprint('visible output')", outputs=[
            new_output("stream", name="stdout", text="visible output\n")]),
        new_code_cell("df", outputs=[new_output("execute_result", data={
            "text/html": "<table><tr><td>cell value 7</td></tr></table>", "text/plain": "x"}, execution_count=2)]),
    ]
    return nb


def test_report_shows_narrative_and_outputs_but_no_code():
    html = to_html(_executed(), "partnership_value")
    assert "Partnership value" in html and "visible output" in html and "cell value 7" in html
    assert "secret_code_line" not in html
    assert "<title>partnership_value</title>" in html


def test_report_opens_offline():
    html = to_html(_executed(), "x")
    assert re.findall(r"<script[^>]*\ssrc=", html) == []
    assert re.findall(r"<link[^>]*href=\"?https?:", html) == []
    assert "require.js" not in html and "mathjax" not in html.lower() and "unpkg" not in html
    assert "@import url(" not in html


def test_report_is_deterministic():
    nb = _executed()
    copy = nbformat.reads(nbformat.writes(nb), as_version=4)  # as read back from disk
    assert to_html(nb, "x") == to_html(copy, "x")
