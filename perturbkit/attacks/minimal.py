"""Minimal perturbations: for each sample, the smallest perturbation found that changes the model's prediction.

p in {inf, 2, 1}: a minimum-norm search in the spirit of FMN (Pintor et al. 2021), written for this course. Each
step moves delta along the normalised gradient of the margin, then projects it onto a d_p ball whose radius eps
adapts per sample: when delta is adversarial eps shrinks below its size; when not, eps grows (or, before any success,
jumps to the linear estimate of the distance to the boundary, |margin| / dual norm of the gradient). Step size and
eps factor follow a cosine schedule. The best adversarial delta seen is kept and finally shrunk along its own
direction by bisection (forward passes only), which removes the overshoot that a fixed step leaves.

p = 0: the greedy saliency attack of ``sparse.py`` (one entry per gradient step), which counts changed entries.

With ``levels`` the result is moved onto the lattice by ``lattice.to_lattice`` and sizes are measured there.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from ..checks import check_images, check_int, check_lattice, check_real
from ..norms import project
from ..norms import size as norm_size
from ._common import adversarial, check_attack_p, check_inputs, check_levels, frozen, loss_grad, margin, steepest_step
from .lattice import _to_lattice
from .result import AttackResult
from .sparse import _sparse_attack

__all__ = ["minimal_perturbation"]

DUAL = {math.inf: 1.0, 2.0: 2.0, 1.0: math.inf}


def _cosine(t: int, steps: int, start: float, end: float) -> float:
    return end + 0.5 * (start - end) * (1 + math.cos(math.pi * t / max(steps, 1)))


@torch.no_grad()
def _shrink(model, x, delta, y, targeted, ok, rounds: int = 10):
    # Smallest t in [0, 1] on a bisection grid with x + t * delta adversarial (t = 1 is, for samples in ok).
    lo = torch.zeros(x.shape[0], dtype=x.dtype, device=x.device)
    hi = torch.ones_like(lo)
    idx = ok.nonzero()[:, 0]
    if idx.numel() == 0:
        return delta
    shape = (-1,) + (1,) * (x.dim() - 1)
    lo, hi = lo[idx], hi[idx]
    for _ in range(rounds):
        mid = (lo + hi) / 2
        adv = adversarial(model(x[idx] + mid.reshape(shape) * delta[idx]), y[idx], targeted)
        hi = torch.where(adv, mid, hi)
        lo = torch.where(adv, lo, mid)
    delta = delta.clone()
    delta[idx] = delta[idx] * hi.reshape(shape)
    return delta


def _fmn_like(model, x, y, p, steps, targeted, alpha0, gamma0, step_p=2.0):
    k = x.shape[0]
    shape = (-1,) + (1,) * (x.dim() - 1)
    delta = torch.zeros_like(x)
    eps = torch.full((k,), math.inf, dtype=x.dtype, device=x.device)
    best = torch.zeros_like(x)
    best_size = torch.full_like(eps, math.inf)
    for t in range(steps):
        alpha = _cosine(t, steps, alpha0, alpha0 / 100)
        gamma = _cosine(t, steps, gamma0, gamma0 / 50)
        logits, g = loss_grad(model, x + delta, y, "margin", targeted)
        m = margin(logits, y, targeted)
        adv = m < 0
        sz = norm_size(delta, p)
        better = adv & (sz < best_size)
        best = torch.where(better.reshape(shape), delta, best)
        best_size = torch.where(better, sz, best_size)
        found = torch.isfinite(best_size)
        # Linear estimate of the distance to the boundary, from the coordinates that can still move (pixels pinned
        # at 0 or 1 would inflate the dual norm and keep the estimate too small).
        xa = x + delta
        movable = ((g > 0) & (xa < 1)) | ((g < 0) & (xa > 0))
        dual = (g * movable).flatten(1).norm(p=DUAL[p], dim=1).clamp_min(1e-12)
        guess = sz + m.abs() / dual
        grow = torch.where(torch.isfinite(eps), torch.maximum(guess, eps * (1 + gamma)), guess)
        eps = torch.where(adv, torch.minimum(eps, sz) * (1 - gamma),
                          torch.where(found, torch.minimum(eps * (1 + gamma), best_size), grow))
        delta = delta + steepest_step(g, x + delta, step_p, torch.full_like(eps, alpha))
        delta = (x + project(delta, p, eps)).clamp(0, 1) - x
    # The final iterate has not been checked yet.
    logits = model(x + delta)
    sz = norm_size(delta, p)
    better = adversarial(logits, y, targeted) & (sz < best_size)
    best = torch.where(better.reshape(shape), delta, best)
    best_size = torch.where(better, sz, best_size)
    return best, torch.isfinite(best_size)


def minimal_perturbation(model: nn.Module, x: torch.Tensor, y: torch.Tensor, *, p: float, steps: int = 100,
                         levels: int | None = None, targeted: bool = False, alpha: float | None = None,
                         gamma: float = 0.05, start: torch.Tensor | None = None) -> AttackResult:
    """For each sample the smallest d_p perturbation found that changes the prediction (p in {inf, 2, 1, 0}).

    Args:
        model, x, y: a logits model on x's device; images (k, ...) in [0, 1]; int64 labels (targets if targeted).
        steps: gradient steps (p = 0: the most entries changed, one per step).
        levels: put the result on the L-level lattice (x must be on it) and measure sizes there.
        alpha, gamma: initial step size (intensity; default 1.0 for p = 2 and 1, 0.05 for inf) and initial
            relative change of the radius per step; both decay on a cosine schedule.
        start: optional images of x's shape (with ``levels``, on the lattice), for example another attack's
            adversarial examples. Where a start image is adversarial and smaller in d_p than what the search found
            (or the search failed), it is returned instead: the result is never larger than a known adversarial.

    Returns an ``AttackResult``; the search starts at delta = 0 and draws no random numbers. Samples where it
    failed get x back unchanged (size inf); a sample already misclassified has size 0.

    Examples
    --------
    The sum classifier on two 3x3 binary images of label 1: the exact minimal numbers of flips are 5 (9 ones down
    to 4) and 1 (5 ones down to 4), and the attack finds both. In l2 on continuous images the exact minima are 1.5
    and 0.2236 (:func:`perturbkit.sum_classifier.minimal`); the search stops just past them:

    >>> import torch
    >>> from perturbkit.spaces import ImageSpace
    >>> from perturbkit.sum_classifier import SumModel
    >>> x = ImageSpace(3).images([0b111111111, 0b111110000])  # 9 ones and 5 ones: both label 1
    >>> y = torch.tensor([1, 1])
    >>> minimal_perturbation(SumModel(), x, y, p=0).sizes.tolist()
    [5.0, 1.0]
    >>> [round(s, 2) for s in minimal_perturbation(SumModel(), x, y, p=2).sizes.tolist()]
    [1.5, 0.22]
    """
    check_inputs(model, x, y, targeted)
    p = check_attack_p(p)
    steps = check_int("steps", steps, minimum=0)
    levels = check_levels(levels, x)
    if alpha is not None:
        alpha = check_real("alpha", alpha, minimum=0, min_open=True)
    gamma = check_real("gamma", gamma, minimum=0, maximum=1, min_open=True, max_open=True)
    if start is not None:
        check_images("start", start, dim=x.dim())
        if start.shape != x.shape or start.device != x.device:
            raise ValueError(f"start must have the shape and device of x, {tuple(x.shape)} on {x.device}, got "
                             f"{tuple(start.shape)} on {start.device}")
        if levels is not None:
            check_lattice("start", start, levels)
    x = x.detach()
    shape = (-1,) + (1,) * (x.dim() - 1)
    with frozen(model):
        if p == 0:
            x_adv, ok = _sparse_attack(model, x, y, max_changes=steps, targeted=targeted)
            delta = x_adv - x
        else:
            # l_inf takes sign steps (its steepest direction); l2 and l1 take l2-normalised steps, which the l1
            # projection then sparsifies. Step sizes tuned on the bundled MNIST subset (benchmarks/attacks.py).
            a0 = alpha if alpha is not None else {2.0: 1.0, 1.0: 1.0, math.inf: 0.05}[p]
            delta, ok = _fmn_like(model, x, y, p, steps, targeted, a0, gamma, math.inf if p == math.inf else 2.0)
            delta = _shrink(model, x, delta, y, targeted, ok)
        x_adv = torch.where(ok.reshape(shape), x + delta, x)
        if levels is not None:
            x_adv, ok = _to_lattice(model, x, x_adv, y, levels, p, None, targeted)
            x_adv = torch.where(ok.reshape(shape), x_adv, x)
        sizes = torch.where(ok, norm_size(x_adv - x, p), torch.full_like(ok, math.inf, dtype=x.dtype))
        if start is not None:
            start = start.detach()
            with torch.no_grad():
                start_ok = adversarial(model(start), y, targeted)
            start_size = norm_size(start - x, p)
            use = start_ok & (start_size < sizes)
            x_adv = torch.where(use.reshape(shape), start, x_adv)
            sizes = torch.where(use, start_size, sizes)
            ok = ok | start_ok
    return AttackResult(x_adv, sizes, ok)
