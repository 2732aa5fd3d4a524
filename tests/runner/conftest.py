"""A small project of fixture notebooks (each named by the behaviour it provokes) in a temporary folder."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent


class Project:
    def __init__(self, root: Path):
        self.root = root
        self.data = root / "data"
        self.reports = root / "reports"

    def add(self, *names: str) -> "Project":
        """Copy fixture notebooks (and their parameter files) into the project."""
        for name in names:
            shutil.copy(HERE / "notebooks" / f"{name}.ipynb", self.root / "notebooks" / f"{name}.ipynb")
            if (HERE / "params" / name).is_dir():
                shutil.copytree(HERE / "params" / name, self.root / "params" / name)
        return self

    def params(self, notebook: str, set_name: str = "default") -> Path:
        return self.root / "params" / notebook / f"{set_name}.yaml"

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "kit.cli", "run", *args]

    def run(self, *args: str, timeout: float = 120) -> "Run":
        """``kit run ARGS`` in the project, as a user would start it (not on a terminal)."""
        proc = subprocess.run(self.command(*args), cwd=self.root, capture_output=True, text=True, timeout=timeout,
                              env=env_for(self))
        return Run(proc.returncode, proc.stdout + proc.stderr)


class Run:
    def __init__(self, code: int, output: str):
        self.code, self.output = code, output

    @property
    def executed(self) -> set[str]:
        """The pairs that ran (ok or failed), from the progress lines."""
        return set(re.findall(r"^\[\d+/\d+\] (?:ok|failed) (\S+)", self.output, flags=re.M))

    def __repr__(self) -> str:
        return f"Run(code={self.code}, output=\n{self.output})"


def plant(out: Path) -> tuple[list[Path], Path]:
    """Files a user keeps in and beside a reports folder ``out`` (named like temporary files, or inside a
    notebook's folder), and a stale temporary file of the kit's own; ``out`` is a reports folder already."""
    from kit import fsio

    planted = [out.parent / "x.tmp", out.parent / ".x.tmp", out / "x.tmp", out / ".x.tmp",
               out / "reads_b" / ".default.html.abc123.tmp", out / "mine" / ".y.tmp"]
    for path in planted:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("the user's")
    stale = out / "reads_b" / f".default.html.q1w2e3r4{fsio.TMP_SUFFIX}"  # left by a kit run killed mid-write
    stale.write_text("partial")
    (out / "manifest.json").write_text('{"format": 1, "reports": {}}')
    return planted, stale


def env_for(project: Project) -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("KIT_SCHEDULER",)}
    env["KIT_DATA_DIR"] = str(project.data)
    return env


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """An empty project: notebooks/, params/ and a data folder with a.csv and b.csv."""
    for folder in ("notebooks", "params", "data"):
        (tmp_path / folder).mkdir()
    (tmp_path / "data" / "a.csv").write_text("1\n2\n3\n")
    (tmp_path / "data" / "b.csv").write_text("5\n6\n")
    monkeypatch.setenv("KIT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("KIT_SCHEDULER", raising=False)
    return Project(tmp_path)
