"""Pure functions on notebook JSON (nbformat 4 dictionaries); nothing here needs a browser or a server."""

from __future__ import annotations

import copy
from pathlib import Path

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE_KEY = "widgets"


def discover(folder: Path | str) -> list[Path]:
    """The lessons to test: every ``*.ipynb`` directly in ``folder``, sorted by name (checkpoints excluded)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"lessons folder {str(folder)!r} does not exist or is not a directory")
    return sorted(p for p in folder.glob("*.ipynb") if p.is_file() and not p.name.startswith("."))


def _code_cells(nb: dict) -> list[tuple[int, dict]]:
    return [(i, c) for i, c in enumerate(nb.get("cells", [])) if c.get("cell_type") == "code"]


def stripped(nb: dict) -> dict:
    """A copy of ``nb`` with every output, execution count and saved widget state removed.

    The browser then shows only what this run produces: stale widget views from the committed outputs would refer
    to models that the new kernel never created.
    """
    nb = copy.deepcopy(nb)
    for _, cell in _code_cells(nb):
        cell["outputs"] = []
        cell["execution_count"] = None
    nb.get("metadata", {}).pop(WIDGET_STATE_KEY, None)
    return nb


def widget_outputs(nb: dict) -> list[int]:
    """Indices of the cells of ``nb`` holding a widget view output, one entry per such output (in order)."""
    return [i for i, cell in _code_cells(nb) for out in cell.get("outputs", [])
            if WIDGET_MIME in out.get("data", {})]


def error_outputs(nb: dict) -> list[str]:
    """One line per error output in ``nb``: cell index, exception name and message."""
    return [f"cell {i}: {out.get('ename', '?')}: {out.get('evalue', '')}"
            for i, cell in _code_cells(nb) for out in cell.get("outputs", [])
            if out.get("output_type") == "error"]


def unexecuted_cells(nb: dict) -> list[int]:
    """Indices of non-empty code cells without an execution count (Run All stopped before them, or never ran)."""
    return [i for i, cell in _code_cells(nb)
            if _source(cell).strip() and cell.get("execution_count") is None]


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src
