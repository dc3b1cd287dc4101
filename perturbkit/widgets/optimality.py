"""Lesson 06's widget: choose n and the number of levels; see how the sum of a random image concentrates around the
threshold, and the exact share of images within sqrt(n) and within n/4 changed entries of the boundary."""

from __future__ import annotations

import math

import ipywidgets as W
from matplotlib.figure import Figure

from ..checks import check_int
from ..optimality import near_boundary_share
from ..plotting.optimality import plot_sum_concentration
from .live import LiveView


def concentration_view(n: int, levels: int = 2) -> tuple[str, Figure]:
    """(text, fig): the share of random n-by-n images (``levels`` levels) that the sum classifier lets leave their
    class with at most sqrt(n) and at most n/4 changed entries (exact for binary images, an upper bound otherwise),
    and the distribution of the sum around the threshold in units of n."""
    n = check_int("n", n, minimum=2)
    levels = check_int("levels", levels, minimum=2)
    a, b = near_boundary_share(n, [math.sqrt(n), n / 4], levels)
    kind = "exactly" if levels == 2 else "at most"
    text = (f"n = {n}, L = {levels}: {kind} {a:.4f} of random images are within sqrt(n) = {math.sqrt(n):.1f} "
            f"changed entries of the boundary,\n{kind} {b:.4f} within n/4 = {n / 4:g}")
    return text, plot_sum_concentration(ns=(n,), levels=levels, band=math.sqrt(n) / n)  # within sqrt(n) changes


def concentration_explorer(n: int = 16, levels: int = 2) -> LiveView:
    """The widget: a slider for n (redraws on release: each n is an exact distribution of the sum) and a dropdown
    for the number of levels; shows concentration_view."""
    controls = {"n": W.IntSlider(value=n, min=4, max=128, step=4, description="n", continuous_update=False),
                "levels": W.Dropdown(options=[2, 3, 4, 16], value=levels, description="levels L")}
    return LiveView(concentration_view, controls)
