"""Fixtures of the browser tests: the system's Chromium for pytest-playwright, and a throw-away JupyterLab.

The Python ``playwright`` package cannot download its own browser on the course machines, so pytest-playwright
launches the system's Chromium (Debian's package, installed with apt-get when it is missing and we are root).
"""

from __future__ import annotations

import contextlib
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
from pathlib import Path

import pytest

CHROMIUMS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Headless on the course machines: no sandbox as root, no GPU, no background traffic.
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"]
# Lab settings for the run: no news pop-up over the notebook, and every cell kept in the page (with windowing,
# cells scrolled out of view leave the DOM and their widget views could not be counted).
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                          "checkForUpdates": False},
}


def chromium() -> str:
    """The first Chromium-like executable on PATH; Debian's package is installed first when none is and we are root."""
    found = next(filter(None, map(shutil.which, CHROMIUMS)), None)
    if found is None and os.geteuid() == 0 and shutil.which("apt-get"):
        print("Chromium is missing: installing Debian's package (apt-get, about 30 s) ...", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]):
            subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
        found = shutil.which("chromium")
    if found is None:
        pytest.fail(f"no Chromium on PATH (looked for {', '.join(CHROMIUMS)}): install Debian/Ubuntu's 'chromium' "
                    "(sudo apt-get install chromium) or put Chromium/Chrome on PATH", pytrace=False)
    return found


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": chromium(), "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}


class Lab:
    """A running JupyterLab: ``url(path)`` opens a notebook alone in a fresh workspace; ``root`` is what it serves."""

    def __init__(self, root: Path, port: int, token: str):
        self.root, self.base, self.token = root, f"http://127.0.0.1:{port}", token

    def url(self, path: str) -> str:
        workspace = "pk-" + path.replace("/", "-").replace(".", "-")
        return f"{self.base}/lab/workspaces/{workspace}/tree/{path}?reset&token={self.token}"

    def api(self, method: str, path: str, timeout: float = 30):
        req = urllib.request.Request(self.base + path, method=method, headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}")


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory):
    """JupyterLab on 127.0.0.1 (free port, random token) serving an empty temporary folder, configured by
    JupyterLab's own UI-test settings (jupyterlab.galata) and with its config, settings and runtime files in
    another temporary folder; shut down, kernels included, at the end of the session."""
    home, root = tmp_path_factory.mktemp("lab-home"), tmp_path_factory.mktemp("lab-root")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = secrets.token_urlsafe(32)
    for rel, value in LAB_SETTINGS.items():
        (home / "settings" / rel).parent.mkdir(parents=True, exist_ok=True)
        (home / "settings" / rel).write_text(json.dumps(value))
    (home / "config").mkdir()
    (home / "config" / "jupyter_server_config.py").write_text(
        "from jupyterlab.galata import configure_jupyter_server\nconfigure_jupyter_server(c)\n"
        f"c.ServerApp.port = {port}\nc.IdentityProvider.token = {token!r}\nc.ServerApp.disable_check_xsrf = False\n"
        f"c.ServerApp.root_dir = {str(root)!r}\nc.ServerApp.allow_root = True\n"
        "c.LanguageServerManager.autodetect = False\n")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime"), "IPYTHONDIR": str(home / "ipython"), "TMPDIR": str(home)}
    env.pop("MPLBACKEND", None)
    log = open(home / "server.log", "wb")
    # Own session: a Ctrl-C in the terminal reaches pytest only, which then shuts the server down.
    proc = subprocess.Popen([sys.executable, "-m", "jupyter", "lab"], cwd=root, env=env, stdin=subprocess.DEVNULL,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    server = Lab(root, port, token)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                server.api("GET", "/api/status", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start:\n{(home / 'server.log').read_text()[-3000:]}")
                time.sleep(0.2)
        yield server
    finally:
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            server.api("POST", "/api/shutdown", timeout=10)
            proc.wait(timeout=20)
        with contextlib.suppress(ProcessLookupError):  # whatever is left of the server and its kernels
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        log.close()
