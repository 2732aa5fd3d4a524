"""Scenarios named: which parameter set a report ran with, what it assumes, and what it changes.

``kit run`` gives a notebook that has a ``scenario`` parameter the value of ``injected(...)``: the set's
name, its description (the comment lines at the top of ``params/<notebook>/<set>.yaml``) and the
parameters that differ from the notebook's defaults, with both values. Plain papermill may pass the
name alone (``-p scenario ai_boom``). ``banner`` shows it at the top of the report; ``chart_title``
puts the scenario's name into the titles of a non-default run's charts.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Mapping

from kit.present.html import Fragment, render

DEFAULT = "default"
#: parameters every notebook has that say where output goes, not what is assumed
NOT_ASSUMPTIONS = ("figures_dir", "scenario")


@dataclass(frozen=True)
class Scenario:
    """A parameter set: ``name``, ``description`` and ``changed`` as (parameter, default, value) triples."""

    name: str = DEFAULT
    description: str = ""
    changed: tuple[tuple[str, Any, Any], ...] = field(default_factory=tuple)

    @property
    def is_default(self) -> bool:
        return self.name == DEFAULT and not self.changed


def scenario_of(value: Any) -> Scenario:
    """The scenario a notebook runs: from the injected mapping, a plain name, or "" / {} (the defaults)."""
    if isinstance(value, Scenario):
        return value
    if not value:
        return Scenario()
    if isinstance(value, str):
        return Scenario(value)
    if isinstance(value, Mapping):
        changed = tuple((str(k), d, v) for k, d, v in value.get("changed", []))
        return Scenario(str(value.get("name") or DEFAULT), str(value.get("description", "")), changed)
    raise TypeError(f"scenario must be a name or the mapping kit run injects, not {type(value).__name__}")


def description(params_text: str) -> str:
    """The comment lines at the top of a parameter file, as one line ("" if there are none)."""
    lines = []
    for line in params_text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            break
        lines.append(stripped.lstrip("#").strip())
    return " ".join(line for line in lines if line)


def injected(set_name: str, params_text: str, values: Mapping[str, Any], defaults: Mapping[str, Any]) -> dict:
    """What ``kit run`` passes as ``scenario``: name, description and the changed parameters (in file order)."""
    changed = [[k, defaults[k], v] for k, v in values.items()
               if k not in NOT_ASSUMPTIONS and k in defaults and defaults[k] != v]
    return {"name": set_name, "description": description(params_text), "changed": changed}


def parameter_text(value: Any) -> str:
    """A parameter value as a reader sees it: "(empty)", yes/no, text as is, else JSON ([15.0, 30.0])."""
    if value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def banner(scenario: Any) -> Fragment:
    """The scenario banner: its name, its description and a table of the parameters it changes, default
    beside this run's value. For the defaults, one line saying so."""
    s = scenario_of(scenario)
    rows = [{"name": k, "default": parameter_text(d), "value": parameter_text(v)} for k, d, v in s.changed]
    html = render("banner.html.j2", name=s.name, description=s.description, rows=rows, is_default=s.is_default)
    text = ("Default parameters" if s.is_default else f"Scenario {s.name}: {s.description}".rstrip(": ")) + "".join(
        f"\n  {r['name']}: {r['default']} -> {r['value']}" for r in rows)
    piece = {"kind": "scenario", "top": 0, "name": s.name, "description": s.description,
             "changed": [list(c) for c in s.changed]}
    return Fragment(html, text, piece)


def chart_title(title: str, scenario: Any) -> str:
    """``title``, with the scenario's name in a non-default run (so its charts never pass for the default's)."""
    s = scenario_of(scenario)
    return title if s.is_default else f"{title} — scenario {s.name}"
