from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from kit import fsio
from tests.conftest import disk_full_for


def test_atomic_write_replaces_whole_file(tmp_path):
    path = tmp_path / "sub" / "r.html"
    fsio.write_text_atomic(path, "old")
    fsio.write_text_atomic(path, "new")
    assert path.read_text() == "new"
    assert [p.name for p in path.parent.iterdir()] == ["r.html"]
    assert path.stat().st_mode & 0o777 == fsio.FILE_MODE  # readable like any file, not owner-only


def test_files_written_together_are_all_replaced_or_none(tmp_path, monkeypatch):
    a, b = tmp_path / "r.ipynb", tmp_path / "sub" / "r.html"
    fsio.write_files_atomic({a: b"old a", b: b"old b"})
    disk_full_for(monkeypatch, ".r.html.")
    with pytest.raises(fsio.WriteError) as err:
        fsio.write_files_atomic({a: b"new a", b: b"new b"})
    assert str(err.value) == f"cannot write {b}: No space left on device" and err.value.path == b
    assert (a.read_bytes(), b.read_bytes()) == (b"old a", b"old b")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["r.html", "r.ipynb", "sub"]


def test_interrupted_write_keeps_old_content_and_leaves_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "r.html"
    path.write_text("old")

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        fsio.write_text_atomic(path, "new")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


def test_only_the_kits_own_stale_temporaries_are_removed_and_only_where_asked(tmp_path):
    stale = f".default.html.q1w2e3r4{fsio.TMP_SUFFIX}"  # left by a kit process killed mid-write
    for folder in ("a", "a/b", "c"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / stale).write_text("partial")
        for name in ("x.tmp", ".x.tmp", ".default.html.abc123.tmp", "default.html"):
            (tmp_path / folder / name).write_text("the user's")
    assert fsio.remove_stale_temporaries([tmp_path / "a", tmp_path / "missing"]) == 1
    assert not (tmp_path / "a" / stale).exists()
    assert (tmp_path / "a" / "b" / stale).exists() and (tmp_path / "c" / stale).exists()  # not asked for
    assert all(p.read_text() == "the user's" for p in tmp_path.rglob("*") if p.is_file() and p.name != stale)


def test_a_temporary_name_fits_beside_a_long_file_name(tmp_path):
    name = "s" * 240 + ".html"  # a valid name; with a prefix and suffix around it it would not be
    fsio.write_text_atomic(tmp_path / name, "x")
    assert [p.name for p in tmp_path.iterdir()] == [name] and (tmp_path / name).read_text() == "x"


def test_deferred_interrupt_lets_the_block_finish_then_raises():
    done = []
    usual = signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal, whatever runs the tests
    try:
        with pytest.raises(KeyboardInterrupt):
            with fsio.deferred_interrupt():
                signal.raise_signal(signal.SIGINT)  # delivered now, before the next line
                done.append("finished")
    finally:
        signal.signal(signal.SIGINT, usual)
    assert done == ["finished"]


def test_lock_excludes_a_second_process_until_released(tmp_path):
    code = ("import sys, time; from pathlib import Path; from kit import fsio\n"
            "with fsio.locked(Path(sys.argv[1]), on_wait=lambda holder: print('waiting', flush=True)):\n"
            "    print('got it', flush=True)\n")
    with fsio.locked(tmp_path):
        proc = subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True)
        first = proc.stdout.readline().strip()
        time.sleep(0.3)
        assert proc.poll() is None  # still waiting
    assert first == "waiting"
    assert proc.stdout.readline().strip() == "got it" and proc.wait(10) == 0


def test_lock_is_reentrant_across_threads_only_by_waiting(tmp_path):
    order = []

    def second():
        with fsio.locked(tmp_path, on_wait=lambda holder: order.append("waited")):
            order.append("second")

    with fsio.locked(tmp_path):
        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.2)
        order.append("first done")
    thread.join(5)
    assert order == ["waited", "first done", "second"]


_HOLD = """import os, sys, time
from pathlib import Path
from kit import fsio
with fsio.locked(Path(sys.argv[1])):
    child = os.fork()  # as a worker process is forked while the lock is held
    if child == 0:
        time.sleep(60)
        os._exit(0)
    print(child, flush=True)
    time.sleep(60)
"""

_TAKE = """import sys
from pathlib import Path
from kit import fsio
with fsio.locked(Path(sys.argv[1]), on_wait=lambda holder: print('waiting for', holder, flush=True),
                 on_stale=lambda holder: print('taking over from', holder, flush=True)):
    print('got it', flush=True)
"""


def test_the_lock_dies_with_its_holder_not_with_a_forked_child(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    child = int(holder.stdout.readline())
    try:
        busy = subprocess.Popen([sys.executable, "-c", _TAKE, str(tmp_path)], stdout=subprocess.PIPE, text=True)
        assert busy.stdout.readline().strip() == f"waiting for kit run (pid {holder.pid})"
        busy.kill()
        busy.communicate()
        holder.kill()  # kill -9: no chance to release
        holder.wait(10)
        taken = subprocess.run([sys.executable, "-c", _TAKE, str(tmp_path)], capture_output=True, text=True, timeout=20)
        assert taken.stdout.splitlines() == [f"taking over from kit run (pid {holder.pid})", "got it"]
        released = subprocess.run([sys.executable, "-c", _TAKE, str(tmp_path)], capture_output=True, text=True,
                                  timeout=20)
        assert released.stdout.splitlines() == ["got it"]  # a clean release leaves nothing to take over
    finally:
        os.kill(child, 9)
