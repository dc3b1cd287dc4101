"""Pictures for lesson 07: l2 robust-share curves of the sum classifier on lattices against the continuous cube."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..bitdepth import cube_bound_two_classes, cube_sum_share
from ..checks import check_radii
from ._base import axes_for


def plot_l2_shares(r, shares: dict, title: str | None = None, ax=None) -> Figure:
    """One curve per entry of ``shares`` (label -> share of images with r_2 > r, one value per radius of ``r``),
    with the sum classifier's curve in the continuous cube and the course's cube bound for two classes. Returns
    the Figure (``ax``'s when given)."""
    r = check_radii("r", r)
    if not isinstance(shares, dict) or not shares:
        raise ValueError(f"shares must be a non-empty dict label -> share per r, got {type(shares).__name__}")
    for label, share in shares.items():
        if np.shape(share) != r.shape:
            raise ValueError(f"shares[{label!r}] must have one value per r ({r.shape}), got shape {np.shape(share)}")
    ax = axes_for(ax, (6.4, 3.8))
    for label, share in shares.items():
        ax.plot(r, np.asarray(share, dtype=float), lw=1.8, label=label)
    ax.plot(r, cube_sum_share(r), ":", color="grey", lw=2, label="sum classifier in the cube: 2Φ(-√12 r)")
    ax.plot(r, cube_bound_two_classes(r), "--", color="k", label="cube bound (course): 2Φ(-√(2π) r)")
    ax.set(xlabel="r (l2)", ylabel="share of images with r_2 > r", ylim=(0, 1.02), title=title)
    ax.grid(True, alpha=0.25)
    ax.legend(fontsize=7)
    return ax.figure
