from __future__ import annotations

import pytest

from kit.runner.discover import DiscoveryError, Project, discover, find_project


def keys(pairs):
    return [p.key for p in pairs]


def test_every_notebook_with_every_parameter_file_sorted(project):
    project.add("reads_a", "reads_b", "broken")
    pairs = discover(Project(project.root))
    assert keys(pairs) == ["broken/default", "reads_a/default", "reads_a/high", "reads_b/default"]
    assert all(p.notebook.is_absolute() and p.params.is_absolute() for p in pairs)


def test_notebook_without_parameter_files_runs_once_with_defaults(project):
    project.add("reads_b")
    (project.root / "notebooks" / "plain.ipynb").write_text((project.root / "notebooks" / "reads_b.ipynb").read_text())
    pairs = discover(Project(project.root))
    assert [(p.key, p.params) for p in pairs if p.name == "plain"] == [("plain/default", None)]


def test_hidden_failed_and_checkpoint_notebooks_are_skipped(project):
    project.add("reads_b")
    for name in (".hidden.ipynb", "_draft.ipynb", "x.failed.ipynb"):
        (project.root / "notebooks" / name).write_text("{}")
    assert keys(discover(Project(project.root))) == ["reads_b/default"]


def test_named_notebooks_and_parameter_files(project):
    project.add("reads_a", "reads_b")
    p = Project(project.root)
    assert keys(discover(p, ["reads_a"])) == ["reads_a/default", "reads_a/high"]
    assert keys(discover(p, [str(project.root / "notebooks" / "reads_b.ipynb")])) == ["reads_b/default"]
    assert keys(discover(p, params=[str(project.params("reads_a", "high"))])) == ["reads_a/high"]
    # parameter files choose exactly their pairs; a notebook named beside them only confirms it
    assert keys(discover(p, ["reads_a"], [str(project.params("reads_a", "high"))])) == ["reads_a/high"]
    with pytest.raises(DiscoveryError, match="reads_b: none of the --params files"):
        discover(p, ["reads_b"], [str(project.params("reads_a", "high"))])
    # the same pair named twice is run once
    assert keys(discover(p, ["reads_b", "notebooks/reads_b.ipynb"])) == ["reads_b/default"]


def test_unknown_names_are_clear_errors(project, monkeypatch):
    project.add("reads_a")
    monkeypatch.chdir(project.root)
    p = Project(project.root)
    with pytest.raises(DiscoveryError, match=r"no notebook 'nope' \(known: reads_a\)"):
        discover(p, ["nope"])
    with pytest.raises(DiscoveryError, match="no such parameter file"):
        discover(p, params=["params/reads_a/missing.yaml"])
    (project.root / "params" / "orphan").mkdir()
    (project.root / "params" / "orphan" / "x.yaml").write_text("a: 1\n")
    with pytest.raises(DiscoveryError, match="'orphan' names no notebook"):
        discover(p, params=["params/orphan/x.yaml"])


def test_project_is_found_from_a_subfolder(project):
    (project.root / "notebooks" / "sub").mkdir()
    assert find_project(project.root / "notebooks" / "sub").root == project.root.resolve()
