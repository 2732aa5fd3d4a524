"""The presentation layer imports the data and analysis layers, never the runner; ``import kit`` and
``import kit.present`` stay free of plotting."""
from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from tests.conftest import ROOT

PRESENTATION = sorted([*(ROOT / "kit" / "present").glob("*.py"), ROOT / "kit" / "theme.py",
                       ROOT / "kit" / "results.py", ROOT / "kit" / "key_results.py"])


def _imports(path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("path", PRESENTATION, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_presentation_never_imports_the_runner_or_the_command(path):
    upward = {m for m in _imports(path) if m.startswith(("kit.runner", "kit.cli", "kit.bless"))}
    assert not upward, f"{path.name} imports {sorted(upward)}"


def test_import_kit_and_kit_present_load_no_plotting():
    code = ("import sys, kit, kit.present; "
            "print(sorted(m for m in ('matplotlib', 'seaborn', 'kit.theme', 'kit.runner') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
