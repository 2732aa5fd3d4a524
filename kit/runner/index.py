"""``reports/index.html``: per notebook, a table of its parameter sets (columns) with status, links and
key results (rows); the seed article's fact check first when the project has a ``seed_factcheck``
notebook. Built from the manifest alone, deterministically."""
from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

from kit.fsio import write_text_atomic

NAME = "index.html"
FACTCHECK = "seed_factcheck"

_CSS = """body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:70rem;
padding:0 1rem;color:#222}h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;
text-align:left;vertical-align:top}thead th{background:#f5f5f5}tbody th{font-weight:normal;color:#555}.failed{color:#b00020;font-weight:bold}
.ok{color:#1b5e20}td{font-variant-numeric:tabular-nums}.factcheck{background:#f7f9fc;padding:.5rem 1rem;
border-left:4px solid #0078d4}"""


def _value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _link(path: str | None, label: str) -> str:
    return f'<a href="{escape(path)}">{escape(label)}</a>' if path else ""


def _status(entry: dict[str, Any]) -> str:
    links = " · ".join(x for x in (_link(entry.get("html"), "report"), _link(entry.get("ipynb"), "notebook")) if x)
    if entry.get("status") != "failed":
        return f'<span class="ok">ok</span><br>{links}'
    message = escape(entry.get("failure", {}).get("message", ""))
    earlier = f"<br>earlier report: {links}" if links else ""
    return (f'<span class="failed">failed</span>: {message}<br>'
            f'{_link(entry.get("failed_ipynb"), "failed notebook")}{earlier}')


def _cell(notebook: str, name: str, entry: dict[str, Any]) -> str:
    """A key result; in the fact check, each flagged claim id links to its evidence in the report."""
    value = entry["results"][name]
    if notebook == FACTCHECK and name.endswith("_claim_ids") and isinstance(value, list) and entry.get("html"):
        return ", ".join(_link(f"{entry['html']}#evidence-{claim}", str(claim)) for claim in value)
    return escape(_value(value))


def _table(notebook: str, sets: dict[str, dict[str, Any]]) -> str:
    """Key results as rows, parameter sets as columns, so scenarios compare side by side."""
    names = sorted({name for e in sets.values() if e.get("status") == "ok" for name in e.get("results", {})})
    head = "".join(f"<th>{escape(set_name)}</th>" for set_name in sets)
    rows = [f"<tr><th>status</th>{''.join(f'<td>{_status(e)}</td>' for e in sets.values())}</tr>"]
    for name in names:
        cells = "".join(
            f"<td>{_cell(notebook, name, e) if e.get('status') == 'ok' and name in e.get('results', {}) else ''}</td>"
            for e in sets.values())
        rows.append(f"<tr><th>{escape(name)}</th>{cells}</tr>")
    if not names:
        rows.append(f'<tr><th>key results</th><td colspan="{len(sets)}"><em>none recorded</em></td></tr>')
    return (f'<table id="{escape(notebook)}"><thead><tr><th>parameter set</th>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def render(manifest: dict[str, Any], title: str = "Reports") -> str:
    """The index page for ``manifest`` (paths in it are relative to the reports folder)."""
    by_notebook: dict[str, dict[str, dict]] = {}
    for key, entry in sorted(manifest.get("reports", {}).items()):
        notebook, set_name = key.split("/", 1)
        by_notebook.setdefault(notebook, {})[set_name] = entry
    total = sum(len(sets) for sets in by_notebook.values())
    failed = sum(e.get("status") == "failed" for sets in by_notebook.values() for e in sets.values())
    parts = [f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>',
             f"<style>{_CSS}</style></head><body><h1>{escape(title)}</h1>",
             f"<p>{total} report{'s' * (total != 1)}"
             + (f', <span class="failed">{failed} failed</span>' if failed else "") + ".</p>"]
    if not by_notebook:
        parts.append("<p>No reports yet: run <code>kit run</code>.</p>")
    if FACTCHECK in by_notebook:
        parts.append('<section class="factcheck"><h2>Fact check of the seed article</h2>')
        parts.append(_table(FACTCHECK, by_notebook.pop(FACTCHECK)))
        parts.append("</section>")
    for notebook, sets in by_notebook.items():
        parts.append(f"<h2>{escape(notebook)}</h2>")
        parts.append(_table(notebook, sets))
    parts.append("</body></html>\n")
    return "\n".join(parts)


def write(out: Path, manifest: dict[str, Any]) -> Path:
    """Write the index of ``manifest`` into ``out``, unless it is there already with the same content."""
    path, html = out / NAME, render(manifest)
    if not path.is_file() or path.read_text(encoding="utf-8") != html:
        write_text_atomic(path, html)
    return path
