"""Nearest-neighbour distances between sets of images, in any d_p (p in [0, inf]), batched, on any device.

Distances follow ``perturbkit.norms``: p = 0 counts differing entries, 0 < p < 1 is sum |d|^p without the root,
1 <= p < inf is the usual norm and p = inf the largest entry difference; intensities are in [0, 1]. Work is done in
blocks of ``batch_size`` queries so memory stays bounded, on the device of the inputs, and results come back there.
"""

from __future__ import annotations

import math

import torch

from .checks import check_finite, check_int, check_p


def pairwise(x: torch.Tensor, y: torch.Tensor, p: float) -> torch.Tensor:
    """All d_p distances between images x (k, ...) and y (m, ...): a (k, m) tensor on their device."""
    p = check_p(p)
    a, b = x.flatten(1), y.flatten(1)
    if p == 0:
        # Exact counts: cdist with p=0 works in floating point, which is exact for counts below 2**24.
        return torch.cdist(a, b, p=0)
    # No matrix-multiply shortcut for l2: it loses precision and would report duplicates at distance > 0.
    d = torch.cdist(a, b, p=p, compute_mode="donot_use_mm_for_euclid_dist")
    return d.pow(p) if p < 1 else d


def _check_pair(x: torch.Tensor, y: torch.Tensor) -> None:
    check_finite("queries", x)
    check_finite("references", y)
    if x.dim() < 2 or y.dim() < 2 or x.shape[1:] != y.shape[1:]:
        raise ValueError(f"queries and references must be batches (k, ...) of images of one shape, got "
                         f"{tuple(x.shape)} and {tuple(y.shape)}")
    if x.device != y.device:
        raise ValueError(f"queries and references must be on the same device, got {x.device} and {y.device}")
    if y.shape[0] == 0:
        raise ValueError("references is empty: there is no nearest neighbour")


def nearest(queries: torch.Tensor, references: torch.Tensor, p: float, exclude_self: bool = False,
            batch_size: int = 256) -> tuple[torch.Tensor, torch.Tensor]:
    """For each query, the d_p distance to its nearest reference and that reference's index (both shape (k,)).

    With ``exclude_self`` the queries must be the references themselves (same tensor) and an image is not its own
    neighbour (an exact duplicate elsewhere still counts, at distance 0).
    """
    _check_pair(queries, references)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    if exclude_self and queries.shape[0] != references.shape[0]:
        raise ValueError("exclude_self=True needs queries and references to be the same set of images")
    if exclude_self and references.shape[0] < 2:
        raise ValueError("exclude_self=True needs at least two images")
    dists, idx = [], []
    for i in range(0, queries.shape[0], batch_size):
        d = pairwise(queries[i:i + batch_size], references, p)
        if exclude_self:
            rows = torch.arange(d.shape[0], device=d.device)
            d[rows, rows + i] = math.inf
        m = d.min(dim=1)
        dists.append(m.values)
        idx.append(m.indices)
    return torch.cat(dists), torch.cat(idx)


def within_between(images: torch.Tensor, labels: torch.Tensor, p: float,
                   batch_size: int = 256) -> tuple[torch.Tensor, torch.Tensor]:
    """For each image, the d_p distance to the nearest OTHER image of its own class and to the nearest image of
    any other class (both shape (k,); inf where no such image exists)."""
    check_finite("images", images)
    if labels.shape != (images.shape[0],):
        raise ValueError(f"labels must have shape ({images.shape[0]},) to match images, got {tuple(labels.shape)}")
    batch_size = check_int("batch_size", batch_size, minimum=1)
    within, between = [], []
    for i in range(0, images.shape[0], batch_size):
        d = pairwise(images[i:i + batch_size], images, p)
        same = labels[i:i + batch_size, None] == labels[None, :]
        rows = torch.arange(d.shape[0], device=d.device)
        self_mask = torch.zeros_like(same)
        self_mask[rows, rows + i] = True
        within.append(d.masked_fill(~same | self_mask, math.inf).min(dim=1).values)
        between.append(d.masked_fill(same, math.inf).min(dim=1).values)
    return torch.cat(within), torch.cat(between)
