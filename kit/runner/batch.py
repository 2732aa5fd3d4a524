"""``kit run``: plan what is out of date, check parameters, execute through a backend, write outputs.

The client (this process) alone writes to the reports folder, atomically and under a lock; workers
only return results. A pair that fails keeps its previous good report and leaves ``<set>.failed.ipynb``.
"""
from __future__ import annotations

import os
import sys
from concurrent.futures import FIRST_COMPLETED, CancelledError, Future, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, TextIO

from kit import fsio
from kit.runner import cache, index, manifest
from kit.runner.discover import DiscoveryError, Pair, Project, discover, find_project

if TYPE_CHECKING:
    from kit.runner.backends import Backend

EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 1, 2, 130
ATTEMPTS = 2  # a task that errors outside the notebook (lost worker, dead process) is submitted once more


@dataclass
class Options:
    notebooks: list[str] = field(default_factory=list)
    params: list[str] = field(default_factory=list)
    jobs: int | None = None
    force: bool = False
    out: Path | None = None
    scheduler: str | None = None
    cold_kernels: bool = False  # start each kernel as papermill does, not forked from a warm template
    progress_bar: bool | None = None  # None: a bar on a terminal, plain lines otherwise


@dataclass
class Planned:
    """A pair with the content and hashes it is run from (read once, so hashes match what ran)."""

    pair: Pair
    notebook: bytes
    params: bytes
    inputs: dict[str, Any]


def outputs(pair: Pair) -> dict[str, str]:
    """A pair's output files, relative to the reports folder."""
    stem = f"{pair.name}/{pair.set_name}"
    return {"ipynb": f"{stem}.ipynb", "html": f"{stem}.html", "failed_ipynb": f"{stem}.failed.ipynb",
            "figures_dir": f"{stem}_figures"}


def plan(project: Project, pairs: list[Pair]) -> list[Planned]:
    planned, notebooks = [], {}
    for pair in pairs:
        if pair.notebook not in notebooks:  # read and hashed once per notebook, not once per parameter set
            content = pair.notebook.read_bytes()
            notebooks[pair.notebook] = content, cache.notebook_hash(content)
        nb, nb_hash = notebooks[pair.notebook]
        params = pair.params.read_bytes() if pair.params else b""
        inputs = {
            "notebook": project.rel(pair.notebook),
            "params": project.rel(pair.params) if pair.params else None,
            "notebook_sha256": nb_hash,
            "params_sha256": cache.sha256(params),
            "packages": cache.packages(),
        }
        planned.append(Planned(pair, nb, params, inputs))
    return planned


def check_parameters(project: Project, todo: list[Planned]) -> tuple[dict[str, dict], list[str]]:
    """The values each pair runs with (``figures_dir`` set beside its report), and every problem found."""
    from kit.runner import parameters

    values, problems, known_by_nb = {}, [], {}
    for item in todo:
        pair = item.pair
        if pair.notebook not in known_by_nb:
            known_by_nb[pair.notebook] = parameters.defaults(pair.notebook)
        known = known_by_nb[pair.notebook]
        source = project.rel(pair.params) if pair.params else project.rel(pair.notebook)
        try:
            given = parameters.parse(item.params.decode("utf-8"), source)
        except parameters.ParameterError as exc:
            problems += exc.problems
            continue
        problems += parameters.check(source, given, known)
        if "figures_dir" in known:
            given = {**given, "figures_dir": Path(outputs(pair)["figures_dir"]).name}
        values[pair.key] = given
    return values, problems


class Dispatch:
    """Submits pairs to a backend and yields their results as they complete. Content is shared once per
    run; a task that breaks outside the notebook (lost worker, dead process) is submitted once more, with
    its content sent again, then becomes a failure naming the cause."""

    def __init__(self, backend: Backend, contents: dict[str, bytes], values: dict[str, dict],
                 preload: tuple[str, ...] | None = None):
        self.backend, self.contents, self.values, self.preload = backend, contents, values, preload
        self.shared: dict[Any, Any] = {}
        self.pending: dict[Future, tuple[Planned, int]] = {}

    def _inputs(self, item: Planned, fresh: bool) -> tuple[Any, dict[str, Any]]:
        share = self.backend.share
        if fresh:
            return share(item.notebook, fresh=True), {rel: share(b, fresh=True) for rel, b in self.contents.items()}
        if "data" not in self.shared:
            self.shared["data"] = {rel: share(blob) for rel, blob in self.contents.items()}
        if item.pair.notebook not in self.shared:
            self.shared[item.pair.notebook] = share(item.notebook)
        return self.shared[item.pair.notebook], self.shared["data"]

    def submit(self, item: Planned, attempt: int = 1) -> None:
        from kit.runner import execute

        notebook, data = self._inputs(item, fresh=attempt > 1)
        task = execute.Task(item.pair.key, item.pair.notebook.name, self.values[item.pair.key],
                            Path(outputs(item.pair)["figures_dir"]).name, self.preload)
        self.pending[self.backend.submit(execute.run, task, notebook, data)] = (item, attempt)

    def results(self, say: Callable[[str], None]) -> Iterator[tuple[Planned, Any]]:
        from kit.runner import execute

        while self.pending:
            done, _ = wait(list(self.pending), timeout=0.5, return_when=FIRST_COMPLETED)
            for future in done:
                item, attempt = self.pending.pop(future)
                try:
                    result = future.result()
                except Exception as exc:
                    cause = _cause(exc)
                    if attempt < ATTEMPTS:
                        say(f"retrying {item.pair.key} after {cause}")
                        self.submit(item, attempt + 1)
                        continue
                    failure = execute.Failure(None, "", f"{cause} (after {ATTEMPTS} attempts)")
                    result = execute.Result(item.pair.key, False, 0.0, failure=failure)
                yield item, result


