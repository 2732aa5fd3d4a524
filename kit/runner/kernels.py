"""Kernels forked from a warm template: the ``jupyter_client`` side.

A kernel provisioner is the seam ``jupyter_client`` offers for *how* a kernel process comes to be: every
client that starts kernels through it gets the same kernels (papermill and nbclient here; nbval and
JupyterLab could, through a kernelspec naming it), and everything after the launch (connection file,
messages, signals, shutdown) stays jupyter_client's own. ``WarmProvisioner`` launches by asking this
worker's template (``kit.runner.template``) to fork; where that is not possible it launches as
``LocalProvisioner`` does. ``WarmKernelManager`` names the provisioner and waits for a ready kernel
without jupyter_client's closing 0.2 s of silence on IOPub.

Which modules the template imports: ``[tool.kit] kernel-preload`` in the project's ``pyproject.toml``.
"""
from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from functools import lru_cache
from pathlib import Path
from queue import Empty
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.connect import LocalPortCache
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import List, Type, Unicode

from kit.runner import template

PROVISIONER = "kit-warm-provisioner"  # the entry point in pyproject.toml
PORTS = ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")
LAUNCHER = "ipykernel_launcher"
_POPEN_KWARGS = {"env", "cwd", "stdin", "stdout", "stderr"}  # what a launch may carry and a fork honours
_warned: set[str] = set()


@lru_cache(maxsize=1)
def registered() -> bool:
    """The provisioner's entry point is installed (``pip install -e .``)."""
    from importlib.metadata import entry_points

    return any(ep.name == PROVISIONER for ep in entry_points(group="jupyter_client.kernel_provisioners"))


def declared(start: Path) -> tuple[str, ...]:
    """``[tool.kit] kernel-preload`` of the nearest ``pyproject.toml`` at or above ``start`` (empty if none)."""
    for folder in (start, *start.parents):
        path = folder / "pyproject.toml"
        if path.is_file():
            try:
                import tomllib
            except ImportError:  # Python 3.10: no TOML reader in the standard library; the kernel's own modules
                return ()
            modules = tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {}).get("kit", {})
            return tuple(modules.get("kernel-preload", ()))
    return ()


def preload_for(root: Path, cold: bool = False) -> tuple[str, ...] | None:
    """What ``kit run`` forks kernels with for the project at ``root``: its declared modules; None (cold
    kernels) when asked for or when forking is not available here."""
    if cold or not template.supported() or not registered():
        return None
    return declared(root)


def engine_options(preload: tuple[str, ...] | None) -> dict[str, Any]:
    """papermill keyword arguments that fork the kernel from a template preloading ``preload``; none (a cold
    kernel, as papermill starts it) when ``preload`` is None or forking is not available here."""
    if preload is None or not template.supported() or not registered():
        return {}
    return {"kernel_manager_class": manager_for(tuple(preload))}


def _warn(reason: str) -> None:
    if reason not in _warned:
        _warned.add(reason)
        print(f"kit: starting kernels cold: {reason}", file=sys.stderr, flush=True)


def _shadowed(cwd: Path, modules: tuple[str, ...]) -> str | None:
    """A file in the kernel's folder that a cold kernel would import instead of a preloaded module."""
    for name in sorted({m.split(".")[0] for m in modules}):
        for candidate in (cwd / f"{name}.py", cwd / name):
            if candidate.exists():
                return candidate.name
    if "matplotlib" in {m.split(".")[0] for m in modules} and (cwd / "matplotlibrc").exists():
        return "matplotlibrc"  # matplotlib reads it from the working folder at import
    return None


class _Streams:
    """The three descriptors a kernel gets, as ``jupyter_client.launcher.launch_kernel`` would give them:
    stdin a pipe nobody writes to, stdout and stderr as passed or inherited."""

    def __init__(self, kwargs: dict[str, Any]):
        self.own: list[int] = []
        read, write = os.pipe()
        os.close(write)
        self.own.append(read)
        self.fds = [read, self._fd(kwargs.get("stdout"), 1), self._fd(kwargs.get("stderr"), 2)]

    def _fd(self, target: Any, inherited: int) -> int:
        if target is None:
            return inherited
        if target == subprocess.DEVNULL:
            fd = os.open(os.devnull, os.O_WRONLY)
            self.own.append(fd)
            return fd
        if isinstance(target, int) and target >= 0:
            return target
        if hasattr(target, "fileno"):
            return target.fileno()
        raise ValueError(f"a forked kernel cannot write to {target!r}")

    def close(self) -> None:
        for fd in self.own:
            os.close(fd)


