"""Key results of a notebook: recorded as a display output that tools read back.

``record`` shows the results as a small table for the reader and, in the same output, as JSON
under ``MIMETYPE`` for the batch runner, the report index and the golden tests.
"""
from __future__ import annotations

import json
import math
from typing import Any

MIMETYPE = "application/vnd.kit.results+json"


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return round(value, 6)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


def record(**results: Any) -> dict[str, Any]:
    """Display ``results`` (name=value) as the notebook's key results and return them as plain JSON types."""
    from IPython.display import display

    plain = {k: _plain(v) for k, v in sorted(results.items())}
    text = "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in plain.items())
    display({MIMETYPE: plain, "text/plain": "Key results\n" + text}, raw=True)
    return plain


def read(notebook: dict) -> dict[str, Any]:
    """All key results recorded in an executed notebook (a parsed .ipynb), merged in cell order."""
    found: dict[str, Any] = {}
    for cell in notebook.get("cells", []):
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if MIMETYPE in data:
                found.update(data[MIMETYPE])
    return found
