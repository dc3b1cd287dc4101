"""Log-log pictures of robustness against image size: medians with quantile bands, fitted power laws, ratios."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..budgets import format_p
from ..checks import check_int
from ..scaling import ScalingCurve
from ._base import axes_for


def _check_curves(curves) -> list:
    if isinstance(curves, ScalingCurve):
        curves = [curves]
    if isinstance(curves, (str, bytes)) or not hasattr(curves, "__iter__"):
        raise TypeError(f"curves must be a sequence of ScalingCurve, got {type(curves).__name__}")
    curves = list(curves)
    if not curves:
        raise ValueError("curves is empty: give at least one ScalingCurve")
    for c in curves:
        if not isinstance(c, ScalingCurve):
            raise TypeError(f"curves must hold ScalingCurve objects (from perturbkit.scaling), got {type(c).__name__}")
    return curves


def plot_scaling(curves, ax=None, title: str | None = None, show_fit: bool = True) -> Figure:
    """Draw each ScalingCurve's median (dots), its quantile band (shaded) and fitted power law (line) on log-log axes.

    Returns the Figure (``ax``'s when given). Curves with zero values anywhere are drawn on a symlog-free log axis
    after dropping zeros.
    """
    curves = _check_curves(curves)
    ax = axes_for(ax, (5.2, 3.8))
    for i, c in enumerate(curves):
        colour = f"C{i % 10}"
        ns = np.asarray(c.ns, dtype=float)
        ax.fill_between(ns, c.lower, c.upper, color=colour, alpha=0.18, linewidth=0)
        ax.plot(ns, c.median, "o", color=colour, ms=4,
                label=f"{c.label}, p={format_p(c.p)}: slope {c.slope:.2f} (theory {c.predicted:.2f})")
        if show_fit:
            grid = ns[ns >= c.n_min]
            ax.plot(grid, c.fitted(grid), "-", color=colour, lw=1.2)
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("image side n (N = n² entries)")
    ax.set_ylabel("minimal perturbation (d_p)")
    ax.grid(True, which="both", alpha=0.25)
    ax.legend(fontsize=7, loc="best")
    if title:
        ax.set_title(title, fontsize=10)
    return ax.figure


def plot_scaling_panels(curves, levels: int = 2, title: str | None = None) -> Figure:
    """Two panels: robustness against n (log-log, with fits) and robustness / diameter against n. Returns the Figure."""
    curves = _check_curves(curves)
    levels = check_int("levels", levels, minimum=2)
    fig = Figure(figsize=(11, 4), layout="tight")
    left, right = fig.subplots(1, 2)
    plot_scaling(curves, ax=left, title="median minimal perturbation, 10-90% band")
    for i, c in enumerate(curves):
        right.plot(c.ns, c.relative_to_diameter(levels), "o-", color=f"C{i % 10}", ms=3,
                   label=f"p={format_p(c.p)}")
    right.set_xscale("log", base=2)
    right.set_yscale("log")
    right.set_xlabel("image side n")
    right.set_ylabel("median perturbation / diameter")
    right.set_title("relative to the diameter: -> 0 for finite p, not for p = inf", fontsize=10)
    right.grid(True, which="both", alpha=0.25)
    right.legend(fontsize=8)
    if title:
        fig.suptitle(title)
    return fig

