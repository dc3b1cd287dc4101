"""Stored census results: the bit-packed census of a whole space, with where, when and by which code it was made.

Some censuses are beyond a student's machine: all 2^36 binary 6x6 images need about 24 GiB of memory. The course
computes such a census once (``data/census_6x6.py``), keeps the exact integers (class sizes, the histogram of r_0,
the largest robustness) with their provenance in a small JSON file under ``data/census/``, and a lesson reads the
stored result where it can not compute it. The robust shares are recomputed from the integers on loading, by the
same formula as :func:`perturbkit.bitset_census.bitset_census`, so a loaded census equals the computed one exactly.
"""

from __future__ import annotations

import datetime
import json
import platform
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from .bitset_census import BitsetCensus
from .checks import check_bool
from .spaces import ImageSpace

__all__ = ["CensusRecord", "provenance", "save", "load", "RECORDS_DIR"]

RECORDS_DIR = Path(__file__).resolve().parent.parent / "data" / "census"
FORMAT = 1


@dataclass(frozen=True)
class CensusRecord:
    """One labelling's census: ``name`` (what labelled the space, e.g. "sum threshold (Algorithm 1)"), ``census``
    (a :class:`perturbkit.bitset_census.BitsetCensus`, NumPy arrays on the CPU) and ``labels_from`` (how the labels
    were computed: exact integer arithmetic, or a network's float arithmetic on which device)."""

    name: str
    census: BitsetCensus
    labels_from: str


def _commit() -> str:
    """The course's git commit (with "+changes" when the working tree differs from it), or "unknown"."""
    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    if head.returncode != 0:
        return "unknown"
    return head.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def provenance(device, command: str) -> dict:
    """Where and when a census runs: the device's name, torch and CUDA versions, the course's commit, the date
    (UTC) and the command that made it."""
    device = torch.device(device)
    if device.type == "cuda":
        name = torch.cuda.get_device_name(device)
        memory = torch.cuda.get_device_properties(device).total_memory
    else:
        name, memory = _cpu_name(), None
    return {"device": str(device), "device_name": name, "device_memory_bytes": memory, "torch": torch.__version__,
            "cuda": torch.version.cuda, "python": platform.python_version(), "cpu_threads": torch.get_num_threads(),
            "commit": _commit(),
            "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "command": command}


def save(records: list[CensusRecord], space: ImageSpace, path, provenance: dict, overwrite: bool = False) -> Path:
    """Write ``records`` (censuses of ``space``) and their ``provenance`` as JSON to the file ``path``; never
    replaces an existing file unless ``overwrite=True``."""
    overwrite = check_bool("overwrite", overwrite)
    path = Path(path)
    if path.exists() and not overwrite:
        raise FileExistsError(f"path {str(path)!r} already exists; choose another path or pass overwrite=True")
    doc = {"format": FORMAT, "space": {"n": space.n, "levels": space.levels, "channels": space.channels},
           "provenance": provenance, "records": [
               {"name": r.name, "labels_from": r.labels_from, "classes": r.census.classes.tolist(),
                "size": r.census.size.tolist(), "histogram": r.census.histogram.tolist(),
                "max_robustness": r.census.max_robustness.tolist(), "device": r.census.device,
                "seconds": round(float(r.census.seconds), 3)} for r in records]}
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(json.dumps(doc, indent=1) + "\n")
    tmp.replace(path)  # a crash leaves the old file or the new one, never half of one
    return path


def load(path) -> tuple[ImageSpace, list[CensusRecord], dict]:
    """The space, the census records and the provenance stored in the JSON file ``path`` (see :func:`save`)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"census file {str(path)!r} does not exist (data/census_6x6.py writes the course's)")
    try:
        doc = json.loads(path.read_text())
        if doc.get("format") != FORMAT:
            raise ValueError(f"format {doc.get('format')!r}, expected {FORMAT}")
        space = ImageSpace(**doc["space"])
        N = space.num_entries
        records = []
        for r in doc["records"]:
            size = np.array(r["size"], dtype=np.int64)
            hist = np.array(r["histogram"], dtype=np.int64)
            if hist.shape != (len(size), N + 1) or int(size.sum()) != space.size:
                raise ValueError(f"record {r['name']!r} does not fit {space!r}")
            census = BitsetCensus(classes=np.array(r["classes"], dtype=np.int64), size=size,
                                  space_share=size / space.size, t=np.arange(N + 1),
                                  robust=(size[:, None] - np.cumsum(hist, axis=1)) / size[:, None], histogram=hist,
                                  max_robustness=np.array(r["max_robustness"], dtype=np.int64), device=r["device"],
                                  seconds=float(r["seconds"]))
            records.append(CensusRecord(name=r["name"], census=census, labels_from=r["labels_from"]))
    except (KeyError, TypeError, ValueError) as e:
        raise ValueError(f"census file {str(path)!r} is not a census record: {e}") from None
    return space, records, doc["provenance"]
