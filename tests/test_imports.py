"""``import kit`` and the ``kit`` command stay light: nothing heavy is imported until a table is loaded."""
from __future__ import annotations

import subprocess
import sys

HEAVY = ("pandas", "numpy", "matplotlib", "seaborn", "networkx", "papermill", "nbformat", "nbconvert",
         "jupyter_client", "frictionless")


def _imported_after(code: str) -> list[str]:
    probe = f"import sys\n{code}\nprint(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    return eval(proc.stdout.strip().splitlines()[-1])


def test_import_kit_and_its_command_import_nothing_heavy():
    assert _imported_after("import kit, kit.cli\nkit.cli.build_parser()") == []


def test_loading_a_table_imports_pandas():
    assert "pandas" in _imported_after("import kit\nkit.load('sources')")



def test_the_kit_command_reads_notebooks_without_compiling_unused_iri_grammars():
    code = ("import sys\nfrom kit import cli\n"
            "try:\n    cli.main(['data', 'quality', '--help'])\nexcept SystemExit:\n    pass\n"
            "import nbformat, jsonschema\n"
            "nbformat.validate(nbformat.v4.new_notebook())\n"
            "print('lark' in sys.modules, 'iri' in jsonschema.FormatChecker().checkers)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert proc.stdout.split()[-2:] == ["False", "False"]  # notebooks still validate; no grammar was compiled


def test_the_runner_imports_nothing_heavy_until_it_runs_a_notebook():
    """What ``kit run`` with nothing to do needs (discover, cache, manifest, index) stays light."""
    assert _imported_after("import kit.runner.batch, kit.runner.index, kit.runner.cache") == []
