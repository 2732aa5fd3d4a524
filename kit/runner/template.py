"""The warm template: a single-threaded process that imports the heavy modules once, then forks a fresh
kernel for each request. Started by ``kit.runner.kernels`` as a script (``python template.py FD MODULE...``)
so that nothing of the kit is imported into it: a forked kernel holds the modules a cold one holds, plus
the preloaded ones, and the kernel-side trace sees every kit module a notebook imports.

It keeps one spare child forked ahead (reseeded, in its own session), so the next kernel is ready while
the current one runs. A spare that receives a launch takes the kernel's standard streams, working folder,
environment and argv, then runs ``ipykernel`` exactly as ``python -m ipykernel_launcher`` would.

Protocol on the Unix SEQPACKET socket FD, one JSON object per message:
  template -> client, once: {"ready": [modules]} or {"error": "why the template cannot serve"}
  client -> template: {"launch": {"argv", "env", "cwd"}} with three file descriptors (stdin, stdout, stderr)
                      -> {"pid": N} or {"error": "..."}
  client -> template: {"poll": N} -> {"status": null while it runs, else its exit code}
End of file on FD ends the template; its kernels notice within a second (ipykernel's parent poller).

``Handle`` is the other end, in the process that starts kernels (a worker): ``for_launch`` keeps one
template per worker, started afresh when the interpreter, the modules or the environment change.
"""
from __future__ import annotations

import sys

if __name__ == "__main__":  # this folder holds modules named like others (trace, report): not an import path
    del sys.path[0]

import atexit
import gc
import importlib
import importlib.util
import io
import json
import os
import signal
import socket
import subprocess
import threading
import warnings
from contextlib import redirect_stderr, redirect_stdout

MAX_MESSAGE = 1 << 20  # an environment and argv fit easily
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"  # what ipykernel sets when MPLBACKEND is unset
#: What ipykernel imports while it starts. Not its debugger (debugpy): imported ahead it sets an environment
#: variable, takes a thread name and leaves the kernel one descriptor short of a cold one.
KERNEL_MODULES = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "IPython.core.completerlib",
                  "IPython.core.debugger", "IPython.core.oinspect", "IPython.extensions.storemagic", "sqlite3")
#: Never preloaded: the kit (traced per run, may change between runs) and modules that hook into the running
#: kernel when imported (the inline backend registers itself with the shell it finds).
REFUSED = ("kit", "matplotlib_inline")


def send(sock: socket.socket, message: dict, fds: list[int] = ()) -> None:
    data = json.dumps(message).encode("utf-8")
    if fds:
        socket.send_fds(sock, [data], list(fds))
    else:
        sock.send(data)


def receive(sock: socket.socket) -> tuple[dict | None, list[int]]:
    """The next message and the file descriptors sent with it; (None, []) at end of file."""
    data, fds, _, _ = socket.recv_fds(sock, MAX_MESSAGE, 3)
    if not data:
        return None, []
    return json.loads(data), fds


class _InKernel:
    """What ``get_ipython()`` looks like to a library imported inside a kernel (pandas asks ``hasattr(ip,
    'kernel')`` at import to choose its display defaults)."""

    kernel = None


def _imports(names: tuple[str, ...] | list[str]) -> tuple[str | None, str]:
    """Import ``names``; a failure, and what the imports printed or warned."""
    out, caught = io.StringIO(), []
    show, warnings.showwarning = warnings.showwarning, lambda message, category, *rest: caught.append(
        f"warns: {category.__name__}: {message}")  # not catch_warnings: it would undo the filters modules add
    try:
        with redirect_stdout(out), redirect_stderr(out):
            for name in names:
                try:
                    importlib.import_module(name)
                except Exception as exc:  # noqa: BLE001 - any import failure means: no template
                    return f"importing {name} failed: {type(exc).__name__}: {exc}", ""
    finally:
        warnings.showwarning = show
    return None, " ".join(caught) + (f"prints: {out.getvalue()[:200]!r}" if out.getvalue() else "")


def preload(modules: list[str]) -> str | None:
    """Import the kernel's modules and ``modules`` as a kernel would see them; why not, if it cannot."""
    for name in modules:
        if name.split(".")[0] in REFUSED:
            return f"{name} is never preloaded (it must be imported by the kernel itself)"
    if not os.environ.get("MPLBACKEND"):
        os.environ["MPLBACKEND"] = INLINE_BACKEND
    import builtins

    failure, _ = _imports(KERNEL_MODULES)  # what they print a kernel prints while starting, outside any cell
    if failure:
        return failure
    builtins.get_ipython = _InKernel  # type: ignore[attr-defined]
    try:
        failure, said = _imports(modules)
    finally:
        del builtins.get_ipython
    if failure or said:  # a cold kernel would show it in the cell that imports the module
        return failure or f"importing the preloaded modules {said}"
    return forkable()


