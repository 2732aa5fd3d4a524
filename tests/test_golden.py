"""kit.golden: comparing key results with their golden values."""
from __future__ import annotations

from kit.golden import Difference, Tolerance, compare, read_golden, read_tolerances, tolerance_for, write_golden


def test_equal_results_have_no_difference():
    results = {"a": 1.0, "b": "x", "c": None, "d": [1, 2], "e": True}
    assert compare(results, dict(results)) == []


def test_number_within_tolerance_passes_and_beyond_fails():
    tol = lambda name: Tolerance(rel=0.01, abs=0.0)  # noqa: E731
    assert compare({"x": 100.0}, {"x": 100.9}, tol) == []
    assert compare({"x": 100.0}, {"x": 101.1}, tol) == [Difference("x", 100.0, 101.1)]


def test_none_versus_a_year_is_a_difference():
    """'no crossover' (None) turning into a year is a moved conclusion."""
    assert compare({"crossover_year": None}, {"crossover_year": 2031}) == [Difference("crossover_year", None, 2031)]


def test_bool_is_not_compared_as_a_number():
    assert compare({"held": True}, {"held": 1}) == [Difference("held", True, 1)]


def test_added_and_missing_results_are_named():
    diffs = compare({"old": 1}, {"new": 2})
    assert [str(d) for d in diffs] == ["new: new result 2 (not in the golden file)", "old: missing (golden 1)"]


def test_message_names_result_old_and_new():
    (diff,) = compare({"azure_share": 20.0}, {"azure_share": 22.0})
    assert str(diff) == "azure_share: golden 20.0, now 22.0"


def test_golden_file_round_trip_is_sorted_and_stable(tmp_path):
    path = tmp_path / "nb" / "default.json"
    write_golden(path, {"b": 2, "a": [1.5, None]})
    first = path.read_bytes()
    assert read_golden(path) == {"a": [1.5, None], "b": 2}
    write_golden(path, read_golden(path))
    assert path.read_bytes() == first
    assert first.index(b'"a"') < first.index(b'"b"')


def test_tolerances_per_result_with_default(tmp_path):
    path = tmp_path / "tol.yaml"
    path.write_text("default: {rel: 1.0e-6, abs: 1.0e-9}\nnb/mc_p90: {rel: 0.01, abs: 0}\n")
    tols = read_tolerances(path)
    assert tolerance_for(tols, "nb", "mc_p90") == Tolerance(0.01, 0)
    assert tolerance_for(tols, "nb", "other") == Tolerance(1e-6, 1e-9)
