"""kit.present.answer: the answer first, in plain sentences."""
from __future__ import annotations

import pytest

from kit.present import answer, contents, value, value_range
from kit.results import missing

SENTENCES = ["Azure does not pass AWS before 2031.", "The gap shrinks each quarter.", "This rests on growth rates."]


def test_the_block_shows_question_and_sentences_and_declares_what_the_index_needs():
    block = answer("Can Amazon stop Microsoft?", SENTENCES, order=2, links={"ids": "evidence-{}"})
    assert '<section class="kit-answer" id="answer"' in block.html and "<h2" in block.html
    assert "Can Amazon stop Microsoft?" in block.html and all(s in block.html for s in SENTENCES)
    assert block.piece == {"kind": "answer", "top": 1, "question": "Can Amazon stop Microsoft?",
                           "sentences": SENTENCES, "order": 2, "links": {"ids": "evidence-{}"}}


@pytest.mark.parametrize("count", [2, 7])
def test_three_to_six_sentences(count):
    with pytest.raises(ValueError, match="three to six"):
        answer("Q?", [f"Sentence {i}." for i in range(count)])


def test_a_missing_value_printed_as_text_is_refused():
    with pytest.raises(ValueError, match="missing value"):
        answer("Q?", ["Azure passes AWS in None.", "b.", "c."])


def test_values_are_formatted_by_their_declaration():
    assert value("crossover_year", 2031) == "2031"
    assert value("aws_ttm_revenue_usd_billion", 137.1) == "$137.1 bn"
    assert value("crossover_year", None) == "— (no crossover by the projection's end year)"
    with pytest.raises(KeyError, match="undeclared"):
        value("no_such_result", 1)


def test_contents_links_each_heading():
    nav = contents([("answer", "Answer"), ("sources", "Sources")])
    assert '<a href="#answer">Answer</a>' in nav.html and '<a href="#sources">Sources</a>' in nav.html


def test_a_range_reads_low_to_high_one_value_when_equal_and_missing_with_its_reason():
    low, high = "openai_aws_commitment_usd_billion_low", "openai_aws_commitment_usd_billion_high"
    assert value_range(low, 100.0, high, 138.0) == "$100.0 bn to $138.0 bn"
    assert value_range(low, 100.0, high, 100.0) == "$100.0 bn"
    assert value_range(low, missing("no term stated (C05)"), high, None) == "— (no term stated (C05))"
