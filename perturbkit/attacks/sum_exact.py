"""Exact minimal perturbations of the sum-threshold classifier (the paper's Algorithm 1, as the course states it).

The classifier labels an image x with N entries in [0, 1] by its sum S = sum_i x_i: label 1 when S >= N/2 (half of
the largest possible sum), else 0. To change the label of a label-1 image we must lower the sum below N/2 (strictly);
for a label-0 image we must raise it to N/2 or more. Lowering entry i can gain at most x_i ("room"), raising it at
most 1 - x_i. So the problem, for each image, is

    minimise  cost(delta)  over  0 <= delta_i <= room_i  with  sum_i delta_i = D,

where D is the required change of the sum and cost is the d_p size of the perturbation. It is separable, so:

* p <= 1 (the cost per entry, 1[d > 0] for p = 0 and d**p otherwise, is concave): fill the entries with the most
  room first, completely, with at most one entry changed partially. Why this is optimal: take any solution and two
  entries i, j with room_i >= room_j, delta_i < room_i and delta_j > 0. Moving as much as possible of delta_j onto i
  (delta_i' = min(room_i, delta_i + delta_j)) keeps the sum and makes the pair more spread out (it majorises the old
  pair), which never raises a concave cost. Repeating this ends in the greedy fill. The same argument works for
  integer amounts, so it is exact on the lattice too.
* p > 1 (convex cost, including p = 2 and p = inf): water-filling. Every entry is moved by min(room_i, lambda), with
  lambda chosen so that the changes add up to D. This allocation is majorised by every other feasible one, so it is
  optimal for every convex symmetric cost at once (l2, linf and any p > 1). On the lattice the amounts are whole
  steps: each entry gets min(room_i, m) steps for the integer level m = floor(lambda) and the R steps still missing go
  one each to R entries with room > m (their marginal cost is the same, so which ones does not matter).

Lattice images (``levels`` = L given) are handled in whole steps of 1/(L-1), so the perturbed image stays on the
lattice and the strict inequality at the threshold is honoured exactly (integer arithmetic: label 1 iff 2*s >= N*K
with s the sum of the levels and K = L - 1).

Continuous images (``levels=None``): lowering the sum to *exactly* N/2 leaves the label at 1, so for a label-1 image
the minimum is not attained; we return the infimum (the point on the threshold, whose size is the infimum: any larger
perturbation in the same direction flips the label). Label-0 images reach the threshold and flip exactly.

Everything runs on the device of ``x`` (sorting, cumulative sums, scatter) and is returned there.
"""

from __future__ import annotations

import math

import torch

from ..checks import check_int, check_p
from ..norms import size
from ..spaces import ImageSpace


def _space_of(x: torch.Tensor, levels) -> ImageSpace:
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"x must be a torch.Tensor of shape (k, channels, n, n), got {type(x).__name__}")
    if x.dim() != 4 or x.shape[2] != x.shape[3] or x.shape[1] < 1 or x.shape[2] < 1:
        raise ValueError(f"x must have shape (k, channels, n, n) with square images, got {tuple(x.shape)}")
    if levels is not None:
        levels = check_int("levels", levels, minimum=2)
    return ImageSpace(x.shape[2], levels=levels or 2, channels=x.shape[1])


def _greedy(rooms: torch.Tensor, need: torch.Tensor) -> torch.Tensor:
    """Concave costs (p <= 1): fill entries with the most room first; at most one partial entry. Shapes (k, N), (k,)."""
    order = torch.argsort(rooms, dim=1, descending=True, stable=True)
    r = rooms.gather(1, order)
    before = r.cumsum(dim=1) - r  # how much the larger-room entries already supply
    d = torch.minimum(r, (need[:, None] - before).clamp_min(0))
    return torch.zeros_like(rooms).scatter(1, order, d)


