"""The one widget of the lessons: controls (and buttons) above a text panel and a picture, redrawn on every change.

Why not ``interact`` or an ``Output``: output printed by a callback while a cell runs reaches nbval as plain stdout,
which the stored notebook does not hold, so the regression test would fail. Here the view *returns* text and a
figure, and they are shown as widget values (an HTML panel and a PNG image), which travel as widget state, not as
cell output. Every widget of the course is a LiveView; this module is the only place that renders a view.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable

import ipywidgets as W

from ..checks import check_int, check_p, check_sequence
from ..plotting._base import figure_png

# The p values the lessons' dropdowns offer, with their labels; a widget offers the subset its view supports.
P_OPTIONS = [("0 (changed entries)", 0.0), ("0.5", 0.5), ("1", 1.0), ("2", 2.0), ("inf", math.inf)]


def p_dropdown(value: float = 2.0, ps=None, description: str = "p") -> W.Dropdown:
    """A dropdown of the p values of P_OPTIONS that are in ``ps`` (all when None), set to ``value``."""
    if ps is not None:
        ps = check_sequence("ps", ps, lambda k, p: check_p(p, name=k))
    value = check_p(value, name="value")
    if not isinstance(description, str):
        raise TypeError(f"description must be a str, got {type(description).__name__}")
    options = [(label, p) for label, p in P_OPTIONS if ps is None or p in ps]
    if float(value) not in [p for _, p in options]:
        raise ValueError(f"value must be one of the offered p {[p for _, p in options]}, got {value!r}")
    return W.Dropdown(options=options, value=float(value), description=description)


class LiveView(W.VBox):
    """Controls on top, then a row of buttons, a text panel and an image, recomputed by ``view(**values)``.

    ``view`` returns ``(text, fig)``, either may be None; ``fig`` is a matplotlib Figure (from perturbkit.plotting).
    ``controls`` maps ``view``'s keyword names to value widgets (sliders, dropdowns, ...), laid out in the given
    order, ``per_row`` to a row; a change of any of them redraws the view. ``actions`` maps a button label to a
    callable of no arguments, run on a click before the view is redrawn (e.g. to record an answer). Costly views
    should give their sliders ``continuous_update=False`` so that they redraw once, on release.
    """

    def __init__(self, view: Callable, controls: dict, per_row: int = 2, actions: dict | None = None):
        if not callable(view):
            raise TypeError(f"view must be a callable returning (text, fig), got {type(view).__name__}")
        for name, what in (("controls", controls), ("actions", {} if actions is None else actions)):
            if not isinstance(what, dict):
                raise TypeError(f"{name} must be a dict, got {type(what).__name__}")
        if not all(callable(a) for a in (actions or {}).values()):
            raise TypeError("actions must map a button label to a callable of no arguments")
        per_row = check_int("per_row", per_row, minimum=1)
        self.view, self.controls = view, controls
        self.buttons = [W.Button(description=label) for label in (actions or {})]
        for button, action in zip(self.buttons, (actions or {}).values()):
            button.on_click(lambda _b, action=action: (action(), self.refresh()))
        self.text, self.image = W.HTML(), W.Image(format="png")
        items = list(controls.values())
        rows = [W.HBox(items[i:i + per_row]) for i in range(0, len(items), per_row)]
        super().__init__(rows + ([W.HBox(self.buttons)] if self.buttons else []) + [self.text, self.image])
        for c in items:
            c.observe(lambda _change: self.refresh(), names="value")
        self.refresh()

    def values(self) -> dict:
        """The controls' current values, by keyword."""
        return {k: c.value for k, c in self.controls.items()}

    def refresh(self) -> None:
        """Recompute the view and show its text and figure (the image is hidden when there is no figure)."""
        text, fig = self.view(**self.values())
        self.text.value = "" if text is None else f"<pre style='margin:0'>{html.escape(text)}</pre>"
        if fig is not None:
            self.image.value = figure_png(fig, dpi=90)
        self.image.layout.display = None if fig is not None else "none"

    def __repr__(self) -> str:  # short and stable: the text a notebook stores for the widget
        shown = [f"{k}={v!r}" for k, v in self.values().items()] + [repr(b.description) for b in self.buttons]
        return f"LiveView({', '.join(shown)})"
