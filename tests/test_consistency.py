"""One quantity, one value: a key result recorded under the same name by two notebooks has the same value
in every pair of parameter sets that read the same data (same ``as_of`` and ``min_grade``).

The golden files hold every parameter set's key results and ``test_golden_reports`` keeps them equal to a
fresh run, so comparing golden files compares the reports."""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import yaml

from kit.golden import read_golden

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
PARAMS = ROOT / "params"


def _settings(notebook: str, set_name: str) -> tuple[str, str]:
    """The data a set reads: its ``as_of`` and ``min_grade`` over its notebook's defaults."""
    values = dict(yaml.safe_load((PARAMS / notebook / "default.yaml").read_text(encoding="utf-8")) or {})
    values.update(yaml.safe_load((PARAMS / notebook / f"{set_name}.yaml").read_text(encoding="utf-8")) or {})
    return str(values.get("as_of", "") or ""), str(values.get("min_grade", "") or "")


def _recorded() -> dict[tuple[str, str], dict[str, dict[str, object]]]:
    """(as_of, min_grade) → result name → {'<notebook>/<set>': value}."""
    groups: dict[tuple[str, str], dict[str, dict[str, object]]] = defaultdict(lambda: defaultdict(dict))
    for path in sorted(GOLDEN.glob("*/*.json")):
        notebook, set_name = path.parent.name, path.stem
        for name, value in read_golden(path).items():
            groups[_settings(notebook, set_name)][name][f"{notebook}/{set_name}"] = value
    return groups


def test_every_golden_file_belongs_to_a_parameter_set():
    for path in GOLDEN.glob("*/*.json"):
        assert (PARAMS / path.parent.name / f"{path.stem}.yaml").is_file(), path


def test_a_quantity_recorded_by_two_notebooks_has_one_value():
    disagreements = []
    for (as_of, min_grade), names in sorted(_recorded().items()):
        for name, values in sorted(names.items()):
            notebooks = {key.split("/")[0] for key in values}
            if len(notebooks) > 1 and len({repr(v) for v in values.values()}) > 1:
                disagreements.append(f"{name} (as_of={as_of or 'all'}, min_grade={min_grade or 'all'}): "
                                     + ", ".join(f"{k}={v!r}" for k, v in sorted(values.items())))
    assert not disagreements, "\n".join(disagreements)
