"""The theorem's numbers for one image space: size, diameter, perturbation budget and their ratio, for any p.

Pure functions (no plotting, no widgets) so that lessons, widgets and tests share one source of truth.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .checks import check_p, check_real
from .spaces import ImageSpace


def format_p(p: float) -> str:
    """'0', '0.5', '2', 'inf': how the course writes a value of p."""
    p = check_p(p)
    return "inf" if p == math.inf else f"{p:g}"


def log10_size(space: ImageSpace) -> float:
    """log10 of the number of images, levels ** N (exact enough for printing, no huge integers)."""
    if not isinstance(space, ImageSpace):
        raise TypeError(f"space must be a perturbkit.spaces.ImageSpace, got {type(space).__name__}")
    return space.num_entries * math.log10(space.levels)


@dataclass(frozen=True)
class SpaceNumbers:
    """The headline numbers of an image space for one p (distances in intensity units, entries in [0, 1])."""

    n: int
    levels: int
    channels: int
    p: float
    num_entries: int
    log10_size: float
    diameter: float
    budget: float

    @property
    def ratio(self) -> float:
        """budget / diameter: how small the theorem's perturbation is next to the largest possible change."""
        return self.budget / self.diameter

    def describe(self) -> str:
        """A short multi-line report, rounded so that it prints identically everywhere."""
        return "\n".join([
            f"n = {self.n}, levels L = {self.levels}, channels q = {self.channels}: N = {self.num_entries} entries",
            f"number of images  L^N = 10^{self.log10_size:.1f}",
            f"p = {format_p(self.p)}: diameter = {self.diameter:.4g}, budget (c = 1) = {self.budget:.4g}",
            f"budget / diameter = {self.ratio:.4f}",
        ])


def space_numbers(n: int, levels: int = 2, channels: int = 1, p: float = 2, c: float = 1.0) -> SpaceNumbers:
    """The numbers of ImageSpace(n, levels, channels) for p: N, log10 of the size, diameter and budget(p, c)."""
    space = ImageSpace(n, levels, channels)
    p = check_p(p)
    c = check_real("c", c, minimum=0, min_open=True)
    return SpaceNumbers(n=space.n, levels=space.levels, channels=space.channels, p=p,
                        num_entries=space.num_entries, log10_size=log10_size(space),
                        diameter=space.diameter(p), budget=space.budget(p, c))


def budget_curves(ns, ps, channels: int = 1, c: float = 1.0) -> dict[float, dict[str, list[float]]]:
    """For each p: lists of diameter, budget and budget/diameter over the side lengths ``ns``."""
    for name, seq in (("ns", ns), ("ps", ps)):
        if isinstance(seq, (str, bytes)) or not hasattr(seq, "__iter__"):
            raise TypeError(f"{name} must be a sequence, got {seq!r}")
        if len(list(seq)) == 0:
            raise ValueError(f"{name} is empty: give at least one value")
    out = {}
    for p in ps:
        rows = [space_numbers(n, 2, channels, p, c) for n in ns]
        out[check_p(p)] = {"n": [r.n for r in rows], "diameter": [r.diameter for r in rows],
                           "budget": [r.budget for r in rows], "ratio": [r.ratio for r in rows]}
    return out
