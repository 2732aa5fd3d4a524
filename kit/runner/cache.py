"""Content hashes that decide whether a pair's report is up to date.

A report is up to date when its notebook's cells, its parameter file, the Python version and every
installed distribution (the environment) are unchanged, every data file and kit module the run used
(recorded during the run, see ``trace``) still hashes the same, and its output files, figures included,
exist. Everything here is cheap: no notebook or kernel library is imported.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import sys
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

KIT_DIST = "ai-alliances-kit"
_KERNEL_PACKAGES = ("ipykernel", "jupyter-client")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_hash(path: Path) -> str:
    return sha256(path.read_bytes())


def notebook_hash(content: bytes) -> str:
    """Hash of what a run depends on in a notebook (its file content): cell types, sources and tags,
    not outputs or metadata, so re-blessing a notebook does not make its reports stale."""
    nb = json.loads(content)
    cells = [
        [c.get("cell_type"), "".join(c.get("source", "")), sorted(c.get("metadata", {}).get("tags", []))]
        for c in nb.get("cells", [])
    ]
    return sha256(json.dumps(cells, ensure_ascii=False).encode("utf-8"))


def folder_hashes(folder: Path, suffixes: tuple[str, ...] = ()) -> dict[str, str]:
    """``{relative posix path: sha256}`` of the files under ``folder`` (hidden files and caches skipped)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") or part == "__pycache__" for part in rel.parts) or not path.is_file():
            continue
        if suffixes and path.suffix not in suffixes:
            continue
        found[rel.as_posix()] = file_hash(path)
    return found


#: Runner modules that shape every report (how it is executed and rendered): a dependency of every pair.
RUNNER_CODE = ("kit/runner/execute.py", "kit/runner/report.py", "kit/runner/trace.py")


def code_hashes() -> dict[str, str]:
    """``{"kit/<path>.py": sha256}`` for every Python file of the kit package."""
    import kit

    package = Path(kit.__file__).parent
    return {f"{package.name}/{rel}": digest for rel, digest in folder_hashes(package, (".py",)).items()}


def module_files(modules: list[str], code: dict[str, str]) -> list[str]:
    """The files (keys of ``code``) behind dotted module names, plus the runner's own ``RUNNER_CODE``."""
    files = set(RUNNER_CODE)
    for name in modules:
        stem = name.replace(".", "/")
        files.add(f"{stem}/__init__.py" if f"{stem}/__init__.py" in code else f"{stem}.py")
    return sorted(files)


@lru_cache(maxsize=1)
def packages() -> dict[str, str]:
    """Versions of Python, the kit and the packages it runs on (its declared dependencies and the kernel's)."""
    names = {KIT_DIST, *_KERNEL_PACKAGES}
    for req in metadata.requires(KIT_DIST) or []:
        if ";" not in req:  # not an extra, nor for another Python
            names.add(re.split(r"[<>=!~;\s\[]", req, maxsplit=1)[0])
    found = {"python": platform.python_version()}
    for name in sorted(names, key=str.lower):
        try:
            found[name.lower()] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name.lower()] = "not installed"
    return found


@lru_cache(maxsize=1)
def environment() -> str:
    """sha256 of every distribution installed where Python imports from (the names of their metadata
    folders, which carry name and version): any package that shapes a report, declared by the kit or not
    (Jinja2 and mistune shape the HTML). The script's own folder, ``sys.path[0]``, is no installation."""
    names = set()
    for entry in sys.path[1:]:
        try:
            names.update(n for n in os.listdir(entry) if n.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
    return sha256("\n".join(sorted(names)).encode("utf-8"))


def is_fresh(entry: dict[str, Any] | None, inputs: dict[str, Any], data: dict[str, str], code: dict[str, str],
             outputs: list[Path]) -> bool:
    """True when ``entry`` (the pair's manifest record) ran without error on the same ``inputs``, and the
    data files and kit modules it used (``entry["data"]``, ``entry["code"]``) still hash the same."""
    if not entry or entry.get("status") != "ok" or "data" not in entry or "code" not in entry:
        return False
    if any(entry.get(k) != v for k, v in inputs.items()):
        return False
    for recorded, current in ((entry["data"], data), (entry["code"], code)):
        if any(current.get(rel) != digest for rel, digest in recorded.items()):
            return False
    return all(p.is_file() for p in outputs)
