"""The p "norms" of the theorem, for every p in [0, inf], and projections onto their balls.

Sizes are taken over all non-batch dimensions (dimension 0 is the batch) and are in units of intensity (entries in
[0, 1]):

* p = 0: the number of changed entries (the Hamming distance);
* 0 < p < 1: sum |d_i|^p, *without* the 1/p root, so that it is a metric and a change of t entries costs at most t;
* 1 <= p < inf: the usual (sum |d_i|^p)^(1/p);
* p = inf: max |d_i|.

Every function works on the device of its input and returns results there.
"""

from __future__ import annotations

import math

import torch

from .checks import check_eps, check_finite, check_p

PROJECTABLE = (0.0, 1.0, 2.0, math.inf)


def _batched(name: str, x: torch.Tensor) -> torch.Tensor:
    check_finite(name, x)
    if x.dim() < 1:
        raise ValueError(f"{name} must have a batch dimension (shape (k, ...)), got a scalar")
    # an explicit width: reshape(0, -1) is ambiguous for an empty batch
    return x.reshape(x.shape[0], math.prod(x.shape[1:]))


def size(delta: torch.Tensor, p: float) -> torch.Tensor:
    """Size of each perturbation in ``delta`` (shape (k, ...)) in d_p; returns shape (k,), dtype of ``delta``.

    Examples
    --------
    One perturbation that changes two entries, by 3 and by -4 (dimension 0 is the batch):

    >>> import math, torch
    >>> delta = torch.tensor([[3.0, -4.0]])
    >>> [float(size(delta, p)[0]) for p in (0, 1, 2, math.inf)]
    [2.0, 7.0, 5.0, 4.0]

    For 0 < p < 1 the size is sum |d_i|^p, without the root: sqrt(3) + sqrt(4) = 3.7321.

    >>> round(float(size(delta, 0.5)[0]), 4)
    3.7321
    """
    p = check_p(p)
    d = _batched("delta", delta)
    if p == 0:
        return (d != 0).sum(dim=1).to(d.dtype)
    if p < 1:
        return d.abs().pow(p).sum(dim=1)
    return torch.linalg.vector_norm(d, ord=p, dim=1)


def distance(x: torch.Tensor, y: torch.Tensor, p: float) -> torch.Tensor:
    """d_p distance between matching images of ``x`` and ``y`` (same shape (k, ...)); returns shape (k,).

    Examples
    --------
    The all-0 and the all-1 2x2 image differ in 4 entries, by 1 each: 4 in d_0 and sqrt(4) = 2 in l2.

    >>> import torch
    >>> x, y = torch.zeros(1, 1, 2, 2), torch.ones(1, 1, 2, 2)
    >>> int(distance(x, y, 0)[0]), float(distance(x, y, 2)[0])
    (4, 2.0)
    """
    check_finite("x", x)
    check_finite("y", y)
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same shape, got {tuple(x.shape)} and {tuple(y.shape)}")
    if x.device != y.device:
        raise ValueError(f"x and y must be on the same device, got {x.device} and {y.device}")
    return size(x - y, p)


def _project_l1(d: torch.Tensor, eps: torch.Tensor) -> torch.Tensor:
    # Exact Euclidean projection onto the l1 ball by sorting (Duchi et al. 2008): soft-threshold |d| at the
    # theta that makes the l1 norm exactly eps. Rows already inside the ball are left as they are.
    a = d.abs()
    u, _ = torch.sort(a, dim=1, descending=True)
    css = u.cumsum(dim=1)
    j = torch.arange(1, d.shape[1] + 1, device=d.device, dtype=d.dtype)
    cond = u - (css - eps) / j > 0
    rho = cond.to(torch.int64).cumsum(dim=1).argmax(dim=1, keepdim=True)  # last index where cond holds
    theta = ((css.gather(1, rho) - eps) / (rho + 1).to(d.dtype)).clamp_min(0)
    out = d.sign() * (a - theta).clamp_min(0)
    inside = a.sum(dim=1, keepdim=True) <= eps
    return torch.where(inside, d, out)


def _project_l0(d: torch.Tensor, eps: torch.Tensor) -> torch.Tensor:
    # Keep the floor(eps) entries of largest magnitude (ties broken by position, so the result is deterministic).
    # clamp before the cast: floor(inf) does not fit in int64 (it wraps), and more than N entries means all of them
    k = torch.floor(eps.clamp(max=d.shape[1]) + 1e-6).to(torch.int64)
    order = torch.argsort(d.abs(), dim=1, descending=True, stable=True)
    rank = torch.empty_like(order)
    rank.scatter_(1, order, torch.arange(d.shape[1], device=d.device).expand_as(order).contiguous())
    return torch.where(rank < k, d, torch.zeros_like(d))


def project(delta: torch.Tensor, p: float, eps) -> torch.Tensor:
    """Project each perturbation in ``delta`` (shape (k, ...)) onto the d_p ball of radius ``eps``.

    ``eps`` is a number or a tensor with one radius per sample. Supported p: inf (clip), 2 (rescale), 1 (exact
    Euclidean projection, sort-based) and 0 (keep the floor(eps) largest entries). For p = 2 and inf the result is
    the nearest point of the ball in l2; for p = 1 too; for p = 0 it is the nearest point with at most eps entries.
    Returns a tensor of the same shape, dtype and device.

    Examples
    --------
    The perturbation (3, -4) has l2 size 5; onto the l2 ball of radius 1 it is rescaled to (0.6, -0.8). In l_inf it
    is clipped to (1, -1), in d_0 with eps = 1 only the larger entry stays, and in l1 with eps = 1 the soft threshold
    3 leaves (0, -1).

    >>> import math, torch
    >>> delta = torch.tensor([[3.0, -4.0]])
    >>> [round(v, 4) for v in project(delta, 2, 1.0)[0].tolist()]
    [0.6, -0.8]
    >>> project(delta, math.inf, 1.0)[0].tolist(), project(delta, 0, 1)[0].tolist(), project(delta, 1, 1.0)[0].tolist()
    ([1.0, -1.0], [0.0, -4.0], [0.0, -1.0])
    """
    p = check_p(p)
    if p not in PROJECTABLE:
        raise ValueError(f"project supports p in {{0, 1, 2, inf}}, got p={p}")
    d = _batched("delta", delta)
    e = check_eps(eps, d, finite=False)[:, None]  # (k, 1); inf: no constraint
    if p == math.inf:
        out = torch.maximum(torch.minimum(d, e), -e)
    elif p == 2:
        norm = torch.linalg.vector_norm(d, dim=1, keepdim=True)
        out = d * torch.where(norm > e, e / norm.clamp_min(1e-30), torch.ones_like(norm))
    elif p == 1:
        out = _project_l1(d, e)
    else:
        out = _project_l0(d, e)
    return out.reshape(delta.shape)
