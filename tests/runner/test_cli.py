from __future__ import annotations

import pytest

from kit.cli import build_parser, main
from tests.runner.conftest import plant


def test_run_is_a_subcommand_with_the_documented_options():
    args = build_parser().parse_args(["run", "a", "b", "--params", "p1.yaml", "--params", "p2.yaml", "--jobs", "3",
                                      "--force", "--out", "o", "--scheduler", "tcp://h:8786"])
    assert (args.notebooks, args.params, args.jobs, args.force, args.out, args.scheduler) == (
        ["a", "b"], ["p1.yaml", "p2.yaml"], 3, True, "o", "tcp://h:8786")


def test_jobs_must_be_positive(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["run", "--jobs", "0"])
    assert "must be at least 1" in capsys.readouterr().err


def test_unknown_notebook_exits_2_naming_it(project, monkeypatch, capsys):
    project.add("reads_b")
    monkeypatch.chdir(project.root)
    assert main(["run", "nope"]) == 2
    assert "kit run: no notebook 'nope' (known: reads_b)" in capsys.readouterr().out


@pytest.mark.slow
def test_out_folder_option(project, monkeypatch, capsys):
    project.add("reads_b")
    monkeypatch.chdir(project.root)
    planted, stale = plant(project.root / "elsewhere")
    assert main(["run", "--out", "elsewhere", "--jobs", "1"]) == 0
    assert (project.root / "elsewhere" / "reads_b" / "default.html").is_file()
    assert [p.read_text() for p in planted] == ["the user's"] * len(planted) and not stale.exists()
    assert not project.reports.exists()
    assert "index: elsewhere/index.html" in capsys.readouterr().out


def test_ctrl_c_before_the_batch_starts_ends_quietly(project, monkeypatch, capsys):
    """Ctrl-C while the command is still starting (here: while it looks for the project) prints no traceback."""
    from kit.runner import batch

    def interrupted(cwd):
        raise KeyboardInterrupt

    monkeypatch.setattr(batch, "find_project", interrupted)
    monkeypatch.chdir(project.root)
    assert main(["run"]) == 130
    assert capsys.readouterr().err == "interrupted\n"
