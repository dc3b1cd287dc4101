"""A throw-away JupyterLab server on a temporary copy of the lessons.

It listens on 127.0.0.1 on a free port with a random token, keeps its configuration, settings, workspaces and
runtime files in the same temporary folder (the user's own Jupyter configuration is neither read for lab settings
nor written), and is shut down -- kernels included -- and the folder removed when the ``with`` block ends, whether
it ends normally, by an exception or by Ctrl-C.
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
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from .notebooks import stripped

# Lab settings for the run: no news pop-up over the notebook, and every cell kept in the page (with windowing,
# cells scrolled out of view are removed from the DOM and their widget views could not be counted).
DISABLED_EXTENSIONS = {"@jupyterlab/apputils-extension:announcements": True}
USER_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                          "checkForUpdates": False},
}


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port on ``host`` that was free when asked (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def new_token() -> str:
    """A random URL-safe token (256 bits) for the server."""
    return secrets.token_urlsafe(32)


def write_config(home: Path) -> dict[str, str]:
    """Write the run's Jupyter config under ``home`` and return the environment variables that point at it."""
    dirs = {name: home / name for name in ("config", "settings", "workspaces", "runtime", "ipython")}
    for d in dirs.values():
        d.mkdir(parents=True, exist_ok=True)
    (dirs["config"] / "labconfig").mkdir()
    (dirs["config"] / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": DISABLED_EXTENSIONS}, indent=1))
    for rel, value in USER_SETTINGS.items():
        path = dirs["settings"] / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value, indent=1))
    return {"JUPYTER_CONFIG_DIR": str(dirs["config"]), "JUPYTERLAB_SETTINGS_DIR": str(dirs["settings"]),
            "JUPYTERLAB_WORKSPACES_DIR": str(dirs["workspaces"]), "JUPYTER_RUNTIME_DIR": str(dirs["runtime"]),
            "IPYTHONDIR": str(dirs["ipython"])}


def copy_lessons(lessons: list[Path], dest: Path) -> list[Path]:
    """Copy each lesson into ``dest`` with its outputs stripped; return the copies' paths (same order).

    The lessons import ``perturbkit`` (installed in editable mode) and find ``data/`` through the package, so the
    notebooks alone are enough; other files and folders next to them (``sanitize.cfg``, images a lesson might read)
    are copied as well.
    """
    dest.mkdir(parents=True, exist_ok=True)
    skip = shutil.ignore_patterns(".*", "__pycache__", "*.ipynb")
    for folder in {p.parent for p in lessons}:
        for extra in folder.iterdir():
            if extra.name.startswith(".") or extra.name == "__pycache__" or extra.suffix == ".ipynb":
                continue
            if extra.is_dir():
                shutil.copytree(extra, dest / extra.name, ignore=skip, dirs_exist_ok=True)
            elif extra.is_file():
                shutil.copy2(extra, dest / extra.name)
    copies = []
    for path in lessons:
        nb = json.loads(path.read_text(encoding="utf-8"))
        target = dest / path.name
        target.write_text(json.dumps(stripped(nb), indent=1), encoding="utf-8")
        copies.append(target)
    return copies


class LabServer:
    """``with LabServer(lessons) as lab:`` -- ``lab.url(name)``, ``lab.notebook_path(name)``, ``lab.shutdown_kernels()``."""

    def __init__(self, lessons: list[Path], startup_timeout: float = 60.0):
        self.lessons = lessons
        self.startup_timeout = startup_timeout
        self.port = free_port()
        self.token = new_token()
        self.home: Path | None = None
        self.root: Path | None = None
        self.proc: subprocess.Popen | None = None
        self.log_path: Path | None = None

    # -- lifecycle -------------------------------------------------------------------------------------------
    def __enter__(self) -> "LabServer":
        self.home = Path(tempfile.mkdtemp(prefix="perturbkit-browser-"))
        try:
            self.root = self.home / "lessons"
            copy_lessons(self.lessons, self.root)
            env = {**os.environ, **write_config(self.home)}
            env.pop("MPLBACKEND", None)
            cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1",
                   f"--port={self.port}", "--port-retries=0", f"--IdentityProvider.token={self.token}",
                   f"--ServerApp.root_dir={self.root}", "--LabApp.expose_app_in_browser=True",
                   "--ServerApp.open_browser=False", "--LanguageServerManager.autodetect=False"]
            if hasattr(os, "geteuid") and os.geteuid() == 0:
                cmd.append("--allow-root")
            self.log_path = self.home / "server.log"
            log = open(self.log_path, "wb")
            # Own session: Ctrl-C in the terminal reaches only us, and we shut the server down ourselves (a server
            # that got SIGINT itself would ask "Shutdown this Jupyter server (y/[n])?").
            self.proc = subprocess.Popen(cmd, cwd=self.root, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
            log.close()
            self._wait_until_up()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with status {self.proc.returncode}:\n{self.log_tail()}")
            try:
                self.api("GET", "/api/status")
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.2)
        raise TimeoutError(f"JupyterLab did not answer on port {self.port} within {self.startup_timeout:.0f} s:\n"
                           f"{self.log_tail()}")

    def close(self) -> None:
        """Shut the server and its kernels down (politely, then by signal) and remove the temporary folder."""
        if self.proc is not None and self.proc.poll() is None:
            try:
                self.api("POST", "/api/shutdown", timeout=10)
                self.proc.wait(timeout=20)
            except Exception:
                pass
            for sig in (signal.SIGTERM, signal.SIGKILL):
                if self.proc.poll() is not None:
                    break
                try:
                    os.killpg(self.proc.pid, sig)
                    self.proc.wait(timeout=10)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    pass
        if self.home is not None:
            shutil.rmtree(self.home, ignore_errors=True)
            self.home = None

    # -- helpers ---------------------------------------------------------------------------------------------
    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except (OSError, AttributeError):
            return "(no server log)"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, name: str, workspace: str) -> str:
        """The lab URL that opens notebook ``name`` alone in a fresh workspace."""
        return f"{self.base}/lab/workspaces/{workspace}/tree/{name}?reset&token={self.token}"

    def api(self, method: str, path: str, timeout: float = 5.0):
        req = urllib.request.Request(self.base + path, method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """Delete every session (and so its kernel): each lesson starts with the machine's memory free."""
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}", timeout=30)

    def notebook_json(self, name: str) -> dict:
        return json.loads((self.root / name).read_text(encoding="utf-8"))
