"""Build hook: the wheel (and the sdist) carry the course's data as package data, ``perturbkit/_data``.

``data/`` at the top level of the checkout stays the single source. Only what the lessons and the package read at
run time travels: the data sets, the networks that ``data/models/manifest.json`` lists with the manifest itself,
stored censuses (``data/census/*.json``) and ``data/README.md`` (provenance, licences, checksums); the scripts that
build them stay in the checkout. An installed wheel reads its copy through ``importlib.resources``
(``perturbkit.data.DATA_DIR``); an editable install (``make``) copies nothing and reads ``data/`` in place.
Everything else about the package is declared in pyproject.toml.
"""

import json
import os
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DATA = "data"  # relative to the project root, where every setuptools command runs
TARGET = ("perturbkit", "_data")
DATA_SETS = ("digits.npz", "mnist_subset.npz", "photos.npz")


def course_data_files(root: Path | None = None) -> list[str]:
    """The files of ``data/`` (relative to it, '/'-separated) that the wheel carries; SystemExit if one is missing."""
    root = Path(root or DATA)
    manifest = root / "models" / "manifest.json"
    if not manifest.is_file():
        raise SystemExit(f"{manifest} is missing: build the wheel from a full checkout of the course (data/ is its "
                         "source of data sets and networks)")
    networks = sorted(json.loads(manifest.read_text())["models"])
    files = ["README.md", *DATA_SETS, "models/manifest.json", *(f"models/{name}.pt" for name in networks)]
    missing = [f for f in files if not (root / f).is_file()]
    if missing:
        raise SystemExit(f"data files missing from {root}: {missing}; the wheel would load no lesson without them")
    files += sorted(p.relative_to(root).as_posix() for p in (root / "census").glob("*.json"))
    return files


class build_py_with_data(build_py):
    """setuptools' build_py with one more entry in its package data: ``data/`` copied to ``perturbkit/_data``.

    Package data is also what setuptools puts in an sdist and what it lists for an editable install, so all three
    see the same files."""

    def _course_data(self) -> tuple[str, str, str, list[str]]:
        return ".".join(TARGET), DATA, os.path.join(self.build_lib, *TARGET), course_data_files()

    def _get_data_files(self) -> list[tuple[str, str, str, list[str]]]:
        return [*super()._get_data_files(), self._course_data()]

    def get_data_files_without_manifest(self) -> list[tuple[str, str, str, list[str]]]:
        return [*super().get_data_files_without_manifest(), self._course_data()]


# setuptools runs this file as __main__ (pip, build, editable installs); tests import it for course_data_files
if __name__ == "__main__":
    setup(cmdclass={"build_py": build_py_with_data})
