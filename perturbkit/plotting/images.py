"""Drawing images: one image on an axis, or a grid of images with titles."""

from __future__ import annotations

import math

import torch
from matplotlib.figure import Figure

from ..checks import check_int, check_real


def _to_hwc(img: torch.Tensor, name: str = "img"):
    if not isinstance(img, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor of shape (h, w), (1, h, w) or (3, h, w), got "
                        f"{type(img).__name__}")
    if img.dim() not in (2, 3) or (img.dim() == 3 and img.shape[0] not in (1, 3)) or 0 in img.shape:
        raise ValueError(f"{name} must have shape (h, w), (1, h, w) or (3, h, w) (channels first), got "
                         f"{tuple(img.shape)}")
    if img.dtype == torch.bool or img.is_complex():
        raise TypeError(f"{name} must hold real numbers, got dtype {img.dtype}")
    if img.device.type == "meta":
        raise ValueError(f"{name} is a tensor on the meta device, which holds no values")
    x = img.detach().to("cpu", torch.float32)
    if not bool(torch.isfinite(x).all()):
        raise ValueError(f"{name} contains {int((~torch.isfinite(x)).sum())} NaN or infinite value(s)")
    if x.dim() == 3:
        x = x[0] if x.shape[0] == 1 else x.permute(1, 2, 0)
    return x.numpy()


def _check_range(name: str, x, vmin: float, vmax: float) -> None:
    """Values outside [vmin, vmax] would be drawn as vmin or vmax without a word: refuse them (a 0..255 image drawn
    with vmax = 1 is all white)."""
    lo, hi = float(x.min()), float(x.max())
    slack = 1e-3 * (vmax - vmin)
    if lo < vmin - slack or hi > vmax + slack:
        raise ValueError(f"{name} has values in [{lo:.4g}, {hi:.4g}], outside [vmin, vmax] = [{vmin:g}, {vmax:g}]"
                         + ("; divide 0..255 images by 255" if hi > 1.5 and vmax <= 1 else "")
                         + "; pass vmin and vmax that hold every value")


def _cmap(cmap):
    """``cmap`` if matplotlib knows it (a name or a Colormap), else a ValueError naming it."""
    import matplotlib
    from matplotlib.colors import Colormap

    if isinstance(cmap, Colormap) or (isinstance(cmap, str) and cmap in matplotlib.colormaps):
        return cmap
    raise ValueError(f"cmap must be the name of a matplotlib colormap such as 'gray' or a Colormap, got {cmap!r:.60}")


def show_image(ax, img: torch.Tensor, title: str | None = None, vmin: float = 0.0, vmax: float = 1.0,
               cmap: str = "gray") -> Figure:
    """Draw one image (h, w), (1, h, w) or (3, h, w) with values in [vmin, vmax] on ``ax``, without ticks; returns
    ``ax``'s figure."""
    if not hasattr(ax, "imshow"):
        raise TypeError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
    vmin, vmax = check_real("vmin", vmin), check_real("vmax", vmax)
    if not vmin < vmax:
        raise ValueError(f"vmin must be below vmax, got vmin={vmin} and vmax={vmax}")
    x = _to_hwc(img)
    _check_range("img", x, vmin, vmax)
    ax.imshow(x, cmap=_cmap(cmap), vmin=vmin, vmax=vmax, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    if title is not None:
        ax.set_title(title, fontsize=9)
    return ax.figure


def image_grid(images: torch.Tensor, titles=None, ncols: int = 8, size: float = 1.4, cmap: str = "gray",
               vmin: float = 0.0, vmax: float = 1.0, suptitle: str | None = None) -> Figure:
    """Draw images (k, c, h, w) in a grid of ``ncols`` columns; returns the Figure."""
    if not isinstance(images, torch.Tensor) or images.dim() not in (3, 4):
        raise ValueError(f"images must be a tensor (k, c, h, w) or (k, h, w), got "
                         f"{tuple(images.shape) if isinstance(images, torch.Tensor) else type(images).__name__}")
    k = images.shape[0]
    if k == 0:
        raise ValueError("images is empty: nothing to draw")
    ncols = min(check_int("ncols", ncols, minimum=1), k)
    size = check_real("size", size, minimum=0, min_open=True)
    if titles is not None and (isinstance(titles, str) or len(titles) != k):
        raise ValueError(f"titles must be a sequence of one title per image ({k}), got {titles!r}")
    vmin, vmax = check_real("vmin", vmin), check_real("vmax", vmax)
    if not vmin < vmax:
        raise ValueError(f"vmin must be below vmax, got vmin={vmin} and vmax={vmax}")
    _cmap(cmap)
    for i in range(k):
        _check_range(f"images[{i}]", _to_hwc(images[i], f"images[{i}]"), vmin, vmax)
    nrows = math.ceil(k / ncols)
    fig = Figure(figsize=(size * ncols, size * nrows + (0.3 if suptitle else 0)), layout="tight")
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for i, ax in enumerate(axes.flat):
        if i < k:
            show_image(ax, images[i], None if titles is None else titles[i], vmin, vmax, cmap)
        else:
            ax.axis("off")
    if suptitle:
        fig.suptitle(suptitle, fontsize=11)
    return fig
