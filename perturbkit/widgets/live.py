"""A widget whose view is a text panel and a picture, redrawn whenever a control changes.

Why not ``interact``: output printed by a callback while a cell runs reaches nbval as plain stdout, which the stored
notebook does not hold, so the regression test would fail. Here the callback *returns* text and a figure, and the
view is made of widget values (an HTML panel and a PNG image), which travel as widget state, not as cell output.
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable

import ipywidgets as W
import matplotlib.pyplot as plt

from ..checks import check_int


def figure_png(fig, dpi: int = 90) -> bytes:
    """The figure as PNG bytes; the figure is closed so that it is not also shown inline."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


class LiveView(W.VBox):
    """Controls on top, then a text panel and an image, both recomputed by ``view(**values)`` on every change.

    ``view`` returns ``(text, fig)`` where either may be None. ``controls`` maps keyword names to widgets (sliders,
    dropdowns, ...); rows of controls are laid out in the given order, ``per_row`` to a row.
    """

    def __init__(self, view: Callable, controls: dict, per_row: int = 2, extra: list | None = None):
        if not callable(view):
            raise TypeError(f"view must be a callable returning (text, fig), got {type(view).__name__}")
        if not isinstance(controls, dict):
            raise TypeError(f"controls must be a dict keyword -> widget, got {type(controls).__name__}")
        per_row = check_int("per_row", per_row, minimum=1)
        self.view = view
        self.controls = controls
        self.text = W.HTML()
        self.image = W.Image(format="png")
        items = list(controls.values())
        rows = [W.HBox(items[i:i + per_row]) for i in range(0, len(items), per_row)]
        super().__init__(rows + list(extra or []) + [self.text, self.image])
        for c in items:
            c.observe(self._changed, names="value")
        self.refresh()

    def values(self) -> dict:
        return {k: c.value for k, c in self.controls.items()}

    def _changed(self, _change) -> None:
        self.refresh()

    def refresh(self) -> None:
        text, fig = self.view(**self.values())
        self.text.value = "" if text is None else f"<pre style='margin:0'>{html.escape(text)}</pre>"
        if fig is not None:
            self.image.value = figure_png(fig)
            self.image.layout.display = None
        else:
            self.image.layout.display = "none"
