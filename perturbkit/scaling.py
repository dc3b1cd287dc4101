"""Robustness against image size: Monte Carlo of the sum classifier, quantile bands and log-log slope fits.

The theorem predicts that the perturbation needed to leave a class grows no faster than n^{1/max(p,1)} (n-by-n
images). This module measures growth rates: for any collection of per-image robustness values at several n it
returns medians, quantile bands and the least-squares slope of log(median) against log(n). For the sum-threshold
classifier on uniformly random lattice images the values are exact and cheap even for 256x256 images
(:func:`perturbkit.sum_classifier.sum_robustness`).

Sizes are in intensity units (entries in [0, 1]) and use the course's d_p (p = 0 counts entries, 0 < p < 1 has no
root). Random draws use numpy's seeded generator, so results do not depend on the device.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from scipy.stats import linregress

from .budgets import format_p
from .checks import check_int, check_p, check_real, check_sequence
from .spaces import ImageSpace
from .sum_classifier import sum_robustness


def predicted_slope(p: float) -> float:
    """The theorem's exponent 1/max(p, 1) (0 for p = inf, where robustness and diameter are both Theta(1))."""
    p = check_p(p)
    return 0.0 if p == math.inf else 1.0 / max(p, 1.0)


def fit_slope(ns, values, n_min: int = 1) -> tuple[float, float]:
    """Least-squares fit of log(values) = slope * log(n) + intercept over the points with n >= n_min.

    Returns (slope, intercept). Needs at least two distinct n >= n_min and positive values.
    """
    n_min = check_real("n_min", n_min)
    for name, seq in (("ns", ns), ("values", values)):
        if isinstance(seq, (list, tuple)) and any(isinstance(v, (bool, np.bool_)) for v in seq):
            raise TypeError(f"{name} must hold numbers, not bools, got {seq!r:.60}")
    try:
        ns = np.asarray(ns, dtype=float)
        values = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as e:
        raise TypeError(f"ns and values must be sequences of numbers, got {ns!r} and {values!r}") from e
    if ns.shape != values.shape or ns.ndim != 1:
        raise ValueError(f"ns and values must be 1-d and of the same length, got shapes {ns.shape} and {values.shape}")
    if not (np.isfinite(ns).all() and np.isfinite(values).all()):
        raise ValueError(f"ns and values must be finite (no NaN or inf), got n = {ns.tolist()} and values = "
                         f"{values.tolist()}")
    if (ns <= 0).any():
        raise ValueError(f"ns must be positive (log scale), got {ns.tolist()}")
    keep = ns >= n_min
    if len(np.unique(ns[keep])) < 2:
        raise ValueError(f"fit_slope needs at least two distinct n >= n_min={n_min}, got n = {ns.tolist()}")
    if not bool((values[keep] > 0).all()):
        raise ValueError(f"fit_slope needs positive values (log scale), got {values[keep].tolist()}")
    fit = linregress(np.log(ns[keep]), np.log(values[keep]))
    return float(fit.slope), float(fit.intercept)


@dataclass(frozen=True)
class ScalingCurve:
    """Robustness against n for one p: medians and a quantile band per n, and the log-log fit of the medians."""

    label: str
    p: float
    ns: tuple[int, ...]
    median: tuple[float, ...]
    lower: tuple[float, ...]
    upper: tuple[float, ...]
    band: tuple[float, float]
    slope: float
    intercept: float
    n_min: int

    @property
    def predicted(self) -> float:
        return predicted_slope(self.p)

    def fitted(self, n) -> np.ndarray:
        """The fitted power law exp(intercept) * n**slope at the given n."""
        return math.exp(self.intercept) * np.asarray(n, dtype=float) ** self.slope

    def relative_to_diameter(self, levels: int = 2, channels: int = 1) -> tuple[float, ...]:
        """Median robustness divided by the diameter of the image space (tends to 0 for every finite p)."""
        return tuple(m / ImageSpace(n, levels, channels).diameter(self.p) for n, m in zip(self.ns, self.median))

    def describe(self) -> str:
        return (f"{self.label}, p={format_p(self.p)}: fitted slope {self.slope:.3f} over n >= {self.n_min} "
                f"(theory 1/max(p,1) = {self.predicted:.3f})")


def scaling_curve(ns, values, p: float, label: str = "", band=(0.1, 0.9), n_min: int = 16) -> ScalingCurve:
    """Summarise per-image robustness ``values[i]`` (any 1-d sequence or tensor) measured at size ``ns[i]``."""
    p = check_p(p)
    ns = tuple(check_sequence("ns", ns, lambda k, n: check_int(k, n, minimum=1)))
    if isinstance(label, bool) or not isinstance(label, str):
        raise TypeError(f"label must be a str, got {label!r}")
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
        raise TypeError(f"values must be a sequence with one set of values per n, got {type(values).__name__}")
    if len(ns) != len(values):
        raise ValueError(f"need one set of values per n: {len(ns)} n but {len(values)} sets of values")
    if not hasattr(band, "__len__") or len(band) != 2:
        raise ValueError(f"band must be two quantiles (lo, hi), got {band!r}")
    lo, hi = (check_real("band", b) for b in band)
    n_min = check_int("n_min", n_min, minimum=1)
    for v in values:
        vt = torch.as_tensor(v, dtype=torch.float64) if not isinstance(v, torch.Tensor) else v.to(torch.float64)
        if vt.numel() == 0 or bool(torch.isnan(vt).any()):
            raise ValueError("values must be non-empty and free of NaN for every n")
    if not 0 <= lo < 0.5 < hi <= 1:
        raise ValueError(f"band must be two quantiles lo < 0.5 < hi in [0, 1], got {band}")
    qs = np.array([np.quantile(np.asarray(torch.as_tensor(v, dtype=torch.float64).cpu()), [lo, 0.5, hi])
                   for v in values])
    fit_min = n_min if sum(n >= n_min for n in ns) >= 2 else min(ns)
    slope, intercept = fit_slope(ns, qs[:, 1], n_min=fit_min)
    return ScalingCurve(label, p, ns, tuple(qs[:, 1].tolist()), tuple(qs[:, 0].tolist()), tuple(qs[:, 2].tolist()),
                        (lo, hi), slope, intercept, fit_min)


