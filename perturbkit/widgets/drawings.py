"""Lesson 09's outline explorer: an n slider, a drawing and a background; shows the picture and its pixel count."""

from __future__ import annotations

import ipywidgets as W
import torch
from matplotlib.figure import Figure

from ..drawing import OUTLINES, outline_report
from ..plotting.drawings import outline_figure
from .output_panel import show


def outline_view(n: int, name: str, photo: torch.Tensor, seed: int = 0) -> tuple[str, Figure]:
    """What the explorer shows for one setting: (the report line, the figure). Pure apart from drawing."""
    return outline_report(name, n), outline_figure(name, n, photo, seed)  # both check their arguments


class OutlineExplorer(W.VBox):
    """The widget: a slider for n (32 to 256) and a dropdown for the drawing; the Output shows outline_view."""

    def __init__(self, photo: torch.Tensor, n: int = 64, name: str = "parachute"):
        self.photo = photo
        self.slider = W.IntSlider(value=n, min=32, max=256, step=16, description="n", continuous_update=False)
        self.choice = W.Dropdown(options=sorted(OUTLINES), value=name, description="drawing")
        self.out = W.Output()
        super().__init__([W.HBox([self.slider, self.choice]), self.out])
        self.slider.observe(self.refresh, names="value")
        self.choice.observe(self.refresh, names="value")
        self.refresh()

    def refresh(self, _=None) -> None:
        show(self.out, *outline_view(self.slider.value, self.choice.value, self.photo))

    def __repr__(self) -> str:  # short and stable: the text a notebook stores for the widget
        return f"OutlineExplorer(n={self.slider.value}, drawing={self.choice.value!r})"
