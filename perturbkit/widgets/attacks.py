"""Lesson 02's widget: pick an image, a norm and a budget; see the PGD perturbation and the predicted probabilities."""

from __future__ import annotations

import math

import ipywidgets as W
import torch

from ..attacks import pgd
from ..attacks._common import ATTACK_P, check_attack_p
from ..budgets import format_p
from ..checks import check_images, check_int, check_real
from ..norms import distance
from ..plotting.attacks import perturbation_panel
from ..spaces import ImageSpace
from .live import LiveView, p_dropdown


def attack_example(model, x: torch.Tensor, y: torch.Tensor, index: int, p: float, fraction: float,
                   steps: int = 20, levels: int | None = None) -> dict:
    """Attack image ``index`` with PGD at budget ``fraction`` of the image-space diameter in d_p (pure; no drawing).

    The diameter of [0, 1]^N in d_p is 1 for p = inf, N^(1/p) for p >= 1 and N for p = 0, so one slider position
    means a comparable share of the space in every norm. Returns a dict: eps, original and perturbed image (c, n, n),
    probabilities before and after (classes,), labels, and the size of the perturbation actually used.
    """
    check_images("x", x, nonempty=True)
    index = check_int("index", index)
    if not 0 <= index < x.shape[0]:
        raise ValueError(f"index must be in 0..{x.shape[0] - 1}, got {index}")
    fraction = check_real("fraction", fraction, 0.0, 1.0)
    p = check_attack_p(p)
    if x.shape[2] != x.shape[3]:
        raise ValueError(f"x must hold square images (k, c, n, n), got {tuple(x.shape)}")
    c, n, _ = x[0].shape
    eps = fraction * ImageSpace(n, channels=c).diameter(p)
    if p == 0:
        eps = math.floor(eps)
    xi, yi = x[index:index + 1], y[index:index + 1]
    xa = pgd(model, xi, yi, p=p, eps=eps, steps=steps, levels=levels).adversarial
    with torch.no_grad():
        probs = torch.softmax(model(torch.cat([xi, xa])), dim=1)
    return {"eps": eps, "x": xi[0], "x_adv": xa[0], "probs": probs[0], "probs_adv": probs[1], "label": int(yi),
            "pred": int(probs[0].argmax()), "pred_adv": int(probs[1].argmax()),
            "size": float(distance(xa, xi, p)), "p": p}


def describe(r: dict) -> str:
    """One line for an attack_example result, with rounded numbers (stable for nbval)."""
    verdict = "fooled" if r["pred_adv"] != r["label"] else "not fooled"
    return (f"p = {format_p(r['p'])}, eps = {r['eps']:.3f}, used {r['size']:.3f}: label {r['label']}, "
            f"prediction {r['pred']} -> {r['pred_adv']} (p = {float(r['probs_adv'][r['pred_adv']]):.2f}), {verdict}")


def attack_explorer(model, x, y, index: int = 0, p: float = math.inf, fraction: float = 0.05, steps: int = 20,
                    levels: int | None = None) -> LiveView:
    """The widget: sliders for the image and the budget (a share of the diameter), a dropdown for the norm; shows
    describe(attack_example(...)) and perturbation_panel. Sliders act on release: every change runs PGD."""
    controls = {
        "index": W.IntSlider(value=index, min=0, max=x.shape[0] - 1, description="image", continuous_update=False),
        "p": p_dropdown(p, ps=ATTACK_P, description="norm p"),
        "fraction": W.FloatSlider(value=fraction, min=0.0, max=0.3, step=0.01, description="budget/diam",
                                  continuous_update=False),
    }

    def view(index: int, p: float, fraction: float):
        r = attack_example(model, x, y, index, p, fraction, steps, levels)
        return describe(r), perturbation_panel(r["x"], r["x_adv"], r["probs"], r["probs_adv"])

    return LiveView(view, controls)
