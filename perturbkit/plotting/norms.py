"""Pictures of the p "norms": unit balls in the plane."""

from __future__ import annotations

import math

import torch
from matplotlib.figure import Figure

from ..budgets import format_p
from ..checks import check_int, check_p
from ..norms import size


def plot_unit_balls(ps=(0.5, 1, 2, math.inf), grid: int = 401) -> Figure:
    """The set {d in R^2 : size(d, p) <= 1} for each p, drawn as filled regions on one square; returns the Figure.

    The sizes are computed with perturbkit.norms.size, so the picture shows exactly the course's definition (for
    p < 1 the unrooted sum |d_1|^p + |d_2|^p, whose unit ball is the same star as with the root).
    """
    xs = torch.linspace(-1.2, 1.2, grid, dtype=torch.float64)
    X, Y = torch.meshgrid(xs, xs, indexing="xy")
    pts = torch.stack([X.reshape(-1), Y.reshape(-1)], dim=1)
    ps = [check_p(p) for p in ps]
    if not ps:
        raise ValueError("ps is empty: give at least one p")
    grid = check_int("grid", grid, minimum=2)
    fig = Figure(figsize=(2.6 * len(ps), 2.8), layout="tight")
    axes = fig.subplots(1, len(ps), squeeze=False)
    for ax, p in zip(axes[0], ps):
        inside = (size(pts, p) <= 1).reshape(grid, grid).numpy()
        ax.contourf(X.numpy(), Y.numpy(), inside, levels=[0.5, 1.5], colors=["tab:blue"], alpha=0.6)
        ax.axhline(0, color="k", lw=0.5)
        ax.axvline(0, color="k", lw=0.5)
        ax.set(aspect="equal", xticks=[-1, 0, 1], yticks=[-1, 0, 1], title=f"p = {format_p(p)}")
    fig.suptitle("unit balls {d : size(d, p) ≤ 1} in the plane", fontsize=11)
    return fig