def _water_fill(rooms: torch.Tensor, need: torch.Tensor) -> torch.Tensor:
    """Convex costs (p > 1): move every entry by min(room, level); integer rooms give whole steps.

    Shapes (k, N), (k,)."""
    k, N = rooms.shape
    order = torch.argsort(rooms, dim=1, stable=True)  # ascending
    r = rooms.gather(1, order)
    prefix = r.cumsum(dim=1) - r  # sum of the smaller rooms, all filled when the level reaches r_j
    j = torch.arange(N, device=rooms.device)
    left = (N - j).to(rooms.dtype)  # entries from j on
    filled_at = prefix + left * r  # total change when the level equals r_j (non-decreasing in j)
    # The first entry that is not filled completely; need <= total room, so at most N - 1.
    first = (filled_at < need[:, None]).sum(dim=1).clamp_max(N - 1)[:, None]
    rest = need[:, None] - prefix.gather(1, first)
    width = left.expand(k, N).gather(1, first)
    if rooms.dtype.is_floating_point:
        d = torch.minimum(r, rest / width)
    else:
        m = torch.div(rest, width, rounding_mode="floor")  # exact integer level
        extra = rest - m * width  # steps still missing, one each to the entries first, first+1, ...
        gets_extra = (j[None, :] >= first) & (j[None, :] < first + extra)
        d = torch.minimum(r, m) + gets_extra.to(rooms.dtype)
    return torch.zeros_like(rooms).scatter(1, order, d)


def sum_classifier_labels(x: torch.Tensor, levels: int | None = None) -> torch.Tensor:
    """Labels (int64, shape (k,), on x's device) of the sum-threshold classifier: 1 iff sum(x) >= N/2.

    With ``levels`` the comparison is made exactly in integer levels (2 * sum of levels >= N * (levels - 1)).
    """
    space = _space_of(x, levels)
    N = space.num_entries
    if levels is None:
        s = space.check_images(x, "x").flatten(1).to(torch.float64).sum(dim=1)
        return (2 * s >= N).to(torch.int64)
    s = space.to_digits(x, "x").flatten(1).sum(dim=1)
    return (2 * s >= N * (space.levels - 1)).to(torch.int64)


