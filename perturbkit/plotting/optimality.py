"""Pictures for lesson 06: the spread of the sum around its threshold (robust-share curves: ``plotting.census``)."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..checks import check_int, check_real
from ..sum_classifier import level_sum_pmf
from ._base import axes_for


def plot_sum_concentration(ns=(4, 8, 16, 32), levels: int = 2, band: float | None = None, ax=None) -> Figure:
    """Distribution of (sum - threshold) / n for random n-by-n images: the same bell at every n, so the sum sits
    within a few n of the threshold and only a vanishing share sits within o(n). ``band`` (in the same units)
    shades the strip within that distance of the threshold. Returns the Figure (``ax``'s when given)."""
    levels = check_int("levels", levels, minimum=2)
    ns = [check_int("n", n, minimum=1) for n in ns]
    if not ns:
        raise ValueError("ns is empty: give at least one n")
    ax = axes_for(ax, (6, 3.6))
    K = levels - 1
    for n in ns:
        N = n * n
        pmf = level_sum_pmf(N, levels)
        x = (np.arange(len(pmf)) - N * K / 2) / (K * n)  # in entries changed per unit of n
        ax.plot(x, pmf * K * n, "-", lw=1.4, label=f"n = {n}")  # density per unit of x
    ax.axvline(0, color="k", lw=0.8)
    if band is not None:
        band = check_real("band", band, minimum=0)
        ax.axvspan(-band, band, color="C3", alpha=0.15)
    ax.set_xlim(-1.5, 1.5)
    ax.set_xlabel("(sum − N·K/2) / (K·n): distance to the threshold in changed entries per unit of n")
    ax.set_ylabel("density")
    ax.set_title(f"the sum of a random image is spread over Θ(n) around the threshold (L = {levels})", fontsize=10)
    ax.legend(fontsize=8)
    return ax.figure
