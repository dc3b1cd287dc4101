"""The picture of the core argument: a class C, its robust core C(t), and the t-neighbourhood of C(t), which lies
inside C. Drawn in the plane (Euclidean distance on a fine grid) so that the three regions can be seen; in the image
space the same three sets are sets of vertices of the Hamming graph and distance is d_0."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from scipy import ndimage

from ..checks import check_int, check_real

__all__ = ["core_regions", "example_class", "core_argument_figure"]


def core_regions(inside: np.ndarray, t: float) -> tuple[np.ndarray, np.ndarray]:
    """For a boolean grid ``inside`` (the class C), return (core, grown): core = the cells of C farther than t from
    every cell outside C (C(t)); grown = every cell within t of the core (its t-neighbourhood). Distances are
    Euclidean, in grid cells. grown is always inside C: that is the whole argument."""
    inside = np.asarray(inside)
    if inside.dtype != bool or inside.ndim != 2:
        raise ValueError(f"inside must be a 2-d bool array, got {inside.dtype} of shape {inside.shape}")
    t = check_real("t", t, minimum=0)
    core = inside & (ndimage.distance_transform_edt(inside) > t)
    if not core.any():
        return core, np.zeros_like(inside)
    grown = ndimage.distance_transform_edt(~core) <= t
    return core, grown


def example_class(size: int = 240) -> np.ndarray:
    """A class C drawn in a square: a round body with a thin arm (the arm has no core at all)."""
    size = check_int("size", size, minimum=2)
    y, x = np.mgrid[0:size, 0:size] / size
    body = (x - 0.42) ** 2 / 0.30**2 + (y - 0.50) ** 2 / 0.34**2 <= 1
    arm = (np.abs(y - 0.30 - 0.25 * (x - 0.60)) < 0.035) & (x > 0.55) & (x < 0.93)
    blob = (x - 0.82) ** 2 + (y - 0.78) ** 2 <= 0.09**2
    return body | arm | blob


def core_argument_figure(t: float = 0.12, size: int = 240, title: str | None = None) -> Figure:
    """Draw the space V (a square), a class C, its robust core C(t) and the t-neighbourhood of C(t), with an arrow
    of length t. ``t`` is a fraction of the square's side. Returns the Figure."""
    t = check_real("t", t, minimum=0, maximum=0.3)
    size = check_int("size", size, minimum=2)
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a str or None, got {type(title).__name__}")
    inside = example_class(size)
    core, grown = core_regions(inside, t * size)
    img = np.zeros(inside.shape)
    img[inside] = 1
    img[grown] = 2
    img[core] = 3
    colours = ["#ffffff", "#cfe3f5", "#7fb2e0", "#1f4e8c"]
    fig = Figure(figsize=(7.6, 4.2), layout="tight")
    ax = fig.subplots()
    ax.imshow(img, cmap=ListedColormap(colours), vmin=-0.5, vmax=3.5, origin="lower",
              extent=(0, 1, 0, 1), interpolation="nearest")
    ax.contour(np.linspace(0, 1, size), np.linspace(0, 1, size), inside.astype(float), levels=[0.5], colors="k",
               linewidths=1.2)
    # an arrow of length t from the core's edge out to the edge of its t-neighbourhood, at the body's left side
    row = size // 2
    xs = np.nonzero(core[row])[0]
    if len(xs):
        x0 = xs[0] / size
        ax.annotate("", xy=(x0 - t, 0.5), xytext=(x0, 0.5),
                    arrowprops=dict(arrowstyle="<->", color="k", lw=1.2, shrinkA=0, shrinkB=0))
        ax.text(x0 - t / 2, 0.53, "t", ha="center", va="bottom", fontsize=12)
    ax.text(0.02, 0.95, "V: all images", fontsize=9, va="top")
    ax.text(0.86, 0.06, "other classes", fontsize=9, ha="center")
    ax.legend(handles=[Patch(facecolor=colours[3], label="C(t): more than t from\nevery other class"),
                       Patch(facecolor=colours[2], label="within t of C(t), not in it:\nstill inside C"),
                       Patch(facecolor=colours[1], label="the rest of C"),
                       Patch(facecolor="white", edgecolor="k", label="outside C: other classes")],
              loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=9, frameon=False, labelspacing=1.0)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title or "the core argument: everything within t of C(t) lies in C")
    return fig
