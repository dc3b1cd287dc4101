"""Drawings of the Hamming graph: images placed in layers by their number of non-zero entries."""

from __future__ import annotations

import numpy as np
import torch
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..checks import check_images, check_int
from ..hamming import edges, layers
from ..spaces import ImageSpace
from ._base import axes_for
from .images import show_image


def layout(space: ImageSpace) -> np.ndarray:
    """(x, y) of every image: y = its layer (non-zero entries), x spread evenly within the layer in index order."""
    layer = layers(space).numpy()
    xy = np.zeros((space.size, 2))
    for k in np.unique(layer):
        members = np.nonzero(layer == k)[0]
        xy[members, 0] = np.linspace(-1, 1, len(members) + 2)[1:-1] * np.sqrt(len(members))
        xy[members, 1] = k
    return xy


def draw_hamming_graph(space: ImageSpace, distance=None, t: int | None = None, ax=None, glyphs: bool = False,
                       title: str | None = None) -> Figure:
    """Draw every image of ``space`` and every edge. With ``distance`` (one value per image, e.g. the distance to a
    set) and ``t``, the images with distance <= t are coloured by distance and the others drawn grey; ``glyphs``
    draws each vertex as its image (for tiny spaces). Returns the Figure (``ax``'s when given)."""
    if not isinstance(space, ImageSpace):
        raise TypeError(f"space must be a perturbkit.spaces.ImageSpace, got {type(space).__name__}")
    if t is not None:
        t = check_int("t", t, minimum=0)
    if distance is not None:
        d = np.asarray(distance.detach().cpu() if isinstance(distance, torch.Tensor) else distance, dtype=float)
        if d.shape != (space.size,) or np.isnan(d).any():
            raise ValueError(f"distance must hold one value (not NaN) per image of {space!r} ({space.size}), got "
                             f"shape {d.shape}")
    ax = axes_for(ax, (6, 4))
    xy = layout(space)
    e = edges(space).numpy()
    ax.add_collection(LineCollection(xy[e], colors="0.75", linewidths=0.6 if space.size <= 64 else 0.15, zorder=1))
    if glyphs:
        imgs = space.images(torch.arange(space.size))[:, 0].numpy()
        h = 0.32
        for (x, y), img in zip(xy, imgs):
            ax.imshow(img, cmap="gray", vmin=0, vmax=1, extent=(x - h, x + h, y - h, y + h), zorder=2)
            ax.add_patch(Rectangle((x - h, y - h), 2 * h, 2 * h, fill=False, lw=0.8, zorder=3))
        ax.set_aspect("equal")
    else:
        size = 10 if space.size > 64 else 60
        if distance is None:
            ax.scatter(xy[:, 0], xy[:, 1], c="tab:blue", s=size, zorder=2)
        else:
            d = np.asarray(distance, dtype=float)
            inside = d <= (t if t is not None else np.inf)
            ax.scatter(xy[~inside, 0], xy[~inside, 1], c="0.8", s=size, zorder=2)
            top = max(1, t if t is not None else int(d[np.isfinite(d)].max()))
            sc = ax.scatter(xy[inside, 0], xy[inside, 1], c=d[inside], s=2.5 * size, cmap="plasma", vmin=0,
                            vmax=top, zorder=3)
            ax.figure.colorbar(sc, ax=ax, fraction=0.04, ticks=range(0, top + 1), label="changed entries")
    ax.set_xlim(xy[:, 0].min() - 0.6, xy[:, 0].max() + 0.6)
    ax.set_ylim(xy[:, 1].max() + 0.6, xy[:, 1].min() - 0.6)
    ax.set_ylabel("non-zero entries (layer)")
    ax.set_xticks([])
    if title:
        ax.set_title(title)
    return ax.figure


def neighbourhood_figure(space: ImageSpace, distance, t: int, pictures: dict, title: str | None = None) -> Figure:
    """The Hamming graph of ``space`` coloured by ``distance`` up to ``t`` (see draw_hamming_graph), with the
    ``pictures`` (name -> image (c, n, n), at most two) drawn beside it. Returns the Figure."""
    if not isinstance(pictures, dict) or not 1 <= len(pictures) <= 2:
        raise ValueError(f"pictures must be a dict of one or two name -> image, got {pictures!r}")
    fig = Figure(figsize=(8.5, 3.6))
    draw_hamming_graph(space, distance=distance, t=t, ax=fig.add_axes((0.02, 0.02, 0.7, 0.86)), title=title)
    for i, (name, img) in enumerate(pictures.items()):
        check_images(f"pictures[{name!r}]", img, dim=3)
        show_image(fig.add_axes((0.76, 0.55 - 0.5 * i, 0.2, 0.4)), img, name)
    return fig
