"""Why the sum classifier (the paper's Algorithm 1) is as robust as a classifier can be: the sum concentrates.

For a uniformly random image on L levels the sum of its N entries (in level steps, s = sum of digits, each digit
uniform on 0..K with K = L - 1) has mean N*K/2 and standard deviation sqrt(N*(L**2 - 1)/12), i.e. Theta(n). One
changed entry moves s by at most K. So an image whose sum is more than t*K steps from the threshold needs more than
t changed entries: only the images with a sum within t*K of the threshold can leave their class with t changes.
This module computes that share exactly (from :func:`perturbkit.sum_classifier.level_sum_pmf`) and provides the
Hamming ball classifiers the lesson compares with. Pure NumPy/SciPy on the CPU; classifiers run on the images' device.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from scipy.stats import binom

from .checks import check_images, check_int, check_radii, check_real
from .sum_classifier import level_sum_pmf, steps_to_cross


def near_boundary_share(n: int, t, levels: int = 2, channels: int = 1) -> np.ndarray:
    """Upper bound on the share of random images that the sum classifier lets leave their class with at most t
    changed entries: P(steps_to_cross <= t*K). Exact for binary images (one change = one step). ``t`` may be an
    array; returns an array of the same shape."""
    n = check_int("n", n, minimum=1)
    levels = check_int("levels", levels, minimum=2)
    channels = check_int("channels", channels, minimum=1)
    N = channels * n * n
    K = levels - 1
    t = check_radii("t", t)
    pmf, need = level_sum_pmf(N, levels), steps_to_cross(N, levels)
    return (pmf[None, :] * (need[None, :] <= K * t.reshape(-1, 1))).sum(axis=1).reshape(t.shape)


def hamming_ball(radius: int, level: float = 1.0) -> Callable[[torch.Tensor], torch.Tensor]:
    """Classifier: label 1 when at most ``radius`` entries differ from ``level`` (the ball of that d_0 radius around
    the constant image), else 0. On binary images with level 1 and radius ceil(N/2) - 1 this is majority."""
    radius = check_int("radius", radius, minimum=0)
    level = check_real("level", level, 0.0, 1.0)

    def classify(images: torch.Tensor) -> torch.Tensor:
        check_images("images", images)
        differ = ((images - level).abs() > 1e-6).flatten(1).sum(dim=1)
        return (differ <= radius).to(torch.int64)

    classify.__name__ = classify.__qualname__ = f"hamming_ball(radius={radius}, level={level:g})"
    return classify


def half_ball_radius(N: int, levels: int) -> int:
    """The largest radius whose Hamming ball around a constant image holds at most half of all L**N images."""
    N = check_int("N", N, minimum=1)
    levels = check_int("levels", levels, minimum=2)
    # the number of entries that differ from the centre is Binomial(N, (L-1)/L)
    cdf = binom.cdf(np.arange(N + 1), N, (levels - 1) / levels)
    return int(np.flatnonzero(cdf <= 0.5 + 1e-12).max()) if (cdf <= 0.5 + 1e-12).any() else 0


__all__ = ["half_ball_radius", "hamming_ball", "near_boundary_share"]

