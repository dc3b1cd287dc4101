"""A sparse (l0) attack: greedy batched pixel changes ordered by gradient saliency.

Each round, for every sample not yet adversarial, the entries whose change to an extreme value (0 or 1, which lie on
every lattice, so lattice images stay on their lattice) most decreases the margin to first order,
g_i * (t_i - x_i) with t_i the extreme in the direction of the gradient, are set to that extreme. A sample stops as
soon as it is adversarial, so the number of changed entries is the d_0 size the attack found.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from ..checks import check_int
from ._common import adversarial, check_inputs, frozen, loss_grad
from .result import AttackResult, finish, over_budgets

__all__ = ["sparse_attack"]


def sparse_attack(model: nn.Module, x: torch.Tensor, y: torch.Tensor, *, eps: int, p: float = 0, per_step: int = 1,
                  targeted: bool = False) -> AttackResult:
    """Change as few entries of each image as the greedy order allows until the label changes (an l0 attack).

    Args:
        model, x, y: as for ``pgd`` (x in [0, 1], int64 labels, model on x's device).
        eps: the d_0 budget, an int: at most this many entries changed per image (a list of ints gives a curve).
        p: the norm of ``eps`` and of the result's sizes; always 0 (changed entries). It is there so that every
            attack is called as ``attack(model, x, y, p=..., eps=...)``; any other value is an error.
        per_step: entries changed per gradient evaluation (1 is the most careful; larger is faster). With
            per_step > 1 the changes are first pruned by bisection on their greedy order.

    Finally every changed entry is tried for restoration (in greedy order) and restored if the image stays
    adversarial (each change is tried once).

    Returns an ``AttackResult`` (p = 0: sizes count changed entries): changed entries are 0 or 1, success marks
    the samples that became adversarial within ``eps`` changes; the others keep their greedy changes (at most ``eps``).

    Examples
    --------
    The sum classifier on two 3x3 binary images of label 1 needs 5 flips (9 ones) and 1 flip (5 ones), the exact
    minima; with budgets 1 and 5 (a curve) the first image resists the smaller one:

    >>> import torch
    >>> from perturbkit.spaces import ImageSpace
    >>> from perturbkit.sum_classifier import SumModel
    >>> x = ImageSpace(3).images([0b111111111, 0b111110000])  # 9 ones and 5 ones: both label 1
    >>> y = torch.tensor([1, 1])
    >>> result = sparse_attack(SumModel(), x, y, eps=[1, 5])
    >>> result.sizes.tolist(), result.robust_accuracy.tolist()
    ([[inf, 1.0], [5.0, 1.0]], [0.5, 0.0])
    """
    if isinstance(p, bool) or not isinstance(p, (int, float)) or p != 0:
        raise ValueError(f"p must be 0 for sparse_attack (an l0 attack: eps counts changed entries), got {p!r}; "
                         "for p >= 1 use pgd or minimal_perturbation")
    check_inputs(model, x, y, targeted)
    per_step = check_int("per_step", per_step, minimum=1)

    def attack(e) -> AttackResult:
        x_adv, ok = _sparse_attack(model, x, y, check_int("eps", e, minimum=0), per_step, targeted)
        return finish(model, x, y, x_adv, 0.0, targeted, ok)

    return over_budgets(eps, x.shape[0], attack)


def _sparse_attack(model: nn.Module, x: torch.Tensor, y: torch.Tensor, max_changes: int = 100, per_step: int = 1,
                   targeted: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    """:func:`sparse_attack` without the argument checks."""
    x = x.detach()
    k = x.shape[0]
    flat = x.flatten(1)
    x_adv = flat.clone()
    when = torch.full_like(flat, math.inf)  # the round in which each entry was changed (inf: never)
    success = torch.zeros(k, dtype=torch.bool, device=x.device)
    active = torch.arange(k, device=x.device)
    rounds = math.ceil(max_changes / per_step)
    with frozen(model):
        for r in range(rounds + 1):
            xa, ya = x_adv[active], y[active]
            logits, g = loss_grad(model, xa.reshape(-1, *x.shape[1:]), ya, "margin", targeted)
            adv = adversarial(logits, ya, targeted)
            success[active[adv]] = True
            active, xa, g = active[~adv], xa[~adv], g[~adv].reshape(-1, flat.shape[1])
            if active.numel() == 0 or r == rounds:
                break
            target = (g > 0).to(x.dtype)
            gain = g * (target - xa)
            gain = torch.where(torch.isinf(when[active]) & (gain > 0), gain, torch.full_like(gain, -1.0))
            take = min(per_step, max_changes - r * per_step)
            top = gain.topk(take, dim=1)
            pick = torch.zeros_like(gain, dtype=torch.bool).scatter(1, top.indices, top.values > 0)
            x_adv[active] = torch.where(pick, target, xa)
            when[active] = torch.where(pick, torch.full_like(xa, float(r)), when[active])
        if per_step > 1:
            x_adv = _prune(model, flat, x_adv, when, y, success, targeted, x.shape)
        x_adv = _drop_redundant(model, flat, x_adv, when, y, success, targeted, x.shape)
    return x_adv.reshape(x.shape), success


@torch.no_grad()
def _drop_redundant(model, flat, x_adv, when, y, success, targeted, shape):
    # Greedy choices made early can become unnecessary once later pixels changed: try restoring each changed entry
    # in greedy order and keep the restoration when the image stays adversarial (one forward pass per position).
    idx = success.nonzero()[:, 0]
    if idx.numel() == 0:
        return x_adv
    w = torch.where(x_adv[idx] != flat[idx], when[idx], torch.full_like(when[idx], math.inf))
    order = torch.argsort(w, dim=1, stable=True)
    counts = torch.isfinite(w).sum(dim=1)
    for j in range(int(counts.max())):
        live = counts > j
        rows, pos = idx[live], order[live, j]
        cand = x_adv[rows].clone()
        r = torch.arange(rows.numel(), device=flat.device)
        cand[r, pos] = flat[rows, pos]
        ok = adversarial(model(cand.reshape(-1, *shape[1:])), y[rows], targeted)
        x_adv[rows[ok]] = cand[ok]
    return x_adv


@torch.no_grad()
def _prune(model, flat, x_adv, when, y, success, targeted, shape):
    # Keep only the first m changes in greedy order; bisection on m (adversarial for m = all changes).
    idx = success.nonzero()[:, 0]
    if idx.numel() == 0:
        return x_adv
    order = torch.argsort(when[idx], dim=1, stable=True)
    rank = torch.empty_like(order)
    rank.scatter_(1, order, torch.arange(order.shape[1], device=flat.device).expand_as(order).contiguous())
    changed = torch.isfinite(when[idx])
    lo = torch.zeros(idx.numel(), dtype=torch.int64, device=flat.device)  # not known adversarial
    hi = changed.sum(dim=1)  # adversarial
    while bool((hi - lo > 1).any()):  # bisection; ends: every open gap hi - lo halves each round
        mid = (lo + hi) // 2
        cand = torch.where(changed & (rank < mid[:, None]), x_adv[idx], flat[idx])
        ok = adversarial(model(cand.reshape(-1, *shape[1:])), y[idx], targeted)
        hi = torch.where(ok & (hi - lo > 1), mid, hi)
        lo = torch.where(~ok & (hi - lo > 1), mid, lo)
    x_adv[idx] = torch.where(changed & (rank < hi[:, None]), x_adv[idx], flat[idx])
    return x_adv
