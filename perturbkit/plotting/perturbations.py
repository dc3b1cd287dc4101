"""Side-by-side minimal perturbations of several models: the image, each model's perturbation and result."""

from __future__ import annotations

import torch
from matplotlib.figure import Figure

from ..checks import check_images
from .images import show_image


def perturbation_rows(x: torch.Tensor, results: dict, labels=None, size: float = 1.25) -> Figure:
    """One column per image of ``x`` (k, 1, n, n); first row the images, then for each model name in ``results``
    (mapping name -> adversarial images (k, 1, n, n)) its perturbation (red +, blue -, each scaled to its own
    largest entry) and the perturbed image. ``labels`` optionally maps name -> new labels (k,) for titles."""
    check_images("x", x, nonempty=True)
    if not isinstance(results, dict):
        raise TypeError(f"results must be a dict name -> adversarial images, got {type(results).__name__}")
    for name, adv in results.items():
        check_images(f"results[{name!r}]", adv)
        if adv.shape != x.shape:
            raise ValueError(f"results[{name!r}] must have the shape of x {tuple(x.shape)}, got {tuple(adv.shape)}")
        if labels is not None and (name not in labels or len(labels[name]) != x.shape[0]):
            raise ValueError(f"labels must map {name!r} to one label per image ({x.shape[0]})")
    k = x.shape[0]
    rows = 1 + 2 * len(results)
    fig = Figure(figsize=(size * k + 1.4, size * rows), layout="tight")
    axes = fig.subplots(rows, k, squeeze=False)
    for j in range(k):
        show_image(axes[0, j], x[j])
    axes[0, 0].set_ylabel("image", fontsize=8)
    for i, (name, adv) in enumerate(results.items()):
        for j in range(k):
            d = (adv[j] - x[j]).detach().cpu()[0]
            v = float(d.abs().max()) or 1.0
            show_image(axes[1 + 2 * i, j], d, vmin=-v, vmax=v, cmap="seismic")
            title = None if labels is None else f"says {int(labels[name][j])}"
            show_image(axes[2 + 2 * i, j], adv[j], title)
        axes[1 + 2 * i, 0].set_ylabel(f"{name}\nperturbation", fontsize=8)
        axes[2 + 2 * i, 0].set_ylabel(f"{name}\nresult", fontsize=8)
    return fig
