"""Fused kernels for binary spaces on the CPU (numba): the census pass on bytes and the dilation of a bitset.

**The census pass** (:func:`census_pass`), in place on a uint8 array of 2**N entries. An axis of a binary space pairs
every image with the one that differs from it in that entry; the pass sets a <- min(a, b + c) and b <- min(b, a + c) for
every pair, which equals min(a, m) and min(b, m) with m = min(a, b) + c. Two axes at once take each group of four images
(a square of the cube) through both pairings while it sits in registers: one read and one write for two passes.

The order of work keeps the data in the cache: the flat array of 2**N entries is cut into contiguous blocks of 2**k
entries, each block gets its k lowest axes (in parallel over blocks), then the array is seen as a matrix of 2**(N - k)
rows and 2**k columns, and column strips narrow enough to fit the cache get the N - k others (in parallel over strips).
The passes commute, so this order gives the same result as any other.

Values must stay below 255 - c (the census's "infinity" is N + 1): the sums are computed in uint8.

**The dilation** (:func:`dilate`) of the bit-packed census (:mod:`perturbkit.census.reference`, whose docstring gives
the layout): dst = src united with every image one entry away, and the number of images in dst. Each word of dst is its
source word with the six in-word neighbours shifted in, OR the N - 6 partner words w XOR 2**j. Contiguous chunks of
words get the in-word axes and the cross-word axes inside the chunk while they sit in the cache; then the words are seen
as a matrix with one row per chunk, and column strips get the remaining axes (partners in other rows) and their
popcount.
"""

from __future__ import annotations

import os

import numba
import numpy as np
from numba import njit, prange, uint8, uint64

from ..reference import INWORD_MASKS

# numba's OpenMP threading layer shares the OpenMP runtime with torch and changed torch's thread count (and with it
# the order of torch's float sums): its own thread pool keeps the two apart, unless the user chose a layer.
if "NUMBA_THREADING_LAYER" not in os.environ:
    numba.config.THREADING_LAYER = "workqueue"

_MASKS = np.array(INWORD_MASKS, dtype=np.int64)  # M_j of the bit-packed layout, as an array numba can index


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
def _rows_step(v, s, left, c):
    """The next one or two axes (``left`` remain) from row stride s of the 2-D view ``v``; returns how many."""
    if left >= 2:
        _rows_two_axes(v, s, c)
        return 2
    _rows_one_axis(v, s, c)
    return 1


@njit(boundscheck=False, cache=True)
def _rows_axes(v, count, c):
    """The ``count`` axes of row strides 1, 2, 4, ... of the 2-D view ``v``, two per sweep."""
    i = 0
    while i < count:  # ends: each step does one or two of the count axes
        i += _rows_step(v, 1 << i, count - i, c)


@njit(boundscheck=False, cache=True)
def _block(x, k, c):
    """All k axes of the contiguous block ``x`` of 2**k entries."""
    i = 0
    if k >= 2:  # strides 1 and 2: squares of four neighbours
        for q in range(x.size >> 2):
            b = 4 * q  # (a stepped range here is not vectorised)
            x[b], x[b + 1], x[b + 2], x[b + 3] = _square(x[b], x[b + 1], x[b + 2], x[b + 3], c)
        i = 2
    while i < k:  # ends: each step does one or two of the k axes
        # the axis of stride 2**i is the row stride 1 of the view with rows of 2**i entries: the longer the rows,
        # the longer the vectorised inner loop
        i += _rows_step(x.reshape(x.size >> i, 1 << i), 1, k - i, c)


@njit(parallel=True, boundscheck=False, cache=True)
def _census_pass(g, N, k, width, c) -> None:
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


def census_pass(g: np.ndarray, N: int, c: int, cache_bytes: int) -> None:
    """The census transform of ``g`` (uint8, contiguous, 2**N entries) in place, with blocks and strips of about
    ``cache_bytes`` bytes."""
    k = min(N, max(2, cache_bytes.bit_length() - 1))
    rows = 1 << (N - k)
    width = 1 << k
    # ends: width halves each time; strips of >= 64 columns keep the inner loop vectorised
    while width > 64 and rows * width > cache_bytes:
        width >>= 1
    _census_pass(g, N, k, width, np.uint8(c))


