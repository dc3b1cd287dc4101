"""Lesson 09's outline explorer: an n slider, a drawing and a background; shows the picture and its pixel count."""

from __future__ import annotations

import ipywidgets as W
import torch

from ..drawing import OUTLINES, outline_report
from ..plotting.drawings import outline_figure
from .output_panel import show


def outline_view(n: int, name: str, photo: torch.Tensor, seed: int = 0):
    """What the explorer shows for one setting: (the report line, the figure). Pure apart from drawing."""
    return outline_report(name, n), outline_figure(name, n, photo, seed)


def outline_explorer(photo: torch.Tensor, n: int = 64, name: str = "parachute") -> W.VBox:
    """The widget: a slider for n (32 to 256) and a dropdown for the drawing; the Output shows outline_view."""
    slider = W.IntSlider(value=n, min=32, max=256, step=16, description="n", continuous_update=False)
    choice = W.Dropdown(options=sorted(OUTLINES), value=name, description="drawing")
    out = W.Output()

    def refresh(_=None):
        show(out, *outline_view(slider.value, choice.value, photo))

    slider.observe(refresh, names="value")
    choice.observe(refresh, names="value")
    refresh()
    return W.VBox([W.HBox([slider, choice]), out])
