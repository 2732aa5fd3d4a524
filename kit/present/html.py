"""HTML from the Jinja2 templates shipped in ``kit/templates``, and the displayable piece they make.

A ``Fragment`` shows as HTML in JupyterLab and in the HTML report, as plain text in a terminal, and
carries a machine-readable part (under ``PIECE_MIMETYPE``) that the report and the index read back:
what the piece is (answer, scenario, sources, ...) and where the report places it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

PIECE_MIMETYPE = "application/vnd.kit.piece+json"


@lru_cache(maxsize=1)
def environment() -> Any:
    """The Jinja2 environment of the kit's templates: autoescaped, blocks trimmed."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(loader=PackageLoader("kit", "templates"), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True, undefined=StrictUndefined)
    return env


def render(template: str, **context: Any) -> str:
    """Template ``template`` (a file in ``kit/templates``) rendered with ``context``."""
    return environment().get_template(template).render(**context).strip() + "\n"


@dataclass(frozen=True)
class Fragment:
    """A piece of a report: ``html`` for readers, ``text`` for terminals, ``piece`` for tools.

    ``piece`` is a JSON-able mapping with at least ``kind``; ``top`` (an int) asks the HTML report to
    place the piece at its top, in that order (the scenario banner 0, the answer 1)."""

    html: str
    text: str
    piece: dict[str, Any] = field(default_factory=dict)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> tuple[dict, dict]:
        data = {"text/html": self.html, "text/plain": self.text}
        if self.piece:
            data[PIECE_MIMETYPE] = self.piece
        return data, {}

    def __repr__(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.html


def pieces(notebook: dict) -> list[dict[str, Any]]:
    """Every piece displayed in an executed notebook (a parsed .ipynb), in cell order."""
    found = []
    for cell in notebook.get("cells", []):
        for out in cell.get("outputs", []):
            piece = out.get("data", {}).get(PIECE_MIMETYPE)
            if isinstance(piece, dict):
                found.append(piece)
    return found
