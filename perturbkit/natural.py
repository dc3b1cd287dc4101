"""Where real images sit in the image space: how far apart they are, next to the theorem's budgets and the
diameter, and what a classifier does with the uniformly random images that make up almost all of the space.

Distances use ``perturbkit.neighbours`` (any p, batched, on the device of the images); budgets and diameters come
from ``perturbkit.spaces.ImageSpace``. Medians are used throughout because nearest-neighbour distances have long
tails (duplicates at 0, outliers far away).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from .budgets import format_p
from .checks import check_images, check_int, check_labels, check_model, check_p
from .data import quantize, resize
from .models import _predict
from .neighbours import within_between
from .spaces import ImageSpace


@torch.no_grad()
def label_shares(model, images: torch.Tensor, classes: int, batch_size: int = 1024) -> torch.Tensor:
    """Share of ``images`` (k, c, n, n) that ``model`` (logits (k, classes)) puts in each class: shape (classes,)."""
    classes = check_int("classes", classes, minimum=1)
    check_images("images", images, nonempty=True)
    outputs = check_model(model, images, "images")
    if outputs != classes:
        raise ValueError(f"classes must be the model's number of outputs ({outputs}), got {classes}")
    batch_size = check_int("batch_size", batch_size, minimum=1)
    return torch.bincount(_predict(model, images, batch_size), minlength=classes).double() / images.shape[0]


@dataclass(frozen=True)
class NoiseClass:
    """The class a model gives most of a batch of random images, and how often it gives that class to real data."""

    label: int            # the class with the largest share of the noise (the lowest label among equal shares)
    noise_share: float    # its share of the noise images
    data_share: float     # the share of the data images that the model puts in that class
    shares: torch.Tensor  # the share of the noise in every class, shape (classes,), float64


def noise_class(model, noise: torch.Tensor, data: torch.Tensor, classes: int, batch_size: int = 1024) -> NoiseClass:
    """The class that ``model`` gives most of ``noise`` (k, c, n, n), with its share of the noise and its share of
    the model's answers on ``data`` (m, c, n, n) (real images, e.g. the test split).

    A trained network with a *noise class* gives it most random images but about one class's share of the real
    ones; a network that gives (almost) every input the same answer, as an untrained one may, gives it both.
    """
    shares = label_shares(model, noise, classes, batch_size)
    check_images("data", data, nonempty=True)
    if data.shape[1:] != noise.shape[1:]:
        raise ValueError(f"data and noise must be images of one shape, got {tuple(data.shape[1:])} and "
                         f"{tuple(noise.shape[1:])}")
    label = int(torch.nonzero(shares == shares.max())[0])   # the lowest label among equal shares
    on_data = _predict(model, data, batch_size)
    return NoiseClass(label=label, noise_share=float(shares[label]),
                      data_share=float((on_data == label).double().mean()), shares=shares)


def share_of_space(count: int, space: ImageSpace) -> float:
    """log10 of the share of the space that ``count`` distinct images occupy: log10(count) - N log10(levels)."""
    count = check_int("count", count, minimum=1)
    if not isinstance(space, ImageSpace):
        raise TypeError(f"space must be a perturbkit.spaces.ImageSpace, got {type(space).__name__}")
    return math.log10(count) - space.num_entries * math.log10(space.levels)


@dataclass(frozen=True)
class DistanceRow:
    """Median nearest-neighbour distances of one data set at one resolution, bit depth and p, with the scales."""

    name: str
    n: int
    levels: int | None   # None: intensities as stored (not quantised)
    p: float
    within: float        # median distance to the nearest other image of the same class (nan if no class has two)
    between: float       # median distance to the nearest image of another class
    budget: float        # ImageSpace(n, levels, channels).budget(p, c=1): (sqrt(q) n) ** (1 / max(p, 1))
    diameter: float

    def line(self) -> str:
        lv = "as stored" if self.levels is None else f"L={self.levels}"
        def fmt(v):
            return "    -" if math.isnan(v) else f"{v:9.2f}"
        p = format_p(self.p)
        return (f"{self.name:>10} n={self.n:<4d}{lv:>10} p={p:<4}{fmt(self.within)}{fmt(self.between)}"
                f"{self.budget:9.2f}{self.diameter:10.1f}{self.between / self.budget:8.2f}")


HEADER = (f"{'data':>10} {'n':<6}{'levels':>10} {'p':<6}{'within':>9}{'between':>9}{'budget':>9}{'diameter':>10}"
          f"{'btw/bud':>8}")


def distance_rows(name: str, images: torch.Tensor, labels: torch.Tensor, ns, levels_list, ps,
                  batch_size: int = 256) -> list[DistanceRow]:
    """Median within- and between-class nearest-neighbour distances of ``images`` (k, c, h, w) in [0, 1] after
    resizing to each n in ``ns`` and quantising to each L in ``levels_list`` (None keeps the intensities), for
    each p in ``ps``; each row carries the theorem's budget (c = 1) and the diameter of that space."""
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {name!r}")
    check_images("images", images, nonempty=True)
    check_labels("labels", labels, k=images.shape[0], device=images.device)
    ps = [check_p(p) for p in ps]
    levels_list = [None if L is None else check_int("levels", L, minimum=2) for L in levels_list]
    batch_size = check_int("batch_size", batch_size, minimum=1)
    rows = []
    for n in ns:
        small = resize(images, check_int("n", n, minimum=1))
        for levels in levels_list:
            x = small if levels is None else quantize(small, levels)
            # The budget and diameter do not depend on L; ImageSpace needs some L >= 2 to exist.
            space = ImageSpace(n, levels or 256, images.shape[1])
            for p in ps:
                w, b = within_between(x, labels, p, batch_size)
                w = w[torch.isfinite(w)]
                rows.append(DistanceRow(name, n, levels, p, float(w.median()) if w.numel() else math.nan,
                                        float(b.median()), space.budget(p), space.diameter(p)))
    return rows


