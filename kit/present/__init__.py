"""The presentation layer: report pieces a notebook displays, rendered from Jinja2 templates.

Public API::

    present.answer(question, sentences, order, links)  # the "Answer" block, moved to the report's top
    present.value(name, x)                 # x formatted as the declared key result `name`
    present.value_range(low_name, low, high_name, high)  # "low to high", or one value when equal
    present.banner(scenario)               # the scenario's name, description and changed parameters
    present.chart_title(title, scenario)   # a chart title naming a non-default scenario
    present.table(frame, formats, links, anchor, missing, headers, caption)  # a DataFrame for readers
    present.with_grade(frame)              # the source's quality grade beside each row
    present.sources_list(*frames)          # the sources this report used, each with a link
    present.label(code), present.column_label(name)  # readable category codes and column names

It imports the data layer, never the runner; plotting lives in ``kit.theme``. The pieces that need
pandas (tables, sources) are imported when first used, so the runner's index, which uses the light
ones, starts without it.
"""
from importlib import import_module
from typing import Any

from kit.present.answer import answer, contents, value, value_range
from kit.present.labels import column_label, label
from kit.present.scenario import Scenario, banner, chart_title, scenario_of

__all__ = ["answer", "banner", "chart_title", "cite", "column_label", "contents", "label", "Scenario",
           "scenario_of", "sources_list", "table", "value", "value_range", "with_grade"]

_LATER = {"cite": "sources", "sources_list": "sources", "with_grade": "sources", "table": "tables"}


def __getattr__(name: str) -> Any:
    if name in _LATER:
        return getattr(import_module(f"kit.present.{_LATER[name]}"), name)
    raise AttributeError(f"module 'kit.present' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LATER})
