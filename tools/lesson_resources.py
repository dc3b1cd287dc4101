"""What each lesson costs a hub: peak kernel memory and run time, each lesson in a fresh kernel (a markdown table).

    .venv/bin/python tools/lesson_resources.py                     # every lesson, the table on stdout
    .venv/bin/python tools/lesson_resources.py lessons/04_*.ipynb --cells   # and the cells that raise the peak

Peak memory is the kernel process's resident-set high-water mark (``VmHWM`` in /proc/<pid>/status on Linux; where
there is no /proc, the largest resident set seen after a cell, a lower bound). Run time is the wall time from
starting the kernel to the end of the last cell, which is what a student waits for after *Run All* in a fresh
kernel; CPU time is the kernel process's user + system time over all its threads. Each lesson runs in a temporary
folder and is never written. Run it on a quiet machine: wall times measured while other work shares the cores are
longer than the lessons' own (CPU times much less so).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def _memory(pid: int) -> tuple[int, int]:
    """(resident set, high-water mark) of process ``pid`` in bytes."""
    status = Path(f"/proc/{pid}/status")
    if status.is_file():
        fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        rss, hwm = (int(fields[k].split()[0]) * 1024 for k in ("VmRSS", "VmHWM"))
        return rss, hwm
    rss = psutil.Process(pid).memory_info().rss
    return rss, rss


def measure(path: Path, timeout: int = 600) -> dict:
    """Execute lesson ``path`` top to bottom in a fresh kernel (in a temporary copy of lessons/'s folder layout)
    and return its peak kernel memory, run time and, per code cell, the high-water mark after it."""
    nb = nbformat.read(path, as_version=4)
    cells: list[tuple[int, int, int]] = []  # (cell index, resident set, high-water mark) after each code cell

    cpu = {}

    def after_cell(cell, cell_index, execute_reply) -> None:
        pid = client.km.provisioner.pid
        cells.append((cell_index, *_memory(pid)))
        times = psutil.Process(pid).cpu_times()
        cpu["seconds"] = times.user + times.system

    with tempfile.TemporaryDirectory() as tmp:  # the kernel's working folder: whatever a lesson writes lands here
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", on_cell_executed=after_cell,
                                resources={"metadata": {"path": tmp}})
        start = time.perf_counter()
        client.execute()
        seconds = time.perf_counter() - start
    # the largest sample: Linux keeps its RSS counters per thread and syncs them lazily, so VmHWM can read a few
    # hundred KiB lower after a cell than before it; without /proc the samples are resident sets (a lower bound)
    peak = max(max(rss, hwm) for _, rss, hwm in cells)
    return {"lesson": path.name, "peak_bytes": peak, "seconds": seconds, "cpu_seconds": cpu["seconds"], "cells": cells}


def table(rows: list[dict]) -> str:
    lines = ["| lesson | peak kernel memory | CPU time | run time |", "|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['lesson'].split('_')[0]} | {r['peak_bytes'] / 2**30:.2f} GiB | {r['cpu_seconds']:.0f} s "
                     f"| {r['seconds']:.0f} s |")
    return "\n".join(lines)


def cell_steps(r: dict, top: int = 5) -> str:
    """The cells that raised the high-water mark the most (index counted from 0, as nbformat numbers them)."""
    steps, previous = [], 0
    for index, _, hwm in r["cells"]:
        steps.append((hwm - previous, index, hwm))
        previous = max(previous, hwm)
    steps.sort(reverse=True)
    return "\n".join(f"  cell {i}: +{d / 2**20:.0f} MiB -> {h / 2**30:.2f} GiB" for d, i, h in steps[:top] if d > 0)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("lessons", nargs="*", type=Path)
    parser.add_argument("--cells", action="store_true", help="also list the cells that raise each lesson's peak")
    args = parser.parse_args(argv)
    paths = args.lessons or sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
    rows = []
    for path in paths:
        r = measure(path.resolve())
        rows.append(r)
        print(f"{path.name}: {r['peak_bytes'] / 2**30:.2f} GiB, CPU {r['cpu_seconds']:.1f} s, "
              f"wall {r['seconds']:.1f} s", file=sys.stderr, flush=True)
        if args.cells:
            print(cell_steps(r), file=sys.stderr, flush=True)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Measured {datetime.date.today()} on {platform.machine()} with {os.cpu_count()} cores "
          f"(load average {load:.1f} at the end), OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}, "
          f"Python {platform.python_version()}.\n")
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
