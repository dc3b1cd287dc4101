"""Gradient attacks with a fixed budget: FGSM (one step) and PGD (projected gradient ascent) in l_inf, l2, l1, l0.

Budgets ``eps`` are per sample (a number or a (k,) tensor) in the units of ``perturbkit.norms``: intensity for
p >= 1, a count of changed entries for p = 0. Outputs stay in [0, 1] and inside the d_p ball of radius eps around x.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from ..checks import check_bool, check_int
from ..norms import project
from ._common import (
    adversarial,
    check_attack_p,
    check_eps,
    check_inputs,
    check_levels,
    frozen,
    loss_grad,
    make_generator,
    steepest_step,
)
from .lattice import _to_lattice


def _random_start(x: torch.Tensor, p: float, eps: torch.Tensor, gen) -> torch.Tensor:
    """A random perturbation inside the d_p ball (drawn from ``gen``; the global RNG when gen is None)."""
    shape = (-1,) + (1,) * (x.dim() - 1)
    e = eps.reshape(shape)
    if p == math.inf:
        return (torch.rand(x.shape, generator=gen, device=x.device, dtype=x.dtype) * 2 - 1) * e
    if p == 0:
        # Up to eps entries set to fresh uniform values: the rest are dropped by the l0 projection below.
        noise = torch.rand(x.shape, generator=gen, device=x.device, dtype=x.dtype) - x
        return project(noise, 0, eps)
    d = torch.randn(x.shape, generator=gen, device=x.device, dtype=x.dtype)
    if p == 1:
        d = d.sign() * torch.empty_like(d).exponential_(generator=gen)  # Laplace: uniform direction on the l1 sphere
    n = d.flatten(1).norm(p=p, dim=1).clamp_min(1e-12).reshape(shape)
    r = torch.rand(eps.shape, generator=gen, device=x.device, dtype=x.dtype).reshape(shape)
    return d / n * e * r


def pgd(model: nn.Module, x: torch.Tensor, y: torch.Tensor, p: float, eps, steps: int = 40, step_size=None,
        random_start: bool = False, targeted: bool = False, seed: int | None = None, levels: int | None = None,
        early_stop: bool = True) -> torch.Tensor:
    """Projected gradient ascent on the cross-entropy within the d_p ball of radius ``eps`` (p in {inf, 2, 1, 0}).

    Args:
        model: a classifier returning logits, on the device of x. It is held in eval mode without parameter
            gradients during the attack; its mode and requires_grad flags are restored afterwards.
        x, y: images (k, ...) in [0, 1] and int64 labels (k,) (the targets when ``targeted``).
        eps: budget per sample (number or (k,) tensor), >= 0.
        steps: gradient steps. step_size: per-step size in the same units as eps (default 2.5 * eps / steps for
            p >= 1, 1.0 intensity for p = 0, where the step is l_inf-normalised and then sparsified).
        random_start: start from a random point of the ball, drawn from a local generator seeded with ``seed``.
        levels: if given, x must be on the L-level lattice and the result is put back on it (``lattice.to_lattice``:
            rounding plus repair, never leaving the budget).
        early_stop: a sample that becomes adversarial is frozen at its first adversarial iterate and dropped from
            the batch (faster; set False to run every sample for all steps like the textbook algorithm).

    Returns the adversarial images, same shape, dtype and device as x. Samples where the attack failed hold the
    last iterate (which still respects the budget and [0, 1]).
    """
    check_inputs(model, x, y, targeted)
    p = check_attack_p(p)
    eps = check_eps(eps, x)
    steps = check_int("steps", steps, minimum=0)
    levels = check_levels(levels, x)
    step_size = None if step_size is None else check_eps(step_size, x, "step_size")
    random_start = check_bool("random_start", random_start)
    early_stop = check_bool("early_stop", early_stop)
    if seed is not None:
        check_int("seed", seed, minimum=0)
    return _pgd(model, x, y, p, eps, steps, step_size, random_start, targeted, seed, levels, early_stop)


def _pgd(model: nn.Module, x: torch.Tensor, y: torch.Tensor, p: float, eps: torch.Tensor, steps: int = 40,
         step_size=None, random_start: bool = False, targeted: bool = False, seed: int | None = None,
         levels: int | None = None, early_stop: bool = True) -> torch.Tensor:
    """:func:`pgd` without the argument checks, for callers that checked once (e.g. adversarial training, which
    attacks every batch): ``eps`` and ``step_size`` are (k,) tensors or numbers, ``p`` a float of ATTACK_P."""
    if not isinstance(eps, torch.Tensor) or eps.dim() == 0:
        eps = torch.as_tensor(eps, dtype=x.dtype, device=x.device).expand(x.shape[0]).clone()
    if step_size is None:
        alpha = torch.ones_like(eps) if p == 0 else 2.5 * eps / max(steps, 1)
    else:
        alpha = torch.as_tensor(step_size, dtype=x.dtype, device=x.device)
        alpha = alpha.expand(x.shape[0]) if alpha.dim() == 0 else alpha
    gen = make_generator(seed, x.device)
    x = x.detach()
    x_adv = x.clone()
    if random_start:
        x_adv = (x + project(_random_start(x, p, eps, gen), p, eps)).clamp(0, 1)
    active = torch.arange(x.shape[0], device=x.device)
    with frozen(model):
        for _ in range(steps):
            xa, xo, ya = x_adv[active], x[active], y[active]
            logits, g = loss_grad(model, xa, ya, "ce", targeted)
            if early_stop:
                keep = ~adversarial(logits, ya, targeted)
                active, xa, xo, g, ya = active[keep], xa[keep], xo[keep], g[keep], ya[keep]
                if active.numel() == 0:
                    break
            delta = xa - xo + steepest_step(g, xa, p, alpha[active])
            x_adv[active] = (xo + project(delta, p, eps[active])).clamp(0, 1)
    if levels is not None:
        x_adv, _ = _to_lattice(model, x, x_adv, y, levels, p, eps, targeted)
    return x_adv


def fgsm(model: nn.Module, x: torch.Tensor, y: torch.Tensor, eps, p: float = math.inf, targeted: bool = False,
         levels: int | None = None) -> torch.Tensor:
    """The fast gradient (sign) method: one steepest-ascent step of size eps on the cross-entropy, in d_p.

    p = inf is Goodfellow et al.'s FGSM; p = 2 the fast gradient method; p = 1 and 0 use the same steps as ``pgd``.
    Every sample takes the step, even one already misclassified. Returns images like ``pgd``.
    """
    p = check_attack_p(p)
    step = 1.0 if p == 0 else eps
    return pgd(model, x, y, p, eps, steps=1, step_size=step, targeted=targeted, levels=levels, early_stop=False)
