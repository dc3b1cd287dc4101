"""Lesson 09's outline explorer: an n slider, a drawing and a background; shows the picture and its pixel count."""

from __future__ import annotations

import ipywidgets as W
import torch
from matplotlib.figure import Figure

from ..drawing import OUTLINES, outline_report
from ..plotting.drawings import outline_figure
from .live import LiveView


def outline_view(n: int, name: str, photo: torch.Tensor, seed: int = 0) -> tuple[str, Figure]:
    """What the explorer shows for one setting: (the report line, the figure). Pure apart from drawing."""
    return outline_report(name, n), outline_figure(name, n, photo, seed)  # both check their arguments


def outline_explorer(photo: torch.Tensor, n: int = 64, name: str = "parachute") -> LiveView:
    """The widget: a slider for n (32 to 256, redraws on release) and a dropdown for the drawing; shows
    outline_view."""
    controls = {"n": W.IntSlider(value=n, min=32, max=256, step=16, description="n", continuous_update=False),
                "name": W.Dropdown(options=sorted(OUTLINES), value=name, description="drawing")}
    return LiveView(lambda n, name: outline_view(n, name, photo), controls)