def sum_classifier_minimal(x: torch.Tensor, p: float, levels: int | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Exact minimal d_p perturbation of each image of ``x`` that changes its sum-threshold label.

    Args:
        x: images, float tensor of shape (k, channels, n, n) with values in [0, 1], on any device. With ``levels``
            they must lie on the ``levels``-level lattice {0, 1/(L-1), ..., 1}.
        p: the norm exponent in [0, inf] (0 counts changed entries; 0 < p < 1 is sum |d|^p without the root).
        levels: None for continuous images, else the number of grey levels L >= 2.

    Returns:
        (perturbed, sizes): perturbed images (same shape, dtype and device as ``x``; on the lattice when ``levels``
        is given) and their d_p distances to ``x`` (shape (k,), x's dtype), in intensity units. For continuous
        label-1 images the size is an infimum and the returned image lies on the threshold (see the module notes).
    """
    p = check_p(p)
    space = _space_of(x, levels)
    N = space.num_entries
    if levels is None:
        v = space.check_images(x, "x").flatten(1).to(torch.float64)
        top, half = 1.0, N / 2
    else:
        v = space.to_digits(x, "x").flatten(1)  # int64 levels: exact arithmetic
        top = space.levels - 1
        half = (N * top + 1) // 2  # ceil(N*K/2): the smallest level sum with label 1
    s = v.sum(dim=1)
    up = 2 * s < N * top  # label 0: raise the sum; label 1: lower it
    rooms = torch.where(up[:, None], top - v, v)
    if levels is None:
        need = torch.where(up, half - s, s - half)
    else:
        need = torch.where(up, half - s, s - half + 1)  # label 1 must end strictly below N*K/2
    delta = _greedy(rooms, need) if p <= 1 else _water_fill(rooms, need)
    delta = torch.where(up[:, None], delta, -delta)
    if levels is None:
        new = (v + delta).clamp(0, 1)
        step_delta = delta
    else:
        # The same float32 values as ImageSpace.images, so the result is exactly on the lattice.
        new = (v + delta).to(torch.float32) * space.step
        step_delta = delta.to(torch.float64) / top
    sizes = size(step_delta, p)
    return new.to(x.dtype).reshape(x.shape), sizes.to(x.dtype)


def sum_classifier_sizes(counts: torch.Tensor, p: float) -> torch.Tensor:
    """Exact minimal d_p sizes for lattice images described only by how many entries sit at each level.

    The sum classifier's minimal perturbation depends on an image only through its histogram of levels, so this
    gives the same sizes as :func:`sum_classifier_minimal` without materialising images: it is what makes Monte
    Carlo over 256x256 images cheap. ``counts`` is an integer tensor of shape (k, L): counts[i, v] entries of image i
    are at level v/(L-1). Returns float64 sizes of shape (k,) on the device of ``counts`` (intensity units).
    """
    p = check_p(p)
    if not isinstance(counts, torch.Tensor) or counts.dim() != 2 or counts.shape[1] < 2:
        raise ValueError(f"counts must be a tensor of shape (k, levels) with levels >= 2, got "
                         f"{tuple(counts.shape) if isinstance(counts, torch.Tensor) else type(counts).__name__}")
    if counts.is_floating_point() or counts.dtype == torch.bool:
        raise TypeError(f"counts must be an integer tensor, got dtype {counts.dtype}")
    c = counts.to(torch.int64)
    if c.numel() and bool((c < 0).any()):
        raise ValueError("counts must be >= 0")
    N = c.sum(dim=1)
    if c.numel() and bool((N < 1).any()):
        raise ValueError("every row of counts must describe an image with at least one entry")
    top = c.shape[1] - 1
    lv = torch.arange(top + 1, device=c.device)
    s = (c * lv).sum(dim=1)
    up = 2 * s < N * top
    # rooms[i, r] = number of entries of image i that can move by r steps towards the threshold
    rooms = torch.where(up[:, None], c.flip(1), c)
    need = torch.where(up, (N * top + 1) // 2 - s, s - (N * top + 1) // 2 + 1)
    unit = torch.tensor(1.0 / top, dtype=torch.float64, device=c.device)
    r = lv.to(torch.float64)
    if p <= 1:
        # greedy from the largest room down: at room r, whole entries while the need lasts, then one partial entry
        supply = rooms * lv
        above = supply.flip(1).cumsum(1).flip(1) - supply  # supplied by rooms larger than r
        left = (need[:, None] - above).clamp_min(0)
        full = torch.minimum(torch.div(left, lv.clamp_min(1), rounding_mode="floor"), rooms)
        full[:, 0] = 0
        partial = need - (full * lv).sum(dim=1)
        if p == 0:
            return full.sum(dim=1).to(torch.float64) + (partial > 0).to(torch.float64)
        return (full * (r * unit) ** p).sum(dim=1) + (partial * unit) ** p
    # water-filling: the largest integer level m whose filling f(m) = sum_r rooms_r * min(r, m) is <= need
    below = (rooms * lv).cumsum(1)  # sum of r * rooms_r for r <= m
    more = N[:, None] - rooms.cumsum(1)  # entries with room > m
    filled = below + lv * more  # f(m), m = 0..top, non-decreasing
    m = ((filled <= need[:, None]).sum(dim=1) - 1).clamp_min(0)
    extra = need - filled.gather(1, m[:, None])[:, 0]  # steps still missing: one each to entries with room > m
    rest = more.gather(1, m[:, None])[:, 0] - extra  # entries with room > m that stay at m
    small = lv[None, :] <= m[:, None]
    mf = m.to(torch.float64)
    if p == math.inf:
        biggest_small = torch.where(small & (rooms > 0), r, torch.zeros_like(r)).amax(dim=1)
        top_move = torch.where(extra > 0, mf + 1, torch.where(rest > 0, mf, biggest_small))
        return top_move * unit
    total = (torch.where(small, rooms, 0) * r**p).sum(dim=1) + rest * mf**p + extra * (mf + 1) ** p
    return total ** (1 / p) * unit


__all__ = ["sum_classifier_labels", "sum_classifier_minimal", "sum_classifier_sizes"]
