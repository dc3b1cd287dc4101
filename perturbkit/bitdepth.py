"""Bit depth and robustness: more grey levels, less l2 robustness (exact censuses, Monte Carlo, quantised networks).

Three measurements, one per function:

* :func:`census_by_levels`: exact d_p robustness of every image of a small lattice (n-by-n, L levels) for a
  classifier, for several L, summarised by its median and mean;
* :func:`sum_by_levels`: exact minimal perturbations of the sum classifier on random images (Monte Carlo over the
  level histograms, see :mod:`perturbkit.scaling`) for a grid of n and L;
* :func:`quantised_model_robustness`: a trained model fed inputs quantised to L levels, attacked with the
  lattice-aware minimal-perturbation search (perturbed images stay on the lattice).

Plus the continuous-cube reference curves: the course's bound 2*Phi(-sqrt(2 pi) r) on the share of images more
than r (l2) from the other class, and the sum classifier's own share in the cube, about 2*Phi(-sqrt(12) r).
Sizes are in intensity units (entries in [0, 1]).

l-infinity (Corollary 7.5 of lesson 07, ours): :func:`linf_census` checks the dimension-free bound
:func:`perturbkit.bounds.linf_bound` on every image of a small lattice, and :func:`first_pixel_linf_share` is the
first-pixel classifier's exact share beyond eps, which shows that l_inf robustness Theta(1) is attained.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from scipy.stats import norm

from .attacks import minimal_perturbation
from .bounds import cube_l2_bound, linf_bound
from .census import label_space, robustness
from .checks import (
    check_data,
    check_device,
    check_int,
    check_labels,
    check_model,
    check_p,
    check_radii,
    check_sequence,
)
from .data import quantize
from .models import _predict
from .spaces import ImageSpace
from .sum_classifier import sum_robustness


@dataclass(frozen=True)
class LevelSummary:
    """Robustness summary at one number of levels: median and mean over the images measured, and how many."""

    levels: int
    median: float
    mean: float
    count: int


def census_by_levels(n: int, levels_list, classifier, p: float = 2.0, device=None) -> list[LevelSummary]:
    """Exact census of all n-by-n images for each number of levels: median and mean d_p robustness of all images.

    ``classifier`` is a batched callable (images -> labels) as in :func:`perturbkit.census.label_space`. The
    space must fit in memory: the census refuses (MemoryError) otherwise.
    """
    p = check_p(p)
    n = check_int("n", n, minimum=1)
    device = check_device(device)
    if not callable(classifier):
        raise TypeError(f"classifier must be a callable from images to labels, got {classifier!r}")
    levels_list = check_sequence("levels_list", levels_list, lambda k, L: check_int(k, L, minimum=2))
    out = []
    for L in levels_list:
        space = ImageSpace(n, L)
        labels = label_space(classifier, space, device=device, progress=False)
        r = robustness(labels, space, p).double()
        r = r[torch.isfinite(r)]
        if r.numel() == 0:  # one class only: no image can be moved out of it
            out.append(LevelSummary(space.levels, math.inf, math.inf, 0))
            continue
        out.append(LevelSummary(space.levels, float(r.median()), float(r.mean()), int(r.numel())))
    return out


def sum_by_levels(ns, levels_list, p: float, samples: int = 2000, seed: int = 0, device=None) -> dict:
    """Median exact d_p robustness of the sum classifier on random n-by-n images: {(n, L): median}."""
    ns = check_sequence("ns", ns, lambda k, n: check_int(k, n, minimum=1))
    levels_list = check_sequence("levels_list", levels_list, lambda k, L: check_int(k, L, minimum=2))
    return {(n, L): float(sum_robustness(n, p, levels=L, samples=samples, seed=seed, device=device).median())
            for n in ns for L in levels_list}


def cube_bound_two_classes(r) -> np.ndarray:
    """The course's continuous-cube bound for a two-class split into halves: at most 2*Phi(-sqrt(2 pi) r) of all
    images lie more than r (l2) from the other class (each half contributes at most Phi(-sqrt(2 pi) r))."""
    return np.minimum(1.0, 2 * np.asarray(cube_l2_bound(check_radii("r", r))))


def cube_sum_share(r) -> np.ndarray:
    """Share of the continuous cube [0,1]^N farther than r (l2) from the sum classifier's boundary, for large N:
    |S - N/2| / sqrt(N) > r with S - N/2 approximately Normal(0, N/12), i.e. 2*Phi(-sqrt(12) r)."""
    return 2 * norm.cdf(-math.sqrt(12) * check_radii("r", r))


@dataclass(frozen=True)
class LinfShares:
    """Corollary 7.5 on a whole lattice: for each class of at most half the space (rows of ``share``), the share of
    the whole space that lies in the class at l_inf distance more than eps + 1/(L-1) from every other class, for
    eps = 0, 1/(L-1), ..., 1 (columns); ``bound`` is the corollary's Phi(-sqrt(2 pi) (L-1)/L eps) for each eps."""

    levels: int
    eps: np.ndarray
    classes: np.ndarray
    share: np.ndarray
    bound: np.ndarray


