"""``kit run``: plan what is out of date, check parameters, execute through a backend, write outputs.

The client (this process) alone writes to the reports folder, atomically and under a lock; workers
only return results. A pair that fails keeps its previous good report and leaves ``<set>.failed.ipynb``.
"""
from __future__ import annotations

import json
import contextlib
import os
import signal
import sys
import tempfile
import threading
from concurrent.futures import FIRST_COMPLETED, CancelledError, Future, wait
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, TextIO

from kit import fsio, results
from kit.runner import cache, index, manifest
from kit.runner.discover import DiscoveryError, Pair, Project, discover, find_project

if TYPE_CHECKING:
    from kit.runner.backends import Backend

EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED, EXIT_TERMINATED = 1, 2, 130, 143
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
    timeout: int | None = None  # seconds a cell may run (0: no limit); None: the project's default


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
            "environment_sha256": cache.environment(),
        }
        planned.append(Planned(pair, nb, params, inputs))
    return planned


def check_parameters(project: Project, todo: list[Planned]) -> tuple[dict[str, dict], list[str]]:
    """The values each pair runs with (``figures_dir`` set beside its report), and every problem found."""
    from kit.present import scenario
    from kit.runner import parameters

    values, problems, known_by_nb = {}, [], {}
    for item in todo:
        pair = item.pair
        if pair.notebook not in known_by_nb:
            known_by_nb[pair.notebook] = parameters.defaults(pair.notebook)
        known = known_by_nb[pair.notebook]
        source = project.rel(pair.params) if pair.params else project.rel(pair.notebook)
        try:
            given = parameters.parse(parameters.decode(item.params, source), source)
        except parameters.ParameterError as exc:
            problems += exc.problems
            continue
        problems += parameters.check(source, given, known)
        if "figures_dir" in known:
            given = {**given, "figures_dir": Path(outputs(pair)["figures_dir"]).name}
        if "scenario" in known:  # the set's name, description and changed parameters (kit.present.scenario)
            given = {**given, "scenario": scenario.injected(pair.set_name, item.params.decode("utf-8"), given, known)}
        values[pair.key] = given
    return values, problems


