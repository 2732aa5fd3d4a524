"""Execute one (notebook, parameter set) pair from content alone, in a temporary folder.

This is what a worker runs, in a local process or on a cluster: the task carries the notebook, its
parameters and the data files; the result carries the executed notebook, its HTML, its figures, and
the data files and kit modules it used. Nothing is written outside the temporary folder: the client writes outputs.
"""
from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

KERNEL = "python3"
MAX_MESSAGE = 500  # characters of an error message in the output, manifest and index (the notebook has all)


class KernelStartError(RuntimeError):
    """The kernel ended before running a cell, e.g. when another process took one of its ports between
    jupyter_client choosing it and the kernel binding it. Raised, not returned, so the batch runs the pair again."""


@dataclass(frozen=True)
class Task:
    """What a worker needs besides the notebook and data contents."""

    key: str  # "<notebook>/<set>"
    notebook_name: str  # file name, e.g. "partnership_value.ipynb"
    parameters: dict[str, Any]
    figures_dir: str  # relative to the executed notebook's folder, e.g. "default_figures"; set in parameters
    timeout: int | None = None  # seconds a cell may run; None: no limit
    preload: tuple[str, ...] | None = None  # kernel forked from a template importing these; None: a cold kernel


@dataclass
class Failure:
    """Where and why a run failed."""

    cell: int | None  # 1-based position in the source notebook, None if not in a cell
    source: str  # first line of the failing cell
    exception: str  # "KeyError: 'x'"

    def describe(self) -> str:
        return f"cell {self.cell} ({self.source!r}): {self.exception}" if self.cell else self.exception


@dataclass
class Result:
    """What a worker sends back; the client writes it."""

    key: str
    ok: bool
    duration_s: float
    notebook: str | None = None  # the executed notebook (JSON text), also on failure when one was written
    html: str | None = None
    results: dict[str, Any] = field(default_factory=dict)
    figures: dict[str, bytes] = field(default_factory=dict)
    reads: list[str] = field(default_factory=list)  # data files, relative to the data folder
    modules: list[str] = field(default_factory=list)  # kit modules the notebook imported
    failure: Failure | None = None


def _cell_number(source_nb: dict, source: str) -> int | None:
    for i, cell in enumerate(source_nb.get("cells", []), start=1):
        if "".join(cell.get("source", "")) == source:
            return i
    return None


def _cut(text: str) -> str:
    if len(text) <= MAX_MESSAGE:
        return text
    return f"{text[:MAX_MESSAGE]}… ({len(text) - MAX_MESSAGE} more characters in the failed notebook)"


def _failure(exc: BaseException, source_nb: dict, started: str | None = None, timeout: int | None = None) -> Failure:
    """Where and why ``exc`` stopped the run; ``started`` is the hash of the last cell that started."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    from kit.runner.trace import cell_hash

    if isinstance(exc, PapermillExecutionError):
        return _in_cell(source_nb, exc.source, f"{exc.ename}: {exc.evalue}")
    cell = next((c for c in source_nb.get("cells", []) if cell_hash("".join(c.get("source", ""))) == started), None)
    cause = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, CellTimeoutError):
        cause = f"ran longer than {timeout} s (kit run --timeout)"
    elif isinstance(exc, DeadKernelError):
        cause = f"the kernel died ({cause})"
    return _in_cell(source_nb, "".join(cell["source"]), cause) if cell else Failure(None, "", _cut(cause))


def _in_cell(source_nb: dict, source: str, cause: str) -> Failure:
    first = next((line for line in source.splitlines() if line.strip()), "")
    return Failure(_cell_number(source_nb, source), first[:80], _cut(cause))


def _stopped_early(nb: Any, source_nb: dict) -> Failure | None:
    """A cell that stopped the notebook without papermill calling it an error (``sys.exit(0)``), if any."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                evalue = f": {output.get('evalue')}" if output.get("evalue") else ""
                return _in_cell(source_nb, cell.source, f"{output.get('ename')}{evalue}")
    return None


