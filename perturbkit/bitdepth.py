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
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from scipy.stats import norm

from .attacks import minimal_perturbation
from .bounds import cube_l2_bound
from .census import label_space, robustness
from .checks import check_data, check_device, check_int, check_labels, check_model, check_p, check_radii
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
    out = []
    for L in levels_list:
        space = ImageSpace(n, check_int("levels", L, minimum=2))
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
    steps = check_int("steps", steps, minimum=0)
    p = check_p(p)
    check_data(x, y)
    check_labels("y", y, classes=check_model(model, x))
    out = []
    for L in levels_list:
        q = quantize(x, check_int("levels", L, minimum=2))
        pred = _predict(model, q, 1024)
        right = pred == y
        xs, ys = q[right][:images], y[right][:images]
        r = minimal_perturbation(model, xs, ys, p=p, steps=steps, levels=L)
        found = r.sizes[r.success].double()
        out.append(QuantisedRobustness(L, float(right.double().mean()),
                                       float(found.median()) if found.numel() else math.inf,
                                       float(r.success.double().mean())))
    return out


__all__ = ["LevelSummary", "QuantisedRobustness", "census_by_levels", "cube_bound_two_classes", "cube_sum_share",
           "quantised_model_robustness", "sum_by_levels"]
