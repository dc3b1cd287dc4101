"""Why the sum classifier (the paper's Algorithm 1) is as robust as a classifier can be: the sum concentrates.

For a uniformly random image on L levels the sum of its N entries (in level steps, s = sum of digits, each digit
uniform on 0..K with K = L - 1) has mean N*K/2 and standard deviation sqrt(N*(L**2 - 1)/12), i.e. Theta(n). One
changed entry moves s by at most K. So an image whose sum is more than t*K steps from the threshold needs more than
t changed entries: only the images with a sum within t*K of the threshold can leave their class with t changes.
This module computes that share exactly (from :func:`perturbkit.sum_classifier.level_sum_pmf`) and provides the
Hamming ball classifiers the lesson compares with. Pure NumPy/SciPy on the CPU; classifiers run on the images' device.

Theorem 6.2 of lesson 06 (ours) at every size, not only in the limit: with D = |S - N/2| the distance of the sum
(in intensity) from the threshold and sigma_L^2 = (L + 1) / (12 (L - 1)) the variance of one entry,

* part 2: mu(D <= c sqrt(N)) <= (2c / sqrt(2 pi) + C_BE / sqrt(N)) / sigma_L,
* part 3: in each class, the share of images with D < c sqrt(N) is at most
  (2c / sqrt(2 pi) + 2 C_BE / sqrt(N)) / sigma_L,

with C_BE = :data:`BERRY_ESSEEN` = 0.4748, Shevtsova's constant in the Berry-Esseen inequality for sums of i.i.d.
variables (I. G. Shevtsova, *On the absolute constants in the Berry-Esseen type inequalities for identically
distributed summands*, arXiv:1111.6554, 2011: sup_x |P(W <= x) - Phi(x)| <= 0.4748 beta_3 / sqrt(N) for every
N >= 1, beta_3 the third absolute moment of one standardised summand). :func:`window_bound` computes the two bounds,
:func:`window_shares` the exact shares from the distribution of the sum.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from scipy.stats import binom

from .checks import check_bool, check_images, check_int, check_radii, check_real
from .sum_classifier import level_sum_pmf, steps_to_cross

BERRY_ESSEEN = 0.4748  # Shevtsova (2011), arXiv:1111.6554: the Berry-Esseen constant for i.i.d. sums, every N >= 1


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


def entry_sd(levels: int) -> float:
    """sigma_L: the standard deviation of one entry drawn uniformly from {0, 1/(L-1), ..., 1},
    sqrt((L + 1) / (12 (L - 1))), between 1/sqrt(12) (L -> infinity) and 1/2 (L = 2)."""
    L = check_int("levels", levels, minimum=2)
    return math.sqrt((L + 1) / (12 * (L - 1)))


def window_bound(N: int, c, levels: int = 2, per_class: bool = True) -> float | np.ndarray:
    """Theorem 6.2 of lesson 06 (ours), at every N. ``per_class`` (part 3): in each class of the sum classifier, the
    share of images with D < c sqrt(N) is at most (2c / sqrt(2 pi) + 2 C_BE / sqrt(N)) / sigma_L. Otherwise
    (part 2): mu(D <= c sqrt(N)) <= (2c / sqrt(2 pi) + C_BE / sqrt(N)) / sigma_L. C_BE = :data:`BERRY_ESSEEN`.
    ``c`` may be an array; the bound is not capped at 1."""
    N = check_int("N", N, minimum=1)
    per_class = check_bool("per_class", per_class)
    a = check_radii("c", c, finite=True)
    error = (2 if per_class else 1) * BERRY_ESSEEN / math.sqrt(N)
    out = (2 * a / math.sqrt(2 * math.pi) + error) / entry_sd(levels)
    return float(out) if np.ndim(c) == 0 else out


@dataclass(frozen=True)
class WindowShares:
    """Exact shares for the sum classifier on N uniform entries with L levels, for each c (arrays of shape (T,)):
    ``space`` = mu(D <= c sqrt(N)) (Theorem 6.2, part 2), ``class0`` and ``class1`` = the share of class 0
    (S < N/2) and of class 1 (S >= N/2) with D < c sqrt(N) (part 3)."""

    c: np.ndarray
    space: np.ndarray
    class0: np.ndarray
    class1: np.ndarray


def window_shares(N: int, c, levels: int = 2) -> WindowShares:
    """The exact shares that :func:`window_bound` bounds, from the distribution of the digit sum s
    (:func:`perturbkit.sum_classifier.level_sum_pmf`): 2 K (S - N/2) = 2 s - N K is an integer, so the only float
    in the comparisons is 2 c K sqrt(N)."""
    N = check_int("N", N, minimum=1)
    L = check_int("levels", levels, minimum=2)
    a = check_radii("c", c, finite=True).reshape(-1)
    K = L - 1
    pmf = level_sum_pmf(N, L)
    gap = 2 * np.arange(N * K + 1) - N * K          # 2 K (S - N/2), an exact integer
    one = gap >= 0
    edge = 2 * a * K * math.sqrt(N)                 # 2 K c sqrt(N)
    inside = np.abs(gap)[None, :] <= edge[:, None]
    strictly = np.abs(gap)[None, :] < edge[:, None]
    space = (pmf * inside).sum(axis=1)
    class0 = (pmf * (strictly & ~one)).sum(axis=1) / pmf[~one].sum()
    class1 = (pmf * (strictly & one)).sum(axis=1) / pmf[one].sum()
    return WindowShares(a, space, class0, class1)


__all__ = ["BERRY_ESSEEN", "WindowShares", "entry_sd", "half_ball_radius", "hamming_ball", "near_boundary_share",
           "window_bound", "window_shares"]

