"""Find a Chromium to drive, or install Debian's package when we are root.

The Python ``playwright`` package cannot download its own browser on the course machines, so the run uses the
system's Chromium through ``executable_path``.
"""

from __future__ import annotations

import os
import shutil
import subprocess

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
APT_COMMANDS = (["apt-get", "update"], ["apt-get", "install", "-y", "chromium"])
# The flags that work headless on the course machines (no sandbox as root, no GPU, no background traffic).
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-dev-shm-usage"]


def find() -> str | None:
    """Path of the first Chromium-like executable on PATH, or None."""
    for name in NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def install_plan(found: str | None, uid: int, has_apt: bool) -> tuple[str, object]:
    """What to do about the browser: ("use", path), ("install", apt commands) or ("fail", message for the user)."""
    if found:
        return "use", found
    if uid == 0 and has_apt:
        return "install", [list(c) for c in APT_COMMANDS]
    how = "sudo apt-get install chromium" if has_apt else "your system's package manager"
    return "fail", ("Chromium was not found on PATH (looked for " + ", ".join(NAMES) + "). Install it with "
                    f"{how} (Debian/Ubuntu package 'chromium'), or put a Chromium/Chrome executable on PATH, "
                    "then run `make test-browser` again.")


def ensure() -> str:
    """Return the Chromium executable, installing Debian's package first when missing and root; else raise."""
    action, detail = install_plan(find(), os.geteuid() if hasattr(os, "geteuid") else -1,
                                  shutil.which("apt-get") is not None)
    if action == "use":
        return detail
    if action == "fail":
        raise SystemExit(detail)
    print("Chromium is missing: installing Debian's package (apt-get, about 30 s) ...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in detail:
        subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
    path = find()
    if path is None:
        raise SystemExit("apt-get installed 'chromium' but no chromium executable is on PATH.")
    return path
