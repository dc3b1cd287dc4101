"""Fill an ipywidgets ``Output`` with text and a figure by setting its state, not by printing into it.

Why: printing inside ``with output:`` while a cell runs sends the text as ordinary cell output to any client
without a widget front end (nbval's), so the stored notebook and the re-run differ. Setting ``Output.outputs``
changes only widget state, which JupyterLab draws and nbval does not compare; button clicks and slider moves later
in JupyterLab update the same state. (``LiveView`` in live.py does the same with HTML and Image widgets, for views
made of controls; this module serves widgets that manage their own Output, such as the flip experiment.)
"""

from __future__ import annotations

import base64

import ipywidgets as W

from .live import figure_png


def figure_output(fig, dpi: int = 80) -> dict:
    """A display_data output dict holding ``fig`` as PNG; the figure is closed so it is not also shown inline."""
    png = figure_png(fig, dpi=dpi)
    return {"output_type": "display_data", "metadata": {},
            "data": {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": "<Figure>"}}


def show(output: W.Output, text: str | None = None, fig=None) -> None:
    """Replace what ``output`` shows with ``text`` (as plain text) followed by ``fig`` (a matplotlib Figure)."""
    items = []
    if text is not None:
        items.append({"output_type": "stream", "name": "stdout", "text": text if text.endswith("\n") else text + "\n"})
    if fig is not None:
        items.append(figure_output(fig))
    output.outputs = tuple(items)
