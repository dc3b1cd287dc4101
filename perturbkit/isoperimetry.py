"""Harper's extremal sets on the hypercube and an exhaustive check of his theorem on a small cube (lesson 03).

A binary image x is identified with the set of its white entries. The **simplicial order** puts x before y when x
has fewer white entries, or the same number and, at the first entry where they differ, x is the white one. Harper's
vertex-isoperimetric theorem says that an initial segment of this order has the smallest t-neighbourhood among all
sets of its size; :func:`smallest_neighbourhoods` checks that for every set of vertices of a small cube.
"""

from __future__ import annotations

import numpy as np
import torch

from .checks import check_int
from .spaces import ImageSpace

__all__ = ["simplicial_order", "simplicial_segment", "smallest_neighbourhoods"]


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
    idx = torch.arange(space.size)
    weight = space.digits(idx).reshape(space.size, -1).sum(dim=1)
    # sort by (weight, -index); both fit in int64 exactly
    return torch.sort(weight * space.size + (space.size - 1 - idx), stable=True).indices


def simplicial_segment(space: ImageSpace, size: int) -> torch.Tensor:
    """The first ``size`` images of the simplicial order, as a bool mask in index order (Harper's extremal set)."""
    space = _binary(space)
    size = check_int("size", size, minimum=0, maximum=space.size)
    m = torch.zeros(space.size, dtype=torch.bool)
    m[simplicial_order(space)[:size]] = True
    return m


def smallest_neighbourhoods(N: int) -> np.ndarray:
    """For k = 0..2**N, the smallest size of the 1-neighbourhood of a set of k vertices of the cube {0,1}^N, found by
    going through every one of the 2**(2**N) sets (N <= 4: 65,536 sets). Vertex v is the image with index v."""
    N = check_int("N", N, minimum=1, maximum=4)
    V = 2**N
    sets = np.arange(2**V, dtype=np.int64)
    grown = np.zeros_like(sets)
    for v in range(V):
        closed = 1 << v
        for i in range(N):
            closed |= 1 << (v ^ (1 << i))
        grown |= np.where((sets >> v) & 1 == 1, closed, 0)
    popcount = np.zeros_like(sets)
    size = np.zeros_like(sets)
    for v in range(V):
        popcount += (grown >> v) & 1
        size += (sets >> v) & 1
    best = np.full(V + 1, V + 1, dtype=np.int64)
    np.minimum.at(best, size, popcount)
    return best
