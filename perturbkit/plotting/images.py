"""Drawing images: one image on an axis, or a grid of images with titles."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import torch


def _to_hwc(img: torch.Tensor):
    x = img.detach().to("cpu", torch.float32)
    if x.dim() == 3 and x.shape[0] in (1, 3):
        x = x[0] if x.shape[0] == 1 else x.permute(1, 2, 0)
    if x.dim() not in (2, 3):
        raise ValueError(f"img must have shape (h, w), (1, h, w) or (3, h, w), got {tuple(img.shape)}")
    return x.numpy()


def show_image(ax, img: torch.Tensor, title: str | None = None, vmin: float = 0.0, vmax: float = 1.0,
               cmap: str = "gray"):
    """Draw one image (h, w), (1, h, w) or (3, h, w) with values in [vmin, vmax] on ``ax``, without ticks."""
    ax.imshow(_to_hwc(img), cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    if title is not None:
        ax.set_title(title, fontsize=9)
    return ax


def image_grid(images: torch.Tensor, titles=None, ncols: int = 8, size: float = 1.4, cmap: str = "gray",
               vmin: float = 0.0, vmax: float = 1.0, suptitle: str | None = None):
    """Draw images (k, c, h, w) in a grid of ``ncols`` columns; returns the Figure."""
    k = images.shape[0]
    if k == 0:
        raise ValueError("images is empty: nothing to draw")
    ncols = min(ncols, k)
    nrows = math.ceil(k / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows + (0.3 if suptitle else 0)),
                             squeeze=False)
    for i, ax in enumerate(axes.flat):
        if i < k:
            show_image(ax, images[i], None if titles is None else titles[i], vmin, vmax, cmap)
        else:
            ax.axis("off")
    if suptitle:
        fig.suptitle(suptitle, fontsize=11)
    fig.tight_layout()
    return fig
