"""Gradient attacks with a fixed budget: FGSM (one step) and PGD (projected gradient ascent) in l_inf, l2, l1, l0.

Budgets ``eps`` are per sample (a number or a (k,) tensor; a list gives a curve) in the units of
``perturbkit.norms``: intensity for p >= 1, a count of changed entries for p = 0. Outputs stay in [0, 1] and inside
the d_p ball of radius eps around x.
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
from .result import AttackResult, finish, over_budgets

__all__ = ["fgsm", "pgd"]


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


def pgd(model: nn.Module, x: torch.Tensor, y: torch.Tensor, *, p: float, eps, steps: int = 40, step_size=None,
        random_start: bool = False, targeted: bool = False, seed: int | None = None, levels: int | None = None,
        early_stop: bool = True) -> AttackResult:
    """Projected gradient ascent on the cross-entropy within the d_p ball of radius ``eps`` (p in {inf, 2, 1, 0}).

    Args:
        model: a classifier returning logits, on the device of x. It is held in eval mode without parameter
            gradients during the attack; its mode and requires_grad flags are restored afterwards.
        x, y: images (k, ...) in [0, 1] and int64 labels (k,) (the targets when ``targeted``).
        eps: budget, >= 0: a number or a (k,) tensor (one per sample); a list or tuple of numbers gives a curve,
            one attack per budget (see ``result.py``).
        steps: gradient steps. step_size: per-step size in the same units as eps (default 2.5 * eps / steps for
            p >= 1, 1.0 intensity for p = 0, where the step is l_inf-normalised and then sparsified).
        random_start: start from a random point of the ball, drawn from a local generator seeded with ``seed``
            (None: the global RNG).
        levels: if given, x must be on the L-level lattice and the result is put back on it (``lattice.to_lattice``:
            rounding plus repair, never leaving the budget).
        early_stop: a sample that becomes adversarial is frozen at its first adversarial iterate and dropped from
            the batch (faster; set False to run every sample for all steps like the textbook algorithm). On the CPU
            the batch shrinks at every step; on a GPU fooled samples are masked and the batch shrinks every few
            steps, which avoids a host synchronisation per step.

    Returns an ``AttackResult``; samples where the attack failed hold the last iterate (which still respects the
    budget and [0, 1]). Success is measured by one forward pass on the returned images.

    Examples
    --------
    The sum classifier on two 3x3 binary images of label 1 (:class:`perturbkit.sum_classifier.SumModel`). In l2
    the smallest change that flips them lowers every entry alike: by 0.5 for 9 ones (size sqrt(9 / 4) = 1.5), by
    0.1 for the 5 ones (size sqrt(5 / 100) = 0.2236). A budget of 1 flips only the second; 2.5 flips both:

    >>> import torch
    >>> from perturbkit.spaces import ImageSpace
    >>> from perturbkit.sum_classifier import SumModel
    >>> x = ImageSpace(3).images([0b111111111, 0b111110000])  # 9 ones and 5 ones: both label 1
    >>> y = torch.tensor([1, 1])
    >>> result = pgd(SumModel(), x, y, p=2, eps=[1.0, 2.5])
    >>> result.success.tolist(), result.robust_accuracy.tolist()
    ([[False, True], [True, True]], [0.5, 0.0])
    """
    check_inputs(model, x, y, targeted)
    p = check_attack_p(p)
    steps = check_int("steps", steps, minimum=0)
    levels = check_levels(levels, x)
    step_size = None if step_size is None else check_eps(step_size, x, "step_size")
    random_start = check_bool("random_start", random_start)
    early_stop = check_bool("early_stop", early_stop)
    if seed is not None:
        check_int("seed", seed, minimum=0)

    def attack(e) -> AttackResult:
        x_adv = _pgd(model, x, y, p, check_eps(e, x), steps, step_size, random_start, targeted, seed, levels,
                     early_stop)
        return finish(model, x, y, x_adv, p, targeted)

    return over_budgets(eps, x.shape[0], attack)


def _compact_every(device: torch.device) -> int:
    """How often early stopping shrinks the batch: every step on the CPU (a smaller batch is less work at once),
    every ``_CUDA_COMPACT_EVERY`` steps on a GPU, where fooled samples are masked in between (shrinking costs a
    host synchronisation and a gather per step there, which cost more than the masked samples' share of work)."""
    return 1 if device.type == "cpu" else _CUDA_COMPACT_EVERY


_CUDA_COMPACT_EVERY = 10


def _pgd(model: nn.Module, x: torch.Tensor, y: torch.Tensor, p: float, eps: torch.Tensor, steps: int = 40,
         step_size=None, random_start: bool = False, targeted: bool = False, seed: int | None = None,
         levels: int | None = None, early_stop: bool = True, compact_every: int | None = None) -> torch.Tensor:
    """:func:`pgd` without the argument checks, for callers that checked once (e.g. adversarial training, which
    attacks every batch): ``eps`` and ``step_size`` are (k,) tensors or numbers, ``p`` a float of ATTACK_P.
    ``compact_every`` (default: 1 on the CPU, ``_CUDA_COMPACT_EVERY`` on a GPU) is how many steps pass between two
    shrinkings of the batch under early stopping; fooled samples are masked in between. The result is the same
    either way: every sample stops at its first adversarial iterate."""
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
    every = _compact_every(x.device) if compact_every is None else compact_every
    # The working batch: the samples still being attacked (idx), their iterates, clean images, labels and budgets.
    # Finished samples are written back to x_adv when they leave the batch and the rest at the end.
    idx, xa, xo, ya, ea, aa = torch.arange(x.shape[0], device=x.device), x_adv.clone(), x, y, eps, alpha
    done = None  # masked mode: samples of the batch already fooled, frozen at their first adversarial iterate
    with frozen(model):
        for step in range(steps):
            logits, g = loss_grad(model, xa, ya, "ce", targeted)
            if early_stop:
                fooled = adversarial(logits, ya, targeted)
                if every == 1:  # drop the fooled samples now (free to test on the CPU): the batch shrinks at once
                    if bool(fooled.any()):
                        x_adv[idx[fooled]] = xa[fooled]
                        keep = ~fooled
                        idx, xa, xo, ya, ea, aa, g = (t[keep] for t in (idx, xa, xo, ya, ea, aa, g))
                        if idx.numel() == 0:
                            break
                else:  # mask them: no data-dependent shapes, no host synchronisation in this step
                    done = fooled if done is None else done | fooled
            delta = xa - xo + steepest_step(g, xa, p, aa)
            new = (xo + project(delta, p, ea)).clamp(0, 1)
            xa = new if done is None else torch.where(done.reshape((-1,) + (1,) * (x.dim() - 1)), xa, new)
            if done is not None and (step + 1) % every == 0:  # compact every `every` steps (one synchronisation)
                finished = int(done.sum())
                if finished == idx.numel():
                    break
                if finished >= max(1, idx.numel() // 8):  # worth a smaller batch
                    x_adv[idx[done]] = xa[done]
                    keep = ~done
                    idx, xa, xo, ya, ea, aa = (t[keep] for t in (idx, xa, xo, ya, ea, aa))
                    done = None
    x_adv[idx] = xa
    if levels is not None:
        x_adv, _ = _to_lattice(model, x, x_adv, y, levels, p, eps, targeted)
    return x_adv


def fgsm(model: nn.Module, x: torch.Tensor, y: torch.Tensor, *, p: float, eps, targeted: bool = False,
         levels: int | None = None) -> AttackResult:
    """The fast gradient (sign) method: one steepest-ascent step of size eps on the cross-entropy, in d_p.

    p = inf is Goodfellow et al.'s FGSM; p = 2 the fast gradient method; p = 1 and 0 use the same steps as ``pgd``.
    Every sample takes the step, even one already misclassified. ``eps`` and the result are as for ``pgd``.

    Examples
    --------
    The sum classifier on two 3x3 binary images of label 1 (:class:`perturbkit.sum_classifier.SumModel`). Its
    gradient lowers every entry alike: the image with 9 ones needs a step of more than 0.5, the one with 5 ones
    more than 0.1. A curve of budgets 0.05 and 0.6:

    >>> import torch
    >>> from perturbkit.spaces import ImageSpace
    >>> from perturbkit.sum_classifier import SumModel
    >>> x = ImageSpace(3).images([0b111111111, 0b111110000])  # 9 ones and 5 ones: both label 1
    >>> y = torch.tensor([1, 1])
    >>> result = fgsm(SumModel(), x, y, p=float("inf"), eps=[0.05, 0.6])
    >>> result.success.tolist(), result.robust_accuracy.tolist()
    ([[False, False], [True, True]], [1.0, 0.0])
    """
    check_inputs(model, x, y, targeted)
    p = check_attack_p(p)
    levels = check_levels(levels, x)

    def attack(e) -> AttackResult:
        e = check_eps(e, x)
        step = torch.ones_like(e) if p == 0 else e
        x_adv = _pgd(model, x, y, p, e, 1, step, False, targeted, None, levels, early_stop=False)
        return finish(model, x, y, x_adv, p, targeted)

    return over_budgets(eps, x.shape[0], attack)
