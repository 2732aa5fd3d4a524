"""Where pairs execute: one ``concurrent.futures.Executor`` seam behind a small ``Backend`` interface, a
local process pool by default or a Dask cluster (``cluster.DaskCluster``, the only code that imports dask).
"""
from __future__ import annotations

import os
import signal
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
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


def _exit(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def _worker_init(preload: tuple[str, ...] | None = None) -> None:
    # Ctrl-C is the parent's to handle; a stop (SIGTERM) unwinds the run so kernels and temp folders are cleaned up.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit)
    from multiprocessing.util import Finalize

    from kit.runner import template

    template.prepare(preload)  # the warm template imports while this worker imports papermill
    Finalize(None, template.close_all, exitpriority=0)  # a pool worker ends without atexit handlers


class LocalPool:
    """A pool of worker processes on this machine."""

    def __init__(self, jobs: int, preload: tuple[str, ...] | None = None):
        self.jobs, self.preload = jobs, preload
        self.describe = f"{jobs} local worker process{'es' if jobs != 1 else ''}"
        self.executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.jobs, initializer=_worker_init, initargs=(self.preload,))

    def share(self, blob: bytes, fresh: bool = False) -> Any:
        return blob

    def submit(self, fn: Callable, *args: Any) -> Future:
        try:
            return self.executor.submit(fn, *args)
        except BrokenProcessPool:  # a worker died: the pool is unusable, start a fresh one
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = self._new()
            return self.executor.submit(fn, *args)

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
