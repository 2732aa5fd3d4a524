"""Every report regenerates bit for bit: a second forced run of every parameter set, into another folder,
gives the same bytes as the session's batch (``project_reports``, also read by the golden tests). In its own
file so that pytest-xdist starts it beside the golden tests rather than after them."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.reports_fixtures import project_reports  # noqa: F401 (pytest fixture)

pytestmark = [pytest.mark.slow, pytest.mark.batch, pytest.mark.extended]


def _report_files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != ".lock"}


def test_every_report_is_regenerated_bit_for_bit(request, tmp_path):
    """A second forced run of every parameter set, into another folder, gives the same bytes in every file:
    reports, notebooks, figures, index; the manifest differs only in the durations. (This run first, then the
    session's batch: so the two are made at the same time in two workers.)"""
    proc = subprocess.run([sys.executable, "-m", "kit.cli", "run", "--force", "--out", str(tmp_path)],
                          capture_output=True, text=True, cwd=ROOT,
                          env={k: v for k, v in os.environ.items() if k != "KIT_SCHEDULER"})
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    first, second = _report_files(request.getfixturevalue("project_reports")), _report_files(tmp_path)
    assert sorted(first) == sorted(second)
    assert [rel for rel in first if rel != "manifest.json" and first[rel] != second[rel]] == []
    manifests = [json.loads(files["manifest.json"]) for files in (first, second)]
    for manifest in manifests:
        for entry in manifest["reports"].values():
            entry.pop("duration_s")
    assert manifests[0] == manifests[1]
