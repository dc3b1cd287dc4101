"""What every plotting module shares: a new pyplot-free Figure (or the caller's Axes), PNG bytes, and the display of
a Figure in IPython."""

from __future__ import annotations

import base64
import io
import sys

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..checks import check_real


def axes_for(ax, figsize: tuple[float, float]) -> Axes:
    """``ax`` when given (a matplotlib Axes), else the Axes of a new Figure of ``figsize`` inches (tight layout)."""
    if ax is None:
        return Figure(figsize=figsize, layout="tight").subplots()
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    return ax


def figure_png(fig: Figure, dpi: float | None = None) -> bytes:
    """The figure as PNG bytes, cropped to what is drawn; ``dpi`` defaults to the figure's."""
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    if dpi is not None:
        dpi = check_real("dpi", dpi, minimum=1, maximum=10_000)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi or fig.dpi, bbox_inches="tight")
    return buf.getvalue()


def show_figures_in_ipython() -> None:
    """In IPython/Jupyter, display a returned Figure as one PNG (next to the text ``<Figure size ... with k Axes>``).

    Why: IPython registers that display only when matplotlib's inline backend starts, which happens at the first
    pyplot figure; figures built with ``Figure()`` alone would otherwise show as that text only. A display the
    user or the backend chose already (png, retina, svg, ...) is left as it is.
    """
    ipython = sys.modules.get("IPython")  # imported already wherever there is a shell to configure
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return
    formatters = shell.display_formatter.formatters
    if any(Figure in formatters[m].type_printers for m in ("image/png", "image/svg+xml", "image/jpeg",
                                                            "application/pdf")):
        return
    formatters["image/png"].for_type(Figure, lambda fig: base64.b64encode(figure_png(fig)).decode("ascii")
                                     if fig.axes else None)
