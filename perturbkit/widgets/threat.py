"""Lesson 10's threat-model calculator: a data-set preset (or n, q, L), p, eps and a guaranteed share; shows the
budget, the diameter, the radius each of the course's bounds needs for that share, and where eps and the common radii
of the literature sit on one axis."""

from __future__ import annotations

import ipywidgets as W
from matplotlib.figure import Figure

from ..guarantees import DATASETS as PRESETS  # name -> (n, levels, channels)
from ..plotting.threat import threat_axis
from ..threat import COMMON_EPS, threat_report
from .live import LiveView, p_dropdown

CUSTOM = "custom (n, q, L below)"


def threat_view(preset: str, p: float, eps: float, share: float = 0.05, n: int = 32, channels: int = 3,
                levels: int = 256) -> tuple[str, Figure]:
    """(text, fig) for one threat model. A preset other than CUSTOM fixes (n, channels, levels); the figure puts
    eps, the common radii of that preset, the budget, the bounds' radii and the diameter on one log axis."""
    if preset != CUSTOM:
        if preset not in PRESETS:
            raise ValueError(f"preset must be one of {sorted(PRESETS) + [CUSTOM]}, got {preset!r}")
        n, levels, channels = PRESETS[preset]
    rep = threat_report(n, levels, channels, p, eps, share)
    return rep.describe(), threat_axis(rep, COMMON_EPS.get(preset, {}).get(p))


def threat_calculator(preset: str = "CIFAR 32x32x3", p: float = 2.0, eps: float = 0.5) -> LiveView:
    """The widget: the preset first (the control the browser test operates), then p, eps, the share, and n, q, L
    for the custom space; shows threat_view."""
    controls = {
        "preset": W.Dropdown(options=list(PRESETS) + [CUSTOM], value=preset, description="data set"),
        "p": p_dropdown(p, ps=(0.0, 1.0, 2.0, float("inf"))),
        "eps": W.BoundedFloatText(value=eps, min=0, max=1e6, step=0.05, description="eps"),
        "share": W.Dropdown(options=[("25%", 0.25), ("5%", 0.05), ("1%", 0.01)], value=0.05,
                            description="share"),
        "n": W.IntSlider(value=32, min=2, max=512, description="n (custom)", continuous_update=False),
        "channels": W.Dropdown(options=[1, 3], value=3, description="q (custom)"),
        "levels": W.Dropdown(options=[2, 4, 16, 256, 65536], value=256, description="L (custom)"),
    }
    return LiveView(threat_view, controls)
