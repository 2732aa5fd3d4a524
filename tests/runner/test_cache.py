from __future__ import annotations

import json
from pathlib import Path

import pytest

from kit.runner import cache

HERE = Path(__file__).parent


def _nb(**cell_overrides) -> bytes:
    cell = {"cell_type": "code", "source": ["x = 1\n", "y = 2"], "metadata": {"tags": []}, "outputs": [],
            "execution_count": None, **cell_overrides}
    return json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode()


def test_notebook_hash_follows_code_not_outputs_or_metadata():
    base = cache.notebook_hash(_nb())
    assert cache.notebook_hash(_nb(outputs=[{"output_type": "stream", "text": "hi"}], execution_count=3)) == base
    assert cache.notebook_hash(_nb(source="x = 1\ny = 2")) == base  # list or string source
    assert cache.notebook_hash(_nb(source="x = 1\ny = 3")) != base
    assert cache.notebook_hash(_nb(metadata={"tags": ["parameters"]})) != base


def test_folder_hashes_skip_hidden_files_and_caches(tmp_path):
    (tmp_path / "a.csv").write_text("1")
    (tmp_path / ".a.csv.x.tmp").write_text("partial")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "m.pyc").write_bytes(b"x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.py").write_text("2")
    assert set(cache.folder_hashes(tmp_path)) == {"a.csv", "sub/b.py"}
    assert set(cache.folder_hashes(tmp_path, (".py",))) == {"sub/b.py"}


def test_module_names_map_to_files_and_the_runner_is_always_included():
    code = cache.code_hashes()
    assert "kit/data.py" in code and "kit/runner/__init__.py" in code
    files = cache.module_files(["kit", "kit.data", "kit.runner"], code)
    assert {"kit/__init__.py", "kit/data.py", "kit/runner/__init__.py", *cache.RUNNER_CODE} == set(files)


def test_packages_name_python_the_kit_and_its_dependencies():
    versions = cache.packages()
    assert {"python", "ai-alliances-kit", "pandas", "papermill", "ipykernel"} <= set(versions)


def test_the_environment_counts_every_installed_distribution(tmp_path, monkeypatch):
    """A package the kit does not declare (Jinja2, mistune: they shape the HTML) counts as much as pandas."""
    import sys

    before = cache.environment.__wrapped__()
    site = tmp_path / "site-packages"
    (site / "jinja2-99.0.dist-info").mkdir(parents=True)
    monkeypatch.setattr(sys, "path", [*sys.path, str(site)])
    with_one = cache.environment.__wrapped__()
    (site / "jinja2-99.0.dist-info").rename(site / "jinja2-99.1.dist-info")
    assert len({before, with_one, cache.environment.__wrapped__()}) == 3


def test_is_fresh(tmp_path):
    out = tmp_path / "r.html"
    out.write_text("x")
    inputs = {"notebook_sha256": "n", "params_sha256": "p"}
    entry = {**inputs, "status": "ok", "data": {"a.csv": "1"}, "code": {"kit/data.py": "c"}}
    data, code = {"a.csv": "1", "b.csv": "2"}, {"kit/data.py": "c", "kit/theme.py": "t"}
    assert cache.is_fresh(entry, inputs, data, code, [out])
    assert cache.is_fresh(entry, inputs, {**data, "b.csv": "changed"}, {**code, "kit/theme.py": "x"}, [out])
    assert not cache.is_fresh(entry, {**inputs, "params_sha256": "q"}, data, code, [out])
    assert not cache.is_fresh(entry, inputs, {**data, "a.csv": "changed"}, code, [out])
    assert not cache.is_fresh(entry, inputs, {"b.csv": "2"}, code, [out])  # a file it read is gone
    assert not cache.is_fresh(entry, inputs, data, {**code, "kit/data.py": "changed"}, [out])
    assert not cache.is_fresh({**entry, "status": "failed"}, inputs, data, code, [out])
    assert not cache.is_fresh(entry, inputs, data, code, [out, tmp_path / "missing.ipynb"])
    assert not cache.is_fresh(None, inputs, data, code, [out])


# -- through kit run ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_second_run_executes_nothing_and_only_what_changed_is_re_run(project):
    project.add("reads_a", "reads_b")
    first = project.run()
    assert first.code == 0, first
    assert first.executed == {"reads_a/default", "reads_a/high", "reads_b/default"}
    second = project.run()
    assert second.code == 0 and not second.executed, second
    assert "nothing to do: 3 reports up to date" in second.output

    manifest = project.reports / "manifest.json"
    entries = json.loads(manifest.read_text())["reports"]
    assert entries["reads_a/high"]["data"] == {"a.csv": cache.file_hash(project.data / "a.csv")}
    assert entries["reads_b/default"]["data"] == {"b.csv": cache.file_hash(project.data / "b.csv")}
    assert "kit/results.py" in entries["reads_a/high"]["code"]

    # one parameter file: only its pair
    project.params("reads_a", "high").write_text("factor: 11\nlabel: high\n")
    run = project.run()
    assert run.executed == {"reads_a/high"}, run
    assert json.loads(manifest.read_text())["reports"]["reads_a/high"]["results"]["total"] == 66.0

    # one data file: only the pairs that read it
    (project.data / "b.csv").write_text("5\n6\n7\n")
    assert project.run().executed == {"reads_b/default"}
    (project.data / "a.csv").write_text("1\n")
    assert project.run().executed == {"reads_a/default", "reads_a/high"}
    (project.data / "unused.csv").write_text("9\n")
    assert project.run().executed == set()

    # kit code: a changed module re-runs the pairs that imported it. The kit is shared, so instead of
    # editing it, the manifest is made to remember an older version of one module for one pair.
    data = json.loads(manifest.read_text())
    data["reports"]["reads_b/default"]["code"]["kit/results.py"] = "0" * 64
    manifest.write_text(json.dumps(data))
    assert project.run().executed == {"reads_b/default"}

    # the notebook's code (not its outputs): only its pairs
    nb = project.root / "notebooks" / "reads_b.ipynb"
    nb.write_text(nb.read_text().replace("kit.record(count=len(values))", "kit.record(count=len(values) + 1)"))
    run = project.run()
    assert run.executed == {"reads_b/default"}
    assert json.loads(manifest.read_text())["reports"]["reads_b/default"]["results"] == {"count": 4}


@pytest.mark.slow
def test_force_re_runs_everything_and_a_deleted_report_is_remade(project):
    project.add("reads_b", "broken")
    assert project.run().code == 0
    assert project.run("--force").executed == {"reads_b/default", "broken/default"}
    (project.reports / "broken" / "default.html").unlink()
    assert project.run().executed == {"broken/default"}

