"""Pictures of attacks: one perturbation in four panels, robust accuracy against budget, minimal sizes per norm."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import torch

from ..budgets import format_p
from .images import show_image


def perturbation_panel(x: torch.Tensor, x_adv: torch.Tensor, probs: torch.Tensor, probs_adv: torch.Tensor,
                       title: str | None = None):
    """Original, perturbed and difference images (c, h, w) and the class probabilities before and after; a Figure.

    The difference is drawn on a symmetric red-blue scale around 0 so that brightening and darkening are distinct.
    """
    diff = (x_adv - x).detach().cpu()
    fig, axes = plt.subplots(1, 4, figsize=(10, 2.6), gridspec_kw={"width_ratios": [1, 1, 1, 1.8]})
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
    fig.tight_layout()
    return fig


def robustness_curves(curves: dict, units: dict | None = None):
    """Robust accuracy against budget, one panel per norm. ``curves`` maps p to (budgets, accuracies) sequences."""
    fig, axes = plt.subplots(1, len(curves), figsize=(3.0 * len(curves), 2.8), squeeze=False)
    for ax, (p, (eps, acc)) in zip(axes[0], curves.items()):
        ax.plot(np.asarray(eps, dtype=float), np.asarray(acc, dtype=float), "o-")
        ax.set_ylim(0, 1.02)
        ax.set_xlabel(f"budget eps ({(units or {}).get(p, 'intensity')})")
        ax.set_title(f"p = {format_p(p)}")
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel("accuracy under attack")
    fig.tight_layout()
    return fig


def minimal_size_histograms(sizes: dict, diameters: dict, bins: int = 20):
    """Histograms of minimal perturbation sizes relative to the image-space diameter, one panel per norm.

    ``sizes`` maps p to a tensor of sizes (inf where the attack failed: left out), ``diameters`` p to the diameter
    in the same units. The median is marked.
    """
    fig, axes = plt.subplots(1, len(sizes), figsize=(3.0 * len(sizes), 2.8), squeeze=False)
    for ax, (p, s) in zip(axes[0], sizes.items()):
        rel = (s[torch.isfinite(s)] / diameters[p]).detach().cpu().numpy()
        ax.hist(rel, bins=bins, color="tab:blue", alpha=0.8)
        med = float(np.median(rel)) if rel.size else math.nan
        ax.axvline(med, color="k", ls="--", lw=1)
        ax.set_title(f"p = {format_p(p)}: median {med:.3f}", fontsize=9)
        ax.set_xlabel("size / diameter")
    axes[0][0].set_ylabel("images")
    fig.tight_layout()
    return fig
