"""``reports/manifest.json``: for each report, the hashes of what it was made from, the package
versions, the duration, the status and the key results. The cache reads it; the index is built from it."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kit.fsio import write_text_atomic

NAME = "manifest.json"
FORMAT = 1


def empty() -> dict[str, Any]:
    return {"format": FORMAT, "reports": {}}


def load(out: Path) -> dict[str, Any]:
    """The manifest in ``out``; an empty one if there is none or it is from another format (all pairs re-run)."""
    path = out / NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return empty()
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("reports"), dict):
        return empty()
    return data


def dumps(manifest: dict[str, Any]) -> str:
    return json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def save(out: Path, manifest: dict[str, Any]) -> Path:
    return write_text_atomic(out / NAME, dumps(manifest))
