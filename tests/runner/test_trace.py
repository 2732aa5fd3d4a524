from __future__ import annotations

import subprocess
import sys

from kit.runner import trace


def test_records_data_files_opened_and_kit_modules_imported_once(tmp_path):
    data = tmp_path / "data"
    (data / "sub").mkdir(parents=True)
    (data / "a.csv").write_text("1\n")
    (data / "sub" / "b.csv").write_text("2\n")
    (tmp_path / "elsewhere.txt").write_text("x")
    log = tmp_path / "trace.txt"
    code = (
        "import os\n"
        f"namespace = {{}}\nexec({trace.exec_line(str(data), str(log))!r}, namespace)\n"
        "assert sorted(namespace) == ['__builtins__'], sorted(namespace)\n"
        "from kit.paths import data_dir\n"
        "open(data_dir() / 'a.csv').read(); open(data_dir() / 'a.csv').read()\n"
        "import pandas; pandas.read_csv(os.path.join(os.environ['KIT_DATA_DIR'], 'sub', 'b.csv'))\n"
        f"open({str(tmp_path / 'elsewhere.txt')!r}).read()\n"
        "import kit.golden\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = log.read_text().splitlines()
    assert len(lines) == len(set(lines))
    data_files, modules = trace.parse(log.read_text())
    assert data_files == ["a.csv", "sub/b.csv"]
    assert {"kit", "kit.paths", "kit.golden"} <= set(modules)
    assert "kit.theme" not in modules and "kit.data" not in modules  # not imported, not a dependency


def test_parse_ignores_unknown_lines():
    assert trace.parse("data:a.csv\nmodule:kit\nnoise\ndata:a.csv\n") == (["a.csv"], ["kit"])
