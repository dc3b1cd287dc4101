"""Lesson 07's widget: choose the bit depth b (L = 2**b levels) and the image side n; see the sum classifier's exact
l2 and l0 robustness on random images, and its l2 robust share against the continuous-cube curves."""

from __future__ import annotations

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ..bitdepth import cube_bound_two_classes, cube_sum_share
from ..census import robust_share
from ..checks import check_int
from ..sum_classifier import sum_robustness
from .live import LiveView


def bitdepth_view(bits: int, n: int, samples: int = 2000, seed: int = 0) -> tuple[str, Figure]:
    """(text, fig) for bit depth ``bits`` (L = 2**bits levels) and n-by-n images: medians of the exact minimal l2
    and l0 perturbations of the sum classifier over ``samples`` random images, and the l2 robust-share curve."""
    bits = check_int("bits", bits, minimum=1, maximum=16)
    n = check_int("n", n, minimum=1)
    samples = check_int("samples", samples, minimum=1)
    L = 2**bits
    l2 = sum_robustness(n, 2.0, levels=L, samples=samples, seed=seed)
    l0 = sum_robustness(n, 0.0, levels=L, samples=samples, seed=seed)
    text = (f"bit depth {bits} (L = {L} levels), n = {n}: median over {samples} random images\n"
            f"  l2 robustness {float(l2.median()):.3f}   (l2 / sqrt(n) = {float(l2.median()) / n**0.5:.3f})\n"
            f"  l0 robustness {float(l0.median()):.0f} pixels (l0 / n = {float(l0.median()) / n:.3f})")
    r = np.linspace(0, 2.5, 101)
    fig, ax = plt.subplots(figsize=(6, 3.6))
    ax.plot(r, robust_share(None, l2, r).robust[0], lw=2, label=f"sum classifier, L = {L}, n = {n} (exact, sampled)")
    ax.plot(r, cube_sum_share(r), ":", color="C1", label="sum classifier in the cube: 2Φ(-√12 r)")
    ax.plot(r, cube_bound_two_classes(r), "--", color="k", label="cube bound (course): 2Φ(-√(2π) r)")
    ax.set_xlabel("r (l2)")
    ax.set_ylabel("share of images with r_2 > r")
    ax.set_ylim(0, 1.02)
    ax.grid(True, alpha=0.25)
    ax.legend(fontsize=7)
    fig.tight_layout()
    return text, fig


def bitdepth_explorer(bits: int = 1, n: int = 64) -> LiveView:
    """The widget: a slider for the bit depth (1..8, L = 2**bits) and one for n; shows bitdepth_view."""
    controls = {"bits": W.IntSlider(value=bits, min=1, max=8, description="bit depth"),
                "n": W.IntSlider(value=n, min=8, max=256, step=8, description="n")}
    return LiveView(bitdepth_view, controls)
