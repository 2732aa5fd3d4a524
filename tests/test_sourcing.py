"""kit.sourcing: the one source-id rule and `kit data add-source`."""
from __future__ import annotations

import csv

import pytest

import kit
from kit import sourcing
from kit.cli import main


def test_source_id_is_host_label_and_url_hash():
    assert sourcing.source_id("https://www.reuters.com/a") == "reuters-" + __import__("hashlib").sha1(
        b"https://www.reuters.com/a").hexdigest()[:6]
    assert sourcing.source_id("https://news.microsoft.com/x").startswith("news-")


def test_every_shipped_source_id_follows_the_rule():
    table = kit.sources().reset_index()
    web = table[table["url"].str.startswith("http") & (table["quality"] != "seed")]  # the article keeps its name
    wrong = web[web["source_id"] != web["url"].map(sourcing.source_id)]
    assert wrong.empty, wrong[["source_id", "url"]].to_string()


def test_add_source_appends_a_valid_row_and_prints_its_id(data_copy, capsys):
    url = "https://www.sec.gov/Archives/edgar/data/1018724/example-10q.htm"
    rc = main(["data", "add-source", url, "--publisher", "Amazon (SEC filing)", "--kind", "filing",
               "--grade", "primary", "--title", "Form 10-Q", "--date", "2026-07-31", "--data-dir", str(data_copy)])
    assert rc == 0
    sid = capsys.readouterr().out.strip()
    assert sid == sourcing.source_id(url)
    table = kit.sources(data_copy)
    assert table.loc[sid, "url"] == url and str(table.loc[sid, "published"].date()) == "2026-07-31"
    assert table.loc[sid, "published_precision"] == "day" and table.loc[sid, "quality"] == "primary"
    assert main(["data", "validate", "--quick", "--data-dir", str(data_copy)]) == 0


def test_a_url_already_there_is_not_added_twice(data_copy, capsys):
    first = next(csv.DictReader((data_copy / "sources.csv").open(encoding="utf-8")))
    before = (data_copy / "sources.csv").read_bytes()
    assert main(["data", "add-source", first["url"], "--publisher", "x", "--kind", "news", "--grade", "weak",
                 "--data-dir", str(data_copy)]) == 0
    assert capsys.readouterr().out.strip() == first["source_id"]
    assert (data_copy / "sources.csv").read_bytes() == before


@pytest.mark.parametrize("args, message", [
    (["--kind", "news", "--grade", "excellent"], "grade: 'excellent' is not one of"),
    (["--kind", "blog", "--grade", "weak"], "kind: 'blog' is not one of"),
    (["--kind", "news", "--grade", "weak", "--date", "30.07.2026"], "not an ISO date"),
])
def test_bad_options_are_refused_naming_the_option(data_copy, capsys, args, message):
    before = (data_copy / "sources.csv").read_bytes()
    rc = main(["data", "add-source", "https://example.org/q3", "--publisher", "Example", *args,
               "--data-dir", str(data_copy)])
    assert rc == 2 and message in capsys.readouterr().err
    assert (data_copy / "sources.csv").read_bytes() == before