class Dispatch:
    """Submits pairs to a backend and yields their results as they complete. Content is shared once per
    run; a task that breaks outside the notebook (lost worker, dead process) is submitted once more, with
    its content sent again, then becomes a failure naming the cause."""

    def __init__(self, backend: Backend, contents: dict[str, bytes], values: dict[str, dict],
                 timeout: int | None = None, preload: tuple[str, ...] | None = None):
        self.backend, self.contents, self.values = backend, contents, values
        self.timeout, self.preload = timeout, preload
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
                            Path(outputs(item.pair)["figures_dir"]).name, timeout=self.timeout, preload=self.preload)
        self.pending[self.backend.submit(execute.run, task, notebook, data)] = (item, attempt)

    def results(self, say: Callable[[str], None]) -> Iterator[tuple[Planned, Any]]:
        from kit.runner import execute

        while self.pending:
            # Ctrl-C or SIGTERM waits for wait() to return (within 0.5 s): raised inside it, between taking one
            # future's lock and the next, it leaves those locks held, and the pool's shutdown at exit hangs on them
            with fsio.deferred_interrupt():
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
        self.failures: list[str] = []  # pairs
        self.write_failures: list[str] = []  # the manifest or the index
        self.interrupted = 0  # the exit code after Ctrl-C or SIGTERM

    def say(self, text: str) -> None:
        print(text, file=self.stream, flush=True)

    # -- planning -----------------------------------------------------------------------------------
    def stale(self, planned: list[Planned], data: dict[str, str], code: dict[str, str]) -> list[Planned]:
        if self.opts.force:
            return planned
        reports = self.manifest["reports"]
        return [p for p in planned if not cache.is_fresh(reports.get(p.pair.key), p.inputs, data, code, [
            self.out / outputs(p.pair)["ipynb"], self.out / outputs(p.pair)["html"],
            *(self.out / figure for figure in reports.get(p.pair.key, {}).get("figures", []))])]

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
    def managed_folders(self, pairs: list[Pair]) -> list[Path]:
        """The folders of the reports folder that the kit writes: the folder itself, one per notebook and
        each report's figures folder (with its subfolders)."""
        keys = {*self.manifest["reports"], *(p.key for p in pairs)}
        folders = {self.out, *(self.out / key.split("/", 1)[0] for key in keys)}
        for key in keys:
            figures = self.out / f"{key}_figures"
            folders.update([figures, *(p for p in figures.rglob("*") if p.is_dir())] if figures.is_dir() else [])
        return sorted(folders)

    def _write_report(self, paths: dict[str, str], result: Any) -> None:
        """A good result's notebook, HTML and figures, all replaced or (on a write error) none; then charts
        the notebook no longer makes and an earlier failed notebook go."""
        folder = self.out / paths["figures_dir"]
        fsio.write_files_atomic({self.out / paths["ipynb"]: result.notebook.encode("utf-8"),
                                 self.out / paths["html"]: result.html.encode("utf-8"),
                                 **{folder / rel: content for rel, content in result.figures.items()}})
        for path in sorted(folder.rglob("*"), reverse=True) if folder.is_dir() else []:
            rel = path.relative_to(folder).as_posix()
            if path.is_file() and not path.name.startswith(".") and rel not in result.figures:
                path.unlink()
        (self.out / paths["failed_ipynb"]).unlink(missing_ok=True)

    def _write_error(self, exc: OSError) -> str:
        if isinstance(exc, fsio.WriteError):
            return f"cannot write {self.project.rel(exc.path)}: {exc.cause}"
        return f"cannot write to {self.project.rel(self.out)}/: {exc.strerror or exc}"

    def record(self, item: Planned, result: Any, data: dict[str, str], code: dict[str, str]) -> Any:
        """Write one pair's outputs and its manifest entry; Ctrl-C waits until both are consistent. A write
        error makes the pair a failure naming the file and the cause. Returns the result as recorded."""
        from kit.runner.execute import Failure

        pair, paths = item.pair, outputs(item.pair)
        previous = self.manifest["reports"].get(pair.key, {})
        entry = {**item.inputs, "set": pair.set_name, "duration_s": result.duration_s,
                 "data": {rel: data.get(rel) for rel in result.reads},
                 "code": {rel: code.get(rel) for rel in cache.module_files(result.modules, code)}}
        with fsio.deferred_interrupt():
            try:
                if result.ok:
                    self._write_report(paths, result)
                elif result.notebook:
                    fsio.write_text_atomic(self.out / paths["failed_ipynb"], result.notebook)
            except OSError as exc:
                result = dataclasses.replace(result, ok=False, notebook=None,
                                             failure=Failure(None, "", self._write_error(exc)))
            if result.ok:
                entry.update(status="ok", results=result.results, html=paths["html"], ipynb=paths["ipynb"],
                             figures=sorted(f"{paths['figures_dir']}/{rel}" for rel in result.figures),
                             summary=results.summary(json.loads(result.notebook)))  # labels, answer, scenario
                if "results" in previous:  # the index marks what moved since then
                    entry["previous_results"] = previous["results"]
            else:
                entry.update(status="failed", failure={**result.failure.__dict__, "message": result.failure.describe()})
                if result.notebook:
                    entry["failed_ipynb"] = paths["failed_ipynb"]
                for key in ("html", "ipynb", "figures"):  # the previous good report stays
                    if previous.get(key) and (self.out / paths[key if key != "figures" else "figures_dir"]).exists():
                        entry[key] = previous[key]
            self.manifest["reports"][pair.key] = entry
            self.save(index_too=False)
        return result

    def save(self, manifest_too: bool = True, index_too: bool = True) -> None:
        """Write the manifest and the index (the index only if it changed, e.g. a newer kit lays it out
        differently); a write error is reported once, the batch goes on and exits with 1."""
        try:
            if manifest_too:
                manifest.save(self.out, self.manifest)
            if index_too:
                index.write(self.out, self.manifest)
        except OSError as exc:
            problem = f"FAILED {self._write_error(exc)}"
            if problem not in self.write_failures:
                self.write_failures.append(problem)
                self.say(problem)

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
            dispatch = Dispatch(backend, contents, values, cell_timeout(self.project.root, self.opts.timeout), preload)
            for item in self.longest_first(todo):  # the batch ends sooner when short pairs fill the gaps at the end
                dispatch.submit(item)
            progress = Progress(len(todo), self.stream, self.opts.progress_bar)
            for item, result in dispatch.results(progress.say):
                result = self.record(item, result, data, code)
                if result.ok:
                    progress.done(f"ok {item.pair.key} {result.duration_s:.1f}s")
                else:
                    line = self.failed(item, result.failure.describe(), bool(result.notebook))
                    self.failures.append(line)
                    progress.say(line)
                    progress.done(f"failed {item.pair.key}")
            return True
        except KeyboardInterrupt as exc:
            backend.stop()
            self.interrupted = EXIT_TERMINATED if isinstance(exc, Terminated) else EXIT_INTERRUPTED
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
        fsio.remove_stale_temporaries(self.managed_folders(pairs))
        data = cache.folder_hashes(self.data_dir)
        code = cache.code_hashes()
        planned = plan(self.project, pairs)
        pruned = not self.opts.notebooks and not self.opts.params and self.prune(pairs)
        todo = self.stale(planned, data, code)
        if not todo:
            self.save(manifest_too=pruned)
            self.say(f"nothing to do: {len(planned)} report{'s' * (len(planned) != 1)} up to date "
                     f"in {self.project.rel(self.out)}/ (--force re-runs them)")
            return EXIT_FAILED if self.write_failures else 0
        values, problems = check_parameters(self.project, todo)
        if problems:
            for line in problems:
                self.say(line)
            self.say(f"kit run: {len(problems)} parameter problem(s); nothing was run")
            return EXIT_USAGE
        finished = self.execute(todo, values, data, code)
        self.save()
        skipped = len(planned) - len(todo)
        where = self.project.rel(self.out / index.NAME)
        if not finished:
            self.say(f"interrupted: finished reports are saved, the rest are unchanged; index: {where}")
            return self.interrupted
        ran = len(todo) - len(self.failures)
        self.say(f"{ran} ran, {skipped} up to date, {len(self.failures)} failed; index: {where}")
        for line in self.failures + self.write_failures:
            self.say(line)
        return EXIT_FAILED if self.failures or self.write_failures else 0


