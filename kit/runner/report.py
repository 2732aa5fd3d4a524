"""A report as HTML: the narrative, tables and charts without code cells, opening offline.

nbconvert's lab template, minus the blocks that load require.js, MathJax, Mermaid and the widget
manager from a CDN; its CSS is inlined and figures are embedded, so the file needs nothing else.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""


@lru_cache(maxsize=1)
def _exporter() -> Any:
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="lab", extra_loaders=[DictLoader({"kit_report.html.j2": _TEMPLATE})],
        template_file="kit_report.html.j2", exclude_input=True, exclude_input_prompt=True,
        exclude_output_prompt=True,
    )


def to_html(nb: Any, title: str) -> str:
    """The HTML report of an executed notebook (an nbformat NotebookNode) titled ``title``."""
    body, _ = _exporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body
