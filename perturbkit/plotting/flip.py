"""Pictures of the flip experiment: images along a Hamming path, and where a person and a network flip."""

from __future__ import annotations

import torch
from matplotlib.figure import Figure

from ..checks import check_images, check_int, check_real
from ..flip import FlipExperiment
from .images import show_image


def path_strip(path: torch.Tensor, stops: int = 8, size: float = 1.3) -> Figure:
    """``stops`` evenly spaced images along a path (k + 1, c, n, n), titled with the number of changed entries."""
    check_images("path", path, nonempty=True)
    stops = check_int("stops", stops, minimum=1)
    size = check_real("size", size, minimum=0, min_open=True)
    k = path.shape[0] - 1
    idx = torch.linspace(0, k, stops).round().long().tolist()
    fig = Figure(figsize=(size * stops, size + 0.3), layout="tight")
    axes = fig.subplots(1, stops, squeeze=False)
    for ax, i in zip(axes[0], idx):
        show_image(ax, path[i], f"{i} changed")
    return fig


def flip_figure(exp: FlipExperiment, model_labels: torch.Tensor | None = None, n: int | None = None) -> Figure:
    """Left: the current image. Right: the student's answers along the path (0 = start class, 1 = end class), the
    network's verdict at every step when ``model_labels`` (k + 1,) is given, and n marked for scale."""
    if not isinstance(exp, FlipExperiment):
        raise TypeError(f"exp must be a perturbkit.flip.FlipExperiment, got {type(exp).__name__}")
    if model_labels is not None and (not isinstance(model_labels, torch.Tensor) or model_labels.dim() != 1
                                     or model_labels.shape[0] != exp.length + 1):
        raise ValueError(f"model_labels must be a tensor of one label per step of the path ({exp.length + 1}), got "
                         f"{getattr(model_labels, 'shape', type(model_labels).__name__)}")
    if n is not None:
        n = check_int("n", n, minimum=1)
    a, b = exp.classes
    fig = Figure(figsize=(7.8, 2.7), layout="tight")
    ax0, ax1 = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 2.6]})
    show_image(ax0, exp.image(), f"step {exp.position} of {exp.length}")
    if model_labels is not None:
        ml = model_labels.detach().cpu()
        verdict = torch.full(ml.shape, 0.5)
        verdict[ml == int(model_labels[0])] = 0.0
        verdict[ml == int(model_labels[-1])] = 1.0
        ax1.step(range(len(verdict)), verdict.tolist(), where="post", color="tab:orange", label="network")
    if exp.answers:
        ks = sorted(exp.answers)
        ys = [0.5 if exp.answers[k] is None else exp.answers[k] for k in ks]
        ax1.plot(ks, ys, "o", color="tab:blue", label="you")
    if exp.flip_point() is not None:
        ax1.axvline(exp.flip_point(), color="tab:blue", ls=":", lw=1)
    if n is not None:
        ax1.axvline(n, color="grey", ls="--", lw=1, label=f"n = {n}")
    ax1.set_yticks([0, 0.5, 1], [a, "unsure / other", b])
    ax1.set_xlim(-1, exp.length + 1)
    ax1.set_ylim(-0.2, 1.2)
    ax1.set_xlabel("entries changed along the path")
    ax1.legend(loc="center right", fontsize=8)
    return fig
