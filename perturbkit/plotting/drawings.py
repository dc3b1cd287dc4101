"""Pictures of line drawings: an outline drawn onto noise and onto a photograph, and illusions with pixel counts."""

from __future__ import annotations

import torch
from matplotlib.figure import Figure

from ..checks import check_images, check_int
from ..data import resize
from ..drawing import ILLUSIONS, OUTLINES, draw_onto, pixel_count
from .images import show_image


def outline_figure(name: str, n: int, photo: torch.Tensor, seed: int = 0) -> Figure:
    """Three panels at resolution n: the outline alone, drawn onto uniform noise, drawn onto ``photo`` (c, h, w).

    The noise is a uniformly random image (every entry uniform in [0, 1], drawn from a generator seeded with
    ``seed``); drawn pixels are set to white in every channel. Returns the Figure.
    """
    if not isinstance(name, str) or name not in OUTLINES:
        raise ValueError(f"name must be one of {sorted(OUTLINES)}, got {name!r}")
    check_images("photo", photo, dim=3)
    seed = check_int("seed", seed, minimum=0)
    mask = OUTLINES[name](n)
    c = photo.shape[0]
    noise = torch.rand(1, c, n, n, generator=torch.Generator().manual_seed(seed))
    pic = resize(photo[None].cpu(), n)
    fig = Figure(figsize=(7.5, 2.8), layout="tight")
    axes = fig.subplots(1, 3)
    show_image(axes[0], (~mask).float()[None], f"{name}: {pixel_count(mask)} pixels")
    show_image(axes[1], draw_onto(noise, mask)[0], "drawn onto noise")
    show_image(axes[2], draw_onto(pic, mask)[0], "drawn onto a photograph")
    return fig


def illusions_figure(n: int = 128) -> Figure:
    """The illusions of ``perturbkit.drawing`` side by side at resolution n, each titled with its pixel count; the
    Necker cube appears three times: ambiguous, and with each face put in front by the occlusion cue."""
    panels = [("Necker cube", ILLUSIONS["Necker cube"](n))]
    for front in ("lower-left", "upper-right"):
        panels.append((f"{front} face in front", ILLUSIONS["Necker cube"](n, front=front)))
    panels += [(k, f(n)) for k, f in ILLUSIONS.items() if k != "Necker cube"]
    fig = Figure(figsize=(2.3 * len(panels), 2.6), layout="tight")
    axes = fig.subplots(1, len(panels), squeeze=False)
    for ax, (title, m) in zip(axes[0], panels):
        show_image(ax, (~m).float()[None], f"{title}\n{pixel_count(m)} pixels")
    return fig
