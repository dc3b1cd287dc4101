"""Exact robustness census of a whole image space: the label of every image, and for every image the exact distance
to the nearest image with another label, in any d_p (p = 0, 0 < p < 1, p >= 1, inf).

The kernel is the separable distance transform of DESIGN.md section 4. For p < inf the distance d_p^p (or d_0) is a
sum of per-entry costs phi(|a - b|), so the distance from every image to a set S is N one-dimensional min-plus
transforms, one per axis of the tensor of shape (L,)*N that holds "0 on S, infinity elsewhere"; for p = inf the
passes are min-max. One transform per class (S = the complement of the class) gives every image of the class its
robustness. Where the distance allows it (d_0, l1, squared l2 in lattice steps, and every finite p on binary images)
the arithmetic is exact integer arithmetic in the smallest integer dtype that holds it; results are converted to
intensity units at the end.

Progress: labelling image by image shows a tqdm bar from ``PROGRESS_FROM`` images up. The census itself shows none,
deliberately: it is a few whole-tensor passes per class (seconds for the 2^25 images of a 5x5 binary space, the
largest in the lessons), with nothing finer to count.

Everything runs on the device of ``labels`` (CPU or CUDA). Before allocating, the memory the call needs is compared
with what the device has free; a call that does not fit raises MemoryError instead of swapping.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from tqdm.auto import tqdm

from . import fused
from .checks import available_bytes, check_bool, check_device, check_int, check_memory, check_p, check_tensor
from .spaces import ImageSpace

__all__ = ["label_space", "robustness", "robust_share", "RobustShare", "census_bytes", "bound_report"]

# None: whole-array passes. A number of bytes: contiguous blocks of that size get their last axes while they sit in
# the CPU cache, then column strips of about that size get the first axes. Blocks of a few MiB beat whole-array
# passes on the course's CPUs and much smaller ones lose to per-op overhead (measurements: benchmarks/README.md).
# The tests run both orders of passes.
_CPU_BLOCK_BYTES = 4 * 2**20


# ---------------------------------------------------------------------------------------------------- labelling
def chunk_labels(out, k: int, device) -> torch.Tensor:
    """A classifier's answer for a chunk of k images as uint8 labels on ``device``, or a clear error (labels must be
    k integers in 0..255)."""
    try:
        out = torch.as_tensor(out)
    except (TypeError, ValueError, RuntimeError) as e:
        raise TypeError(f"classifier must return a tensor or array of integer labels, got {type(out).__name__}") from e
    if out.device.type == "meta":
        raise ValueError("classifier returned a tensor on the meta device, which holds no labels")
    if out.dtype.is_floating_point or out.dtype == torch.bool or out.is_complex():
        raise TypeError(f"classifier must return integer labels, got dtype {out.dtype}")
    out = out.reshape(-1)
    if out.numel() != k:
        raise ValueError(f"classifier returned {out.numel()} labels for a batch of {k} images")
    lo, hi = int(out.min()), int(out.max())
    if lo < 0 or hi > 255:
        raise ValueError(f"classifier labels must lie in 0..255, got values in [{lo}, {hi}]")
    return out.to(device=device, dtype=torch.uint8)


# Labelling fewer images than this one by one takes about a second on a laptop CPU: no progress bar by default.
PROGRESS_FROM = 2**20


def label_space(classifier, space: ImageSpace, batch_size: int | None = None, device=None,
                progress: bool | None = None) -> torch.Tensor:
    """The label of every image of ``space``, in index order, as a uint8 tensor of shape (space.size,) on ``device``.

    ``classifier`` is a batched callable from float32 images (k, channels, n, n) on ``device`` to k integer labels
    in 0..255 (any integer dtype, any device). Images are fed in chunks of about ``batch_size`` (default 65536) with
    a tqdm progress bar (notebook-aware; by default shown from ``PROGRESS_FROM`` images up; ``True``/``False``
    force it); chunks come from
    :meth:`ImageSpace.chunks`. A classifier with a ``whole_space(space, device)``
    attribute (the reference classifiers of :mod:`perturbkit.classifiers`) labels the space exactly that way.
    """
    if not isinstance(space, ImageSpace):
        raise TypeError(f"space must be a perturbkit.spaces.ImageSpace, got {type(space).__name__}")
    if not callable(classifier):
        raise TypeError(f"classifier must be a callable from images (k, c, n, n) to labels, got {classifier!r}")
    batch_size = 65536 if batch_size is None else check_int("batch_size", batch_size, minimum=1)
    device = check_device(device) or torch.device("cpu")
    progress = space.size >= PROGRESS_FROM if progress is None else check_bool("progress", progress)
    # memory first: a space too large for int64 indices gets the same MemoryError, naming the bytes
    _check_memory(space.size + 40 * min(batch_size, space.size) * space.num_entries, device,
                  f"labelling {space!r}")
    space.check_indexable()
    if hasattr(classifier, "whole_space"):  # reference classifiers label a whole space exactly without images
        return classifier.whole_space(space, device).to(device=device, dtype=torch.uint8)
    labels = torch.empty(space.size, dtype=torch.uint8, device=device)
    with tqdm(total=space.size, disable=not progress, unit="img", unit_scale=True, desc="labelling") as bar:
        for start, images in space.chunks(batch_size, device):
            labels[start:start + images.shape[0]] = chunk_labels(classifier(images), images.shape[0], device)
            bar.update(images.shape[0])
    return labels


# ---------------------------------------------------------------------------------------------------- memory
def _available_bytes(device: torch.device) -> int:
    """Bytes free on ``device`` (perturbkit.checks.available_bytes; kept here so tests can pretend less is free)."""
    return available_bytes(device)


def _check_memory(needed: int, device: torch.device, what: str) -> None:
    check_memory(needed, device, what, available=_available_bytes(device))


# ---------------------------------------------------------------------------------------------------- the kernel
@dataclass(frozen=True)
class _Plan:
    """How a census in d_p runs: the working dtype, the 'infinite' value, the per-axis costs and the pass kind."""

    kind: str  # "hamming" (cost 1 for any change), "minplus" (costs[k]) or "minmax" (p = inf, costs[k] = k)
    dtype: torch.dtype
    inf: float | int
    costs: tuple  # costs[k] = cost of moving k levels along one axis, k = 0..L-1


def _int_dtype(largest: int) -> torch.dtype:
    for dtype in (torch.uint8, torch.int16, torch.int32, torch.int64):
        if largest <= torch.iinfo(dtype).max:
            return dtype
    raise OverflowError(f"distances up to {largest} do not fit in int64")


def _plan(p: float, L: int, N: int) -> _Plan:
    if p == math.inf:  # max |x_i - y_i| in steps: min-max passes, values 0..L-1
        inf = L
        return _Plan("minmax", _int_dtype(inf + L), inf, tuple(range(L)))
    if p == 0 or (L == 2 and p > 0):  # a changed entry costs 1 (binary: |d|^p = 1 for every p > 0)
        inf = N + 1
        return _Plan("hamming", _int_dtype(inf + 1), inf, (0,) + (1,) * (L - 1))
    if p in (1.0, 2.0):  # l1 in steps, squared l2 in steps**2: exact integers
        costs = tuple(k ** int(p) for k in range(L))
        inf = N * costs[-1] + 1
        return _Plan("minplus", _int_dtype(inf + costs[-1]), inf, costs)
    # any other p: float64 sums of |d_i|^p in intensity units
    return _Plan("minplus", torch.float64, math.inf, tuple((k / (L - 1)) ** p for k in range(L)))


def _axis_pass(v: torch.Tensor, plan: _Plan, scratch: torch.Tensor | None = None) -> None:
    """One 1-D transform, in place, along dimension 1 of the view ``v`` (shape (outer, L, ...)).

    ``scratch``, a flat tensor of v's dtype with at least v.numel() // 2 entries, is reused for the binary pass's
    temporary: allocating it afresh on every pass costs page faults and doubled the time of a 2^25 census.
    """
    L = v.shape[1]
    if L == 2 and plan.kind != "minmax":
        # new a = min(a, b + c) = min(a, min(a, b) + c) because a <= a + c: one shared temporary, two in-place mins
        a, b = v[:, 0], v[:, 1]
        if scratch is None:
            m = torch.minimum(a, b)
        else:
            m = torch.minimum(a, b, out=scratch[:a.numel()].view(a.shape))
        m += plan.costs[1]
        torch.minimum(a, m, out=a)
        torch.minimum(b, m, out=b)
    elif plan.kind == "hamming":
        # every other level costs 1: new = min(old, min over the axis + 1)
        m = v.amin(dim=1, keepdim=True)
        m += 1
        torch.minimum(v, m, out=v)
    else:
        old = v.clone()
        for a in range(L):
            va = v[:, a]
            for b in range(L):
                if a == b:
                    continue
                c = plan.costs[abs(a - b)]
                cand = old[:, b].clamp_min(c) if plan.kind == "minmax" else old[:, b] + c
                torch.minimum(va, cand, out=va)


def _transform(g: torch.Tensor, L: int, N: int, plan: _Plan) -> None:
    """Distance transform of the flat array ``g`` (L**N values, 0 on the set, plan.inf elsewhere), in place.

    On the CPU the array is cut into contiguous blocks of L**k entries that fit in the cache: first every block gets
    its k last axes (the block stays in cache across those passes), then column strips of the (L**(N-k), L**k) view
    get the N-k first axes. The passes commute, so the order does not change the result.
    Binary spaces go to the compiled kernels of :mod:`perturbkit.fused` where the device has one (same
    integers, two passes per sweep over memory).
    """
    if L == 2 and plan.kind == "hamming" and fused.transform(g, N, plan.costs[1]):
        return
    if g.device.type == "cuda" or _CPU_BLOCK_BYTES is None:
        k = N
    else:
        k = 0
        while k < N and L ** (k + 1) * g.element_size() <= _CPU_BLOCK_BYTES:  # ends: k rises by one, to N at most
            k += 1
    k = max(k, 1)
    block = L**k
    scratch = torch.empty(g.numel() // 2, dtype=g.dtype, device=g.device) if L == 2 else None
    for start in range(0, g.numel(), block):
        blk = g[start:start + block]
        for i in range(N - k, N):
            _axis_pass(blk.view(L ** (i - (N - k)), L, L ** (N - 1 - i)), plan, scratch)
    if k == N:
        return
    rows = L ** (N - k)
    g2 = g.view(rows, block)
    width = max(1, min(block, _CPU_BLOCK_BYTES // (rows * g.element_size())))
    for c0 in range(0, block, width):
        strip = g2[:, c0:c0 + width]
        cols = strip.shape[1]
        for i in range(N - k):
            _axis_pass(strip.view(L**i, L, L ** (N - k - 1 - i), cols), plan, scratch)


def census_bytes(space: ImageSpace, p: float = 0) -> int:
    """Bytes of device memory a :func:`robustness` call on ``space`` in d_p needs on top of the labels."""
    if not isinstance(space, ImageSpace):
        raise TypeError(f"space must be a perturbkit.spaces.ImageSpace, got {type(space).__name__}")
    p = check_p(p)
    plan = _plan(p, space.levels, space.num_entries)
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
    """
    p = check_p(p)
    if not isinstance(space, ImageSpace):
        raise TypeError(f"space must be a perturbkit.spaces.ImageSpace, got {type(space).__name__}")
    L, N = space.levels, space.num_entries
    if isinstance(labels, torch.Tensor):
        check_tensor("labels", labels)  # a tensor with values (not on the meta device)
    device = labels.device if isinstance(labels, torch.Tensor) else torch.device("cpu")
    plan = _plan(p, L, N)
    _check_memory(census_bytes(space, p), device, f"the d_{p:g} census of {space!r}")
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
        _transform(buf, L, N, plan)
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


