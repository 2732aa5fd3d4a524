"""Every parameter set runs, and its key results equal the golden ones within stated tolerances."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kit import results
from tests.conftest import ROOT, edit_csv, golden_differences
from tests.reports_fixtures import project_reports  # noqa: F401 (pytest fixture)

pytestmark = [pytest.mark.slow, pytest.mark.batch]

GOLDEN = ROOT / "tests" / "golden"
KIT = [sys.executable, "-m", "kit.cli"]
PAIRS = sorted((p.parent.name, p.stem) for p in (ROOT / "params").glob("*/*.yaml"))


def run_batch(out: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*KIT, "run", "--force", "--out", str(out), *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, cwd=ROOT)


def key_results(out: Path, notebook: str, parameter_set: str) -> dict:
    return results.read(json.loads((out / notebook / f"{parameter_set}.ipynb").read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def batch(project_reports) -> Path:
    """Every parameter set run once for the session (shared with the report and browser tests)."""
    return project_reports


def test_every_parameter_set_has_a_golden_file_and_no_golden_file_is_stale():
    goldens = sorted((p.parent.name, p.stem) for p in GOLDEN.glob("*/*.json"))
    assert goldens == PAIRS


@pytest.mark.parametrize("notebook, parameter_set", PAIRS, ids=[f"{n}/{s}" for n, s in PAIRS])
def test_key_results_equal_golden(batch, notebook, parameter_set):
    new = key_results(batch, notebook, parameter_set)
    assert new, "the notebook recorded no key results"
    diffs = golden_differences(notebook, parameter_set, new)
    assert not diffs, f"{notebook}/{parameter_set}: key results moved\n" + "\n".join(map(str, diffs))


def test_a_changed_data_value_fails_with_a_diff_naming_the_result(data_copy, tmp_path):
    """Scale every AWS revenue figure by 10 % in a private copy of the data: the conclusion must move."""
    import csv

    path = data_copy / "cloud_revenue.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for line, row in enumerate(rows, start=2):
        if row["segment"] == "aws" and row["revenue_usd_billion"]:
            edit_csv(path, line, "revenue_usd_billion", f"{float(row['revenue_usd_billion']) * 1.1:.3f}")
    proc = run_batch(tmp_path / "reports", "aws_vs_azure", "--params", str(ROOT / "params/aws_vs_azure/default.yaml"),
                     env={"KIT_DATA_DIR": str(data_copy)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    new = key_results(tmp_path / "reports", "aws_vs_azure", "default")
    diffs = golden_differences("aws_vs_azure", "default", new)
    assert diffs, "changing AWS revenue by 10 % moved no key result"
    text = "\n".join(map(str, diffs))
    assert any("aws" in d.result for d in diffs), text
    assert "golden" in text and "now" in text