# ---------------------------------------------------------------------------------------------------- dilation
@njit(boundscheck=False, inline="always", cache=True)
def _popcount(x):
    x = uint64(x)  # logical shifts
    x = x - ((x >> uint64(1)) & uint64(0x5555555555555555))
    x = (x & uint64(0x3333333333333333)) + ((x >> uint64(2)) & uint64(0x3333333333333333))
    x = (x + (x >> uint64(4))) & uint64(0x0F0F0F0F0F0F0F0F)
    return (x * uint64(0x0101010101010101)) >> uint64(56)


@njit(boundscheck=False, cache=True)
def _near(s, d, N, masks) -> None:
    """d = the words s dilated along the in-word axes and the cross-word axes inside s (word strides < len(s))."""
    if N >= 6:  # every in-word axis, unrolled: one vectorised loop
        m0, m1, m2, m3, m4, m5 = masks[0], masks[1], masks[2], masks[3], masks[4], masks[5]
        for w in range(s.size):
            x = s[w]
            d[w] = (x | ((x & m0) << 1) | ((x >> 1) & m0) | ((x & m1) << 2) | ((x >> 2) & m1)
                    | ((x & m2) << 4) | ((x >> 4) & m2) | ((x & m3) << 8) | ((x >> 8) & m3)
                    | ((x & m4) << 16) | ((x >> 16) & m4) | ((x & m5) << 32) | ((x >> 32) & m5))
    else:  # spaces under 64 images: one word, N in-word axes
        for w in range(s.size):
            x = s[w]
            a = x
            for j in range(N):
                a |= ((x & masks[j]) << (1 << j)) | ((x >> (1 << j)) & masks[j])
            d[w] = a
    st = 1
    while st < s.size:  # ends: st doubles up to the array's size
        for q in range(s.size // (2 * st)):
            b = 2 * st * q
            lo_s, hi_s = s[b:b + st], s[b + st:b + 2 * st]
            lo_d, hi_d = d[b:b + st], d[b + st:b + 2 * st]
            for t in range(st):
                lo_d[t] |= hi_s[t]
                hi_d[t] |= lo_s[t]
        st *= 2


@njit(boundscheck=False, cache=True)
def _far(s, d):
    """d |= the partners of s along the row axes of the 2-D views (one row per chunk); returns popcount(d)."""
    rows = s.shape[0]
    r = 1
    while r < rows:  # ends: r doubles up to the number of rows
        for q in range(rows // (2 * r)):
            b = 2 * r * q
            for t in range(b, b + r):
                s0, s1, d0, d1 = s[t], s[t + r], d[t], d[t + r]
                for j in range(s.shape[1]):
                    d0[j] |= s1[j]
                    d1[j] |= s0[j]
        r *= 2
    n = 0
    for t in range(rows):
        row = d[t]
        for j in range(d.shape[1]):
            n += _popcount(row[j])
    return n


@njit(parallel=True, boundscheck=False, cache=True)
def _dilate(src, dst, N, chunk, width, masks):
    rows = src.size // chunk
    for q in prange(rows):
        _near(src[q * chunk:(q + 1) * chunk], dst[q * chunk:(q + 1) * chunk], N, masks)
    s2, d2 = src.reshape(rows, chunk), dst.reshape(rows, chunk)
    counts = np.zeros(chunk // width, dtype=np.int64)
    for q in prange(chunk // width):
        counts[q] = _far(s2[:, q * width:(q + 1) * width], d2[:, q * width:(q + 1) * width])
    return counts.sum()


def dilate(src: np.ndarray, dst: np.ndarray, N: int, chunk_words: int, strip_words: int) -> int:
    """dst = src dilated by one Hamming step (int64 words, 2**N bits, a power of two of words); returns the number
    of 1 bits of dst. Chunks of ``chunk_words`` words and strips of about ``strip_words`` words (powers of two)."""
    words = src.size
    chunk = min(chunk_words, words)
    width = min(chunk, max(8, strip_words // (words // chunk)))
    return int(_dilate(src, dst, N, chunk, width, _MASKS))
