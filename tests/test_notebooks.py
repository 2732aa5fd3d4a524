"""The committed notebooks: parameters agree with params/, outputs are clean and complete."""
from __future__ import annotations

import ast
import json
import re

import papermill
import pytest
import yaml

from kit.results import MIMETYPE
from tests.conftest import ROOT

QUESTIONS = ["partnership_value", "aws_vs_azure", "alliance_shifts", "seed_factcheck"]
NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
REQUIRED_PARAMETERS = {"as_of", "figures_dir"}


def defaults(name: str) -> dict:
    found = papermill.inspect_notebook(str(ROOT / "notebooks" / f"{name}.ipynb"))
    return {key: ast.literal_eval(p["default"]) for key, p in found.items()}


def test_one_notebook_per_question():
    assert NOTEBOOKS == sorted(QUESTIONS)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_default_yaml_equals_the_parameters_cell(name):
    default = yaml.safe_load((ROOT / "params" / name / "default.yaml").read_text(encoding="utf-8"))
    cell = defaults(name)
    assert REQUIRED_PARAMETERS <= cell.keys()
    assert default == cell
    assert {k: type(v) for k, v in default.items()} == {k: type(v) for k, v in cell.items()}


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_scenario_sets_only_known_parameters_of_the_right_type(name):
    cell = defaults(name)
    files = sorted((ROOT / "params" / name).glob("*.yaml"))
    assert len(files) >= 2, "a default and at least one named scenario"
    for path in files:
        values = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        assert values.keys() <= cell.keys(), f"{path.name}: unknown {sorted(values.keys() - cell.keys())}"
        for key, value in values.items():
            assert isinstance(value, type(cell[key])) or (type(cell[key]) is float and type(value) is int), \
                f"{path.name}: {key}={value!r} is not {type(cell[key]).__name__}"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_committed_outputs_are_complete_and_clean(name):
    text = (ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8")
    nb = json.loads(text)
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c["execution_count"] for c in code), "every code cell is executed"
    outputs = [o for c in code for o in c["outputs"]]
    assert not [o for o in outputs if o["output_type"] == "error"], "no error output"
    assert not [o for o in outputs if o.get("name") == "stderr"], "no warnings or stderr"
    assert any(MIMETYPE in o.get("data", {}) for o in outputs), "key results recorded with kit.record"
    assert "papermill" not in nb["metadata"]
    assert not re.search(r'"(start_time|end_time)": "\d', text), "no execution timestamps"
    # a machine path, not a web address's path (a source URL may hold /home/)
    assert not re.search(r"(?<![\w.-])(/root/|/home/|/tmp/|/work/|/Users/)|0x[0-9a-f]{8,}", text), "no paths or addresses"


@pytest.mark.slow
def test_the_plain_papermill_cli_runs_a_notebook_with_a_scenario_file(tmp_path):
    """Users without the kit's runner: `papermill NB OUT -f params/NB/SET.yaml` gives the same key results."""
    import subprocess
    import sys
    from pathlib import Path

    from kit import results
    from kit.golden import compare, read_golden

    out = tmp_path / "strict.ipynb"
    papermill_cli = Path(sys.executable).with_name("papermill")
    subprocess.run([str(papermill_cli), "notebooks/seed_factcheck.ipynb", str(out), "-f",
                    "params/seed_factcheck/strict.yaml", "--no-progress-bar"], cwd=ROOT, check=True,
                   capture_output=True)
    new = results.read(json.loads(out.read_text(encoding="utf-8")))
    assert compare(read_golden(ROOT / "tests/golden/seed_factcheck/strict.json"), new) == []
