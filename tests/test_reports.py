"""Built reports: every key result labelled, scenario charts titled apart from the default's, every chart
footnote ending with its data's end date, every axis labelled and every image with alt text.

Each check runs on the fixture project (``tests/report_project``: one notebook in the report layout, one
careless) and on this project's reports.
"""
from __future__ import annotations

from pathlib import Path

from tests.report_checks import (chart_problems, images_without_alt_text, repeated_chart_titles,
                                 unlabelled_key_results)
from tests.reports_fixtures import fixture_reports, project_reports  # noqa: F401 (pytest fixtures)


def _only(problems: list[str], notebook: str) -> list[str]:
    return [p for p in problems if p.startswith(f"{notebook}/")]


def test_checks_pass_on_a_report_in_the_layout_and_catch_a_careless_one(fixture_reports: Path):
    assert _only(unlabelled_key_results(fixture_reports), "clouds") == []
    assert repeated_chart_titles(fixture_reports) == []
    assert _only(chart_problems(fixture_reports), "clouds") == []
    assert _only(chart_problems(fixture_reports), "careless") == []  # it draws no chart


def test_a_scenario_that_kept_the_default_title_is_caught(fixture_reports: Path, tmp_path: Path):
    import json
    import shutil

    copy = tmp_path / "reports"
    shutil.copytree(fixture_reports, copy)
    path = copy / "clouds" / "fast#growth.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            chart = output.get("metadata", {}).get("kit", {}).get("chart")
            if chart:
                chart["title"] = chart["title"].replace(" — scenario fast#growth", "")
                chart["footnote"] = chart["footnote"].replace("Data to", "Data until")
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert repeated_chart_titles(copy) == [
        "clouds/fast#growth: chart 'aws_revenue' repeats the default's title 'AWS revenue by quarter'"]
    assert any("footnote does not end with the data's end date" in p for p in chart_problems(copy))


def test_every_recorded_key_result_has_a_label_and_a_unit(project_reports: Path):
    assert unlabelled_key_results(project_reports) == []


def test_no_scenario_report_repeats_the_default_chart_titles(project_reports: Path):
    problems = repeated_chart_titles(project_reports)
    assert not problems, f"{len(problems)} chart(s):\n" + "\n".join(problems)


def test_every_chart_has_a_title_labelled_axes_and_its_data_end(project_reports: Path):
    problems = chart_problems(project_reports)
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


def test_kit_run_gives_the_notebook_its_scenario_and_the_manifest_what_the_index_shows(fixture_reports: Path):
    from tests.reports_fixtures import manifest

    reports = manifest(fixture_reports)["reports"]
    fast = reports["clouds/fast#growth"]["summary"]
    assert fast["scenario"] == {
        "name": "fast#growth",
        "description": "Fast growth: AWS grows by a quarter in a year, on the data known at the seed article's date.",
        "changed": [["growth", 10.0, 25.0], ["as_of", "", "2025-09-19"]]}
    assert reports["clouds/default"]["summary"]["scenario"] == {"name": "default", "description": "", "changed": []}
    assert fast["answer"]["question"] == "How large is AWS, and where would it be in a year?"
    assert [i["name"] for i in fast["key_results"]] == [
        "aws_ttm_revenue_usd_billion", "fixture_aws_next_year_usd_bn", "crossover_year"]
    html = (fixture_reports / "clouds" / "fast#growth.html").read_text(encoding="utf-8")
    assert "Scenario <strong>fast#growth</strong>" in html and "AWS revenue by quarter — scenario fast#growth" in html


def test_the_index_marks_a_key_result_that_moved_since_the_previous_run(fixture_reports: Path, tmp_path: Path):
    import shutil

    from tests.reports_fixtures import FIXTURE_PROJECT, build

    project, out = tmp_path / "project", tmp_path / "reports"
    shutil.copytree(FIXTURE_PROJECT, project)
    shutil.copytree(fixture_reports, out)
    params = project / "params" / "clouds" / "fast#growth.yaml"
    params.write_text(params.read_text(encoding="utf-8").replace("growth: 25.0", "growth: 30.0"), encoding="utf-8")
    build(project, out)
    html = (out / "index.html").read_text(encoding="utf-8")
    assert '<span class="old">$145.5 bn</span> → $151.4 bn' in html
    assert html.count('class="value moved"') == 1, "only the value that moved is marked"


def test_every_image_of_every_report_has_alt_text(project_reports: Path):
    assert images_without_alt_text(project_reports) == []
