"""Where pairs execute: one ``concurrent.futures.Executor`` seam behind a small ``Backend`` interface, a
local process pool by default or a Dask cluster (``cluster.DaskCluster``, the only code that imports dask).
"""
from __future__ import annotations

import contextlib
import os
import signal
import sys
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, Callable, Protocol

SCHEDULER_ENV = "KIT_SCHEDULER"


class Backend(Protocol):
    """What the batch needs from an executor."""

    describe: str  # for the "running N reports on ..." line

    def share(self, blob: bytes, fresh: bool = False) -> Any:
        """A handle for content that tasks take as an argument (sent once, or again when ``fresh``)."""

    def submit(self, fn: Callable, *args: Any) -> Future:
        """``executor.submit``: a ``concurrent.futures.Future``."""

    def stop(self) -> None:
        """Ctrl-C: cancel what has not started and end what runs, leaving nothing behind."""

    def close(self) -> None:
        """Release the executor after a complete batch."""


class BackendError(RuntimeError):
    """The executor cannot be set up (e.g. the scheduler is unreachable)."""


_stopping = False


def _stop(signum: int, frame: Any) -> None:
    """A stop (SIGTERM from the batch, or its end): end the kernel, unwind the running pair so its temporary
    folder is removed, print nothing of what the half-run notebook client leaves behind, then exit."""
    global _stopping
    _stopping = True
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once is enough
    _end_children()
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
    raise SystemExit(128 + signum)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError, ValueError):
            found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _end_children() -> None:
    """Kill this worker's descendants: its kernels, its warm template and the kernels forked from it (each
    kernel leads a process group), before their folder goes (Linux; elsewhere a kernel ends on its own
    within a second of its worker)."""
    todo, found = _children(os.getpid()), []
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += _children(pid)
    for pid in found:
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGKILL) if os.getpgid(pid) == pid else os.kill(pid, signal.SIGKILL)


def _worker_init(parent: int, preload: tuple[str, ...] | None = None) -> None:
    # Ctrl-C is the parent's to handle; a stop (SIGTERM) unwinds the run so kernels and temp folders are cleaned up.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop)
    _stop_with(parent)
    from multiprocessing.util import Finalize

    from kit.runner import template

    template.prepare(preload)  # the warm template imports while this worker imports papermill
    Finalize(None, template.close_all, exitpriority=0)  # a pool worker ends without atexit handlers


def _stop_with(parent: int) -> None:
    """Get SIGTERM when ``parent`` ends, however it ends (Linux only: elsewhere the workers of a batch killed
    with SIGKILL stay idle until stopped; they hold no lock)."""
    if sys.platform.startswith("linux"):
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    try:
        os.kill(parent, 0)
    except ProcessLookupError:  # it ended before the line above
        os.kill(os.getpid(), signal.SIGTERM)


def _in_worker(fn: Callable, *args: Any) -> Any:
    """Run ``fn``; after a stop, end the process instead of taking the next task."""
    try:
        return fn(*args)
    finally:
        if _stopping:
            os._exit(128 + signal.SIGTERM)


class LocalPool:
    """A pool of worker processes on this machine."""

    def __init__(self, jobs: int, preload: tuple[str, ...] | None = None):
        self.jobs, self.preload = jobs, preload
        self.describe = f"{jobs} local worker process{'es' if jobs != 1 else ''}"
        self.executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.jobs, initializer=_worker_init,
                                   initargs=(os.getpid(), self.preload))

    def share(self, blob: bytes, fresh: bool = False) -> Any:
        return blob

    def submit(self, fn: Callable, *args: Any) -> Future:
        try:
            return self.executor.submit(_in_worker, fn, *args)
        except BrokenProcessPool:  # a worker died: the pool is unusable, start a fresh one
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = self._new()
            return self.executor.submit(_in_worker, fn, *args)

    def stop(self) -> None:
        processes = list((getattr(self.executor, "_processes", None) or {}).values())
        self.executor.shutdown(wait=False, cancel_futures=True)
        for proc in processes:
            if proc.is_alive():
                proc.terminate()
        for proc in processes:
            proc.join(timeout=10)
            if proc.is_alive():
                proc.kill()

    def close(self) -> None:
        self.executor.shutdown(wait=True)


def open_backend(jobs: int, scheduler: str | None, preload: tuple[str, ...] | None = None) -> Backend:
    """The Dask cluster at ``scheduler`` (or ``$KIT_SCHEDULER``) if given, else a local pool of ``jobs``
    processes, each starting its warm kernel template for ``preload`` at once (None: cold kernels)."""
    scheduler = scheduler or os.environ.get(SCHEDULER_ENV) or None
    if not scheduler:
        return LocalPool(jobs, preload)
    from kit.runner.cluster import DaskCluster  # the only place that leads to importing dask

    return DaskCluster(scheduler)
