"""``reports/index.html``: every report with its status and key results, and the fact-check summary
when the project has a ``seed_factcheck`` notebook. Built from the manifest alone, deterministically."""
from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

from kit.runner.fsio import write_text_atomic

NAME = "index.html"
FACTCHECK = "seed_factcheck"

_CSS = """body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:70rem;
padding:0 1rem;color:#222}h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;
text-align:left;vertical-align:top}th{background:#f5f5f5}.failed{color:#b00020;font-weight:bold}
.ok{color:#1b5e20}dl{margin:0;display:grid;grid-template-columns:max-content auto;gap:0 .8rem}
dt{color:#555}dd{margin:0;font-variant-numeric:tabular-nums}.factcheck{background:#f7f9fc;padding:.5rem 1rem;
border-left:4px solid #0078d4}"""


def _value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _results(results: dict[str, Any]) -> str:
    if not results:
        return "<em>none recorded</em>"
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(_value(v))}</dd>" for k, v in sorted(results.items()))
    return f"<dl>{items}</dl>"


def _link(path: str | None, label: str) -> str:
    return f'<a href="{escape(path)}">{escape(label)}</a>' if path else ""


def _row(set_name: str, entry: dict[str, Any]) -> str:
    links = [_link(entry.get("html"), "report"), _link(entry.get("ipynb"), "notebook")]
    if entry.get("status") == "failed":
        failure = entry.get("failure", {})
        status = f'<span class="failed">failed</span><br>{escape(failure.get("message", ""))}'
        links.append(_link(entry.get("failed_ipynb"), "failed notebook"))
        results = "<em>see the failed notebook</em>" + (
            "; the report linked is from an earlier run" if entry.get("html") else "")
    else:
        status = '<span class="ok">ok</span>'
        results = _results(entry.get("results", {}))
    links_html = " · ".join(link for link in links if link)
    return (f"<tr><td>{escape(set_name)}</td><td>{status}</td><td>{links_html}</td>"
            f"<td>{results}</td></tr>")


def render(manifest: dict[str, Any], title: str = "Reports") -> str:
    """The index page for ``manifest`` (paths in it are relative to the reports folder)."""
    by_notebook: dict[str, dict[str, dict]] = {}
    for key, entry in sorted(manifest.get("reports", {}).items()):
        notebook, set_name = key.split("/", 1)
        by_notebook.setdefault(notebook, {})[set_name] = entry
    parts = [f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{escape(title)}</title>",
             f"<style>{_CSS}</style></head><body><h1>{escape(title)}</h1>"]
    failed = sum(e.get("status") == "failed" for sets in by_notebook.values() for e in sets.values())
    total = sum(len(sets) for sets in by_notebook.values())
    parts.append(f"<p>{total} report{'s' * (total != 1)}"
                 + (f", <span class=\"failed\">{failed} failed</span>" if failed else "") + ".</p>")
    factcheck = by_notebook.get(FACTCHECK, {})
    if factcheck:
        parts.append('<section class="factcheck"><h2>Fact check of the seed article</h2>')
        for set_name, entry in sorted(factcheck.items()):
            parts.append(f"<p>{_link(entry.get('html'), f'{FACTCHECK} / {set_name}')}</p>")
            parts.append(_results(entry.get("results", {})) if entry.get("status") == "ok"
                         else '<p class="failed">failed: see below</p>')
        parts.append("</section>")
    if not by_notebook:
        parts.append("<p>No reports yet: run <code>kit run</code>.</p>")
    for notebook, sets in by_notebook.items():
        parts.append(f'<h2 id="{escape(notebook)}">{escape(notebook)}</h2>')
        parts.append("<table><thead><tr><th>parameter set</th><th>status</th><th>files</th>"
                     "<th>key results</th></tr></thead><tbody>")
        parts.extend(_row(set_name, entry) for set_name, entry in sets.items())
        parts.append("</tbody></table>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def write(out: Path, manifest: dict[str, Any]) -> Path:
    return write_text_atomic(out / NAME, render(manifest))
