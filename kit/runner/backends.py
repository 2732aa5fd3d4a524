"""Where pairs execute: one ``concurrent.futures.Executor`` seam, a local process pool by default or a
Dask cluster (``distributed`` is imported only then). The batch code sees ``submit``, ``share``
(content a task needs: the content itself locally, a content-addressed future on a cluster), ``stop``
(Ctrl-C: cancel and end what runs) and ``close``."""
from __future__ import annotations

import os
import signal
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable

SCHEDULER_ENV = "KIT_SCHEDULER"


class BackendError(RuntimeError):
    """The executor cannot be set up (e.g. the scheduler is unreachable)."""


def _exit(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def _worker_init() -> None:
    # Ctrl-C is the parent's to handle; a stop (SIGTERM) unwinds the run so kernels and temp folders are cleaned up.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit)


class LocalPool:
    """A pool of worker processes on this machine."""

    def __init__(self, jobs: int):
        self.jobs = jobs
        self.describe = f"{jobs} local worker process{'es' if jobs != 1 else ''}"
        self.executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.jobs, initializer=_worker_init)

    def share(self, blob: bytes) -> Any:
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


class DaskCluster:
    """A running Dask scheduler: tasks go to its workers, content is scattered once per run."""

    def __init__(self, address: str, timeout: float = 5.0):
        try:
            from distributed import Client
        except ImportError:
            raise BackendError("running on a Dask cluster needs the cluster extra: pip install -e '.[cluster]'") from None
        try:
            self.client = Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise BackendError(f"cannot reach the Dask scheduler at {address} within {timeout:g} s: {exc}") from None
        workers = len(self.client.scheduler_info(n_workers=-1).get("workers", {}))
        self.describe = f"the Dask scheduler at {address} ({workers} workers; dashboard {self.client.dashboard_link})"
        self.executor = self.client.get_executor(pure=False)
        self.futures: list[Future] = []

    def share(self, blob: bytes) -> Any:
        return self.client.scatter(blob, hash=True)

    def submit(self, fn: Callable, *args: Any) -> Future:
        future = self.executor.submit(fn, *args)
        self.futures.append(future)
        return future

    def stop(self) -> None:
        for future in self.futures:
            future.cancel()
        self.executor.shutdown(wait=False)

    def close(self) -> None:
        self.client.close()


def open_backend(jobs: int, scheduler: str | None) -> LocalPool | DaskCluster:
    """The Dask cluster at ``scheduler`` (or ``$KIT_SCHEDULER``) if given, else a local pool of ``jobs`` processes."""
    scheduler = scheduler or os.environ.get(SCHEDULER_ENV) or None
    return DaskCluster(scheduler) if scheduler else LocalPool(jobs)
