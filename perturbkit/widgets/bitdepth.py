"""Lesson 07's widget: choose the bit depth b (L = 2**b levels) and the image side n; see the sum classifier's exact
l2 and l0 robustness on random images, and its l2 robust share against the continuous-cube curves."""

from __future__ import annotations

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure

from ..census import robust_share
from ..checks import check_int
from ..plotting.bitdepth import plot_l2_shares
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
    shares = robust_share(None, l2, r).robust[0]
    return text, plot_l2_shares(r, {f"sum classifier, L = {L}, n = {n} (exact, sampled)": shares})


def bitdepth_explorer(bits: int = 1, n: int = 64) -> LiveView:
    """The widget: a slider for the bit depth (1..8, L = 2**bits) and one for n; shows bitdepth_view. The sliders
    act on release: each position measures 2 x 2000 sampled images."""
    controls = {"bits": W.IntSlider(value=bits, min=1, max=8, description="bit depth", continuous_update=False),
                "n": W.IntSlider(value=n, min=8, max=256, step=8, description="n", continuous_update=False)}
    return LiveView(bitdepth_view, controls)
