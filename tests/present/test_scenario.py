"""kit.present.scenario: a scenario's name, description and changes, and chart titles that name it."""
from __future__ import annotations

import re

import pytest

from kit.present.scenario import Scenario, banner, chart_title, description, injected, scenario_of

TEXT = "# AI demand keeps Azure's growth high.\n# Second line.\nazure_growth: 45.0\naws_growth: 28.0\n"
DEFAULTS = {"as_of": "", "figures_dir": "", "scenario": "", "azure_growth": 40.0, "aws_growth": 28.0}


def test_description_is_the_comment_at_the_top_of_the_file():
    assert description(TEXT) == "AI demand keeps Azure's growth high. Second line."
    assert description("as_of: ''\n# not a description\n") == ""


def test_injected_names_the_set_and_lists_only_changed_parameters_with_both_values():
    values = {"azure_growth": 45.0, "aws_growth": 28, "figures_dir": "x", "scenario": "y"}
    assert injected("ai_boom", TEXT, values, DEFAULTS) == {
        "name": "ai_boom", "description": "AI demand keeps Azure's growth high. Second line.",
        "changed": [["azure_growth", 40.0, 45.0]]}


def test_banner_of_a_scenario_shows_name_description_and_both_values():
    html = banner(injected("ai_boom", TEXT, {"azure_growth": 45.0, "as_of": "2025-09-19"}, DEFAULTS)).html
    assert "Scenario <strong>ai_boom</strong>" in html and "AI demand keeps Azure&#39;s growth high." in html
    rows = re.findall(r"<tr><td[^>]*><code>(\w+)</code></td><td[^>]*>(.*?)</td><td[^>]*><strong>(.*?)</strong>", html)
    assert rows == [("azure_growth", "40.0", "45.0"), ("as_of", "(empty)", "2025-09-19")]


def test_banner_of_the_defaults_says_so_and_carries_its_piece():
    block = banner("")
    assert "Default parameters" in block.html
    assert block.piece == {"kind": "scenario", "top": 0, "name": "default", "description": "", "changed": []}


def test_chart_titles_name_a_non_default_scenario_only():
    assert chart_title("Revenue", "") == "Revenue"
    assert chart_title("Revenue", {"name": "default", "changed": []}) == "Revenue"
    assert chart_title("Revenue", "ai_boom") == "Revenue — scenario ai_boom"


def test_scenario_of_accepts_a_name_the_injected_mapping_or_nothing():
    assert scenario_of("") == Scenario() and scenario_of({}).is_default
    assert scenario_of("bull").name == "bull" and not scenario_of("bull").is_default
    with pytest.raises(TypeError):
        scenario_of(3)
