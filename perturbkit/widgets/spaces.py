"""Lesson 01's explorer: choose n, L, q and p; see the space's numbers and a random image next to a digit."""

from __future__ import annotations

import ipywidgets as W
import torch
from matplotlib.figure import Figure

from ..budgets import space_numbers
from ..checks import check_images, check_int
from ..data import quantize, resize
from ..plotting.images import image_grid
from ..spaces import ImageSpace
from .live import LiveView, p_dropdown


def explorer_view(n: int, levels: int, channels: int, p: float, digit: torch.Tensor | None = None,
                  seed: int = 0) -> tuple[str, Figure]:
    """What the explorer shows for one setting: the report text and a figure (random image, and the digit resized
    and quantised to the same space when ``digit`` (1, h, w) is given). Pure apart from drawing."""
    numbers = space_numbers(n, levels, channels, p)
    space = ImageSpace(n, levels, channels)
    seed = check_int("seed", seed, minimum=0)
    if digit is not None:
        check_images("digit", digit, dim=3)
        if digit.shape[0] != 1:
            raise ValueError(f"digit must be one grey image (1, h, w), got shape {tuple(digit.shape)}")
    img = space.sample(1, generator=torch.Generator().manual_seed(seed))[0]
    panels, titles = [img], ["a uniformly random image"]
    if digit is not None:
        panels.append(quantize(resize(digit[None], n), levels)[0].expand(channels, n, n))
        titles.append("a digit, resized and quantised")
    return numbers.describe(), image_grid(torch.stack(panels), titles, ncols=len(panels), size=2.6)


def space_explorer(digit: torch.Tensor | None = None) -> LiveView:
    """The widget: sliders for n and L (redraw on release: each position draws two images), dropdowns for q and p;
    it shows explorer_view's text and figure."""
    controls = {
        "n": W.IntSlider(value=8, min=2, max=64, step=1, description="n", continuous_update=False),
        "levels": W.IntSlider(value=2, min=2, max=256, step=1, description="levels L", continuous_update=False),
        "channels": W.Dropdown(options=[1, 3], value=1, description="channels q"),
        "p": p_dropdown(2.0),
    }
    return LiveView(lambda **v: explorer_view(**v, digit=digit), controls)
