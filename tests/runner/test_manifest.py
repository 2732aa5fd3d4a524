from __future__ import annotations

import json

import pytest

from kit.runner import manifest


def test_missing_corrupt_or_foreign_manifest_is_empty(tmp_path):
    assert manifest.load(tmp_path) == manifest.empty()
    (tmp_path / manifest.NAME).write_text('{"reports": {"a/b": {}}')  # cut short
    assert manifest.load(tmp_path) == manifest.empty()
    (tmp_path / manifest.NAME).write_text('{"format": 99, "reports": {}}')
    assert manifest.load(tmp_path) == manifest.empty()
    (tmp_path / manifest.NAME).write_text('[1, 2]')
    assert manifest.load(tmp_path) == manifest.empty()


def test_round_trip_sorted_and_leaves_no_temporary_file(tmp_path):
    data = {"format": manifest.FORMAT, "reports": {"b/x": {"z": 1, "a": "é"}, "a/y": {"status": "ok"}}}
    manifest.save(tmp_path, data)
    assert manifest.load(tmp_path) == data
    text = (tmp_path / manifest.NAME).read_text(encoding="utf-8")
    assert text.index('"a/y"') < text.index('"b/x"') and "é" in text
    assert [p.name for p in tmp_path.iterdir()] == [manifest.NAME]


@pytest.mark.slow
def test_a_run_writes_hashes_versions_duration_status_and_relative_paths(project):
    project.add("reads_b")
    assert project.run().code == 0
    data = json.loads((project.reports / manifest.NAME).read_text())
    entry = data["reports"]["reads_b/default"]
    assert entry["status"] == "ok" and entry["duration_s"] > 0
    assert entry["notebook"] == "notebooks/reads_b.ipynb" and entry["params"] == "params/reads_b/default.yaml"
    assert len(entry["notebook_sha256"]) == len(entry["params_sha256"]) == 64
    assert entry["packages"]["papermill"] and entry["packages"]["python"]
    assert entry["results"] == {"count": 2}
    assert str(project.root) not in json.dumps(data)
