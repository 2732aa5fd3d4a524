"""``reports/index.html``: one section per question, in the order the notebooks declare (their answer's
``order``), each with the question in words, the default run's answer line, and a table of its parameter
sets (columns, each with its description as a note) against its key results (rows, with the declared
label, unit and meaning; values formatted by their declaration; a missing value as "—" and its reason;
a value that moved since the report's previous run as old → new). Built from the manifest alone
(what each notebook recorded about itself, ``summary``), deterministically; the runner names no notebook.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from kit import results
from kit.fsio import write_text_atomic
from kit.present.html import render as render_template
from kit.present.scenario import DEFAULT, parameter_text
from kit.results import format_value

NAME = "index.html"
TEMPLATE = "index.html.j2"


def href(path: str, anchor: str = "") -> str:
    """A link to ``path`` (relative to the reports folder) and an anchor in it, URL-encoded ("#" in a name too)."""
    return quote(path, safe="/") + (f"#{quote(anchor, safe='')}" if anchor else "")


def _ordered_sets(sets: dict[str, dict]) -> list[str]:
    return sorted(sets, key=lambda name: (name != DEFAULT, name))


def _summary(entry: dict[str, Any]) -> dict[str, Any]:
    return entry.get("summary") or {} if entry.get("status") == "ok" else {}


def _declarations(sets: dict[str, dict], names: list[str]) -> dict[str, dict[str, Any]]:
    """Each key result's declaration (label, unit, fmt, meaning), the default set's first."""
    found: dict[str, dict[str, Any]] = {}
    for name in names:
        for item in _summary(sets[name]).get("key_results", []):
            found.setdefault(item["name"], item)
    return found


def _rows_order(sets: dict[str, dict], names: list[str], declared: dict[str, dict]) -> list[str]:
    """Key results in the order the notebook recorded them (declared first), then any undeclared, sorted."""
    recorded = {k for n in names if sets[n].get("status") == "ok" for k in sets[n].get("results", {})}
    return [k for k in declared if k in recorded] + sorted(recorded - set(declared))


def _cell(entry: dict[str, Any], name: str, decl: dict[str, Any], default: Any = None) -> dict[str, Any]:
    if entry.get("status") != "ok" or name not in entry.get("results", {}):
        return {"text": "", "why": "", "moved_from": None, "links": [], "vs_default": ""}
    value, fmt = entry["results"][name], decl.get("fmt", "{}")
    reasons = {i["name"]: i.get("missing", "") for i in _summary(entry).get("key_results", [])}
    _, change = results.change(default, value, decl.get("unit", ""))
    cell = {"text": format_value(value, fmt), "why": "", "moved_from": None, "links": [],
            "vs_default": f"{change} vs default" if change else ""}
    if value is None:
        cell.update(text="—", why=reasons.get(name, ""))
    template = (_summary(entry).get("answer") or {}).get("links", {}).get(name)
    if template and isinstance(value, list) and entry.get("html"):
        cell["links"] = [(href(entry["html"], template.format(v)), format_value(v, fmt)) for v in value]
    previous = entry.get("previous_results")
    if isinstance(previous, dict) and name in previous and previous[name] != value:
        cell["moved_from"] = format_value(previous[name], fmt)
    return cell


def _column(set_name: str, entry: dict[str, Any]) -> dict[str, Any]:
    scenario = _summary(entry).get("scenario") or {}
    changed = "; ".join(f"{k}: {parameter_text(d)} → {parameter_text(v)}" for k, d, v in scenario.get("changed", []))
    note = scenario.get("description", "") or ("the notebook's own parameters" if set_name == DEFAULT else "")
    links = [(href(entry[k]), label) for k, label in (("html", "report"), ("ipynb", "notebook")) if entry.get(k)]
    return {"name": set_name, "note": note, "changed": changed, "ok": entry.get("status") != "failed",
            "failure": entry.get("failure", {}).get("message", ""), "links": links,
            "failed_link": href(entry["failed_ipynb"]) if entry.get("failed_ipynb") else ""}


def section(notebook: str, sets: dict[str, dict]) -> dict[str, Any]:
    """One question of the index: its words, its default answer line and its table of sets × key results."""
    names = _ordered_sets(sets)
    first = next((sets[n] for n in names if _summary(sets[n]).get("answer")), {})
    answer = _summary(first).get("answer") or {}
    default = sets.get(DEFAULT, {})
    default_answer = (_summary(default).get("answer") or {}).get("sentences") or [""]
    declared = _declarations(sets, names)
    rows = [{"name": k, "label": declared.get(k, {}).get("label", k), "unit": declared.get(k, {}).get("unit", ""),
             "meaning": declared.get(k, {}).get("meaning", ""),
             "cells": [_cell(sets[n], k, declared.get(k, {}),
                             None if n == DEFAULT else default.get("results", {}).get(k)) for n in names]}
            for k in _rows_order(sets, names, declared)]
    return {"id": notebook, "notebook": notebook, "question": answer.get("question") or notebook,
            "order": answer.get("order"), "answer_line": default_answer[0],
            "report": href(default["html"]) if default.get("html") else "",
            "columns": [_column(n, sets[n]) for n in names], "rows": rows,
            "source_quality": _source_quality(sets, names, default, declared)}


def _source_quality(sets: dict[str, dict], names: list[str], default: dict[str, Any],
                    declared: dict[str, dict], threshold: float = 5.0) -> list[dict[str, Any]]:
    """For each set run with ``min_grade`` changed: how many key results move by ``threshold`` % or more when
    rows resting only on weak sources are left out (``line``), and which (``moved``)."""
    lines = []
    for name in names:
        scenario = _summary(sets[name]).get("scenario") or {}
        grade = next((v for k, _, v in scenario.get("changed", []) if k == "min_grade"), None)
        if name == DEFAULT or not grade or default.get("status") != "ok" or sets[name].get("status") != "ok":
            continue
        base, other = default.get("results", {}), sets[name].get("results", {})
        moved = []
        for key in base:
            unit = declared.get(key, {}).get("unit", "")
            if results.moved(base[key], other.get(key), unit, threshold):
                label = declared.get(key, {}).get("label", key)
                fmt = declared.get(key, {}).get("fmt", "{}")
                _, change = results.change(base[key], other.get(key), unit)
                moved.append(f"{label}: {format_value(base[key], fmt)} → {format_value(other.get(key), fmt)}"
                             + (f" ({change})" if change else ""))
        lines.append({"line": f"With sources graded at least {grade} (set {name}): {len(moved)} of {len(base)} key "
                              f"results move by {threshold:g} % or more (a year by any) or are lost.", "moved": moved})
    return lines


def render(manifest: dict[str, Any], title: str = "Reports") -> str:
    """The index page for ``manifest`` (paths in it are relative to the reports folder)."""
    by_notebook: dict[str, dict[str, dict]] = {}
    for key, entry in sorted(manifest.get("reports", {}).items()):
        notebook, set_name = key.split("/", 1)
        by_notebook.setdefault(notebook, {})[set_name] = entry
    sections = sorted((section(nb, sets) for nb, sets in by_notebook.items()),
                      key=lambda s: (s["order"] is None, s["order"] or 0, s["notebook"]))
    total = sum(len(sets) for sets in by_notebook.values())
    failed = sum(e.get("status") == "failed" for sets in by_notebook.values() for e in sets.values())
    moved = any(c["moved_from"] is not None for s in sections for r in s["rows"] for c in r["cells"])
    return render_template(TEMPLATE, title=title, sections=sections, total=total, failed=failed, moved=moved)


def write(out: Path, manifest: dict[str, Any]) -> Path:
    """Write the index of ``manifest`` into ``out``, unless it is there already with the same content."""
    path, html = out / NAME, render(manifest)
    if not path.is_file() or path.read_text(encoding="utf-8") != html:
        write_text_atomic(path, html)
    return path
