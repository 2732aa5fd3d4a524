"""Safe file output: atomic writes (one file, or a group all or nothing) through temporary files only the
kit names, a lock per output folder that dies with its holder, Ctrl-C and SIGTERM deferred around a group
of writes."""
from __future__ import annotations

import contextlib
import errno
import os
import signal
import sys
import tempfile
import threading
from pathlib import Path
from typing import Callable, Iterable, Iterator

TMP_SUFFIX = ".kit-tmp"  # temporary files end so, and no other file is ever removed as one
_TMP_STEM = 100  # characters of the target's name in its temporary file's name, so both fit the 255-byte limit


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: mkstemp makes files readable by their owner only; outputs get the usual mode (as ``open`` would give).
FILE_MODE = 0o666 & ~_umask()


class WriteError(OSError):
    """A file could not be written; the message names it (``path``) and the cause."""

    def __init__(self, path: Path, cause: OSError):
        self.path, self.cause = path, cause.strerror or str(cause)
        super().__init__(cause.errno, f"cannot write {path}: {self.cause}")

    def __str__(self) -> str:
        return self.strerror


def _temporary(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:_TMP_STEM]}.", suffix=TMP_SUFFIX)
    os.close(fd)
    return Path(tmp)


@contextlib.contextmanager
def replacing(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it onto ``path``, on error delete it.

    Readers see either the old file or the complete new one, never a half-written file. An ``OSError``
    becomes a ``WriteError`` naming ``path``."""
    path, tmp = Path(path), None
    try:
        tmp = _temporary(path)
        yield tmp
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException as exc:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, WriteError):
            raise WriteError(path, exc) from exc
        raise


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (see ``replacing``)."""
    with replacing(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def write_text_atomic(path: str | Path, text: str) -> Path:
    """``write_bytes_atomic`` for UTF-8 text."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_files_atomic(files: dict[Path, bytes]) -> None:
    """Write several files so that all are replaced or, when one cannot be written (a full disk), none is:
    every file goes to a temporary file first, and the renames start when all are complete."""
    temporaries: dict[Path, Path] = {}
    path = None
    try:
        for path, data in files.items():
            temporaries[path] = _temporary(path)
            with os.fdopen(os.open(temporaries[path], os.O_WRONLY), "wb") as fh:
                fh.write(data)
            os.chmod(temporaries[path], FILE_MODE)
        for path, tmp in temporaries.items():
            os.replace(tmp, path)
    except OSError as exc:
        raise WriteError(path, exc) from exc
    finally:
        for tmp in temporaries.values():
            tmp.unlink(missing_ok=True)


def remove_stale_temporaries(folders: Iterable[Path]) -> int:
    """Delete the temporary files (``.*.kit-tmp``) that a process killed mid-write left directly in ``folders``;
    call while holding their lock. Nothing else is touched."""
    count = 0
    for folder in folders:
        for tmp in folder.glob(f".*{TMP_SUFFIX}") if folder.is_dir() else []:
            tmp.unlink(missing_ok=True)
            count += 1
    return count


LOCK_NAME = ".lock"
_thread_locks: dict[Path, threading.Lock] = {}


def _holder(fh) -> str | None:
    """The pid written in an open lock file: its holder's, or that of a holder that ended without releasing it."""
    fh.seek(0)
    text = fh.read().decode("ascii", "replace").strip()
    return text if text.isdigit() else None


def _describe(pid: str | None) -> str:
    return f"kit run (pid {pid})" if pid else "another kit run"


@contextlib.contextmanager
def locked(folder: Path, on_wait: Callable[[str], None] | None = None,
           on_stale: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (a ``.lock`` file in it); block while another process holds it.

    The lock belongs to this process alone: a process forked from it (a worker) does not hold it, and it
    is released when this process ends, however it ends. The file names the holder's pid while it is held:
    ``on_wait(holder)`` is called once if the lock is busy, before waiting; ``on_stale(holder)`` when the
    previous holder ended without releasing it (it was killed) and its lock is taken over.
    """
    folder.mkdir(parents=True, exist_ok=True)
    thread_lock = _thread_locks.setdefault(folder.resolve(), threading.Lock())
    waited = not thread_lock.acquire(blocking=False)
    if waited:
        if on_wait:
            on_wait("another kit run in this process")
        thread_lock.acquire()
    try:
        with open(folder / LOCK_NAME, "a+b") as fh:
            with _file_lock(fh, lambda: on_wait(_describe(_holder(fh))) if on_wait and not waited else None):
                stale = _holder(fh)
                if stale and on_stale:
                    on_stale(_describe(stale))
                _record(fh, str(os.getpid()))
                try:
                    yield
                finally:
                    _record(fh, "")
    finally:
        thread_lock.release()


def _record(fh, text: str) -> None:
    fh.seek(0)
    fh.truncate()
    fh.write(text.encode("ascii"))
    fh.flush()


@contextlib.contextmanager
def _file_lock(fh, on_busy: Callable[[], None]) -> Iterator[None]:
    """A lock on the open file ``fh`` owned by this process (POSIX record locks are not inherited by fork; the
    process loses one when it closes any descriptor of the file, so nothing else here opens the lock file)."""
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_LOCK, 1)
        try:
            yield
        finally:
            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    try:
        fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno not in (errno.EACCES, errno.EAGAIN):
            raise
        on_busy()
        fcntl.lockf(fh, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.lockf(fh, fcntl.LOCK_UN)


@contextlib.contextmanager
def deferred_interrupt() -> Iterator[None]:
    """Let a group of writes finish before Ctrl-C or SIGTERM takes effect (the signal is delivered after the block)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = {signum: signal.signal(signum, lambda signum, frame: received.append(signum))
                for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if received:
        signal.raise_signal(received[0])
