"""kit.quality and `kit data quality`: grades of the rows' sources, weak-only rows, undated sources."""
from __future__ import annotations

import json

import pandas as pd
import pytest

import kit
from kit import quality
from kit.cli import main
from tests.conftest import edit_csv

ORDER = ["primary", "primary_copy", "reputable", "weak", "seed"]


def _sources() -> pd.DataFrame:
    return pd.DataFrame({"quality": ["primary", "reputable", "weak", "seed"],
                         "published": pd.to_datetime(["2026-01-01", None, None, "2025-09-19"])},
                        index=pd.Index(["p", "r", "w", "s"], name="source_id"))


def test_summary_counts_rows_by_grade_and_weak_only_rows():
    tables = {"a": pd.DataFrame({"source_id": ["p", "w", "w", "r"]}), "b": pd.DataFrame({"source_id": ["s", "r"]})}
    summary = quality.table_summary(tables, _sources(), ORDER, {"a": 30, "b": 30}, ["a"], 20).set_index("table")
    assert summary.loc["a", "weak_only_rows"] == 2 and summary.loc["a", "weak_only_percent"] == 50.0
    assert summary.loc["a", "primary_percent"] == 25.0 and summary.loc["b", "seed_percent"] == 50.0
    assert summary.loc["b", "weak_only_rows"] == 0  # the article's own claims are not weak evidence
    assert summary.loc["overall", "rows"] == 4  # only the tables named as overall
    assert list(quality.over_limit(summary.reset_index())["table"]) == ["a", "overall"]


def test_undated_sources_are_counted_with_their_ids():
    assert quality.undated(_sources()) == {"sources": 4, "undated": 2, "undated_percent": 50.0,
                                           "undated_ids": ["r", "w"]}


def test_moves_lists_what_differs_with_the_change_in_percent_or_years():
    moved = quality.moves({"x": 100.0, "y": 2, "z": "2026", "same": 1, "zero": 0, "payback": 2029},
                          {"x": 103.0, "y": 3, "z": "2027", "same": 1, "zero": 5, "payback": 2032}, min_percent=5,
                          units={"payback": "calendar year"})
    assert moved == [
        {"key_result": "payback", "default": 2029, "weak_sources_left_out": 2032, "change_percent": None,
         "change": "+3 years"},
        {"key_result": "y", "default": 2, "weak_sources_left_out": 3, "change_percent": 50.0, "change": "+50.0 %"},
        {"key_result": "z", "default": "2026", "weak_sources_left_out": "2027", "change_percent": None, "change": ""},
        {"key_result": "zero", "default": 0, "weak_sources_left_out": 5, "change_percent": None, "change": ""},
    ]


def test_min_grade_leaves_out_rows_below_it_and_keeps_the_articles_claims():
    sources = kit.sources()
    for name in ["cloud_revenue", "metrics", "seed_claims"]:
        rows = kit.load(name)
        kept = kit.load(name, min_grade="reputable")
        grade = rows["source_id"].map(sources["quality"].astype(str))
        assert len(kept) == (grade != "weak").sum()
        assert set(kept["source_id"].map(sources["quality"].astype(str))) <= {"primary", "primary_copy", "reputable", "seed"}
    assert len(kit.load("seed_claims", min_grade="primary")) == len(kit.load("seed_claims"))


def test_an_unknown_grade_is_refused_with_the_valid_ones():
    with pytest.raises(ValueError, match="min_grade: 'good' is not a grade; grades from best to worst: primary"):
        kit.load("funding", min_grade="good")


def test_quality_command_text_and_json(data_copy, capsys):
    main(["data", "quality", "--data-dir", str(data_copy), "--reports", str(data_copy / "none")])
    text = capsys.readouterr().out
    assert "weak-only %" in text and "overall" in text and "Undated sources:" in text
    main(["data", "quality", "--json", "--data-dir", str(data_copy), "--reports", str(data_copy / "none")])
    report = json.loads(capsys.readouterr().out)
    assert {t["table"] for t in report["tables"]} >= {"overall", "cloud_revenue", "metrics"}
    assert report["sources"]["sources"] == len(kit.sources(data_copy))


def test_quality_command_fails_when_a_table_is_over_its_limit(data_copy, capsys):
    package = json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))
    package["kit:quality"]["max_weak_only_percent"] = {"funding": 0}
    package["kit:quality"]["max_undated_sources_percent"] = 100
    (data_copy / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    weak = kit.sources(data_copy).query("quality == 'weak'").index[0]
    edit_csv(data_copy / "funding.csv", 2, "source_id", weak)
    assert main(["data", "quality", "--data-dir", str(data_copy), "--reports", str(data_copy)]) == 1
    assert "OVER" in capsys.readouterr().out


def test_shipped_data_within_its_source_quality_limits():
    """At most 20 % of fact rows weak-only overall, 5 % in cloud_revenue and market_share, 30 % elsewhere,
    and at most 10 % of sources undated; a table the stored pages could not carry lower is held at the share
    reached (``held_…`` in the data package; data/README.md lists the rows searched): it must not get worse."""
    measured = quality.measure()
    over = quality.over_limit(measured["tables"])
    assert over.empty, over[["table", "weak_only_rows", "weak_only_percent", "limit_percent"]].to_string()
    src = measured["sources"]
    assert src["undated_percent"] <= measured["max_undated_sources_percent"], src["undated_ids"]


def test_the_targets_are_the_issue_s_and_a_held_limit_only_for_a_table_still_above_its_target():
    import json

    from kit.paths import data_dir

    settings = json.loads((data_dir() / "datapackage.json").read_text(encoding="utf-8"))["kit:quality"]
    assert settings["max_weak_only_percent"] == {"overall": 20, "cloud_revenue": 5, "market_share": 5, "other": 30}
    assert settings["max_undated_sources_percent"] == 10
    table = quality.measure()["tables"].set_index("table")
    for name, held in settings.get("held_weak_only_percent", {}).items():
        assert table.loc[name, "weak_only_percent"] > table.loc[name, "target_percent"], (
            f"{name} is within its target now: remove its held limit ({held})")
    undated = quality.measure()["sources"]["undated_percent"]
    if "held_undated_sources_percent" in settings:
        assert undated > settings["max_undated_sources_percent"], "undated sources within target: remove the held limit"
