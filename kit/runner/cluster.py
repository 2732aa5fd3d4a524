"""Run pairs on an existing Dask cluster (the optional ``cluster`` extra): the scheduler's executor is the
same ``concurrent.futures`` seam as the local pool, so cache, checks, outputs and progress are shared.

Workers need the kit installed, not the project's files: each task carries the notebook, its parameters
and the data, scattered once per run by content hash. The client alone writes outputs.
"""
from __future__ import annotations

from concurrent.futures import Future
from typing import Any, Callable

from kit.runner.backends import BackendError


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

    def share(self, blob: bytes, fresh: bool = False) -> Any:
        """The same content gets the same key, so it is sent once. Replicas on every worker may still be
        trimmed by the scheduler's memory manager and lost with a worker: a retry shares it ``fresh``ly."""
        return self.client.scatter(blob, hash=not fresh, broadcast=True)

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