def table(rows: list[DistanceRow]) -> str:
    """The rows as a fixed-width text table with a header."""
    return "\n".join([HEADER] + [r.line() for r in rows])


def nn_margin(queries: torch.Tensor, references: torch.Tensor, labels: torch.Tensor, p: float,
              batch_size: int = 256) -> tuple[torch.Tensor, torch.Tensor]:
    """Labels and certified radii of the 1-nearest-neighbour classifier on (references, labels), at ``queries``.

    For a metric d (p = 0 or p >= 1), if the nearest reference of the predicted class is at a and the nearest of
    any other class at b, every image within d < (b - a) / 2 of the query gets the same label (triangle
    inequality), so (b - a) / 2 is a lower bound on the query's robustness. Returns (labels (k,), radii (k,)).
    """
    p = check_p(p)
    if 0 < p < 1:
        raise ValueError(f"p must be 0 or >= 1 (a metric, so the triangle inequality holds), got {p}")
    from .neighbours import _check_pair, _pairwise, first_min
    _check_pair(queries, references)
    check_labels("labels", labels, k=references.shape[0], device=references.device)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    classes = torch.unique(labels)  # sorted: ties between classes go to the lowest label
    if classes.numel() < 2:
        raise ValueError(f"labels must hold at least two classes (a margin needs another class), got "
                         f"{classes.tolist()}")
    out_labels, radii = [], []
    for s in range(0, queries.shape[0], batch_size):
        d = _pairwise(queries[s:s + batch_size], references, p)
        # nearest distance to each class: (k, classes); a minimum's value does not depend on tie-breaking
        per_class = torch.stack([d[:, labels == c].min(dim=1).values for c in classes], dim=1)
        a, j = first_min(per_class)  # the lowest class index among equally near classes, on every device
        others = per_class.scatter(1, j[:, None], math.inf)
        b = others.min(dim=1).values
        out_labels.append(classes[j])
        radii.append((b - a) / 2)
    if not out_labels:
        return (torch.empty(0, dtype=labels.dtype, device=queries.device),
                torch.empty(0, dtype=queries.dtype, device=queries.device))
    return torch.cat(out_labels), torch.cat(radii)
