from __future__ import annotations

import io

from kit.runner.progress import Progress


def test_plain_lines_when_not_on_a_terminal():
    out = io.StringIO()
    progress = Progress(2, out)
    progress.done("ok a/default 1.0s")
    progress.say("FAILED b/default: cell 2: KeyError")
    progress.done("failed b/default")
    progress.close()
    assert out.getvalue().splitlines() == [
        "[1/2] ok a/default 1.0s", "FAILED b/default: cell 2: KeyError", "[2/2] failed b/default"]


def test_a_bar_on_a_terminal_keeps_failures_visible():
    out = io.StringIO()
    progress = Progress(2, out, bar=True)
    progress.done("ok a/default 1.0s")
    progress.say("FAILED b/default: cell 2: KeyError")
    progress.done("failed b/default")
    progress.close()
    text = out.getvalue()
    assert "FAILED b/default: cell 2: KeyError\n" in text and "2/2" in text and "[1/2]" not in text
