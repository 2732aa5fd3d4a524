"""Drive JupyterLab as a user does: a private server and Debian's Chromium through Playwright.

``LabServer`` starts ``jupyter lab`` from this environment on 127.0.0.1 with a random port and
token, isolated from personal Jupyter settings but reading the project's ``jupyter-config/``
as ``make lab`` does (file browser in ``notebooks/``, no news pop-up). ``run_notebook`` opens one
notebook in a page, clears its outputs, runs all cells from the Run menu and reports what the
user sees. Paths are relative to the server's root (``notebooks/<name>.ipynb``).
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PROJECT_CONFIG = ROOT / "jupyter-config"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-gpu"]
# the test must never write a notebook: no autosave while cells run (a run can outlast the interval)
TEST_OVERRIDES = {"@jupyterlab/docmanager-extension:plugin": {"autosave": False}}
STDERR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'

_RUN_STATE_JS = """() => {
  const prompts = Array.from(document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputPrompt'));
  const texts = prompts.map(p => p.textContent.trim());
  return {
    numbered: texts.filter(t => /^\\[\\d+\\]:$/.test(t)).length,
    running: texts.filter(t => t === '[*]:').length,
    stderr: document.querySelectorAll('.jp-NotebookPanel %s').length,
    idle: !!document.querySelector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status="idle"]'),
    dialog: Array.from(document.querySelectorAll('.jp-Dialog')).map(d => d.textContent.trim()).join(' | '),
  };
}""" % STDERR


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    """A JupyterLab server on ``root`` (a project folder, holding ``notebooks/``) with its own token,
    port and scratch folders under ``scratch``; kernels run in the notebook's folder."""

    def __init__(self, root: Path, scratch: Path, timeout: float = 60.0) -> None:
        self.root, self.scratch = root, scratch
        self.port, self.token = _free_port(), secrets.token_hex(16)
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = scratch / "jupyter.log"
        self.runtime = scratch / "runtime"
        config = scratch / "config"
        (config / "labconfig").mkdir(parents=True, exist_ok=True)
        (config / "labconfig" / "default_setting_overrides.json").write_text(json.dumps(TEST_OVERRIDES))
        env = dict(os.environ, JUPYTER_CONFIG_DIR=str(config), JUPYTER_CONFIG_PATH=str(PROJECT_CONFIG),
                   JUPYTERLAB_SETTINGS_DIR=str(scratch / "settings"),
                   JUPYTERLAB_WORKSPACES_DIR=str(scratch / "workspaces"),
                   JUPYTER_RUNTIME_DIR=str(self.runtime), IPYTHONDIR=str(scratch / "ipython"),
                   JUPYTER_PREFER_ENV_PATH="1")
        jupyter = Path(sys.executable).parent / "jupyter"
        cmd = [str(jupyter), "lab", "--no-browser", "--ip", "127.0.0.1", "--port", str(self.port),
               "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}", "--allow-root",
               f"--ServerApp.root_dir={root}", f"--FileCheckpoints.checkpoint_dir={scratch / 'checkpoints'}"]
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, cwd=root, start_new_session=True)
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                self.api("GET", "/api/status")
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"jupyter lab not ready after {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def api(self, method: str, path: str) -> object:
        """Call the server's REST API with the token; the parsed JSON answer (None when empty)."""
        req = urllib.request.Request(self.base + path, method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def url(self, notebook: str) -> str:
        """The notebook's address with a fresh workspace (``reset``) and the login token."""
        return f"{self.base}/lab/tree/{quote(notebook)}?reset&token={self.token}"

    def shutdown_sessions(self, notebook: str) -> None:
        """Shut down the session (and its kernel) a page opened for ``notebook``."""
        for session in self.api("GET", "/api/sessions"):
            if session.get("path") == notebook:
                self.api("DELETE", f"/api/sessions/{session['id']}")

    def wait_kernel_ready(self, notebook: str, timeout: float = 60.0) -> None:
        """Wait until the page's kernel for ``notebook`` is idle and connected (Run All is ignored before)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for session in self.api("GET", "/api/sessions"):
                kernel = session.get("kernel") or {}
                if (session.get("path") == notebook and kernel.get("execution_state") == "idle"
                        and kernel.get("connections", 0) > 0):
                    return
            time.sleep(0.2)
        raise TimeoutError(f"{notebook}: no connected idle kernel after {timeout:.0f} s:\n{self.log_tail()}")

    def kernel_pids(self) -> list[int]:
        """Processes still running a kernel of this server (found by its private runtime folder)."""
        pids = []
        for proc in Path("/proc").glob("[0-9]*"):
            try:
                cmdline = (proc / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if str(self.runtime) in cmdline and "kernel-" in cmdline:
                pids.append(int(proc.name))
        return pids

    def stop(self) -> list[str]:
        """Shut down every kernel through the API, then the server; what had to be forced, if anything."""
        problems: list[str] = []
        if self.process.poll() is None:
            try:
                for kernel in self.api("GET", "/api/kernels"):
                    self.api("DELETE", f"/api/kernels/{kernel['id']}")
                left = self.api("GET", "/api/kernels")
                if left:
                    problems.append(f"kernels still listed after shutdown: {left}")
            except OSError as exc:
                problems.append(f"kernel shutdown through the API failed: {exc}")
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                problems.append("server ignored SIGTERM; killed")
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        for pid in self.kernel_pids():
            problems.append(f"kernel process {pid} outlived the server; killed")
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        return problems


def chromium() -> str | None:
    """Debian's Chromium on PATH, if installed."""
    return shutil.which("chromium")


@dataclass
class RunResult:
    """What a user sees after Run All Cells in one notebook."""

    expected_cells: int
    numbered_cells: int
    stderr: list[str] = field(default_factory=list)
    table_rows: int = 0
    table_header: list[str] = field(default_factory=list)
    writes: list[str] = field(default_factory=list)
    dialog: str = ""


def code_cells(path: Path) -> int:
    """Non-empty code cells of a notebook file: the ones Run All sends to the kernel."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return sum(1 for c in cells if c["cell_type"] == "code" and "".join(c["source"]).strip())


def _menu(page, menu: str, item: str) -> None:
    """Click ``menu`` in the menu bar, then its entry labelled ``item``."""
    page.locator("#jp-MainMenu").get_by_role("menuitem", name=menu, exact=True).click()
    page.locator(".lm-Menu .lm-Menu-itemLabel").get_by_text(item, exact=True).click()


def run_notebook(page, server: LabServer, notebook: str, timeout_s: float = 180.0) -> RunResult:
    """Open ``notebook``, clear its outputs, Run > Run All Cells, wait for the kernel to settle."""
    expected = code_cells(server.root / notebook)
    writes: list[str] = []
    page.on("request", lambda r: writes.append(f"{r.method} {urlsplit(r.url).path}")
            if r.method != "GET" and "/api/contents/" in r.url else None)
    page.goto(server.url(notebook))
    page.locator(".jp-NotebookPanel .jp-CodeCell").first.wait_for(timeout=60_000)
    try:
        server.wait_kernel_ready(notebook)
    except TimeoutError as exc:
        raise TimeoutError(f"{exc}\nDialog shown: {page.evaluate(_RUN_STATE_JS)['dialog'] or 'none'}") from None
    _menu(page, "Edit", "Clear Outputs of All Cells")
    page.locator(".jp-NotebookPanel .jp-OutputArea-output").first.wait_for(state="detached", timeout=10_000)
    _menu(page, "Run", "Run All Cells")
    page.wait_for_function(f"() => {{ const s = ({_RUN_STATE_JS})(); return s.running + s.numbered > 0; }}",
                           timeout=15_000, polling=100)
    page.wait_for_function(
        f"""() => {{ const s = ({_RUN_STATE_JS})();
             return s.dialog || (s.idle && s.running === 0 && (s.numbered >= {expected} || s.stderr > 0)); }}""",
        timeout=timeout_s * 1000, polling=250)
    state = page.evaluate(_RUN_STATE_JS)
    stderr = page.locator(f".jp-NotebookPanel {STDERR}").all_text_contents()
    result = RunResult(expected, state["numbered"], [s.strip() for s in stderr], writes=writes, dialog=state["dialog"])
    table = page.locator(".jp-NotebookPanel .jp-OutputArea-output table").first
    if table.count():
        table.scroll_into_view_if_needed()
        result.table_rows = table.locator("tbody tr").count()
        result.table_header = [t.strip() for t in table.locator("thead th").all_text_contents()]
    return result
