"""Stored census results: the bit-packed census of a whole space, with where, when and by which code it was made.

Some censuses are beyond a student's machine: all 2^36 binary 6x6 images need about 24 GiB of memory. The course
computes such a census once (``data/census_6x6.py``), keeps the exact integers (class sizes, the histogram of r_0,
the largest robustness) with their provenance in a small JSON file under ``data/census/``, and a lesson reads the
stored result where it can not compute it. The robust shares are recomputed from the integers on loading, by the
same formula as :func:`perturbkit.census.bitset_census` (:meth:`perturbkit.census.RobustShare.from_histogram`), so
a loaded census equals the computed one exactly.
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

from ..checks import check_bool, check_device
from ..data import DATA_DIR
from ..spaces import ImageSpace
from .bitset import BitsetCensus

__all__ = ["CensusRecord", "provenance", "save", "load", "RECORDS_DIR"]

RECORDS_DIR = DATA_DIR / "census"  # data/census in a checkout, perturbkit/_data/census in an installed wheel
FORMAT = 1


@dataclass(frozen=True)
class CensusRecord:
    """One labelling's census: ``name`` (what labelled the space, e.g. "sum threshold (Algorithm 1)"), ``census``
    (a :class:`perturbkit.census.BitsetCensus`, NumPy arrays on the CPU) and ``labels_from`` (how the labels
    were computed: exact integer arithmetic, or a network's float arithmetic on which device)."""

    name: str
    census: BitsetCensus
    labels_from: str


def _commit() -> str:
    """The course's git commit (with "+changes" when the working tree differs from it), or "unknown"."""
    root = Path(__file__).resolve().parents[2]
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
    device = check_device(device, none_ok=False)
    if not isinstance(command, str) or not command:
        raise TypeError(f"command must be the non-empty str of the command that made the census, got {command!r:.60}")
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


def _check_counts(what: str, classes, size, hist, top, space: ImageSpace) -> None:
    """Raise ValueError (starting with ``what``) unless the integers of a census fit ``space``: K distinct labels
    0..255 in increasing order, K positive class sizes adding up to the space, a (K, N + 1) histogram of r_0 whose
    rows add up to the class sizes (to 0 for a single class: no image has another class to reach) and the largest
    robustness of each class where its histogram row ends (-1 for a single class)."""
    N, K = space.num_entries, len(size)
    if classes.shape != (K,) or K == 0:
        raise ValueError(f"{what} must have one label per class size, got classes {classes.tolist()} and sizes "
                         f"{size.tolist()}")
    if (classes < 0).any() or (classes > 255).any() or (np.diff(classes) <= 0).any():
        raise ValueError(f"{what}: classes must be distinct labels 0..255 in increasing order, got {classes.tolist()}")
    if hist.shape != (K, N + 1) or int(size.sum()) != space.size:
        raise ValueError(f"{what} does not fit {space!r}: it needs a histogram of shape ({K}, {N + 1}) and class "
                         f"sizes adding up to {space.size}, got shape {hist.shape} and sizes adding up to "
                         f"{int(size.sum())}")
    if (size <= 0).any():
        raise ValueError(f"{what}: every class size must be positive (a class of 0 images has no robust share), got "
                         f"{size.tolist()}")
    if (hist < 0).any():
        raise ValueError(f"{what}: the histogram of r_0 must count images (>= 0), got a negative entry")
    want = size if K > 1 else np.zeros(1, dtype=np.int64)
    if not np.array_equal(hist.sum(axis=1), want):
        raise ValueError(f"{what}: each row of the histogram of r_0 must add up to its class size ({want.tolist()}; "
                         f"0 for a single class), got {hist.sum(axis=1).tolist()}")
    last = np.array([int(np.nonzero(row)[0][-1]) if row.any() else -1 for row in hist], dtype=np.int64)
    if top.shape != (K,) or not np.array_equal(top, last):
        raise ValueError(f"{what}: max_robustness must be the last radius each histogram row reaches, "
                         f"{last.tolist()}, got {top.tolist()}")


def _as_ints(name: str, value) -> np.ndarray:
    a = np.asarray(value)
    if a.dtype.kind not in "iu":
        raise ValueError(f"{name} must hold whole numbers, got {value!r:.60}")
    return a.astype(np.int64)


def save(records: list[CensusRecord], space: ImageSpace, path, provenance: dict, overwrite: bool = False) -> Path:
    """Write ``records`` (censuses of ``space``) and their ``provenance`` as JSON to the file ``path``; never
    replaces an existing file unless ``overwrite=True``."""
    overwrite = check_bool("overwrite", overwrite)
    if not isinstance(space, ImageSpace):
        raise TypeError(f"space must be a perturbkit.spaces.ImageSpace, got {type(space).__name__}")
    if isinstance(records, CensusRecord) or not isinstance(records, (list, tuple)) or not records:
        raise TypeError(f"records must be a non-empty list of CensusRecord, got {records!r:.60}")
    for i, r in enumerate(records):
        if not isinstance(r, CensusRecord) or not isinstance(r.census, BitsetCensus):
            raise TypeError(f"records[{i}] must be a CensusRecord holding a BitsetCensus, got {type(r).__name__}")
        if not isinstance(r.name, str) or not isinstance(r.labels_from, str):
            raise TypeError(f"records[{i}]: name and labels_from must be str, got {r.name!r} and {r.labels_from!r}")
        c = r.census
        _check_counts(f"records[{i}] ({r.name!r})", _as_ints("classes", c.classes), _as_ints("size", c.size),
                      _as_ints("histogram", c.histogram), _as_ints("max_robustness", c.max_robustness), space)
    if not isinstance(provenance, dict):
        raise TypeError(f"provenance must be a dict (see perturbkit.census.records.provenance), got "
                        f"{type(provenance).__name__}")
    if not isinstance(path, (str, Path)) or not str(path):
        raise TypeError(f"path must be a file name (str or pathlib.Path), got {path!r}")
    path = Path(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(f"path {str(path)!r}: the folder {str(path.parent)!r} does not exist; create it "
                                f"first (e.g. Path({str(path.parent)!r}).mkdir(parents=True))")
    if path.is_dir():
        raise IsADirectoryError(f"path {str(path)!r} is a folder; give a file name such as census.json")
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
    if not isinstance(path, (str, Path)) or not str(path):
        raise TypeError(f"path must be a file name (str or pathlib.Path), got {path!r}")
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"census file {str(path)!r} does not exist (data/census_6x6.py writes the course's)")
    try:
        try:
            doc = json.loads(path.read_text())
        except UnicodeDecodeError as e:
            raise ValueError(f"not a text file ({e.reason})") from None
        except json.JSONDecodeError as e:
            raise ValueError(f"not valid JSON ({e})") from None
        if not isinstance(doc, dict):
            raise ValueError(f"it holds a JSON {type(doc).__name__}, not an object with format, space, provenance "
                             f"and records")
        if doc.get("format") != FORMAT:
            raise ValueError(f"format {doc.get('format')!r}, expected {FORMAT}")
        if not isinstance(doc.get("space"), dict) or not isinstance(doc.get("records"), list) \
                or not isinstance(doc.get("provenance"), dict):
            raise ValueError("it needs a space (an object), records (a list) and provenance (an object)")
        space = ImageSpace(**doc["space"])
        records = []
        for i, r in enumerate(doc["records"]):
            if not isinstance(r, dict):
                raise ValueError(f"record {i} is a JSON {type(r).__name__}, not an object")
            what = f"record {r.get('name', i)!r}"
            size, hist = _as_ints("size", r["size"]), _as_ints("histogram", r["histogram"])
            classes, top = _as_ints("classes", r["classes"]), _as_ints("max_robustness", r["max_robustness"])
            _check_counts(what, classes, size, hist, top, space)
            if not isinstance(r["name"], str) or not isinstance(r["labels_from"], str) \
                    or not isinstance(r["device"], str):
                raise ValueError(f"{what}: name, labels_from and device must be text")
            census = BitsetCensus.from_counts(classes, size, hist, top, space, device=r["device"],
                                              seconds=float(r["seconds"]))
            records.append(CensusRecord(name=r["name"], census=census, labels_from=r["labels_from"]))
    except KeyError as e:
        raise ValueError(f"census file {str(path)!r} is not a census record: the entry {e} is missing") from None
    except (TypeError, ValueError, OverflowError) as e:
        raise ValueError(f"census file {str(path)!r} is not a census record: {e}") from None
    return space, records, doc["provenance"]
