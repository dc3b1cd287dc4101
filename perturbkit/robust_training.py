"""Fast adversarial training: FGSM with a random start, after Wong, Rice & Kolter (ICLR 2020), "Fast is better
than free: revisiting adversarial training".

Each batch is replaced by adversarial examples from one l_inf gradient step of size ``alpha`` (default 1.25 eps)
taken from a uniformly random point of the eps-box around it, computed with ``perturbkit.attacks.pgd``; the model is
then trained on them. The cost is about twice that of ordinary training, which is what makes it fit a lesson.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from .attacks import pgd
from .attacks.gradient import _pgd
from .checks import check_data, check_eps, check_int
from .models import train


def _check_eps(name: str, value) -> float:
    """An l_inf radius in (0, 1] (intensity units): Python or NumPy numbers; str, None and bool are TypeErrors."""
    return check_eps(value, name=name, maximum=1, positive=True, number=True)


def fgsm_rs_train(model: nn.Module, data, eps: float, epochs: int = 5, alpha: float | None = None, seed: int = 0,
                  batch_size: int = 64, lr: float = 2e-3, progress: bool = True) -> list[float]:
    """Train ``model`` in place on FGSM-with-random-start examples of radius ``eps`` (l_inf, intensity units).

    ``data = (x, y)``: images (k, ...) in [0, 1] and int64 labels on the model's device. Batches are shuffled by a
    local generator seeded with ``seed``, and the random starts use seeds derived from it, so a run is
    reproducible on one machine. Returns the mean adversarial training loss per epoch; the model is left in eval
    mode.
    """
    eps = _check_eps("eps", eps)
    alpha = 1.25 * eps if alpha is None else _check_eps("alpha", alpha)
    seed = check_int("seed", seed, minimum=0)

    def fgsm_rs(model, xb, yb, step):
        # checked once by train() (data, model, labels) and above (eps, alpha): no per-batch re-validation
        return _pgd(model, xb, yb, math.inf, eps, steps=1, step_size=alpha, random_start=True,
                    seed=seed * 1_000_003 + step, early_stop=False)

    return train(model, data, epochs=epochs, seed=seed, batch_size=batch_size, lr=lr, progress=progress,
                 perturb=fgsm_rs, desc="adversarial training")


def robust_accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor, eps: float, steps: int = 20,
                    seed: int = 0) -> float:
    """Share of images still classified correctly after an l_inf PGD attack of radius ``eps`` with ``steps``
    steps and a random start (a lower bound on the attack's strength, so an upper bound on true robustness)."""
    check_data(x, y)
    if x.shape[0] == 0:
        raise ValueError("x is empty: the robust accuracy of no images is undefined")
    eps = _check_eps("eps", eps)
    steps = check_int("steps", steps, minimum=1)
    return float(pgd(model, x, y, p=math.inf, eps=eps, steps=steps, random_start=True, seed=seed).robust_accuracy)
