"""The reports as an analyst opens them: ``reports/index.html`` and each default report in Debian's
Chromium (Playwright, as ``tests/test_lab_browser.py``).

On every page: no rendered table or key result shows NaN, null or None; every local link and anchor
resolves (in the page, or in the file it points to); every web address is a link (an ``<a>``); no
chart image is missing. On a report: the answer block starts within the first screen. A screenshot of
each page goes to ``test-output/reports/``. Without Chromium the tests are skipped, except in CI.

The checks are proven on ``tests/report_project`` (a report in the layout passes, a careless one is
caught). The project's notebooks get the layout (answer block, tables through ``kit.present``) in
their rewrite: until then ``test_default_reports_read_well`` fails on them, by design.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.lab_driver import CHROMIUM_ARGS, ROOT, chromium
from tests.reports_fixtures import fixture_reports, project_reports  # noqa: F401 (pytest fixtures)

SCREENSHOTS = ROOT / "test-output" / "reports"
IN_CI = os.environ.get("CI", "").lower() == "true"
FIRST_SCREEN = {"width": 1280, "height": 800}
NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
NOT_A_VALUE = re.compile(r"\b(NaN|nan|null|None|NaT)\b")

_PAGE_JS = r"""() => {
  const sentences = document.querySelector('.kit-answer .kit-sentences') || document.querySelector('.kit-answer');
  const bare = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (/https?:\/\//.test(node.textContent) && !parent.closest('a, script, style, code, pre'))
      bare.push(node.textContent.trim().slice(0, 160));
  }
  return {
    title: document.title,
    answerTop: sentences ? sentences.getBoundingClientRect().top + window.scrollY : null,
    tables: Array.from(document.querySelectorAll('table')).map(t => t.innerText),
    links: Array.from(document.querySelectorAll('a[href]')).map(a => [a.getAttribute('href'), a.href]),
    ids: Array.from(document.querySelectorAll('[id]')).map(e => e.id),
    images: Array.from(document.images).map(i => [i.getAttribute('src').slice(0, 40), i.complete && i.naturalWidth > 0]),
    bare: bare,
  };
}"""


def _require(ok: bool, reason: str) -> None:
    if not ok:
        (pytest.fail if IN_CI else pytest.skip)(reason + (" (required in CI)" if IN_CI else ""))


@pytest.fixture(scope="module")
def browser():
    _require(chromium() is not None, "Debian's chromium is not on PATH: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _require(False, "playwright is not installed: pip install -e '.[test]'")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Page:
    """What a reader finds on one page, and what is wrong with it."""

    path: Path
    title: str = ""
    answer_top: float | None = None
    problems: list[str] = field(default_factory=list)


def _ids_in(path: Path) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', path.read_text(encoding="utf-8")))


def _check_links(page: Path, links: list[list[str]], ids: set[str]) -> list[str]:
    problems = []
    for raw, absolute in links:
        parts = urlsplit(absolute)
        if parts.scheme in ("http", "https", "mailto"):
            continue
        if parts.scheme != "file":
            problems.append(f"link {raw!r}: not a local file or a web address")
            continue
        target = Path(unquote(parts.path))
        if not target.is_file():
            problems.append(f"link {raw!r}: no file {target.name}")
            continue
        known = ids if target == page else _ids_in(target)
        if parts.fragment and not {parts.fragment, unquote(parts.fragment)} & known:  # as browsers look them up
            problems.append(f"link {raw!r}: no anchor #{unquote(parts.fragment)} in {target.name}")
    return problems


def _screenshot(tab, path: Path) -> None:
    """A full-page screenshot; asked again once when Chromium refuses the capture outright, a transient
    refusal it does not repeat (microsoft/playwright#32144, MarketSquare/robotframework-browser#5237)."""
    try:
        tab.screenshot(path=path, full_page=True)
    except Exception as exc:  # playwright's Error
        if "Unable to capture screenshot" not in str(exc):
            raise
        tab.wait_for_timeout(250)
        tab.screenshot(path=path, full_page=True)


def read_page(browser, path: Path, screenshot: Path, report: bool) -> Page:
    """Open ``path``, screenshot it, and list what breaks the rules for a reader."""
    tab = browser.new_page(viewport=FIRST_SCREEN)
    try:
        tab.goto(path.resolve().as_uri())
        tab.wait_for_load_state("load")
        seen = tab.evaluate(_PAGE_JS)
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        _screenshot(tab, screenshot)
    finally:
        tab.close()
    page = Page(path, seen["title"], seen["answerTop"])
    for i, text in enumerate(seen["tables"], start=1):
        found = NOT_A_VALUE.search(text)
        if found:
            line = next(l for l in text.splitlines() if NOT_A_VALUE.search(l))
            page.problems.append(f"table {i} shows {found.group(0)!r}: {line.strip()[:120]!r}")
    page.problems += _check_links(path.resolve(), seen["links"], set(seen["ids"]))
    page.problems += [f"web address not a link: {text!r}" for text in seen["bare"]]
    page.problems += [f"image missing: {src}..." for src, ok in seen["images"] if not ok]
    if report and (page.answer_top is None or page.answer_top >= FIRST_SCREEN["height"]):
        where = "no answer block" if page.answer_top is None else f"answer block starts at {page.answer_top:.0f} px"
        page.problems.append(f"{where}: it must start within the first screen ({FIRST_SCREEN['height']} px)")
    return page


def test_the_checks_pass_a_report_in_the_layout_and_catch_a_careless_one(browser, fixture_reports):
    shots = SCREENSHOTS / "fixture"
    index = read_page(browser, fixture_reports / "index.html", shots / "index.png", report=False)
    assert index.problems == []
    pages = {name: read_page(browser, fixture_reports / "clouds" / f"{name}.html", shots / f"clouds-{name}.png", True)
             for name in ("default", "fast#growth")}
    assert {name: page.problems for name, page in pages.items()} == {"default": [], "fast#growth": []}
    assert pages["fast#growth"].title == "How large is AWS, and where would it be in a year? — scenario fast#growth"
    careless = read_page(browser, fixture_reports / "careless" / "default.html", shots / "careless.png", True)
    text = "\n".join(careless.problems)
    for expected in ("shows 'NaN'", "no anchor #no-such-anchor", "no file missing.html",
                     "web address not a link: 'Source: https://example.com/not-a-link'", "image missing: missing.png",
                     "no answer block"):
        assert expected in text, f"{expected!r} not caught in:\n{text}"


def test_index_reads_well(browser, project_reports):
    page = read_page(browser, project_reports / "index.html", SCREENSHOTS / "index.png", report=False)
    assert not page.problems, "index.html:\n" + "\n".join(page.problems)


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_default_reports_read_well(browser, project_reports, notebook):
    path = project_reports / notebook / "default.html"
    assert path.is_file(), f"no default report for {notebook}"
    page = read_page(browser, path, SCREENSHOTS / f"{notebook}.png", report=True)
    assert not page.problems, f"{notebook}/default.html:\n" + "\n".join(page.problems)
