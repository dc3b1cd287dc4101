"""The whole claim in one picture: perturbation budget and image-space diameter against n, for several p."""

from __future__ import annotations

import math

from matplotlib import colormaps
from matplotlib.figure import Figure

from ..budgets import budget_curves, format_p


def plot_budget_and_diameter(ns=(4, 8, 16, 32, 64, 128, 256, 512), ps=(0, 1, 2, 4, math.inf), channels: int = 1,
                             c: float = 1.0) -> Figure:
    """Left: diameter (dashed) and budget (solid) against n on log-log axes. Right: their ratio. Returns the Figure."""
    curves = budget_curves(ns, ps, channels, c)
    fig = Figure(figsize=(11, 4), layout="tight")
    a, b = fig.subplots(1, 2)
    colours = colormaps["viridis"]([i / max(len(ps) - 1, 1) for i in range(len(ps))])
    for colour, (p, cur) in zip(colours, curves.items()):
        label = f"p = {format_p(p)}"
        a.plot(cur["n"], cur["diameter"], "--", color=colour)
        a.plot(cur["n"], cur["budget"], "-o", ms=3, color=colour, label=label)
        b.plot(cur["n"], cur["ratio"], "-o", ms=3, color=colour, label=label)
    a.set(xscale="log", yscale="log", xlabel="image side n (pixels)", ylabel="size of a perturbation",
          title="budget c·n^(1/max(p,1)) (solid) vs diameter (dashed)")
    b.set(xscale="log", yscale="log", xlabel="image side n (pixels)", ylabel="budget / diameter",
          title="the share of the space the budget spans")
    for ax in (a, b):
        ax.grid(True, which="both", alpha=0.3)
    b.legend(fontsize=8)
    return fig
