"""Lesson 10's threat-model calculator: a data-set preset (or n, q, L), p, eps and a guaranteed share; shows the
budget, the diameter, the radius each of the course's bounds needs for that share, and where eps and the common radii
of the literature sit on one axis."""

from __future__ import annotations

import math

import ipywidgets as W
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from ..budgets import format_p
from ..threat import COMMON_EPS, PRESETS, hamming_cost, threat_report
from .live import LiveView

CUSTOM = "custom (n, q, L below)"
P_OPTIONS = [("0 (changed entries)", 0.0), ("1", 1.0), ("2", 2.0), ("inf", math.inf)]


def threat_view(preset: str, p: float, eps: float, share: float = 0.05, n: int = 32, channels: int = 3,
                levels: int = 256) -> tuple[str, Figure]:
    """(text, fig) for one threat model. A preset other than CUSTOM fixes (n, channels, levels); the figure puts
    eps, the common radii of that preset, the budget, the bounds' radii and the diameter on one log axis."""
    if preset != CUSTOM:
        if preset not in PRESETS:
            raise ValueError(f"preset must be one of {sorted(PRESETS) + [CUSTOM]}, got {preset!r}")
        n, channels, levels = PRESETS[preset]
    rep = threat_report(n, channels, levels, p, eps, share)
    marks = [("budget (c = 1)", rep.budget, "k", "-"), ("diameter", rep.diameter, "0.5", "-")]
    if rep.t_concentration is not None:
        marks.append((f"concentration, {share:.0%}", hamming_cost(rep.t_concentration, p), "C0", "--"))
    if rep.t_harper is not None:
        marks.append((f"Harper, {share:.0%}", hamming_cost(rep.t_harper, p), "C2", "--"))
    if rep.l2_limit is not None:
        marks.append((f"cube + rounding, {share:.0%}", rep.l2_limit, "C3", "--"))
    fig, ax = plt.subplots(figsize=(7.5, 2.4))
    for k, (label, x, color, style) in enumerate(marks):
        ax.axvline(x, color=color, ls=style, lw=1.5)
        ax.text(x, 0.95 - 0.13 * k, " " + label, color=color, fontsize=8, va="top")
    common = COMMON_EPS.get(preset, {}).get(p)
    if common is not None:
        ax.plot([common], [0.2], "v", color="C1", ms=9, label=f"common eps {common:.3g}")
    if eps > 0:
        ax.plot([eps], [0.1], "o", color="C4", ms=8, label=f"your eps {eps:.3g}")
    lo = min([x for _, x, _, _ in marks] + [v for v in (eps, common) if v]) / 3
    hi = max(x for _, x, _, _ in marks) * 3
    ax.set_xscale("log")
    ax.set_xlim(lo, hi)
    ax.set_ylim(0, 1)
    ax.set_yticks([])
    ax.set_xlabel(f"d_p radius, p = {format_p(p)} (log scale)")
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    return rep.describe(), fig


def threat_calculator(preset: str = "CIFAR 32x32x3", p: float = 2.0, eps: float = 0.5) -> LiveView:
    """The widget: the preset first (the control the browser test operates), then p, eps, the share, and n, q, L
    for the custom space; shows threat_view."""
    controls = {
        "preset": W.Dropdown(options=list(PRESETS) + [CUSTOM], value=preset, description="data set"),
        "p": W.Dropdown(options=P_OPTIONS, value=float(p), description="p"),
        "eps": W.BoundedFloatText(value=eps, min=0, max=1e6, step=0.05, description="eps"),
        "share": W.Dropdown(options=[("25%", 0.25), ("5%", 0.05), ("1%", 0.01)], value=0.05,
                            description="share"),
        "n": W.IntSlider(value=32, min=2, max=512, description="n (custom)"),
        "channels": W.Dropdown(options=[1, 3], value=3, description="q (custom)"),
        "levels": W.Dropdown(options=[2, 4, 16, 256, 65536], value=256, description="L (custom)"),
    }
    return LiveView(threat_view, controls)