def linf_census(classifier, n: int, levels: int, device=None) -> LinfShares:
    """Exact l_inf census of every n-by-n image with ``levels`` levels for ``classifier``, summarised for
    Corollary 7.5. Robustness is compared in whole level steps (exact integers): r_inf > eps + 1/(L-1) with
    eps = j/(L-1) means more than j + 1 steps."""
    n = check_int("n", n, minimum=1)
    if not callable(classifier):
        raise TypeError(f"classifier must be a callable from images to labels, got {classifier!r}")
    space = ImageSpace(n, check_int("levels", levels, minimum=2))
    K = space.levels - 1
    labels = label_space(classifier, space, device=check_device(device), progress=False)
    steps = torch.round(robustness(labels, space, math.inf).double() * K).long()
    counts = torch.bincount(labels.long(), minlength=256)
    classes = [c for c in torch.nonzero(counts).reshape(-1).tolist() if 2 * int(counts[c]) <= space.size]
    j = torch.arange(K + 1, device=steps.device)
    share = np.array([(((labels == c)[:, None] & (steps[:, None] > j[None, :] + 1)).sum(0).double()
                       / space.size).cpu().numpy() for c in classes]).reshape(len(classes), K + 1)
    eps = np.arange(K + 1) / K
    return LinfShares(space.levels, eps, np.array(classes, dtype=np.int64), share,
                      np.asarray(linf_bound(eps + 1 / K, levels=space.levels)))


def first_pixel_linf_share(eps, levels: int | None = None) -> float | np.ndarray:
    """The first-pixel classifier (label 1 iff entry 0 >= 1/2): the share of the whole space that lies in class 0
    (at most half of it) at l_inf distance more than ``eps`` from class 1, in any dimension N (the other entries
    play no part). ``levels=None``: the cube [0, 1]^N, max(0, 1/2 - eps). ``levels=L``: the lattice, where entry 0 at
    level k < h = ceil((L-1)/2) is (h - k)/(L-1) from class 1, so the share is #{k < h : h - k > eps (L-1)} / L
    (eps (L-1) within 1e-9 of a whole number counts as that number)."""
    a = check_radii("eps", eps)
    if levels is None:
        out = np.maximum(0.0, 0.5 - a)
    else:
        K = check_int("levels", levels, minimum=2) - 1
        h = (K + 1) // 2
        k = np.arange(h)
        x = a.reshape(-1, 1) * K
        x = np.where(np.abs(x - np.round(x)) < 1e-9, np.round(x), x)  # eps = j/(L-1) compares as j steps exactly
        out = ((h - k)[None, :] > x).sum(axis=1).reshape(a.shape) / (K + 1)
    return float(out) if np.ndim(eps) == 0 else out


@dataclass(frozen=True)
class QuantisedRobustness:
    """A model on inputs quantised to L levels: accuracy, median minimal d_p perturbation on the lattice, success."""

    levels: int
    accuracy: float
    median: float
    success: float


def quantised_model_robustness(model, x: torch.Tensor, y: torch.Tensor, levels_list, p: float = 2.0,
                               steps: int = 30, images: int = 32) -> list[QuantisedRobustness]:
    """Quantise ``x`` to each L, and measure the model's accuracy and (on the first ``images`` correctly classified
    quantised images) the smallest d_p perturbation that the lattice-aware attack finds (perturbed images stay on
    the L-level lattice). Medians are over the successful attacks."""
    images = check_int("images", images, minimum=1)
    steps = check_int("steps", steps, minimum=1)  # no step finds no perturbation: every median would be inf
    p = check_p(p)
    check_data(x, y)
    check_labels("y", y, classes=check_model(model, x))
    levels_list = check_sequence("levels_list", levels_list, lambda k, L: check_int(k, L, minimum=2))
    out = []
    for L in levels_list:
        q = quantize(x, L)
        pred = _predict(model, q, 1024)
        right = pred == y
        xs, ys = q[right][:images], y[right][:images]
        r = minimal_perturbation(model, xs, ys, p=p, steps=steps, levels=L)
        found = r.sizes[r.success].double()
        out.append(QuantisedRobustness(L, float(right.double().mean()),
                                       float(found.median()) if found.numel() else math.inf,
                                       float(r.success.double().mean())))
    return out


__all__ = ["LevelSummary", "LinfShares", "QuantisedRobustness", "census_by_levels", "cube_bound_two_classes",
           "cube_sum_share", "first_pixel_linf_share", "linf_census", "quantised_model_robustness", "sum_by_levels"]
