"""Harper's extremal sets on the hypercube, the bit map that carries them to images with 2**b levels, and the most
robust classes the course can construct (lessons 03 and 04).

A binary image x is identified with the set of its white entries. The **simplicial order** puts x before y when x
has fewer white entries, or the same number and, at the first entry where they differ, x is the white one. Harper's
vertex-isoperimetric theorem says that an initial segment of this order has the smallest t-neighbourhood among all
sets of its size; :func:`smallest_neighbourhoods` checks that for every set of vertices of a small space.

**The bit map** (Theorem 3.10). With L = 2**b levels, writing each entry's level as b bits (most significant first)
turns an image with N entries into a string of bN bits, and this is a bijection onto the cube {0,1}^(bN). Because
``ImageSpace`` numbers images by their levels in base L, entry 0 first, the bit string of image i is the binary
expansion of i itself: image i of ``space`` is image i of :func:`bit_cube`. Two bit strings that differ in k bits give
images that differ in at most k entries.

**The most robust classes found** (lesson 04). For an order of the images and a radius t, the class
C_k = B(S_k, t) grown from the first k images S_k of the order holds S_k in its core. :func:`best_segment_class`
computes the core share |C_k(t)| / |C_k| of every such class at once and returns the best one of at most half the
space. With the simplicial order on a binary space this is the exact optimum over all classes (Harper's theorem and
the core lemma); on other spaces it is the best class the course can construct, a lower estimate of the optimum.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from .bounds import bits_per_entry
from .checks import check_int, check_space_memory
from .spaces import ImageSpace

__all__ = ["simplicial_order", "simplicial_segment", "smallest_neighbourhoods", "bit_cube", "bit_distance",
           "orders", "image_order", "SegmentClass", "best_segment_class", "most_robust_share"]


def _binary(space) -> ImageSpace:
    if not isinstance(space, ImageSpace):
        raise TypeError(f"space must be a perturbkit.spaces.ImageSpace, got {type(space).__name__}")
    if space.levels != 2:
        raise ValueError(f"the simplicial order is defined for binary images (levels=2), got levels={space.levels}")
    return space


def simplicial_order(space: ImageSpace) -> torch.Tensor:
    """The indices of all images of a binary space in simplicial order (int64, on the CPU).

    Entry 0 is the most significant digit of an image's index, so among images with the same number of white entries
    the one that is white at the first differing entry has the larger index: within a layer the order is by
    decreasing index.
    """
    space = _binary(space)
    # the index, the digits and their quotient (two int64 per entry), the weight, the sort key and the sort's output
    check_space_memory(space, 16 * space.num_entries + 64, "cpu", f"the simplicial order of {space!r}")
    idx = torch.arange(space.size)
    weight = space.digits(idx).reshape(space.size, -1).sum(dim=1)
    # sort by (weight, -index); both fit in int64 exactly
    return torch.sort(weight * space.size + (space.size - 1 - idx), stable=True).indices


def simplicial_segment(space: ImageSpace, size: int) -> torch.Tensor:
    """The first ``size`` images of the simplicial order, as a bool mask in index order (Harper's extremal set)."""
    space = _binary(space)
    size = check_int("size", size, minimum=0, maximum=space.size)
    order = simplicial_order(space)  # refuses a space too large for memory before anything is allocated
    m = torch.zeros(space.size, dtype=torch.bool)
    m[order[:size]] = True
    return m


def _tiny_graph(N: int, levels: int) -> tuple[int, list[int], list[list[int]]]:
    """The Hamming graph H(N, L) with at most 16 vertices: (V, closed 1-neighbourhood bitmask of each vertex,
    digits of each vertex). Vertex v is the image with index v (entry 0 most significant)."""
    N = check_int("N", N, minimum=1)
    levels = check_int("levels", levels, minimum=2)
    V = levels**N
    if V > 16:
        raise ValueError(f"levels**N must be at most 16 (every one of the 2**(levels**N) sets is visited), got "
                         f"levels={levels}, N={N}: {V} images")
    digits = [[(v // levels ** (N - 1 - i)) % levels for i in range(N)] for v in range(V)]
    closed = [sum(1 << w for w in range(V) if sum(a != b for a, b in zip(digits[v], digits[w])) <= 1)
              for v in range(V)]
    return V, closed, digits


def _all_sets(V: int) -> np.ndarray:
    return np.arange(2**V, dtype=np.int64)


def _popcount(sets: np.ndarray, V: int) -> np.ndarray:
    return sum(((sets >> v) & 1) for v in range(V))


def _grow_sets(sets: np.ndarray, closed: list[int]) -> np.ndarray:
    grown = np.zeros_like(sets)
    for v, nb in enumerate(closed):
        grown |= np.where((sets >> v) & 1 == 1, nb, 0)
    return grown


def smallest_neighbourhoods(N: int, levels: int = 2) -> np.ndarray:
    """For k = 0..L**N, the smallest size of the 1-neighbourhood of a set of k images of the Hamming graph H(N, L),
    found by going through every one of the 2**(L**N) sets (L**N <= 16: 65,536 sets). Vertex v is the image with
    index v."""
    V, closed, _ = _tiny_graph(N, levels)
    sets = _all_sets(V)
    grown = _popcount(_grow_sets(sets, closed), V)
    best = np.full(V + 1, V + 1, dtype=np.int64)
    np.minimum.at(best, _popcount(sets, V), grown)
    return best


def most_robust_share(N: int, levels: int, t: int) -> float:
    """The exact largest |C(t)| / |C| over every class C with |C| <= L**N / 2 of the Hamming graph H(N, L), by going
    through every one of the 2**(L**N) sets (L**N <= 16). C(t): the images of C whose t-ball lies inside C."""
    V, closed, _ = _tiny_graph(N, levels)
    t = check_int("t", t, minimum=0)
    balls = [1 << v for v in range(V)]
    for _ in range(t):  # the t-ball of v: t rounds of closed 1-neighbourhoods
        balls = [int(_grow_sets(np.array([b], dtype=np.int64), closed)[0]) for b in balls]
    sets = _all_sets(V)
    core = np.zeros_like(sets)
    for v, ball in enumerate(balls):
        core |= np.where(sets & ball == ball, 1 << v, 0)
    size, kept = _popcount(sets, V), _popcount(core, V)
    ok = (2 * size <= V) & (size > 0)
    return float((kept[ok] / size[ok]).max())


def bit_cube(space: ImageSpace) -> ImageSpace:
    """The binary cube {0,1}^(bN) of the bit map for a space with L = 2**b levels: image i of the cube is the bit
    string of image i of ``space`` (b bits per entry, most significant first). As ``ImageSpace(1, 2, channels=bN)``."""
    if not isinstance(space, ImageSpace):
        raise TypeError(f"space must be a perturbkit.spaces.ImageSpace, got {type(space).__name__}")
    return ImageSpace(1, levels=2, channels=bits_per_entry(space.levels) * space.num_entries)


def bit_distance(i, j) -> torch.Tensor:
    """The Hamming distance between the bit strings of images i and j (int64 tensors of indices, any shape): the
    number of 1 bits of i XOR j."""
    x = torch.bitwise_xor(_indices("i", i), _indices("j", j))
    count = torch.zeros_like(x)
    while bool((x != 0).any()):  # one bit per round: ends after at most 63 rounds
        count += x & 1
        x = x >> 1
    return count


def _indices(name: str, value) -> torch.Tensor:
    """``value`` as an int64 tensor of image indices (>= 0), or a clear error (floats are not truncated)."""
    if value is None or isinstance(value, (str, bytes, bool)):
        raise TypeError(f"{name} must be image indices (integers >= 0), got {value!r:.60} ({type(value).__name__})")
    try:
        t = torch.as_tensor(value)
    except (TypeError, ValueError, RuntimeError, OverflowError) as e:
        raise TypeError(f"{name} must be image indices (integers >= 0), got {value!r:.60}") from e
    if t.device.type == "meta":
        raise ValueError(f"{name} is a tensor on the meta device, which holds no values")
    if t.dtype.is_floating_point or t.is_complex() or t.dtype == torch.bool:
        raise TypeError(f"{name} must be image indices (integers >= 0), got dtype {t.dtype}")
    t = t.to(torch.int64)
    if t.numel() and int(t.min()) < 0:
        raise ValueError(f"{name} must be image indices (integers >= 0), got {int(t.min())}")
    return t


def orders(space: ImageSpace) -> list[str]:
    """The orders whose initial segments grow into the candidate classes of :func:`best_segment_class`: the bit
    simplicial order, the level sum, and for every level k = 1..L-1 the number of entries at level k or above
    ("entries >= 1" gives the Hamming balls around the all-black image; "entries >= L/2" the majority vote)."""
    if not isinstance(space, ImageSpace):
        raise TypeError(f"space must be a perturbkit.spaces.ImageSpace, got {type(space).__name__}")
    return ["bit simplicial", "level sum"] + [f"entries >= {k}" for k in range(1, space.levels)]


def image_order(space: ImageSpace, kind: str) -> torch.Tensor:
    """All image indices of ``space`` in one of the :func:`orders` (int64, CPU), ties broken by the lower index:

    - "bit simplicial": the simplicial order of the bit strings (L = 2**b; Harper's order for binary images);
    - "level sum": by the sum of the levels (the lower sets of the sum classifier);
    - "entries >= k": by the number of entries at level k or above (level numbers 0..L-1).
    """
    kinds = orders(space)
    if kind not in kinds:
        raise ValueError(f"kind must be one of {kinds}, got {kind!r}")
    if kind == "bit simplicial":
        return simplicial_order(bit_cube(space))
    check_space_memory(space, 8 * space.num_entries + 32, "cpu", f"the order {kind!r} of {space!r}")
    d = space.digits(torch.arange(space.size)).reshape(space.size, -1)
    key = d.sum(dim=1) if kind == "level sum" else (d >= int(kind.split(">= ")[1])).sum(dim=1)
    return torch.sort(key, stable=True).indices


def _spread(values: torch.Tensor, space: ImageSpace, t: int, largest: bool) -> torch.Tensor:
    """For every image, the min (or max) of ``values`` over its Hamming ball of radius t: t rounds, each taking,
    for every entry, the min (max) over all L values of that entry (the 1-ball is the union of those lines)."""
    L, N = space.levels, space.num_entries
    reduce, combine = (torch.amax, torch.maximum) if largest else (torch.amin, torch.minimum)
    v = values.reshape(-1)
    for _ in range(t):
        out = v.clone()
        for i in range(N):  # entry i is the middle axis of a 3-d view (fast strided reductions)
            shape = (L**i, L, L ** (N - 1 - i))
            o = out.view(shape)
            combine(o, reduce(v.view(shape), dim=1, keepdim=True), out=o)
        v = out
    return v


@dataclass(frozen=True)
class SegmentClass:
    """The best class B(S_k, t) grown from an initial segment S_k of one order: ``k`` images in the segment, the
    class holds ``size`` images and ``core`` of them have r_0 > t; ``share`` = core / size."""

    order: str
    t: int
    k: int
    size: int
    core: int
    share: float


def best_segment_class(space: ImageSpace, t: int, kind: str = "bit simplicial") -> SegmentClass:
    """Among the classes C_k = B(S_k, t), k = 1..|V|, of at most half the space, the one with the largest core share
    |C_k(t)| / |C_k| (the smallest k on ties). S_k: the first k images of :func:`image_order`.

    All k at once: with m(y) = the smallest rank within t of y, C_k = {y : m(y) < k}; with M(x) = the largest m
    within t of x, the core of C_k is {x : M(x) < k}. Two sorts then give every |C_k| and |C_k(t)|. About 2 t N
    whole-space min/max passes, exact integers, on the CPU.
    """
    t = check_int("t", t, minimum=0)
    if not isinstance(space, ImageSpace):
        raise TypeError(f"space must be a perturbkit.spaces.ImageSpace, got {type(space).__name__}")
    # the size first: ordering a larger space would already cost more than the limit protects against
    if space.size > 2**26:
        raise ValueError(f"space must hold at most 2**26 images (every one is visited about 4 t N times), got "
                         f"{space!r} with {space.size}")
    order = image_order(space, kind)
    check_space_memory(space, 8 * 6, "cpu", f"best_segment_class on {space!r}")
    rank = torch.empty(space.size, dtype=torch.int32)   # ranks < 2**31: the space holds at most 2**26 images here
    rank[order] = torch.arange(space.size, dtype=torch.int32)
    m = _spread(rank, space, t, largest=False)
    M = _spread(m, space, t, largest=True)
    # ranks are 0..|V|-1, so counting sort: |C_k| = #{y : m(y) < k} is a cumulative histogram of m
    size = torch.cumsum(torch.bincount(m.long(), minlength=space.size), 0)[:-1]     # k = 1..|V|-1
    core = torch.cumsum(torch.bincount(M.long(), minlength=space.size), 0)[:-1]
    ok = 2 * size <= space.size
    if not bool(ok.any()):
        return SegmentClass(order=kind, t=t, k=0, size=0, core=0, share=0.0)
    share = torch.where(ok, core / size.clamp(min=1), torch.zeros((), dtype=torch.float64))
    best = int(torch.argmax(share))  # argmax returns the first maximum: the smallest k
    return SegmentClass(order=kind, t=t, k=best + 1, size=int(size[best]), core=int(core[best]),
                        share=float(share[best]))
