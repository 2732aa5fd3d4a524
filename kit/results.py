"""Key results of a notebook: declared once, recorded as a display output that tools read back.

Each key result is declared once (``declare``: a label, a unit, a format, a one-line meaning, and the
reason shown when it is missing); the kit declares those its notebooks record (``kit.key_results``).
``record`` refuses an undeclared name. It shows the results as a table for the reader and, in the same
output, as JSON: the values under ``MIMETYPE`` (the golden tests and the batch runner read them) and
the declarations with the formatted texts under ``DECLARATIONS_MIMETYPE`` (the report index reads them).
A missing value is JSON null among the values and carries its reason: ``record(x=missing("why"))``, or
the declaration's ``if_missing`` for a plain None or NaN. Readers never see null, None or NaN: "—" and
the reason.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

MIMETYPE = "application/vnd.kit.results+json"
DECLARATIONS_MIMETYPE = "application/vnd.kit.key-results+json"
MISSING = "—"


@dataclass(frozen=True)
class KeyResult:
    """What a key result is: ``label`` (words), ``unit``, ``fmt`` (a template for one value, e.g.
    "${:,.1f} bn"; list items are formatted one by one), ``meaning`` (one line) and ``if_missing`` (the
    reason shown when the value is None)."""

    name: str
    label: str
    unit: str
    fmt: str
    meaning: str
    if_missing: str = "not in the data"

    def text(self, value: Any, reason: str = "") -> str:
        """``value`` formatted for readers; a missing value is "—" with its reason."""
        return format_value(value, self.fmt, reason or self.if_missing)


@dataclass(frozen=True)
class Missing:
    """A key result that has no value, and why."""

    reason: str


def missing(reason: str) -> Missing:
    """A missing key result carrying its reason: ``kit.record(x=kit.missing("not disclosed"))``."""
    if not reason.strip():
        raise ValueError("a missing key result needs its reason")
    return Missing(reason)


def _is_missing(value: Any) -> bool:
    return value is None or isinstance(value, Missing) or (isinstance(value, float) and math.isnan(value))


def format_value(value: Any, fmt: str = "{}", reason: str = "") -> str:
    """One value as text with ``fmt``: lists item by item, True/False as yes/no, missing as "— (reason)"."""
    if _is_missing(value):
        why = value.reason if isinstance(value, Missing) else reason
        return f"{MISSING} ({why})" if why else MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(format_value(v, fmt, reason) for v in value) if value else "none"
    try:
        return fmt.format(value)
    except (ValueError, TypeError):
        return str(value)


_DECLARED: dict[str, KeyResult] = {}


def declare(name: str, label: str, unit: str, fmt: str, meaning: str,
            if_missing: str = "not in the data") -> KeyResult:
    """Declare key result ``name`` (a notebook may declare its own; declaring again replaces it)."""
    if not name.isidentifier():
        raise ValueError(f"key result name {name!r} is not a plain Python name")
    for field, value in (("label", label), ("unit", unit), ("fmt", fmt), ("meaning", meaning)):
        if not str(value).strip():
            raise ValueError(f"key result {name!r}: {field} is empty")
    _DECLARED[name] = KeyResult(name, label, unit, fmt, meaning, if_missing)
    return _DECLARED[name]


def declared() -> dict[str, KeyResult]:
    """Every declared key result by name: the kit's own and those declared in this process."""
    import kit.key_results  # noqa: F401  (registers the kit's declarations on first import)

    return dict(_DECLARED)


#: units whose values are points in time: they move by a difference (years), not by a percent of themselves
YEAR_UNITS = ("calendar year", "year")


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def change(default: Any, value: Any, unit: str = "") -> tuple[float | None, str]:
    """How far a key result lies from the default run's: for a calendar year the years between (3.0,
    "+3 years"), for another number the percent of the default (12.5, "+12.5 %"); (None, "") when either is
    not a number, they are equal, or the default is zero."""
    if not (_number(default) and _number(value)) or value == default:
        return None, ""
    if unit in YEAR_UNITS:
        years = float(value - default)
        return years, f"{years:+g} year{'s' * (abs(years) != 1)}"
    if not default:
        return None, ""
    percent = round(100 * (value - default) / abs(default), 1)
    return percent, f"{percent:+.1f} %"


def moved(default: Any, value: Any, unit: str = "", min_percent: float = 5.0) -> bool:
    """Whether a key result moved enough to report: a number by ``min_percent`` % of the default or more (any
    change from zero), a calendar year by any number of years, anything else when it differs."""
    if value == default:
        return False
    amount, _ = change(default, value, unit)
    return amount is None or unit in YEAR_UNITS or abs(amount) >= min_percent  # None: not two numbers, or from zero


def _plain(value: Any) -> Any:
    if isinstance(value, Missing):
        return None
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
    """Display ``results`` (name=value) as the notebook's key results and return them as plain JSON types.
    Every name must be declared (``declare``); a value may be ``missing("reason")``."""
    from IPython.display import display

    from kit.present.html import render

    known = declared()
    undeclared = sorted(set(results) - set(known))
    if undeclared:
        raise KeyError(f"undeclared key result(s): {', '.join(undeclared)}: declare each with "
                       "kit.declare(name, label, unit, fmt, meaning) before recording it")
    plain = {k: _plain(v) for k, v in sorted(results.items())}
    items = []
    for name, value in results.items():
        decl = known[name]
        reason = (value.reason if isinstance(value, Missing) else decl.if_missing) if _is_missing(value) else ""
        item = {k: v for k, v in asdict(decl).items() if k != "if_missing"}
        item.update(text=decl.text(value, reason), **({"missing": reason} if reason else {}))
        items.append(item)
    text = "\n".join(f"{item['label']}: {item['text']}" for item in items)
    html = render("key_results.html.j2", items=items)
    display({MIMETYPE: plain, DECLARATIONS_MIMETYPE: items, "text/html": html, "text/plain": "Key results\n" + text},
            raw=True)
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


def read_declarations(notebook: dict) -> list[dict[str, Any]]:
    """The declarations (label, unit, fmt, meaning, text, missing reason) of the key results recorded
    in an executed notebook, in the order they were recorded (a later record of a name replaces it)."""
    found: dict[str, dict[str, Any]] = {}
    for cell in notebook.get("cells", []):
        for out in cell.get("outputs", []):
            for item in out.get("data", {}).get(DECLARATIONS_MIMETYPE, []):
                found.pop(item["name"], None)
                found[item["name"]] = item
    return list(found.values())


def summary(notebook: dict) -> dict[str, Any]:
    """What an executed notebook says about itself, for the report index: its key results' declarations
    (``key_results``), its answer (``answer``: question, sentences, order, links) and its scenario
    (``scenario``: name, description, changed parameters). Parts it does not display are left out."""
    from kit.present.html import pieces

    out: dict[str, Any] = {"key_results": [{k: v for k, v in item.items() if k != "text"}
                                           for item in read_declarations(notebook)]}
    for piece in pieces(notebook):
        if piece.get("kind") in ("answer", "scenario"):
            out[piece["kind"]] = {k: v for k, v in piece.items() if k not in ("kind", "top")}
    return out
