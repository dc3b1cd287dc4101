"""Lesson 03's explorer of the Hamming graph of all 3x3 binary images: pick images, grow their neighbourhood."""

from __future__ import annotations

import ipywidgets as W
import torch
from matplotlib.figure import Figure

from ..checks import check_int
from ..hamming import distance_to_set
from ..plotting.hamming import neighbourhood_figure
from ..spaces import ImageSpace
from .live import LiveView

SPACE = ImageSpace(3)
# named 3x3 images (rows of bits) a student can pick, alone or together
PICTURES = {
    "all black": "000 000 000",
    "all white": "111 111 111",
    "cross": "010 111 010",
    "diagonal": "100 010 001",
    "letter L": "100 100 111",
    "checkerboard": "101 010 101",
}


def picture_index(name: str) -> int:
    """Index in SPACE of a named picture."""
    if not isinstance(name, str) or name not in PICTURES:
        raise ValueError(f"picture must be one of {sorted(PICTURES)}, got {name!r}")
    return int(PICTURES[name].replace(" ", ""), 2)


def neighbourhood_view(t: int, first: str = "cross", second: str = "(none)") -> tuple[str, Figure]:
    """Text and figure: the radius-t neighbourhood of the picked images in the graph of all 512 3x3 images."""
    t = check_int("t", t, minimum=0)
    names = [first] + ([second] if second != "(none)" else [])
    member = torch.zeros(SPACE.size, dtype=torch.bool)
    for name in names:
        member[picture_index(name)] = True
    d = distance_to_set(member, SPACE)
    inside = d <= t
    size = int(inside.sum())
    text = (f"picked: {', '.join(names)}\nradius t = {t}: {size} of {SPACE.size} images "
            f"({100 * size / SPACE.size:.1f}%) are at most {t} changed pixel(s) from a picked image")
    pictures = {name: SPACE.images([picture_index(name)])[0] for name in names}
    return text, neighbourhood_figure(SPACE, d.numpy(), t, pictures,
                                      title=f"all 512 images by layer; coloured: within {t} of the picked images")


def neighbourhood_explorer() -> LiveView:
    """The widget: a radius slider (redraws on release: each position draws the graph), and dropdowns for one or
    two picked pictures."""
    controls = {
        "t": W.IntSlider(value=1, min=0, max=9, description="radius t", continuous_update=False),
        "first": W.Dropdown(options=list(PICTURES), value="cross", description="image"),
        "second": W.Dropdown(options=["(none)"] + list(PICTURES), value="(none)", description="and"),
    }
    return LiveView(neighbourhood_view, controls)