def forkable() -> str | None:
    """Why forking now would be unsafe, or None."""
    if threading.active_count() != 1:
        return f"the template runs {threading.active_count()} threads"
    zmq = sys.modules.get("zmq")
    if zmq is not None and getattr(zmq.Context, "_instance", None) is not None:
        return "a zmq context exists in the template"
    return None


class Template:
    """The serving loop. ``serve`` returns only in a forked child, with the launch it is to run."""

    def __init__(self, control: socket.socket):
        self.control = control
        self.exited: dict[int, int] = {}
        self.spare: tuple[int, socket.socket] | None = None

    def _reap(self, signum: int = 0, frame: object = None) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.exited[pid] = os.waitstatus_to_exitcode(status)

    def serve(self, modules: list[str]) -> dict | None:
        problem = preload(modules)
        send(self.control, {"error": problem} if problem else {"ready": modules})
        if problem:
            return None
        signal.signal(signal.SIGCHLD, self._reap)
        gc.freeze()  # kernels do not copy or traverse what the template imported
        while True:
            if self.spare is None:
                launch = self._fork_spare()
                if launch is not False:
                    return launch  # in the spare: a launch to run, or None when the template went away
            message, fds = receive(self.control)
            if message is None:
                return None
            if "poll" in message:
                pid = message["poll"]
                send(self.control, {"status": self.exited.get(pid, None if self._running(pid) else -1)})
            elif "launch" in message:
                send(self.control, self._hand_over(message, fds))

    def _running(self, pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True

    def _fork_spare(self) -> dict | None | bool:
        """Fork the next kernel ahead; in the template returns False, in the spare what it is to run."""
        problem = forkable()
        if problem:
            raise RuntimeError(problem)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid:
            theirs.close()
            self.spare = (pid, ours)
            return False
        ours.close()
        self.control.close()
        return spare(theirs)

    def _hand_over(self, message: dict, fds: list[int]) -> dict:
        pid, sock = self.spare
        self.spare = None
        try:
            send(sock, message, fds)
            reply, _ = receive(sock)
        except OSError as exc:
            reply = {"error": f"the prepared kernel is gone: {exc}"}
        finally:
            sock.close()
            for fd in fds:
                os.close(fd)
        return {"pid": pid} if reply and reply.get("ok") else reply or {"error": "the prepared kernel exited"}


def spare(sock: socket.socket) -> dict | None:
    """In a freshly forked child: become a kernel-to-be, wait for its launch, take on its streams, folder,
    environment and argv. Returns the launch, or None when the template ends first."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.setsid()  # like a kernel started with start_new_session: signals go to its own process group
    numpy_random = sys.modules.get("numpy.random")
    if numpy_random is not None:
        numpy_random.seed()  # fresh entropy, as at import in a cold kernel (``random`` reseeds itself at fork)
    message, fds = receive(sock)
    if message is None:
        os._exit(0)
    launch = message["launch"]
    try:
        for target, fd in zip((0, 1, 2), fds):
            os.dup2(fd, target)
        os.chdir(launch["cwd"])
    except OSError as exc:
        send(sock, {"error": f"{type(exc).__name__}: {exc}"})
        os._exit(1)
    finally:
        for fd in fds:
            os.close(fd)
    os.environ.clear()
    os.environ.update(launch["env"])
    args = launch["argv"][launch["argv"].index("ipykernel_launcher") + 1:]
    sys.argv = [importlib.util.find_spec("ipykernel_launcher").origin, *args]
    sys.orig_argv = list(launch["argv"])
    send(sock, {"ok": True})
    sock.close()
    return launch


def run_kernel() -> None:
    """What ``python -m ipykernel_launcher`` runs; the kernel's parent (this template) is the one it watches."""
    from ipykernel import kernelapp

    kernelapp.IPKernelApp.launch_instance(parent_handle=os.getppid())


def main(argv: list[str]) -> int:
    control = socket.socket(fileno=int(argv[1]))
    launch = Template(control).serve(argv[2:])
    if launch is None:
        return 0
    run_kernel()
    return 0


# -- the client end -------------------------------------------------------------------------------

STARTUP_TIMEOUT = 120.0  # the template's imports, on a loaded machine
REPLY_TIMEOUT = 30.0
#: Set per launch by jupyter_client (the launching process, a session name): not part of a template's identity.
VOLATILE_ENV = ("JPY_PARENT_PID", "JPY_SESSION_NAME")


class Unavailable(RuntimeError):
    """No kernel can be forked from this template (it could not start, import, or it went away)."""


class Handle:
    """A template process started from this one, and the socket to it."""

    def __init__(self, python: list[str], modules: tuple[str, ...], env: dict[str, str]):
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.sock, self.lock, self.ready = ours, threading.Lock(), None
        try:
            # its own session, like a kernel: Ctrl-C on a terminal is for kit run; "/": no folder to clean up
            self.proc = subprocess.Popen([*python, __file__, str(theirs.fileno()), *modules], env=env, cwd="/",
                                         pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL,
                                         start_new_session=True)
        except OSError as exc:
            ours.close()
            self.ready = {"error": f"cannot start {python[0]}: {exc}"}
        finally:
            theirs.close()

    def _request(self, message: dict, fds: list[int] = ()) -> dict:
        with self.lock:
            try:
                if self.ready is None:
                    self.sock.settimeout(STARTUP_TIMEOUT)
                    self.ready = receive(self.sock)[0] or {"error": "the template exited while importing"}
                if "error" in self.ready:
                    raise Unavailable(self.ready["error"])
                self.sock.settimeout(REPLY_TIMEOUT)
                send(self.sock, message, fds)
                reply = receive(self.sock)[0]
            except OSError as exc:
                self.ready = {"error": f"the template does not answer: {exc}"}
                raise Unavailable(self.ready["error"]) from None
        if reply is None:
            self.ready = {"error": "the template exited"}
            raise Unavailable(self.ready["error"])
        return reply

    @property
    def broken(self) -> bool:
        return self.ready is not None and "error" in self.ready

    def launch(self, argv: list[str], env: dict[str, str], cwd: str, fds: list[int]) -> int:
        """Fork a kernel running ``argv`` (``python -m ipykernel_launcher ...``); its process id."""
        reply = self._request({"launch": {"argv": argv, "env": env, "cwd": cwd}}, fds)
        if "pid" not in reply:
            raise OSError(reply.get("error", "no kernel was forked"))
        return reply["pid"]

    def poll(self, pid: int) -> int | None:
        """None while the kernel ``pid`` runs, else its exit code."""
        return self._request({"poll": pid})["status"]

    def close(self) -> None:
        """End the template (its kernels follow within a second)."""
        self.sock.close()
        if getattr(self, "proc", None) is not None:
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


_templates: dict[tuple, Handle] = {}
_templates_lock = threading.Lock()


def for_launch(python: list[str], modules: tuple[str, ...], env: dict[str, str]) -> Handle:
    """This process's template for kernels run by ``python`` with ``env``, preloading ``modules``."""
    key = (tuple(python), tuple(modules), frozenset((k, v) for k, v in env.items() if k not in VOLATILE_ENV))
    with _templates_lock:
        handle = _templates.get(key)
        if handle is None or handle.broken:
            for other in _templates.values():  # one template per worker: its imports hold memory
                if other is not handle:
                    other.close()
            _templates.clear()
            handle = _templates[key] = Handle(list(python), tuple(modules), env)
        return handle


def close_all() -> None:
    """End this process's templates and wait for them (at exit: their work is counted as this process's)."""
    with _templates_lock:
        for handle in _templates.values():
            handle.close()
        _templates.clear()


def _forget() -> None:
    """In a child forked from a client (a pool worker): the parent's templates are the parent's to use."""
    global _templates_lock
    _templates.clear()
    _templates_lock = threading.Lock()  # another thread may have held it at the fork


if __name__ != "__main__":  # in a client; a kernel forked from a template registers nothing
    atexit.register(close_all)
    os.register_at_fork(after_in_child=_forget)


def supported() -> bool:
    """Kernels can be forked here: POSIX with ``fork`` (not macOS, where system frameworks are not fork-safe,
    nor Windows) and descriptor passing."""
    return hasattr(os, "fork") and sys.platform not in ("darwin", "win32") and hasattr(socket, "send_fds")


def kernel_env() -> dict[str, str]:
    """The environment jupyter_client gives a kernel started from this process (``JPY_PARENT_PID`` aside)."""
    env = dict(os.environ)
    env.pop("PYTHONEXECUTABLE", None)
    return env


def prepare(modules: tuple[str, ...] | None) -> None:
    """Start this process's template now, so its imports run while the process gets ready for its first pair
    (None: cold kernels, no template)."""
    if modules is not None and supported():
        for_launch([sys.executable], modules, kernel_env())


if __name__ == "__main__":
    sys.exit(main(sys.argv))
