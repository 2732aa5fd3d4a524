"""Every key result the notebooks record is declared with a label, a unit, a format and a meaning."""
from __future__ import annotations

import json
import re

import pytest

from kit.results import declared
from tests.conftest import ROOT

GOLDEN = sorted((ROOT / "tests" / "golden").glob("*/*.json"))
RECORDED = sorted({(name, json.dumps(value)) for path in GOLDEN
                   for name, value in json.loads(path.read_text(encoding="utf-8")).items()})


def test_golden_files_exist():
    assert GOLDEN and RECORDED


@pytest.mark.parametrize("name", sorted({name for name, _ in RECORDED}))
def test_every_recorded_key_result_has_a_label_a_unit_a_format_and_a_meaning(name):
    decl = declared().get(name)
    assert decl is not None, f"{name} is recorded but not declared in kit/key_results.py"
    assert decl.label.strip() and decl.unit.strip() and decl.fmt.strip() and decl.meaning.strip()
    assert decl.label != name, "the label is words, not the key"


@pytest.mark.parametrize("name, value", RECORDED)
def test_every_recorded_value_formats_for_readers(name, value):
    text = declared()[name].text(json.loads(value))
    assert text and not re.search(r"\b(nan|NaN|None|null)\b", text), text