_STABLE_IDS = {"injected-parameters": "injected-parameters", "papermill-error-cell-tag": "papermill-error-cell"}


def _stable_ids(nb: Any) -> Any:
    """Give the cells papermill adds a fixed id (it draws a random one), so reruns are byte-identical."""
    seen: dict[str, int] = {}
    for cell in nb.cells:
        for tag, cell_id in _STABLE_IDS.items():
            if tag in cell.metadata.get("tags", []):
                seen[tag] = seen.get(tag, 0) + 1
                cell["id"] = cell_id if seen[tag] == 1 else f"{cell_id}-{seen[tag]}"
    return nb


def _files(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run(task: Task, notebook: bytes, data: dict[str, bytes]) -> Result:
    """Execute ``notebook`` with ``task.parameters`` against ``data`` (``{relative path: content}``)."""
    import json

    import nbformat
    import papermill
    from traitlets.config import Config

    from kit import results
    from kit.notebook_io import strip_volatile
    from kit.runner import kernels, report, trace

    start = time.perf_counter()
    try:
        cells = json.loads(notebook).get("cells")
    except (ValueError, AttributeError):
        cells = None  # papermill reports the broken file below
    source_nb = {"cells": [c for c in cells if isinstance(c, dict)] if isinstance(cells, list) else []}
    with tempfile.TemporaryDirectory(prefix="kit-run-") as tmp:
        work = Path(tmp)
        data_dir = work / "data"
        for rel, content in data.items():
            (data_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            (data_dir / rel).write_bytes(content)
        data_dir.mkdir(exist_ok=True)
        src, out, trace_file = work / task.notebook_name, work / f"out-{task.notebook_name}", work / "reads.txt"
        src.write_bytes(notebook)
        trace_file.touch()
        parameters = dict(task.parameters)
        failure, nb = None, None
        try:
            papermill.execute_notebook(
                str(src), str(out), parameters=parameters, kernel_name=KERNEL, execution_timeout=task.timeout,
                resources={"metadata": {"path": str(work)}},  # the kernel's cwd, without chdir in this process
                config=Config({"KernelManager": {"connection_file": str(work / "kernel.json")}}),  # removed with work
                progress_bar=False, log_output=False, shutdown_kernel="immediate",
                request_save_on_cell_execute=False,  # one save at the end, not a rewrite after every cell
                extra_arguments=[
                    "--IPKernelApp.log_level=ERROR",  # not the TCP notice on every start
                    "--HistoryManager.enabled=False",  # no history database: nothing reads it back
                    f"--IPKernelApp.exec_lines={trace.exec_line(str(data_dir), str(trace_file))}",
                ],
                **kernels.engine_options(task.preload),
            )
        except Exception as exc:  # a failing notebook is a result, not a crash of the batch
            started = trace.last_cell(trace_file.read_text(encoding="utf-8"))
            if started is None and isinstance(exc, RuntimeError) and "died" in str(exc):
                raise KernelStartError(f"the kernel ended before running a cell ({type(exc).__name__}: {exc})") from None
            failure = _failure(exc, source_nb, started, task.timeout)
        if out.is_file():
            nb = _stable_ids(strip_volatile(nbformat.read(out, as_version=4)))
            failure = failure or _stopped_early(nb, source_nb)
        result = Result(task.key, failure is None, 0.0, failure=failure)
        if nb is not None:
            result.notebook = nbformat.writes(nb) + "\n"
            result.results = results.read(nb)
            if failure is None:
                result.html = report.to_html(nb, Path(task.notebook_name).stem)
        result.figures = _files(work / task.figures_dir) if failure is None else {}
        result.reads, result.modules = trace.parse(trace_file.read_text(encoding="utf-8"))
    result.duration_s = round(time.perf_counter() - start, 2)
    return result
