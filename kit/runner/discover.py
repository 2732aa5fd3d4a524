"""Find the (notebook, parameter set) pairs: ``notebooks/<nb>.ipynb`` × ``params/<nb>/<set>.yaml``."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_SET = "default"


class DiscoveryError(ValueError):
    """A notebook or parameter file named on the command line does not exist or does not fit the layout."""


@dataclass(frozen=True, order=True)
class Pair:
    """One notebook with one parameter set. ``params`` is None for a notebook without parameter files."""

    notebook: Path
    set_name: str
    params: Path | None

    @property
    def name(self) -> str:
        return self.notebook.stem

    @property
    def key(self) -> str:
        """``<notebook>/<set>``: the pair's name in reports, the manifest and messages."""
        return f"{self.name}/{self.set_name}"


@dataclass(frozen=True)
class Project:
    """Where a project's notebooks and parameter files are."""

    root: Path

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def params(self) -> Path:
        return self.root / "params"

    def rel(self, path: Path) -> str:
        """``path`` relative to the project root (for messages and the manifest), else as given."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()


def find_project(start: Path) -> Project:
    """The nearest folder at or above ``start`` that has a ``notebooks/`` folder; ``start`` itself if none."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "notebooks").is_dir():
            return Project(folder)
    return Project(start)


def _is_notebook(path: Path) -> bool:
    return path.suffix == ".ipynb" and not path.name.startswith((".", "_")) and ".failed." not in path.name


def _param_files(project: Project, notebook: Path) -> list[Path]:
    folder = project.params / notebook.stem
    return sorted(p for p in folder.glob("*.yaml") if not p.name.startswith(".")) if folder.is_dir() else []


def pairs_for(project: Project, notebook: Path) -> list[Pair]:
    """Every parameter set of ``notebook``; a notebook without parameter files runs once with its defaults."""
    notebook = notebook.resolve()
    files = _param_files(project, notebook)
    if not files:
        return [Pair(notebook, DEFAULT_SET, None)]
    return [Pair(notebook, f.stem, f) for f in files]


def _notebook_arg(project: Project, arg: str) -> Path:
    path = Path(arg)
    candidates = [path, project.root / path] if path.suffix == ".ipynb" else [project.notebooks / f"{arg}.ipynb"]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    known = ", ".join(p.stem for p in sorted(project.notebooks.glob("*.ipynb")) if _is_notebook(p))
    raise DiscoveryError(f"no notebook {arg!r} (known: {known or 'none'})")


def _params_arg(project: Project, arg: str) -> Pair:
    path = Path(arg)
    if not path.is_file() and (project.root / path).is_file():
        path = project.root / path
    if not path.is_file():
        raise DiscoveryError(f"{arg}: no such parameter file")
    if path.suffix != ".yaml":
        raise DiscoveryError(f"{arg}: a parameter file is a .yaml file in params/<notebook>/")
    notebook = project.notebooks / f"{path.parent.name}.ipynb"
    if not notebook.is_file():
        raise DiscoveryError(f"{arg}: its folder {path.parent.name!r} names no notebook in {project.rel(project.notebooks)}/")
    return Pair(notebook.resolve(), path.stem, path.resolve())


def discover(project: Project, notebooks: list[str] = (), params: list[str] = ()) -> list[Pair]:
    """The pairs to consider, sorted: all of them; those of the named notebooks; or, with parameter files,
    exactly those files (a notebook named beside them must be the notebook of one of them)."""
    if params:
        chosen = {_params_arg(project, arg) for arg in params}
        for arg in notebooks:
            if _notebook_arg(project, arg).resolve() not in {pair.notebook for pair in chosen}:
                raise DiscoveryError(f"{arg}: none of the --params files is one of its parameter sets")
        return sorted(chosen)
    found: set[Pair] = set()
    for nb in [_notebook_arg(project, arg) for arg in notebooks] or project.notebooks.glob("*.ipynb"):
        if notebooks or _is_notebook(nb):
            found.update(pairs_for(project, nb))
    return sorted(found)