def sum_scaling(ns, p: float, levels: int = 2, samples: int = 4000, seed: int = 0, band=(0.1, 0.9),
                n_min: int = 16, device=None) -> ScalingCurve:
    """Exact robustness of the sum classifier on ``samples`` random images per n, summarised as a ScalingCurve."""
    ns = check_sequence("ns", ns, lambda k, n: check_int(k, n, minimum=1))
    values = [sum_robustness(n, p, levels, samples, seed, device=device) for n in ns]
    return scaling_curve(ns, values, p, label=f"sum classifier (L={levels})", band=band, n_min=n_min)


def bootstrap_slope(ns, values, n_min: int = 1, resamples: int = 2000, level: float = 0.95,
                    seed: int = 0) -> tuple[float, float]:
    """Percentile bootstrap interval for the log-log slope of the medians, resampling the images.

    ``values[i]`` holds the per-image robustness measured at size ``ns[i]`` (the data of :func:`scaling_curve`).
    Each of ``resamples`` rounds draws, independently at every n, as many images as there are with replacement
    (numpy's generator seeded with ``seed``), takes their median (``np.median``, as :func:`scaling_curve`) and fits
    the least-squares slope of log(median) against log(n) over n >= n_min. Returns the ``(1 - level) / 2`` and
    ``(1 + level) / 2`` quantiles of the fitted slopes: an interval for the slope that reflects how few images were
    measured at each n (it says nothing about a bias of the attack that produced the values).
    """
    n_min = check_real("n_min", n_min)
    resamples = check_int("resamples", resamples, minimum=10)
    level = check_real("level", level, minimum=0, maximum=1, min_open=True, max_open=True)
    seed = check_int("seed", seed, minimum=0)
    ns = tuple(check_sequence("ns", ns, lambda k, n: check_int(k, n, minimum=1)))
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__") or len(values) != len(ns):
        raise ValueError(f"need one set of values per n: {len(ns)} n, got {values!r:.80}")
    arrays = [np.asarray(torch.as_tensor(v, dtype=torch.float64).cpu()).ravel() for v in values]
    keep = [i for i, n in enumerate(ns) if n >= n_min]
    if len({ns[i] for i in keep}) < 2:
        raise ValueError(f"bootstrap_slope needs at least two distinct n >= n_min={n_min}, got n = {list(ns)}")
    for i in keep:
        a = arrays[i]
        if a.size == 0 or not np.isfinite(a).all() or (a <= 0).any():
            raise ValueError(f"values at n = {ns[i]} must be non-empty, finite and positive (log scale)")
    rng = np.random.default_rng(seed)
    logs = np.empty((resamples, len(keep)))
    for j, i in enumerate(keep):
        a = arrays[i]
        logs[:, j] = np.log(np.median(a[rng.integers(0, a.size, size=(resamples, a.size))], axis=1))
    x = np.log(np.array([ns[i] for i in keep], dtype=float))
    x = x - x.mean()
    slopes = (logs - logs.mean(axis=1, keepdims=True)) @ x / (x @ x)
    lo, hi = np.quantile(slopes, [(1 - level) / 2, (1 + level) / 2])
    return float(lo), float(hi)


def slope_table(curves) -> str:
    """One line per curve: p, fitted slope, predicted slope and their difference (3 decimals)."""
    if isinstance(curves, (str, bytes, ScalingCurve)) or not hasattr(curves, "__iter__"):
        raise TypeError(f"curves must be a sequence of ScalingCurve (from scaling_curve or sum_scaling), got "
                        f"{type(curves).__name__}")
    curves = list(curves)
    for i, c in enumerate(curves):
        if not isinstance(c, ScalingCurve):
            raise TypeError(f"curves[{i}] must be a ScalingCurve (from scaling_curve or sum_scaling), got {c!r:.60} "
                            f"({type(c).__name__})")
    lines = [f"{'classifier':32s} {'p':>4s} {'fitted':>7s} {'theory':>7s} {'diff':>7s}"]
    for c in curves:
        lines.append(f"{c.label:32s} {format_p(c.p):>4s} {c.slope:7.3f} {c.predicted:7.3f} "
                     f"{c.slope - c.predicted:+7.3f}")
    return "\n".join(lines)


__all__ = ["ScalingCurve", "bootstrap_slope", "fit_slope", "predicted_slope", "scaling_curve", "slope_table",
           "sum_scaling"]
