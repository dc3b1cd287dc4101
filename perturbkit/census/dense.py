"""The dense census of a whole image space: for every image the exact distance to the nearest image with another
label, in any d_p (p = 0, 0 < p < 1, p >= 1, inf), from the labels of :func:`perturbkit.census.label_space`.

The kernel is the separable distance transform of DESIGN.md section 4 (the torch-only passes in
:mod:`perturbkit.census.reference`, compiled ones for binary spaces in :mod:`perturbkit.census.fused`). For p < inf
the distance d_p^p (or d_0) is a sum of per-entry costs phi(|a - b|), so the distance from every image to a set S is
N one-dimensional min-plus transforms, one per axis of the tensor of shape (L,)*N that holds "0 on S, infinity
elsewhere"; for p = inf the passes are min-max. One transform per class (S = the complement of the class) gives
every image of the class its robustness. Where the distance allows it (d_0, l1, squared l2 in lattice steps, and
every finite p on binary images) the arithmetic is exact integer arithmetic in the smallest integer dtype that holds
it; results are converted to intensity units at the end.

Progress: the census shows no bar, deliberately: it is a few whole-tensor passes per class (seconds for the 2^25
images of a 5x5 binary space, the largest in the lessons), with nothing finer to count.

Everything runs on the device of ``labels`` (CPU or CUDA). Before allocating, the memory the call needs is compared
with what the device has free; a call that does not fit raises MemoryError instead of swapping.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from ..checks import check_memory, check_p, check_tensor
from ..spaces import ImageSpace
from . import fused, reference
from .shares import robust_share

__all__ = ["robustness", "census_bytes", "bound_report", "transform"]


def transform(g: torch.Tensor, L: int, N: int, plan: reference.Plan) -> None:
    """Distance transform of the flat array ``g`` (L**N values, 0 on the set, plan.inf elsewhere), in place.

    Binary spaces go to the compiled kernels of :mod:`perturbkit.census.fused` where the device has one (same
    integers, two passes per sweep over memory); everything else to the torch-only passes of
    :func:`perturbkit.census.reference.transform`.
    """
    if L == 2 and plan.kind == "hamming" and fused.transform(g, N, plan.costs[1]):
        return
    reference.transform(g, L, N, plan)


def census_bytes(space: ImageSpace, p: float = 0) -> int:
    """Bytes of device memory a :func:`robustness` call on ``space`` in d_p needs on top of the labels.

    Examples
    --------
    Binary spaces in d_0 count changed entries in uint8: two working arrays (2 bytes per image), a mask (1), the
    float32 result (4) and half an array of temporaries (0.5), 7.5 bytes per image; 16 and 512 images:

    >>> from perturbkit.spaces import ImageSpace
    >>> census_bytes(ImageSpace(2)), census_bytes(ImageSpace(3)), 512 * 15 // 2
    (120, 3840, 3840)
    """
    if not isinstance(space, ImageSpace):
        raise TypeError(f"space must be a perturbkit.spaces.ImageSpace, got {type(space).__name__}")
    p = check_p(p)
    plan = reference.plan(p, space.levels, space.num_entries)
    item = torch.empty((), dtype=plan.dtype).element_size()
    # two working arrays, a boolean mask, the float32 result, and the passes' temporary: half an array for the
    # binary pass, a clone of the array for L > 2 min-plus passes
    scratch = space.size * item // 2 if space.levels == 2 else space.size * item
    return space.size * (2 * item + 1 + 4) + scratch


def _check_labels(labels, space: ImageSpace) -> torch.Tensor:
    if not isinstance(space, ImageSpace):
        raise TypeError(f"space must be a perturbkit.spaces.ImageSpace, got {type(space).__name__}")
    if not isinstance(labels, torch.Tensor):
        raise TypeError(f"labels must be a torch.Tensor (uint8, from label_space), got {type(labels).__name__}")
    check_tensor("labels", labels)  # a tensor with values (not on the meta device)
    if labels.dtype != torch.uint8:
        raise TypeError(f"labels must have dtype torch.uint8 (as label_space returns), got {labels.dtype}")
    if labels.numel() != space.size:
        raise ValueError(f"labels must hold one label per image of {space!r}, i.e. {space.size} values, "
                         f"got {labels.numel()} (shape {tuple(labels.shape)})")
    return labels.reshape(-1)


def robustness(labels: torch.Tensor, space: ImageSpace, p: float = 0) -> torch.Tensor:
    """For every image of ``space``, the exact d_p distance to the nearest image with a different label.

    ``labels`` is the uint8 tensor of :func:`label_space` (shape (space.size,), index order). Returns float32 of
    shape (space.size,) on the device of ``labels``, in the units of DESIGN.md: changed entries for p = 0,
    sum |x_i - y_i|^p for 0 < p < 1, the usual norm for p >= 1 and max |x_i - y_i| for p = inf, intensities in
    [0, 1]. An image whose space holds no other label at all gets ``inf``.

    Examples
    --------
    The 2x2 binary space labelled by the sum threshold (label 1 from 2 ones on): the all-0 image needs 2 entries
    changed, image 0001 one, the all-1 image 3 (down to a single one):

    >>> from perturbkit.census import label_space
    >>> from perturbkit.classifiers import sum_threshold
    >>> from perturbkit.spaces import ImageSpace
    >>> labels = label_space(sum_threshold, ImageSpace(2))
    >>> robustness(labels, ImageSpace(2), 0).int().tolist()
    [2, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 2, 1, 2, 2, 3]

    In l2 the same changes cost sqrt(2) and sqrt(3); in l_inf any change costs a whole intensity step:

    >>> r2, r_inf = robustness(labels, ImageSpace(2), 2), robustness(labels, ImageSpace(2), float("inf"))
    >>> [round(v, 4) for v in r2[[0, 1, 15]].tolist()], r_inf.int().tolist() == [1] * 16
    ([1.4142, 1.0, 1.7321], True)
    """
    p = check_p(p)
    if not isinstance(space, ImageSpace):
        raise TypeError(f"space must be a perturbkit.spaces.ImageSpace, got {type(space).__name__}")
    L, N = space.levels, space.num_entries
    if isinstance(labels, torch.Tensor):
        check_tensor("labels", labels)  # a tensor with values (not on the meta device)
    device = labels.device if isinstance(labels, torch.Tensor) else torch.device("cpu")
    plan = reference.plan(p, L, N)
    check_memory(census_bytes(space, p), device, f"the d_{p:g} census of {space!r}")
    labels = _check_labels(labels, space)

    counts = torch.bincount(labels, minlength=256)
    classes = torch.nonzero(counts).reshape(-1).tolist()
    acc = torch.empty(space.size, dtype=plan.dtype, device=device)
    g = torch.empty_like(acc) if len(classes) > 1 else acc
    mask = torch.empty(space.size, dtype=torch.bool, device=device)
    inf = torch.tensor(plan.inf, dtype=plan.dtype, device=device)
    zero = torch.zeros((), dtype=plan.dtype, device=device)
    for j, c in enumerate(classes):
        # distance to the complement of class c: 0 off the class, "infinity" on it, then the transform.
        buf = acc if j == 0 else g
        torch.eq(labels, torch.tensor(c, dtype=torch.uint8, device=device), out=mask)
        if plan.dtype.is_floating_point:  # inf * 0 would be NaN
            torch.where(mask, inf, zero, out=buf)
        else:  # a copy and a multiply: about 20x faster than torch.where on the CPU
            buf.copy_(mask).mul_(plan.inf)
        transform(buf, L, N, plan)
        if j > 0:
            acc += buf  # classes are disjoint and each transform is 0 off its class: the sum puts each in place
    del g
    del mask
    if len(classes) == 1:  # no other label anywhere: nothing can be reached
        return torch.full((space.size,), math.inf, dtype=torch.float32, device=device)
    # with two or more classes every image reaches another class: no "infinite" entries are left
    out = acc.to(torch.float32) if plan.dtype != torch.float64 else acc
    if plan.kind == "minmax" or (plan.kind == "minplus" and p == 1):
        out = out / (L - 1)
    elif plan.kind == "minplus" and p == 2:
        out = out.sqrt_() / (L - 1)
    elif p >= 1:  # binary Hamming counts and float sums of |d|^p: take the root
        out = out.pow_(1.0 / p)
    return out.to(torch.float32)


# ---------------------------------------------------------------------------------------------------- the challenge
def bound_report(labels: torch.Tensor, space: ImageSpace, r: torch.Tensor | None = None) -> str:
    """Hold every class of a labelling against the course's bound and explain the outcome in words.

    Spaces with L = 2**b levels (binary included) use the class-relative :func:`perturbkit.bounds.harper_bound`
    (a share of the class; Theorems 3.7 and 3.10), others :func:`perturbkit.bounds.concentration_bound` (a share of
    the whole space, Theorem 3.9). A class larger than half the space is reported as the one class the theorem does
    not cover. ``r`` is the d_0 census if already computed.

    Examples
    --------
    The 2x2 binary sum threshold: class 0 (5 of 16 images) is held against the bound, class 1 (11 of 16) is more
    than half of the space:

    >>> from perturbkit.census import label_space
    >>> from perturbkit.classifiers import sum_threshold
    >>> from perturbkit.spaces import ImageSpace
    >>> report = bound_report(label_space(sum_threshold, ImageSpace(2)), ImageSpace(2))
    >>> for line in report.splitlines()[1:3]:
    ...     print(line)
    class 0: 31.2% of the space -> within the bound everywhere; closest at t = 2: 0.0000 vs bound 0.0000
    class 1: 68.8% of the space -> more than half: the one class the theorem does not cover (it may stay robust)
    """
    from .. import bounds

    labels = _check_labels(labels, space)
    r = robustness(labels, space, 0) if r is None else r
    N, L = space.num_entries, space.levels
    t = np.arange(N + 1)
    rs = robust_share(labels, r, t)
    class_relative = L & (L - 1) == 0
    bound = bounds.harper_bound(N, t, L) if class_relative else bounds.concentration_bound(N, t)
    if class_relative:
        kind = f"class-relative bound at {L.bit_length() - 1} bit(s) per entry (share of the class)"
    else:
        kind = "concentration bound (share of the space; L is not a power of two)"
    lines = [f"{space!r}: {len(rs.classes)} class(es); checked against the {kind} at every radius t = 0..{N}"]
    for i, c in enumerate(rs.classes):
        share = rs.robust[i] if class_relative else rs.core_share_of_space()[i]
        head = f"class {int(c)}: {100 * rs.space_share[i]:.1f}% of the space"
        if rs.space_share[i] > 0.5:
            lines.append(f"{head} -> more than half: the one class the theorem does not cover (it may stay robust)")
            continue
        worst = 1 + int(np.argmax((share - bound)[1:])) if N > 0 else 0  # t = 0 is trivial: share = bound = 1
        ok = bool((share <= bound + 1e-12).all())
        lines.append(f"{head} -> {'within' if ok else 'ABOVE'} the bound everywhere; closest at t = {worst}: "
                     f"{share[worst]:.4f} vs bound {bound[worst]:.4f}")
    lines.append("Why no attempt can win: the images that t changes can not move out of a class C form its core "
                 "C(t), and C(t) together with everything within t of it lies inside C. Isoperimetry says no set "
                 "grows more slowly than a Hamming ball of the bit cube (L = 2^b levels) or than concentration "
                 "allows (any levels), so a class of at most half the space has only a tiny robust core.")
    return "\n".join(lines)