def _cause(exc: Exception) -> str:
    if isinstance(exc, CancelledError):
        return "cancelled by the scheduler (a worker holding it or its inputs was lost)"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


class Batch:
    """One ``kit run`` holding the lock on its reports folder."""

    def __init__(self, project: Project, out: Path, data_dir: Path, opts: Options, stream: TextIO):
        self.project, self.out, self.data_dir, self.opts, self.stream = project, out, data_dir, opts, stream
        self.manifest = manifest.load(out)
        self.failures: list[str] = []

    def say(self, text: str) -> None:
        print(text, file=self.stream, flush=True)

    # -- planning -----------------------------------------------------------------------------------
    def stale(self, planned: list[Planned], data: dict[str, str], code: dict[str, str]) -> list[Planned]:
        if self.opts.force:
            return planned
        reports = self.manifest["reports"]
        return [p for p in planned if not cache.is_fresh(
            reports.get(p.pair.key), p.inputs, data, code,
            [self.out / outputs(p.pair)["ipynb"], self.out / outputs(p.pair)["html"]])]

    def prune(self, pairs: list[Pair]) -> bool:
        """Forget reports whose notebook or parameter file no longer exists (their files stay on disk)."""
        keys, pruned = {p.key for p in pairs}, False
        for key, entry in list(self.manifest["reports"].items()):
            gone = not (self.project.root / entry.get("notebook", "")).is_file() or (
                entry.get("params") and not (self.project.root / entry["params"]).is_file())
            if key not in keys and gone:
                del self.manifest["reports"][key]
                pruned = True
        return pruned

    # -- writing ------------------------------------------------------------------------------------
    def _write_figures(self, folder: Path, figures: dict[str, bytes]) -> None:
        for rel, content in figures.items():
            fsio.write_bytes_atomic(folder / rel, content)
        if folder.is_dir():
            for path in sorted(folder.rglob("*"), reverse=True):
                rel = path.relative_to(folder).as_posix()
                if path.is_file() and not path.name.startswith(".") and rel not in figures:
                    path.unlink()

    def record(self, item: Planned, result: Any, data: dict[str, str], code: dict[str, str]) -> None:
        """Write one pair's outputs and its manifest entry; Ctrl-C waits until both are consistent."""
        pair, paths = item.pair, outputs(item.pair)
        previous = self.manifest["reports"].get(pair.key, {})
        entry = {**item.inputs, "set": pair.set_name, "duration_s": result.duration_s,
                 "data": {rel: data.get(rel) for rel in result.reads},
                 "code": {rel: code.get(rel) for rel in cache.module_files(result.modules, code)}}
        with fsio.deferred_interrupt():
            if result.ok:
                fsio.write_text_atomic(self.out / paths["ipynb"], result.notebook)
                fsio.write_text_atomic(self.out / paths["html"], result.html)
                self._write_figures(self.out / paths["figures_dir"], result.figures)
                (self.out / paths["failed_ipynb"]).unlink(missing_ok=True)
                entry.update(status="ok", results=result.results, html=paths["html"], ipynb=paths["ipynb"],
                             figures=sorted(f"{paths['figures_dir']}/{rel}" for rel in result.figures))
            else:
                if result.notebook:
                    fsio.write_text_atomic(self.out / paths["failed_ipynb"], result.notebook)
                entry.update(status="failed", failure={**result.failure.__dict__, "message": result.failure.describe()})
                if result.notebook:
                    entry["failed_ipynb"] = paths["failed_ipynb"]
                for key in ("html", "ipynb", "figures"):  # the previous good report stays
                    if previous.get(key) and (self.out / paths[key if key != "figures" else "figures_dir"]).exists():
                        entry[key] = previous[key]
            self.manifest["reports"][pair.key] = entry
            manifest.save(self.out, self.manifest)

    def failed(self, item: Planned, message: str, saved: bool) -> str:
        pair = item.pair
        used = f" with {item.inputs['params']}" if item.inputs["params"] else " with its defaults"
        where = f"; notebook saved as {self.project.rel(self.out / outputs(pair)['failed_ipynb'])}" if saved else ""
        return f"FAILED {pair.key} ({item.inputs['notebook']}{used}): {message}{where}"

    def longest_first(self, todo: list[Planned]) -> list[Planned]:
        """``todo`` by the duration of each pair's last run, longest (or never run) first."""
        last = {key: e.get("duration_s", 0.0) for key, e in self.manifest["reports"].items()}
        return sorted(todo, key=lambda item: -last.get(item.pair.key, float("inf")))

    # -- running ------------------------------------------------------------------------------------
    def execute(self, todo: list[Planned], values: dict[str, dict], data: dict[str, str], code: dict[str, str]) -> bool:
        """Run ``todo`` through the backend, writing each result as it comes; False if interrupted."""
        from kit.runner import backends, kernels
        from kit.runner.progress import Progress

        jobs = max(1, min(self.opts.jobs or os.cpu_count() or 1, len(todo)))
        preload = kernels.preload_for(self.project.root, cold=self.opts.cold_kernels)
        backend = backends.open_backend(jobs, self.opts.scheduler, preload)
        self.say(f"running {len(todo)} report{'s' * (len(todo) != 1)} on {backend.describe}")
        progress = None
        try:
            contents = {rel: (self.data_dir / rel).read_bytes() for rel in data}  # the snapshot hashed above
            dispatch = Dispatch(backend, contents, values, preload)
            for item in self.longest_first(todo):  # the batch ends sooner when short pairs fill the gaps at the end
                dispatch.submit(item)
            progress = Progress(len(todo), self.stream, self.opts.progress_bar)
            for item, result in dispatch.results(progress.say):
                self.record(item, result, data, code)
                if result.ok:
                    progress.done(f"ok {item.pair.key} {result.duration_s:.1f}s")
                else:
                    line = self.failed(item, result.failure.describe(), bool(result.notebook))
                    self.failures.append(line)
                    progress.say(line)
                    progress.done(f"failed {item.pair.key}")
            return True
        except KeyboardInterrupt:
            backend.stop()
            return False
        finally:
            if progress is not None:
                progress.close()
            backend.close()

    def run(self) -> int:
        try:
            pairs = discover(self.project, self.opts.notebooks, self.opts.params)
        except DiscoveryError as exc:
            self.say(f"kit run: {exc}")
            return EXIT_USAGE
        if not pairs:
            self.say(f"no notebooks in {self.project.rel(self.project.notebooks)}/")
            return 0
        data = cache.folder_hashes(self.data_dir)
        code = cache.code_hashes()
        planned = plan(self.project, pairs)
        pruned = not self.opts.notebooks and not self.opts.params and self.prune(pairs)
        todo = self.stale(planned, data, code)
        if not todo:
            if pruned:
                manifest.save(self.out, self.manifest)
            index.write(self.out, self.manifest)  # only if it changed (e.g. a newer kit lays it out differently)
            self.say(f"nothing to do: {len(planned)} report{'s' * (len(planned) != 1)} up to date "
                     f"in {self.project.rel(self.out)}/ (--force re-runs them)")
            return 0
        values, problems = check_parameters(self.project, todo)
        if problems:
            for line in problems:
                self.say(line)
            self.say(f"kit run: {len(problems)} parameter problem(s); nothing was run")
            return EXIT_USAGE
        finished = self.execute(todo, values, data, code)
        manifest.save(self.out, self.manifest)
        index.write(self.out, self.manifest)
        skipped = len(planned) - len(todo)
        where = self.project.rel(self.out / index.NAME)
        if not finished:
            self.say(f"interrupted: finished reports are saved, the rest are unchanged; index: {where}")
            return EXIT_INTERRUPTED
        ran = len(todo) - len(self.failures)
        self.say(f"{ran} ran, {skipped} up to date, {len(self.failures)} failed; index: {where}")
        for line in self.failures:
            self.say(line)
        return EXIT_FAILED if self.failures else 0


def run(opts: Options, cwd: Path | None = None, stream: TextIO | None = None) -> int:
    """Run the batch described by ``opts`` for the project at or above ``cwd``; the exit code."""
    from kit.paths import data_dir

    from kit.runner.backends import BackendError

    stream = stream or sys.stdout
    project = find_project(cwd or Path.cwd())
    out = Path(opts.out) if opts.out else project.root / "reports"
    try:
        with fsio.locked(out, on_wait=lambda: print(f"waiting: another kit run is writing {out}", file=stream, flush=True)):
            fsio.remove_stale_temporaries(out)
            return Batch(project, out, data_dir(), opts, stream).run()
    except BackendError as exc:
        print(f"kit run: {exc}", file=stream)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted", file=stream)
        return EXIT_INTERRUPTED