# ---------------------------------------------------------------------------------------------------- shares
@dataclass(frozen=True)
class RobustShare:
    """Per class: its share of the space and the share of its images whose robustness exceeds each radius.

    ``classes`` (K,) labels present; ``size`` (K,) images per class; ``space_share`` (K,) = size / |V|;
    ``t`` (T,) radii; ``robust`` (K, T): share of the class with r > t (the robust core |C(t)| / |C|).
    NumPy arrays on the CPU, ready for matplotlib.
    """

    classes: np.ndarray
    size: np.ndarray
    space_share: np.ndarray
    t: np.ndarray
    robust: np.ndarray

    def core_share_of_space(self) -> np.ndarray:
        """|C(t)| / |V| for each class and radius, shape (K, T)."""
        return self.robust * self.space_share[:, None]


_SHARE_CHUNK = 2**22  # values per histogram chunk in robust_share (4 Mi values: 32 MiB of int64 keys)


def robust_share(labels: torch.Tensor | None, r: torch.Tensor, t) -> RobustShare:
    """Per class: its share of the space and the share of its images with r > t, for every radius in ``t``.

    ``labels`` (uint8) and ``r`` (from :func:`robustness`) have one value per image; ``t`` is a number or a 1-D
    sequence of radii in the units of ``r``. ``labels=None`` puts every value of ``r`` in one class 0 (a sample of
    robustness values, e.g. :func:`perturbkit.sum_classifier.sum_robustness`): ``robust[0]`` is then the share of
    the sample above each radius. Costs one bucketize and one bincount over the values.
    """
    if not isinstance(r, torch.Tensor) or not r.is_floating_point():
        raise TypeError(f"r must be a floating torch.Tensor (from robustness), got "
                        f"{getattr(r, 'dtype', type(r).__name__)}")
    check_tensor("r", r)
    if labels is None:
        labels = torch.zeros(r.shape, dtype=torch.uint8, device=r.device)
    if not isinstance(labels, torch.Tensor) or labels.dtype != torch.uint8:
        raise TypeError(f"labels must be a uint8 torch.Tensor (from label_space) or None, got "
                        f"{getattr(labels, 'dtype', type(labels).__name__)}")
    check_tensor("labels", labels)
    labels, r = labels.reshape(-1), r.reshape(-1)
    if r.numel() == 0:
        raise ValueError("r is empty: the share of no values is undefined")
    if labels.numel() != r.numel():
        raise ValueError(f"labels and r must have one value per image each, got {labels.numel()} and {r.numel()}")
    if labels.device != r.device:
        raise ValueError(f"labels and r must be on the same device, got {labels.device} and {r.device}")
    if r.numel() and bool(torch.isnan(r).any()):
        raise ValueError(f"r contains {int(torch.isnan(r).sum())} NaN value(s); robustness values are >= 0 or inf")
    if r.numel() and bool((r < 0).any()):
        raise ValueError(f"r contains {int((r < 0).sum())} negative value(s), e.g. {float(r.min())}; robustness "
                         f"values are >= 0 or inf")
    if isinstance(t, (str, bytes)) or t is None or isinstance(t, bool):
        raise TypeError(f"t must be a number or a 1-D sequence of radii, got {t!r}")
    try:
        t = np.atleast_1d(np.asarray(t, dtype=np.float64))
    except OverflowError:
        raise ValueError("t must hold radii a float can hold, got an integer too large for a float") from None
    except (TypeError, ValueError) as e:
        raise TypeError(f"t must be a number or a 1-D sequence of radii, got {t!r}") from e
    if t.ndim != 1 or np.isnan(t).any():
        raise ValueError(f"t must be a number or a 1-D sequence of radii without NaN, got {t!r}")
    order = np.argsort(t, kind="stable")
    ts = torch.tensor(t[order], dtype=r.dtype, device=r.device)
    T = len(t)
    # bucket j means ts[j-1] < r <= ts[j]; r > ts[i] exactly when bucket > i. The histogram of (class, bucket) is
    # summed over chunks of 2^22 values: the int64 keys of a whole 2^25 census would need three 256 MiB temporaries
    # at once (the peak memory of lessons 04 and 06); counts add exactly, so the result is the same.
    hist = torch.zeros(256 * (T + 1), dtype=torch.int64, device=r.device)
    for start in range(0, r.numel(), _SHARE_CHUNK):
        chunk = slice(start, start + _SHARE_CHUNK)
        key = labels[chunk].to(torch.int64) * (T + 1) + torch.bucketize(r[chunk], ts, right=False)
        hist += torch.bincount(key, minlength=256 * (T + 1))
    hist = hist.reshape(256, T + 1).cpu().numpy()
    size = hist.sum(axis=1)
    classes = np.nonzero(size)[0]
    hist, size = hist[classes], size[classes]
    above = size[:, None] - np.cumsum(hist, axis=1)[:, :T]  # count with bucket > i
    robust = np.empty((len(classes), T))
    robust[:, order] = above / size[:, None]
    return RobustShare(classes=classes, size=size, space_share=size / labels.numel(), t=t, robust=robust)


# ---------------------------------------------------------------------------------------------------- the challenge
def bound_report(labels: torch.Tensor, space: ImageSpace, r: torch.Tensor | None = None) -> str:
    """Hold every class of a labelling against the course's bound and explain the outcome in words.

    Spaces with L = 2**b levels (binary included) use the class-relative :func:`perturbkit.bounds.harper_bound`
    (a share of the class; Theorems 3.7 and 3.10), others :func:`perturbkit.bounds.concentration_bound` (a share of
    the whole space, Theorem 3.9). A class larger than half the space is reported as the one class the theorem does
    not cover. ``r`` is the d_0 census if already computed.
    """
    from . import bounds

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