class TimeoutSetting(ValueError):
    """The project's default timeout is not a number of seconds."""


def cell_timeout(root: Path, given: int | None) -> int | None:
    """Seconds a cell may run: ``given`` (``kit run --timeout``), else ``timeout`` in the ``[tool.kit.run]``
    table of the project's ``pyproject.toml``; 0 or neither: no limit."""
    if given is None and (root / "pyproject.toml").is_file():
        try:
            import tomllib
        except ModuleNotFoundError:  # Python 3.10
            import tomli as tomllib

        try:
            settings = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise TimeoutSetting(f"pyproject.toml: {exc}") from None
        given = settings.get("tool", {}).get("kit", {}).get("run", {}).get("timeout")
        if given is not None and (isinstance(given, bool) or not isinstance(given, int) or given < 0):
            raise TimeoutSetting("pyproject.toml: [tool.kit.run] timeout must be a whole number of seconds "
                                 f"(0: no limit), not {given!r}")
    return given or None


def out_problem(out: Path) -> str | None:
    """Why ``out`` cannot be a reports folder, or None. It must be a writable folder that is new, empty or
    written by kit run before (it has a manifest or a lock)."""
    if out.exists() and not out.is_dir():
        return "is a file, not a folder"
    if out.is_dir() and not (out / manifest.NAME).exists() and not (out / fsio.LOCK_NAME).exists() and any(
            out.iterdir()):
        return f"has files but is not a reports folder (no {manifest.NAME}); choose a new or empty folder"
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=out, prefix=".probe.", suffix=fsio.TMP_SUFFIX)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        return f"cannot write there: {exc.strerror or exc}"
    return None


class Terminated(KeyboardInterrupt):
    """SIGTERM (a CI cancel, ``timeout``): stops the batch like Ctrl-C."""


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    def terminate(signum: int, frame: Any) -> None:
        raise Terminated

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run(opts: Options, cwd: Path | None = None, stream: TextIO | None = None) -> int:
    """Run the batch described by ``opts`` for the project at or above ``cwd``; the exit code."""
    from kit.paths import data_dir

    from kit.runner.backends import BackendError

    stream = stream or sys.stdout
    project = find_project(cwd or Path.cwd())
    out = Path(opts.out) if opts.out else project.root / "reports"
    lock = project.rel(out / fsio.LOCK_NAME)

    def say(text: str) -> None:
        print(text, file=stream, flush=True)

    problem = out_problem(out)
    if problem:
        say(f"kit run: --out {opts.out or project.rel(out)}: {problem}")
        return EXIT_USAGE
    try:
        cell_timeout(project.root, opts.timeout)
    except TimeoutSetting as exc:
        say(f"kit run: {exc}")
        return EXIT_USAGE
    try:
        with _terminate_as_interrupt(), fsio.locked(
                out, on_wait=lambda holder: say(f"waiting: {holder} is writing {project.rel(out)}/"),
                on_stale=lambda holder: say(f"taking over {lock} from {holder}, which ended without releasing it")):
            return Batch(project, out, data_dir(), opts, stream).run()
    except BackendError as exc:
        say(f"kit run: {exc}")
        return EXIT_USAGE
    except KeyboardInterrupt as exc:
        say("interrupted")
        return EXIT_TERMINATED if isinstance(exc, Terminated) else EXIT_INTERRUPTED
