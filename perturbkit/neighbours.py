"""Nearest-neighbour distances between sets of images, in any d_p (p in [0, inf]), batched, on any device.

Distances follow ``perturbkit.norms``: p = 0 counts differing entries, 0 < p < 1 is sum |d|^p without the root,
1 <= p < inf is the usual norm and p = inf the largest entry difference; intensities are in [0, 1]. Work is done in
blocks of ``batch_size`` queries so memory stays bounded, on the device of the inputs, and results come back there.
"""

from __future__ import annotations

import math

import torch

from .checks import check_bool, check_finite, check_int, check_labels, check_p


def first_min(d: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Row minima of ``d`` (k, m) and the LOWEST column index attaining each, on every device.

    ``torch.min(dim=...)`` and ``argmin`` leave the index of a tie unspecified (CUDA and CPU differ), so we compare
    against the minimum and take the smallest index where they are equal: an integer min, which is deterministic.
    """
    values = d.min(dim=1).values
    cols = torch.arange(d.shape[1], device=d.device).expand_as(d)
    idx = torch.where(d == values[:, None], cols, torch.full_like(cols, d.shape[1])).min(dim=1).values
    return values, idx


def pairwise(x: torch.Tensor, y: torch.Tensor, p: float) -> torch.Tensor:
    """All d_p distances between images x (k, ...) and y (m, ...): a (k, m) tensor on their device."""
    p = check_p(p)
    _check_pair(x, y, "x", "y", need_reference=False)
    return _pairwise(x, y, p)


def _pairwise(x: torch.Tensor, y: torch.Tensor, p: float) -> torch.Tensor:
    a, b = x.flatten(1), y.flatten(1)
    if a.shape[0] == 0 or b.shape[0] == 0:
        return torch.zeros(a.shape[0], b.shape[0], dtype=a.dtype, device=a.device)
    if p == 0:
        # Exact counts: cdist with p=0 works in floating point, which is exact for counts below 2**24.
        return torch.cdist(a, b, p=0)
    # No matrix-multiply shortcut for l2: it loses precision and would report duplicates at distance > 0.
    d = torch.cdist(a, b, p=p, compute_mode="donot_use_mm_for_euclid_dist")
    return d.pow(p) if p < 1 else d


def _check_pair(x: torch.Tensor, y: torch.Tensor, xn: str = "queries", yn: str = "references",
                need_reference: bool = True) -> None:
    check_finite(xn, x)
    check_finite(yn, y)
    if x.dim() < 2 or y.dim() < 2 or x.shape[1:] != y.shape[1:]:
        raise ValueError(f"{xn} and {yn} must be batches (k, ...) of images of one shape, got "
                         f"{tuple(x.shape)} and {tuple(y.shape)}")
    if x.device != y.device:
        raise ValueError(f"{xn} and {yn} must be on the same device, got {x.device} and {y.device}")
    if need_reference and y.shape[0] == 0:
        raise ValueError(f"{yn} is empty: there is no nearest neighbour")


def nearest(queries: torch.Tensor, references: torch.Tensor, p: float, exclude_self: bool = False,
            batch_size: int = 256) -> tuple[torch.Tensor, torch.Tensor]:
    """For each query, the d_p distance to its nearest reference and that reference's index (both shape (k,)).

    Ties go to the lowest reference index, on every device. With ``exclude_self`` the queries must be the
    references themselves (the same images) and an image is not its own neighbour (an exact duplicate elsewhere
    still counts, at distance 0).
    """
    p = check_p(p)
    _check_pair(queries, references)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    exclude_self = check_bool("exclude_self", exclude_self)
    if exclude_self and (queries.shape != references.shape or not (
            queries is references or torch.equal(queries, references))):
        raise ValueError("exclude_self=True needs queries and references to be the same set of images (the same "
                         "tensor); for two different sets use exclude_self=False")
    if exclude_self and references.shape[0] < 2:
        raise ValueError("exclude_self=True needs at least two images")
    dists, idx = [], []
    for i in range(0, queries.shape[0], batch_size):
        d = _pairwise(queries[i:i + batch_size], references, p)
        if exclude_self:
            rows = torch.arange(d.shape[0], device=d.device)
            d[rows, rows + i] = math.inf
        v, j = first_min(d)
        dists.append(v)
        idx.append(j)
    if not dists:
        return (torch.empty(0, dtype=queries.dtype, device=queries.device),
                torch.empty(0, dtype=torch.int64, device=queries.device))
    return torch.cat(dists), torch.cat(idx)


def within_between(images: torch.Tensor, labels: torch.Tensor, p: float,
                   batch_size: int = 256) -> tuple[torch.Tensor, torch.Tensor]:
    """For each image, the d_p distance to the nearest OTHER image of its own class and to the nearest image of
    any other class (both shape (k,); inf where no such image exists)."""
    p = check_p(p)
    check_finite("images", images)
    if images.dim() < 2:
        raise ValueError(f"images must be a batch (k, ...) of images, got shape {tuple(images.shape)}")
    check_labels("labels", labels, k=images.shape[0], device=images.device)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    within, between = [], []
    for i in range(0, images.shape[0], batch_size):
        d = _pairwise(images[i:i + batch_size], images, p)
        same = labels[i:i + batch_size, None] == labels[None, :]
        rows = torch.arange(d.shape[0], device=d.device)
        self_mask = torch.zeros_like(same)
        self_mask[rows, rows + i] = True
        within.append(d.masked_fill(~same | self_mask, math.inf).min(dim=1).values)
        between.append(d.masked_fill(same, math.inf).min(dim=1).values)
    if not within:
        empty = torch.empty(0, dtype=images.dtype, device=images.device)
        return empty, empty.clone()
    return torch.cat(within), torch.cat(between)
