"""The answer first: a short block of plain sentences that opens the report, and the contents list.

The notebook writes the sentences from its computed results (numbers formatted by the key-result
declarations, ``value``); the HTML report moves the block to its top, under the title, followed by the
contents list. The block also declares what the notebook adds to the report index: its question, its
answer line (the first sentence), its place among the questions and links from key results to anchors.
"""
from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

from kit.present.html import Fragment, render

ANCHOR = "answer"
#: words that must never reach a reader in place of a number
_NOT_A_NUMBER = re.compile(r"\b(nan|NaN|None|null|NaT|<NA>)\b")


def value(name: str, x: Any) -> str:
    """``x`` formatted as the declared key result ``name`` (its format and unit; "—" and the reason if missing)."""
    from kit.results import declared

    known = declared()
    if name not in known:
        raise KeyError(f"undeclared key result {name!r}: declare it with kit.declare(...)")
    return known[name].text(x)


def value_range(low_name: str, low: Any, high_name: str, high: Any) -> str:
    """A low–high pair of key results as text: one value when both ends are equal, else "low to high"; a
    missing end shows as missing, with its reason (``value``)."""
    from kit.results import Missing

    for name, x in ((low_name, low), (high_name, high)):
        if x is None or isinstance(x, Missing) or (isinstance(x, float) and x != x):
            return value(name, x)
    if low == high:
        return value(low_name, low)
    return f"{value(low_name, low)} to {value(high_name, high)}"


def answer(question: str, sentences: Sequence[str], order: int | None = None,
           links: Mapping[str, str] | None = None) -> Fragment:
    """The "Answer" block: ``question`` in words and three to six ``sentences`` saying what holds, how sure,
    under which assumptions. ``order`` places the question in the report index (1, 2, ...); ``links`` maps a
    key result whose value is a list of ids to an anchor template in the report (``"evidence-{}"``)."""
    sentences = [s.strip() for s in sentences if s.strip()]
    if not 3 <= len(sentences) <= 6:
        raise ValueError(f"an answer has three to six sentences, got {len(sentences)}")
    for sentence in sentences:
        if _NOT_A_NUMBER.search(sentence):
            raise ValueError(f"answer sentence shows a missing value as text: {sentence!r}")
    piece = {"kind": "answer", "top": 1, "question": question.strip(), "sentences": sentences,
             "order": order, "links": dict(links or {})}
    html = render("answer.html.j2", anchor=ANCHOR, question=piece["question"], sentences=sentences)
    return Fragment(html, "Answer: " + piece["question"] + "\n" + " ".join(sentences), piece)


def contents(headings: Sequence[tuple[str, str]]) -> Fragment:
    """A contents list: one link per (anchor, heading text), in order."""
    items = [{"href": "#" + anchor, "text": text} for anchor, text in headings]
    html = render("contents.html.j2", items=items)
    return Fragment(html, "Contents\n" + "\n".join(f"- {text}" for _, text in headings), {"kind": "contents"})
