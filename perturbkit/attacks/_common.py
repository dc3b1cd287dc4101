"""What every attack shares: argument checks, a frozen model, the margin and its gradient, and steepest-ascent steps.

All functions work on the device of their inputs. Sizes and budgets are in intensity units (entries in [0, 1]),
except p = 0 where they count changed entries (see ``perturbkit.norms``).
"""

from __future__ import annotations

import contextlib
import math

import torch
from torch import nn

from ..checks import (
    check_bool,
    check_data,
    check_eps,  # noqa: F401 - the attacks import it from here
    check_int,
    check_labels,
    check_lattice,
    check_model,
    check_p,
)

ATTACK_P = (0.0, 1.0, 2.0, math.inf)


def check_attack_p(p) -> float:
    """``p`` as a float, or a clear error unless it is one of 0, 1, 2, inf."""
    p = check_p(p)
    if p not in ATTACK_P:
        raise ValueError(f"p must be one of 0, 1, 2 or inf (math.inf) for the attacks, got p={p}")
    return p


def check_inputs(model: nn.Module, x: torch.Tensor, y: torch.Tensor, targeted=False) -> int:
    """Images in [0, 1], labels (k,) in range for the model's output, model on x's device; returns the number of
    classes. The model runs once, on one image, so a model that does not fit the images fails here, clearly."""
    check_data(x, y)
    classes = check_model(model, x)
    check_labels("y", y, classes=classes)
    check_bool("targeted", targeted)
    return classes


def check_levels(levels, x: torch.Tensor) -> int | None:
    """None, or the number of grey levels L >= 2 after checking that x lies on the L-level lattice."""
    if levels is None:
        return None
    levels = check_int("levels", levels, minimum=2)
    check_lattice("x", x, levels)
    return levels


def make_generator(seed, device) -> torch.Generator | None:
    """A local generator on ``device`` seeded with ``seed`` (None: no generator, the global RNG is used)."""
    if seed is None:
        return None
    seed = check_int("seed", seed, minimum=0)
    return torch.Generator(device=device).manual_seed(seed)


@contextlib.contextmanager
def frozen(model: nn.Module):
    """Eval mode and no parameter gradients while attacking; the previous mode and flags are restored after."""
    was_training = model.training
    flags = [(prm, prm.requires_grad) for prm in model.parameters()]
    model.eval()
    for prm, _ in flags:
        prm.requires_grad_(False)
    try:
        yield model
    finally:
        for prm, flag in flags:
            prm.requires_grad_(flag)
        model.train(was_training)


def margin(logits: torch.Tensor, y: torch.Tensor, targeted: bool = False) -> torch.Tensor:
    """Per-sample margin (k,): logit of y minus the best other logit (untargeted), or the best other logit minus
    the logit of the target y (targeted). The attack succeeds exactly when the margin is < 0."""
    true = logits.gather(1, y[:, None])[:, 0]
    other = logits.scatter(1, y[:, None], float("-inf")).amax(dim=1)
    return other - true if targeted else true - other


def adversarial(logits: torch.Tensor, y: torch.Tensor, targeted: bool = False) -> torch.Tensor:
    """Boolean mask (k,): prediction differs from y (untargeted) or equals the target y (targeted)."""
    pred = logits.argmax(dim=1)
    return pred == y if targeted else pred != y


def loss_grad(model: nn.Module, x: torch.Tensor, y: torch.Tensor, loss: str = "ce", targeted: bool = False):
    """Logits and the gradient with respect to x of a per-sample loss that the attack wants to INCREASE.

    loss="ce": cross-entropy (minus it when targeted); loss="margin": minus the margin. Only x needs a gradient:
    the caller holds the model ``frozen``, so no weight gradients are computed.
    """
    x = x.detach().requires_grad_(True)
    logits = model(x)
    if loss == "ce":
        value = nn.functional.cross_entropy(logits, y, reduction="sum")
        value = -value if targeted else value
    else:
        value = -margin(logits, y, targeted).sum()
    (g,) = torch.autograd.grad(value, x)
    return logits.detach(), g


def _flat(t: torch.Tensor) -> torch.Tensor:
    return t.flatten(1)


def steepest_step(g: torch.Tensor, x_adv: torch.Tensor, p: float, size: torch.Tensor) -> torch.Tensor:
    """A step of d_p-size ``size`` (per sample, shape (k,)) in the direction that increases the loss fastest.

    inf: size * sign(g); 2: size * g / |g|_2; 1: the size spread evenly over the ~1% coordinates of largest |g|
    that can still move in their direction (the pure l1 steepest step moves one coordinate and crawls);
    0: an l_inf-normalised gradient step of ``size`` intensity, sparsified later by the l0 projection.
    """
    s = size.reshape(-1, *([1] * (g.dim() - 1)))
    if p == math.inf:
        return s * g.sign()
    if p == 2:
        n = _flat(g).norm(dim=1).clamp_min(1e-12).reshape(s.shape)
        return s * g / n
    if p == 0:
        m = _flat(g).abs().amax(dim=1).clamp_min(1e-12).reshape(s.shape)
        return s * g / m
    # p == 1: ignore coordinates pinned at the box edge in the direction of ascent.
    movable = ((g > 0) & (x_adv < 1)) | ((g < 0) & (x_adv > 0))
    a = _flat(g.abs() * movable)
    q = max(1, int(round(0.01 * a.shape[1])))
    top = a.topk(q, dim=1).values[:, -1:]
    mask = (a >= top) & (a > 0)
    count = mask.sum(dim=1, keepdim=True).clamp_min(1)
    step = mask * _flat(g.sign()) * (size[:, None] / count)
    return step.reshape(g.shape)
