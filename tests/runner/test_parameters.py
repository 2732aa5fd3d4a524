from __future__ import annotations

import datetime
import time
from pathlib import Path

import pytest

from kit.runner import parameters
from kit.runner.parameters import ParameterError, check, defaults
from tests.conftest import ROOT
from tests.runner.conftest import plant

HERE = Path(__file__).parent
KNOWN = {"as_of": "", "figures_dir": "", "factor": 2.0, "label": "base", "n": 3, "flag": False,
         "names": ["a"], "anything": None}


def test_defaults_come_from_the_parameters_cell():
    assert defaults(HERE / "notebooks" / "reads_a.ipynb") == {
        "as_of": "", "figures_dir": "", "factor": 2.0, "label": "base"}


def test_good_values_pass():
    values = {"as_of": "2024-06-30", "factor": 3, "label": "x", "n": 4, "flag": True, "names": ["b"],
              "anything": {"k": 1}}
    assert check("p.yaml", values, KNOWN) == []


def test_unknown_key_names_file_key_and_valid_keys():
    [problem] = check("params/x/default.yaml", {"factr": 3.0}, KNOWN)
    assert problem.startswith("params/x/default.yaml: unknown key 'factr'; valid keys: ")
    assert "anything, as_of, factor, figures_dir, flag, label, n, names" in problem


@pytest.mark.parametrize("key, value, expected", [
    ("factor", "2", "'factor' must be float like its default 2.0, got str '2'"),
    ("n", 2.5, "'n' must be int like its default 3, got float 2.5"),
    ("n", True, "'n' must be int like its default 3, got bool True"),
    ("flag", 1, "'flag' must be bool like its default False, got int 1"),
    ("names", "a", "'names' must be list like its default ['a'], got str 'a'"),
    ("label", None, "'label' must be str like its default 'base', got NoneType None"),
])
def test_wrong_type_against_the_default(key, value, expected):
    [problem] = check("p.yaml", {key: value}, KNOWN)
    assert problem == f"p.yaml: {expected}"


def test_unquoted_date_gets_a_hint():
    [problem] = check("p.yaml", {"as_of": datetime.date(2024, 6, 30)}, KNOWN)
    assert "must be str" in problem and "quote dates" in problem


@pytest.mark.parametrize("name", ['x=1; print("PWNED"); y', "1x", "a b", "class", "", 3])
def test_names_that_are_not_plain_identifiers_are_refused(name):
    [problem] = check("p.yaml", {name: 1}, {**KNOWN, name: 1} if isinstance(name, str) else KNOWN)
    assert f"{name!r} is not a plain Python name" in problem and "valid keys" in problem


def test_every_problem_is_reported_not_just_the_first():
    assert len(check("p.yaml", {"bogus": 1, "n": "x", "a-b": 2}, KNOWN)) == 3


def test_load_errors_name_the_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: [1\n")
    with pytest.raises(ParameterError, match=f"{bad}: not valid YAML"):
        parameters.load(bad)
    bad.write_text("- 1\n- 2\n")
    with pytest.raises(ParameterError, match="expected a mapping .* got list"):
        parameters.load(bad)
    bad.write_text("")
    assert parameters.load(bad) == {}


def test_bad_parameters_stop_the_run_before_any_kernel_starts(project):
    project.add("reads_a", "reads_b")
    project.params("reads_a", "high").write_text("factor: ten\nlabel: high\n")
    project.params("reads_b").write_text('as_of: ""\n"x=1; import os; y": 2\n')
    project.params("reads_a").write_bytes(b"factor: 2.0\nlabel: caf\xe9\n")
    planted, stale = plant(project.reports)
    start = time.perf_counter()
    run = project.run()
    assert run.code == 2, run
    assert "params/reads_a/high.yaml: 'factor' must be float like its default 2.0, got str 'ten'" in run.output
    assert "params/reads_b/default.yaml: 'x=1; import os; y' is not a plain Python name; valid keys: as_of, figures_dir" in run.output
    assert "params/reads_a/default.yaml, line 2: not valid UTF-8 (byte 0xe9); save the file as UTF-8" in run.output
    assert "nothing was run" in run.output and not run.executed
    assert not list(project.reports.rglob("*.ipynb"))
    assert time.perf_counter() - start < 10
    assert [p.read_text() for p in planted] == ["the user's"] * len(planted)  # only the kit's own files go


def test_the_projects_parameter_files_fit_their_notebooks():
    """Every params/<nb>/*.yaml of the project passes the checks (so plain papermill -f works too)."""
    problems = []
    for folder in sorted((ROOT / "params").glob("*")):
        notebook = ROOT / "notebooks" / f"{folder.name}.ipynb"
        if not notebook.is_file():
            problems.append(f"{folder}: no notebook {notebook.name}")
            continue
        known = defaults(notebook)
        for path in sorted(folder.glob("*.yaml")):
            problems += check(str(path.relative_to(ROOT)), parameters.load(path), known)
    assert problems == []


def test_duplicate_keys_are_refused_naming_file_line_and_key():
    with pytest.raises(ParameterError) as err:
        parameters.parse("factor: 2.0\nlabel: a\nfactor: 3.0\n", "p.yaml")
    assert err.value.problems == ["p.yaml, line 3: duplicate key 'factor'"]
    with pytest.raises(ParameterError, match=r"p.yaml, line 3: duplicate key 'k'"):
        parameters.parse("anything:\n  k: 1\n  k: 2\n", "p.yaml")


def test_aliases_are_refused_naming_file_and_key():
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8))
    assert len(laughs) < 400  # 9 ** 9 strings once expanded
    with pytest.raises(ParameterError) as err:
        parameters.parse(laughs, "p.yaml")
    assert err.value.problems == ["p.yaml, line 2: 'b' uses the YAML alias *a; write the value out"]


def test_values_over_the_stated_size_are_refused_naming_file_and_key():
    big = "x" * parameters.MAX_VALUE_CHARS
    assert parameters.check("p.yaml", {"label": big[:-2]}, KNOWN) == []
    [problem] = parameters.check("p.yaml", {"label": big, "names": ["a"]}, KNOWN)
    assert problem == f"p.yaml: 'label' is {len(repr(big))} characters long as Python; at most {parameters.MAX_VALUE_CHARS}"


def test_problem_messages_show_a_readable_part_of_a_long_value():
    [problem] = parameters.check("p.yaml", {"n": "y" * 5000}, KNOWN)
    assert problem.startswith("p.yaml: 'n' must be int like its default 3, got str 'yyy") and len(problem) < 200
    assert "(5002 characters)" in problem


def test_a_failure_message_is_cut_to_a_readable_length():
    from papermill.exceptions import PapermillExecutionError

    from kit.runner.execute import MAX_MESSAGE, _failure

    exc = PapermillExecutionError(3, 3, "raise ValueError(x)", "ValueError", "z" * 10_000_000, [])
    failure = _failure(exc, {"cells": [{"source": "p"}, {"source": "raise ValueError(x)"}]})
    assert failure.cell == 2 and len(failure.exception) <= MAX_MESSAGE + 80
    assert failure.exception.startswith("ValueError: zzz")
    assert failure.exception.endswith(f"… ({10_000_012 - MAX_MESSAGE} more characters in the failed notebook)")
