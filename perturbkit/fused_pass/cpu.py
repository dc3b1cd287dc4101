"""The fused binary census pass on the CPU: numba kernels, two axes per sweep, in place on a uint8 array.

An axis of a binary space pairs every image with the one that differs from it in that entry; the pass sets
a <- min(a, b + c) and b <- min(b, a + c) for every pair, which equals min(a, m) and min(b, m) with
m = min(a, b) + c. Two axes at once take each group of four images (a square of the cube) through both pairings
while it sits in registers: one read and one write for two passes.

The order of work keeps the data in the cache: the flat array of 2**N entries is cut into contiguous blocks of
2**k entries, each block gets its k lowest axes (in parallel over blocks), then the array is seen as a matrix of
2**(N - k) rows and 2**k columns, and column strips narrow enough to fit the cache get the N - k others (in
parallel over strips). The passes commute, so this order gives the same result as any other.

Values must stay below 255 - c (the census's "infinity" is N + 1): the sums are computed in uint8.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange, uint8


@njit(boundscheck=False, inline="always", cache=True)
def _pair(x, y, c):
    m = uint8(min(x, y) + c)  # uint8 keeps the loops vectorised; int64 (numba's default) does not
    return min(x, m), min(y, m)


@njit(boundscheck=False, inline="always", cache=True)
def _square(x0, x1, x2, x3, c):
    x0, x1 = _pair(x0, x1, c)
    x2, x3 = _pair(x2, x3, c)
    x0, x2 = _pair(x0, x2, c)
    x1, x3 = _pair(x1, x3, c)
    return x0, x1, x2, x3


@njit(boundscheck=False, cache=True)
def _rows_two_axes(v, s, c):
    """The axes of row strides s and 2s of the 2-D view ``v``; its columns are independent (the inner loop)."""
    for b in range(0, v.shape[0], 4 * s):
        for t in range(b, b + s):
            r0, r1, r2, r3 = v[t], v[t + s], v[t + 2 * s], v[t + 3 * s]
            for j in range(v.shape[1]):
                r0[j], r1[j], r2[j], r3[j] = _square(r0[j], r1[j], r2[j], r3[j], c)


@njit(boundscheck=False, cache=True)
def _rows_one_axis(v, s, c):
    """The axis of row stride s of the 2-D view ``v``."""
    for b in range(0, v.shape[0], 2 * s):
        for t in range(b, b + s):
            r0, r1 = v[t], v[t + s]
            for j in range(v.shape[1]):
                r0[j], r1[j] = _pair(r0[j], r1[j], c)


@njit(boundscheck=False, cache=True)
def _rows_axes(v, count, c):
    """The ``count`` axes of row strides 1, 2, 4, ... of the 2-D view ``v``, two per sweep."""
    i = 0
    while i < count:
        if i + 1 < count:
            _rows_two_axes(v, 1 << i, c)
            i += 2
        else:
            _rows_one_axis(v, 1 << i, c)
            i += 1


@njit(boundscheck=False, cache=True)
def _block(x, k, c):
    """All k axes of the contiguous block ``x`` of 2**k entries."""
    i = 0
    if k >= 2:  # strides 1 and 2: squares of four neighbours
        for q in range(x.size >> 2):
            b = 4 * q  # (a stepped range here is not vectorised)
            x[b], x[b + 1], x[b + 2], x[b + 3] = _square(x[b], x[b + 1], x[b + 2], x[b + 3], c)
        i = 2
    while i < k:
        # the axis of stride 2**i is the row stride 1 of the view with rows of 2**i entries: the longer the rows,
        # the longer the vectorised inner loop
        v = x.reshape(x.size >> i, 1 << i)
        if i + 1 < k:
            _rows_two_axes(v, 1, c)
            i += 2
        else:
            _rows_one_axis(v, 1, c)
            i += 1


@njit(parallel=True, boundscheck=False, cache=True)
def transform(g, N, k, width, c) -> None:
    """All N axes of the flat uint8 array ``g`` of 2**N entries, in place; blocks of 2**k entries, strips of
    ``width`` columns (a power of two <= 2**k)."""
    block = 1 << k
    for b in prange(g.size >> k):
        _block(g[b * block:(b + 1) * block], k, c)
    if k == N:
        return
    matrix = g.reshape(g.size >> k, block)
    for q in prange(block // width):
        _rows_axes(matrix[:, q * width:(q + 1) * width], N - k, c)


def run(g: np.ndarray, N: int, c: int, cache_bytes: int) -> None:
    """The fused transform of ``g`` (uint8, contiguous, 2**N entries) with blocks and strips of about
    ``cache_bytes`` bytes."""
    k = min(N, max(2, cache_bytes.bit_length() - 1))
    rows = 1 << (N - k)
    width = 1 << k
    while width > 64 and rows * width > cache_bytes:  # strips of >= 64 columns keep the inner loop vectorised
        width >>= 1
    transform(g, N, k, width, np.uint8(c))
