"""What a report folder must satisfy, as functions that return the problems found (empty: fine).

Read from the manifest and the executed notebooks, without a browser; ``tests/test_reports.py`` applies
them to the fixture project and to this project's reports, ``tests/test_reports_browser.py`` adds what
only a browser sees.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

DEFAULT = "default"


def _manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def _ok(out: Path) -> dict[str, dict]:
    return {key: e for key, e in _manifest(out)["reports"].items() if e.get("status") == "ok"}


def charts(out: Path, key: str) -> list[dict]:
    """The charts of one executed report (``kit.chart`` metadata of its image outputs), in order."""
    nb = json.loads((out / f"{key}.ipynb").read_text(encoding="utf-8"))
    return [o["metadata"]["kit"]["chart"] for c in nb["cells"] for o in c.get("outputs", [])
            if "image/png" in o.get("data", {}) and "chart" in o.get("metadata", {}).get("kit", {})]


def unlabelled_key_results(out: Path) -> list[str]:
    """Key results recorded without a declaration that gives a label and a unit."""
    problems = []
    for key, entry in sorted(_ok(out).items()):
        declared = {i["name"]: i for i in (entry.get("summary") or {}).get("key_results", [])}
        for name in sorted(entry.get("results", {})):
            item = declared.get(name, {})
            if not item.get("label", "").strip() or not item.get("unit", "").strip():
                problems.append(f"{key}: {name} has no label or no unit")
    return problems


def repeated_chart_titles(out: Path) -> list[str]:
    """Charts of a non-default report titled exactly like a chart of its notebook's default report."""
    reports = _ok(out)
    problems = []
    for key in sorted(reports):
        notebook, set_name = key.split("/", 1)
        if set_name == DEFAULT or f"{notebook}/{DEFAULT}" not in reports:
            continue
        default_titles = {c["title"] for c in charts(out, f"{notebook}/{DEFAULT}")}
        for chart in charts(out, key):
            if chart["title"] in default_titles:
                problems.append(f"{key}: chart {chart['name']!r} repeats the default's title {chart['title']!r}")
    return problems


def chart_problems(out: Path) -> list[str]:
    """Charts without a title, without a data end date at the end of the footnote, or with unlabelled axes;
    reports without charts metadata for their images."""
    problems = []
    for key in sorted(_ok(out)):
        nb = json.loads((out / f"{key}.ipynb").read_text(encoding="utf-8"))
        images = sum("image/png" in o.get("data", {}) for c in nb["cells"] for o in c.get("outputs", []))
        found = charts(out, key)
        if len(found) != images:
            problems.append(f"{key}: {images - len(found)} image(s) not shown through theme.show")
        for chart in found:
            where = f"{key}: chart {chart['name']!r}"
            if not chart["title"].strip():
                problems.append(f"{where} has no title")
            if not re.search(r"Data to \d{4}-\d{2}-\d{2}( \(date of the latest source\))?\.$", chart["footnote"]):
                problems.append(f"{where}: footnote does not end with the data's end date: ...{chart['footnote'][-80:]}")
            if chart["unlabelled_axes"]:
                problems.append(f"{where}: unlabelled axes {chart['unlabelled_axes']}")
    return problems


def images_without_alt_text(out: Path) -> list[str]:
    """Images in a report's HTML page without a non-empty alt text (what a screen reader says instead)."""
    problems = []
    for key in sorted(_ok(out)):
        page = (out / f"{key}.html").read_text(encoding="utf-8")
        for image in re.findall(r"<img\b[^>]*>", page):
            if not re.search(r'\balt="[^"]+"', image):
                problems.append(f"{key}: an image without alt text ({image[:60]}...)")
    return problems
