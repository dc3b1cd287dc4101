"""Pictures of attacks: one perturbation in four panels, robust accuracy against budget, minimal sizes per norm."""

from __future__ import annotations

import math

import numpy as np
import torch
from matplotlib.figure import Figure

from ..budgets import format_p
from ..checks import check_finite, check_int, check_p, check_real, check_tensor
from .images import show_image


def perturbation_panel(x: torch.Tensor, x_adv: torch.Tensor, probs: torch.Tensor, probs_adv: torch.Tensor,
                       title: str | None = None) -> Figure:
    """Original, perturbed and difference images (c, h, w) and the class probabilities before and after; a Figure.

    The difference is drawn on a symmetric red-blue scale around 0 so that brightening and darkening are distinct.
    """
    for name, t, dim in (("x", x, 3), ("x_adv", x_adv, 3), ("probs", probs, 1), ("probs_adv", probs_adv, 1)):
        check_finite(name, t)
        if t.dim() != dim:
            raise ValueError(f"{name} must have {dim} dimension(s), got shape {tuple(t.shape)}")
    if x.shape != x_adv.shape or probs.shape != probs_adv.shape or probs.numel() == 0:
        raise ValueError(f"x and x_adv, probs and probs_adv must match in shape (probs non-empty), got "
                         f"{tuple(x.shape)}, {tuple(x_adv.shape)}, {tuple(probs.shape)}, {tuple(probs_adv.shape)}")
    diff = (x_adv - x).detach().cpu()
    fig = Figure(figsize=(10, 2.6), layout="tight")
    axes = fig.subplots(1, 4, gridspec_kw={"width_ratios": [1, 1, 1, 1.8]})
    pc, pa = int(probs.argmax()), int(probs_adv.argmax())
    show_image(axes[0], x, f"original: {pc} ({float(probs[pc]):.2f})")
    show_image(axes[1], x_adv, f"perturbed: {pa} ({float(probs_adv[pa]):.2f})")
    m = max(float(diff.abs().max()), 1e-6)
    show_image(axes[2], diff[0] if diff.shape[0] == 1 else diff.mean(0), "difference", vmin=-m, vmax=m, cmap="RdBu_r")
    k = np.arange(probs.shape[0])
    axes[3].bar(k - 0.2, probs.detach().cpu().numpy(), 0.4, label="original")
    axes[3].bar(k + 0.2, probs_adv.detach().cpu().numpy(), 0.4, label="perturbed")
    axes[3].set_xticks(k)
    axes[3].set_ylim(0, 1)
    axes[3].set_xlabel("class")
    axes[3].set_ylabel("probability")
    axes[3].legend(fontsize=8)
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def robustness_curves(curves: dict, units: dict | None = None) -> Figure:
    """Robust accuracy against budget, one panel per norm. ``curves`` maps p to (budgets, accuracies) sequences."""
    if not isinstance(curves, dict) or not curves:
        raise ValueError(f"curves must be a non-empty dict p -> (budgets, accuracies), got {curves!r}")
    for p, v in curves.items():
        check_p(p)
        if not hasattr(v, "__len__") or len(v) != 2 or len(v[0]) != len(v[1]):
            raise ValueError(f"curves[{p!r}] must be (budgets, accuracies) of the same length, got {v!r}")
    fig = Figure(figsize=(3.0 * len(curves), 2.8), layout="tight")
    axes = fig.subplots(1, len(curves), squeeze=False)
    for ax, (p, (eps, acc)) in zip(axes[0], curves.items()):
        ax.plot(np.asarray(eps, dtype=float), np.asarray(acc, dtype=float), "o-")
        ax.set_ylim(0, 1.02)
        ax.set_xlabel(f"budget eps ({(units or {}).get(p, 'intensity')})")
        ax.set_title(f"p = {format_p(p)}")
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel("accuracy under attack")
    return fig


def minimal_size_histograms(sizes: dict, diameters: dict, bins: int = 20) -> Figure:
    """Histograms of minimal perturbation sizes relative to the image-space diameter, one panel per norm.

    ``sizes`` maps p to a tensor of sizes (inf where the attack failed: left out), ``diameters`` p to the diameter
    in the same units. The median is marked.
    """
    if not isinstance(sizes, dict) or not sizes:
        raise ValueError(f"sizes must be a non-empty dict p -> tensor of sizes, got {sizes!r}")
    if not isinstance(diameters, dict) or set(diameters) != set(sizes):
        raise ValueError(f"diameters must have the same keys (p values) as sizes, got {diameters!r}")
    bins = check_int("bins", bins, minimum=1)
    for p, s in sizes.items():
        check_tensor(f"sizes[{p!r}]", s, floating=True)
        check_real(f"diameters[{p!r}]", diameters[p], minimum=0, min_open=True)
    fig = Figure(figsize=(3.0 * len(sizes), 2.8), layout="tight")
    axes = fig.subplots(1, len(sizes), squeeze=False)
    for ax, (p, s) in zip(axes[0], sizes.items()):
        rel = (s[torch.isfinite(s)] / diameters[p]).detach().cpu().numpy()
        ax.hist(rel, bins=bins, color="tab:blue", alpha=0.8)
        med = float(np.median(rel)) if rel.size else math.nan
        ax.axvline(med, color="k", ls="--", lw=1)
        ax.set_title(f"p = {format_p(p)}: median {med:.3f}", fontsize=9)
        ax.set_xlabel("size / diameter")
    axes[0][0].set_ylabel("images")
    return fig