class ForkedKernel:
    """The ``subprocess.Popen`` surface jupyter_client uses, for a kernel forked by a template."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, handle: template.Handle):
        self.pid, self.handle, self.returncode = pid, handle, None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                self.returncode = self.handle.poll(self.pid)
            except template.Unavailable:  # the template is gone: the kernel follows it within a second
                try:
                    os.kill(self.pid, 0)
                except ProcessLookupError:
                    self.returncode = -1
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        end = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if end is not None and time.monotonic() > end:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
            time.sleep(0.01)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class WarmProvisioner(LocalProvisioner):
    """Launches ``python -m ipykernel_launcher`` kernels by forking them from this process's template."""

    preload = List(Unicode(), default_value=None, allow_none=True, config=True,
                   help="modules the template imports; None: [tool.kit] kernel-preload of the kernel's project")

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        kernel = self._fork([os.path.expanduser(part) for part in cmd], LocalProvisioner._scrub_kwargs(kwargs))
        if kernel is None:
            return await super().launch_kernel(cmd, **kwargs)
        self.process, self.pid, self.pgid = kernel, kernel.pid, kernel.pid  # the kernel leads its own group
        self.cwd = kwargs.get("cwd") or os.getcwd()
        if self._own_ports():
            await self._ports_bound_by(kernel)
        return self.connection_info

    # Ports: jupyter_client picks free ports and the kernel binds them a moment later, when another process may
    # have taken one ("Address already in use"). A forked kernel is given port 0 and binds free ports itself;
    # launch_kernel returns once it has written them to the connection file.

    def _own_ports(self) -> bool:
        return self.parent is not None and self.parent.transport == "tcp"

    def _write_ports(self, ports: dict[str, int]) -> None:
        path = Path(self.parent.connection_file)
        path.write_text(json.dumps({**json.loads(path.read_text()), **ports}, indent=1))

    async def _ports_bound_by(self, kernel: ForkedKernel, timeout: float = 60.0) -> None:
        path, end = Path(self.parent.connection_file), time.monotonic() + timeout
        while True:
            try:
                info = json.loads(path.read_text())
            except (OSError, ValueError):  # not yet, or half written
                info = {}
            if all(info.get(name) for name in PORTS):
                break
            if kernel.poll() is not None:
                raise RuntimeError(f"the kernel exited (code {kernel.returncode}) before it listened")
            if time.monotonic() > end:
                raise TimeoutError(f"the kernel did not listen within {timeout:g} s")
            await asyncio.sleep(0.005)
        if self.ports_cached:  # the ports jupyter_client set aside go back: the kernel chose its own
            for name in PORTS:
                LocalPortCache.instance().return_port(self.connection_info[name])
            self.ports_cached = False
        for name in PORTS:
            setattr(self.parent, name, info[name])
        self.connection_info = self.parent.get_connection_info()

    def _fork(self, cmd: list[str], kwargs: dict[str, Any]) -> ForkedKernel | None:
        if not template.supported() or "-m" not in cmd or cmd[cmd.index("-m") + 1:][:1] != [LAUNCHER]:
            return None
        if set(kwargs) - _POPEN_KWARGS:
            return None
        cwd = Path(kwargs.get("cwd") or os.getcwd())
        modules = tuple(self.preload) if self.preload is not None else declared(cwd)
        shadow = _shadowed(cwd, modules)
        if shadow:
            _warn(f"{cwd / shadow} would be imported in place of a preloaded module")
            return None
        env = dict(kwargs.get("env") or os.environ)
        env["JPY_PARENT_PID"] = str(os.getpid())  # as launch_kernel sets it
        try:
            streams = _Streams(kwargs)
        except ValueError:
            return None
        handle = template.for_launch(cmd[:cmd.index("-m")], modules, env)
        if self._own_ports():
            self._write_ports({name: 0 for name in PORTS})
        try:
            pid = handle.launch(cmd, env, str(cwd), streams.fds)
        except template.Unavailable as exc:
            _warn(str(exc))
            if self._own_ports():  # a cold kernel binds the ports jupyter_client picked
                self._write_ports({name: self.connection_info[name] for name in PORTS})
            return None
        finally:
            streams.close()
        return ForkedKernel(pid, handle)

    async def wait(self) -> int | None:
        """As ``LocalProvisioner.wait``, polling every 10 ms rather than 100 ms (a fork is reaped at once)."""
        if isinstance(self.process, ForkedKernel):
            while await self.poll() is None:
                await asyncio.sleep(0.01)
            code, self.process = self.process.returncode, None
            return code
        return await super().wait()


class QuickReadyClient(AsyncKernelClient):
    """Ready as soon as the kernel answered ``kernel_info`` on shell and IOPub carried the request's idle
    status (jupyter_client's own waits for 0.2 s of silence after that)."""

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        end = time.monotonic() + (timeout if timeout is not None else float("inf"))
        while True:
            self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                reply = None
            if reply and reply["msg_type"] == "kernel_info_reply" and await self._idle(reply["parent_header"], 0.5):
                self._handle_kernel_info_reply(reply)
                return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > end:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")

    async def _idle(self, parent: dict, timeout: float) -> bool:
        end = time.monotonic() + timeout
        while (left := end - time.monotonic()) > 0:
            try:
                msg = await self.iopub_channel.get_msg(timeout=left)
            except Empty:
                return False
            if (msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle"
                    and msg["parent_header"].get("msg_id") == parent.get("msg_id")):
                return True
        return False


class WarmKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` whose kernels come from ``WarmProvisioner`` with ``preload``."""

    preload: tuple[str, ...] = ()
    client_factory = Type(klass=AsyncKernelClient, default_value=QuickReadyClient, config=True)

    async def _async_wait(self, pollinterval: float = 0.1) -> None:
        """As jupyter_client's, polling every 5 ms rather than 100 ms: a killed kernel is gone at once, and
        every pair would otherwise wait a tenth of a second for its kernel to end."""
        await super()._async_wait(pollinterval=min(pollinterval, 0.005))

    @property
    def kernel_spec(self) -> Any:
        spec = AsyncKernelManager.kernel_spec.fget(self)
        if spec is not None and spec.metadata.get("kernel_provisioner", {}).get("provisioner_name") != PROVISIONER:
            spec.metadata = {**spec.metadata, "kernel_provisioner": {
                "provisioner_name": PROVISIONER, "config": {"preload": list(self.preload)}}}
        return spec


@lru_cache(maxsize=None)
def manager_for(preload: tuple[str, ...]) -> type[WarmKernelManager]:
    """A ``WarmKernelManager`` class for ``preload`` (papermill takes a class, not an instance)."""
    return type("WarmKernelManager", (WarmKernelManager,), {"preload": preload})
