"""A report as HTML: the narrative, tables and charts without code cells, opening offline.

Rendered through ``kit/templates/report.html.j2``, an nbconvert template on top of the lab template
minus the blocks that load require.js, MathJax, Mermaid and the widget manager from a CDN; its CSS is
inlined and figures are embedded, so the file needs nothing else. The page is titled with the
notebook's question and scenario, links back to the index, and opens with what the notebook asked to
be on top (the scenario banner, then the answer), followed by a contents list of its sections.
"""
from __future__ import annotations

import copy
import re
from functools import lru_cache
from importlib.resources import files
from typing import Any

from kit.present.html import PIECE_MIMETYPE

TEMPLATE = "report.html.j2"
INDEX_LINK = "../index.html"  # reports are <out>/<notebook>/<set>.html, the index <out>/index.html
_HEADING = re.compile(r"^##\s+(.+?)\s*#*\s*$")


@lru_cache(maxsize=1)
def _exporter() -> Any:
    from jinja2 import FileSystemLoader
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class ReportExporter(HTMLExporter):
        """nbconvert's HTML exporter without the BeautifulSoup pass it makes over every finished page, which
        took two thirds of a report's export: that pass gives images without alt text a placeholder (every
        chart here carries its title as alt text) and makes code cells and outputs focusable (a report has no
        code cells, and its tables wrap). The filters it registers first are registered as it does."""

        def from_notebook_node(self, nb: Any, resources: dict | None = None, **kw: Any) -> tuple[str, dict]:
            info = nb.metadata.get("language_info", {})
            lexer = info.get("pygments_lexer", info.get("name"))
            self.register_filter("highlight_code", self.filters.get("highlight_code", Highlight2HTML(
                pygments_lexer=lexer, parent=self)))
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return ReportExporter(
        template_name="lab", extra_loaders=[FileSystemLoader(str(files("kit") / "templates"))],
        template_file=TEMPLATE, exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
    )


def _piece(output: Any) -> dict[str, Any] | None:
    piece = output.get("data", {}).get(PIECE_MIMETYPE)
    return piece if isinstance(piece, dict) else None


def _anchor(heading: str) -> str:
    """The id nbconvert gives a level-2 markdown heading."""
    from nbconvert.filters.markdown import markdown2html

    found = re.search(r'id="([^"]+)"', markdown2html("## " + heading))
    return found.group(1) if found else ""


def headings(nb: Any) -> list[tuple[str, str]]:
    """The report's sections in order, as (anchor, text): level-2 markdown headings (outside code fences)
    and the headed pieces the notebook displays (the sources list)."""
    found = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            fenced = False
            for line in cell.source.splitlines():
                fenced = fenced != line.lstrip().startswith("```")
                match = None if fenced else _HEADING.match(line)
                if match:
                    text = re.sub(r"[*_`]", "", match.group(1))
                    found.append((_anchor(match.group(1)), text))
        for output in cell.get("outputs", []):
            piece = _piece(output) or {}
            if piece.get("heading") and piece.get("anchor"):
                found.append((piece["anchor"], piece["heading"]))
    return [(anchor, text) for anchor, text in found if anchor]


def title_of(nb: Any, fallback: str) -> str:
    """The page title: the notebook's question (else its first heading, else ``fallback``) and its scenario."""
    pieces = [p for cell in nb.cells for o in cell.get("outputs", []) if (p := _piece(o))]
    answer = next((p for p in pieces if p.get("kind") == "answer"), None)
    scenario = next((p for p in pieces if p.get("kind") == "scenario"), None)
    first = next((line[2:].strip() for c in nb.cells if c.cell_type == "markdown"
                  for line in c.source.splitlines() if line.startswith("# ")), "")
    title = (answer or {}).get("question") or first or fallback
    if scenario:
        default = scenario.get("name") == "default" and not scenario.get("changed")
        title += " — default parameters" if default else f" — scenario {scenario.get('name')}"
    return title


def arrange(nb: Any) -> Any:
    """A copy of ``nb`` laid out as a report: the pieces asked for the top (by their ``top`` rank) and a
    contents list placed right under the title (the first markdown cell's first heading line); code cells
    left without output (the parameters, the imports) are dropped, since a report shows no code."""
    from nbformat.v4 import new_code_cell, new_markdown_cell

    from kit.present.answer import contents

    nb = copy.deepcopy(nb)
    sections = headings(nb)
    top = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        keep = []
        for output in cell.get("outputs", []):
            piece = _piece(output)
            if piece and isinstance(piece.get("top"), int):
                top.append((piece["top"], len(top), output))
            else:
                keep.append(output)
        cell.outputs = keep
    nb.cells = [c for c in nb.cells if c.cell_type != "code" or c.outputs]  # a report shows no code: no blank cells
    outputs = [output for *_, output in sorted(top, key=lambda t: t[:2])]
    if len(sections) >= 2:
        data, _ = contents(sections)._repr_mimebundle_()
        outputs.append({"output_type": "display_data", "data": data, "metadata": {}})
    if not outputs:
        return nb
    at = 0
    if nb.cells and nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# "):
        head, _, rest = nb.cells[0].source.partition("\n")
        nb.cells[0].source = head
        intro = new_markdown_cell(rest.strip())
        intro.id = "kit-report-intro"
        nb.cells.insert(1, intro)
        at = 1
    cell = new_code_cell("", outputs=outputs)
    cell.id = "kit-report-top"
    nb.cells.insert(at, cell)
    return nb


def to_html(nb: Any, title: str, index: str = INDEX_LINK) -> str:
    """The HTML report of an executed notebook (an nbformat NotebookNode); ``title`` is the fallback page
    title when the notebook states no question; ``index`` the link back to the report index."""
    page = arrange(nb)
    page.metadata["title"] = title_of(nb, title)
    body, _ = _exporter().from_notebook_node(page, resources={"metadata": {"name": title}, "kit": {"index": index}})
    return body
