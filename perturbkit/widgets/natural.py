"""Lesson 08's 1-nearest-neighbour explorer: a test digit or a random image, its nearest training image of the
predicted class (distance a) and of any other class (distance b), and the certified radius (b - a) / 2 next to the
budget."""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as W
import torch
from matplotlib.figure import Figure

from ..budgets import format_p
from ..checks import check_images, check_int, check_labels, check_p
from ..natural import nn_margin
from ..neighbours import nearest
from ..plotting.images import image_grid
from ..spaces import ImageSpace
from .live import LiveView, p_dropdown


@dataclass(frozen=True)
class Certificate:
    """The 1-nearest-neighbour classifier at one image: predicted label, the nearest reference of that label (index
    and distance a) and of another label (index, label and distance b), and the certified radius (b - a) / 2."""

    label: int
    a: float
    same_index: int
    b: float
    other_index: int
    other_label: int
    radius: float


def nn_certificate(query: torch.Tensor, references: torch.Tensor, labels: torch.Tensor, p: float) -> Certificate:
    """The certificate of ``query`` (c, n, n) against ``references`` (k, c, n, n) with ``labels`` (k,), in d_p
    (p = 0 or p >= 1). The label and radius are :func:`perturbkit.natural.nn_margin`'s."""
    check_images("query", query, dim=3)
    label, radius = nn_margin(query[None], references, labels, p)
    label = int(label[0])
    same = torch.nonzero(labels == label).reshape(-1)
    other = torch.nonzero(labels != label).reshape(-1)
    a, i = nearest(query[None], references[same], p)
    b, j = nearest(query[None], references[other], p)
    return Certificate(label=label, a=float(a[0]), same_index=int(same[i[0]]), b=float(b[0]),
                       other_index=int(other[j[0]]), other_label=int(labels[other[j[0]]]), radius=float(radius[0]))


def nn_view(index: int, source: str, p: float, tests: torch.Tensor, noise: torch.Tensor, references: torch.Tensor,
            labels: torch.Tensor) -> tuple[str, Figure]:
    """(text, fig) for image ``index`` of ``tests`` (source 'test digit') or ``noise`` ('random image'): the three
    images and the certificate next to the budget (c = 1, sqrt(q) n changed entries in d_p)."""
    p = check_p(p)
    pool = {"test digit": tests, "random image": noise}
    if source not in pool:
        raise ValueError(f"source must be 'test digit' or 'random image', got {source!r}")
    images = pool[source]
    check_images("images", images, nonempty=True)
    check_labels("labels", labels, k=references.shape[0], device=references.device)
    index = check_int("index", index, minimum=0, maximum=images.shape[0] - 1)
    query = images[index]
    cert = nn_certificate(query, references, labels, p)
    space = ImageSpace(query.shape[-1], channels=query.shape[0])  # only for its budget formula
    t, budget = space.budget(0), space.budget(p)
    unit = "changed pixels" if p == 0 else f"in l{format_p(p)}"
    text = "\n".join([
        f"{source} {index}: the 1-NN classifier says {cert.label}",
        f"  nearest training image of class {cert.label}: a = {cert.a:.2f};  nearest of another class "
        f"({cert.other_label}): b = {cert.b:.2f}",
        f"  certified radius (b - a) / 2 = {cert.radius:.2f} {unit}",
        f"  budget (c = 1, {t:.0f} changed entries): {budget:.2f};  radius / budget = {cert.radius / budget:.2f}"])
    shown = torch.stack([query, references[cert.same_index], references[cert.other_index]])
    titles = [f"{source} {index}", f"class {cert.label}: a = {cert.a:.2f}",
              f"class {cert.other_label}: b = {cert.b:.2f}"]
    return text, image_grid(shown, titles, ncols=3, size=2.2)


def nn_explorer(tests: torch.Tensor, noise: torch.Tensor, references: torch.Tensor, labels: torch.Tensor,
                index: int = 0) -> LiveView:
    """The widget: a slider for the image (first, the control the browser test operates), the source (test digits
    or random images) and p (0 or 2); shows nn_view. The slider acts on release: each image is a nearest-neighbour
    search."""
    k = min(tests.shape[0], noise.shape[0])
    controls = {
        "index": W.IntSlider(value=index, min=0, max=k - 1, description="image", continuous_update=False),
        "source": W.Dropdown(options=["test digit", "random image"], value="test digit", description="source"),
        "p": p_dropdown(0.0, ps=(0.0, 2.0)),
    }
    return LiveView(lambda **v: nn_view(**v, tests=tests, noise=noise, references=references, labels=labels),
                    controls)
