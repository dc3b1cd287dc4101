"""The fused binary census pass on CUDA: a Triton kernel, two axes per sweep, in place on a uint8 array.

The same arithmetic as the CPU kernel (:mod:`perturbkit.census.fused.cpu`): for the axes of strides s and 2s every
group of four entries g[b], g[b + s], g[b + 2s], g[b + 3s] is loaded once, taken through both pairings in
registers and stored once. Each GPU thread owns its groups, so no thread reads what another writes. Indices are
64-bit: the arrays of the 6x6 space reach 2**36 entries.

**The dilation** of the bit-packed census: each thread computes whole words of dst from src (its own word's six
in-word neighbours, OR the N - 6 partner words w XOR 2**j), stores them, and each program adds the popcounts of its
words into one int64 of a per-program array that torch sums: one pass that reads src N - 5 times (the partners of
nearby words come from the GPU's caches) and writes dst once.

Triton ships with torch's CUDA wheels; with ``TRITON_INTERPRET=1`` the same kernel runs on CPU tensors, which is how
the tests check it on machines without a GPU.
"""

from __future__ import annotations

import torch
import triton
import triton.language as tl

from ..reference import INWORD_MASKS

_BLOCK = 1024  # groups per program


@triton.jit
def _pair(x, y, c):
    m = tl.minimum(x, y) + c
    return tl.minimum(x, m), tl.minimum(y, m)


@triton.jit
def _census_axes(g, groups, i, c, TWO: tl.constexpr, BLOCK: tl.constexpr):
    # group j: entries b + k s (k = 0, 1, and 2, 3 with TWO) with s = 2**i and b = (j // s) * (2 or 4) s + j % s
    j = tl.program_id(0).to(tl.int64) * BLOCK + tl.arange(0, BLOCK)
    ok = j < groups
    s = tl.full((), 1, tl.int64) << i
    b = ((j >> i) << (i + 1 + TWO)) + (j & (s - 1))
    x0 = tl.load(g + b, mask=ok)
    x1 = tl.load(g + b + s, mask=ok)
    x0, x1 = _pair(x0, x1, c)
    if TWO:  # the axes of strides s and 2s: a square of four entries
        x2 = tl.load(g + b + 2 * s, mask=ok)
        x3 = tl.load(g + b + 3 * s, mask=ok)
        x2, x3 = _pair(x2, x3, c)
        x0, x2 = _pair(x0, x2, c)
        x1, x3 = _pair(x1, x3, c)
        tl.store(g + b + 2 * s, x2.to(tl.uint8), mask=ok)
        tl.store(g + b + 3 * s, x3.to(tl.uint8), mask=ok)
    tl.store(g + b, x0.to(tl.uint8), mask=ok)
    tl.store(g + b + s, x1.to(tl.uint8), mask=ok)


def census_pass(g: torch.Tensor, N: int, c: int) -> None:
    """The census transform of ``g`` (uint8, contiguous, 2**N entries, on CUDA or, interpreted, on the CPU) in
    place."""
    i = 0
    while i < N:  # ends: each launch does one or two of the N axes
        two = i + 1 < N
        groups = g.numel() >> (2 if two else 1)
        grid = (triton.cdiv(groups, _BLOCK),)
        _census_axes[grid](g, groups, i, c, TWO=int(two), BLOCK=_BLOCK)
        i += 2 if two else 1


# ---------------------------------------------------------------------------------------------------- dilation
M0, M1, M2, M3, M4, M5 = (tl.constexpr(m) for m in INWORD_MASKS)


@triton.jit
def _popcount(x):
    # SWAR on int64: the masks clear what the arithmetic right shifts drag in; counts <= 64 keep bit 63 clear
    x = x - ((x >> 1) & 0x5555555555555555)
    x = (x & 0x3333333333333333) + ((x >> 2) & 0x3333333333333333)
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0F
    return (x * 0x0101010101010101) >> 56


@triton.jit
def _dilate(src, dst, counts, words, N, BLOCK: tl.constexpr):
    w = tl.program_id(0).to(tl.int64) * BLOCK + tl.arange(0, BLOCK)
    ok = w < words
    x = tl.load(src + w, mask=ok, other=0)
    a = x
    # in-word axes j = 0..5 (a space under 64 images has N < 6 of them): shift the word by 2**j both ways
    if N > 0:
        a |= ((x & M0) << 1) | ((x >> 1) & M0)
    if N > 1:
        a |= ((x & M1) << 2) | ((x >> 2) & M1)
    if N > 2:
        a |= ((x & M2) << 4) | ((x >> 4) & M2)
    if N > 3:
        a |= ((x & M3) << 8) | ((x >> 8) & M3)
    if N > 4:
        a |= ((x & M4) << 16) | ((x >> 16) & M4)
    if N > 5:
        a |= ((x & M5) << 32) | ((x >> 32) & M5)
    # across words: the partner w XOR 2**j of every word axis j = 6..N-1
    for j in range(0, N - 6):
        a |= tl.load(src + (w ^ (tl.full((), 1, tl.int64) << j)), mask=ok, other=0)
    tl.store(dst + w, a, mask=ok)
    tl.store(counts + tl.program_id(0), tl.sum(_popcount(a), axis=0))


def dilate(src: torch.Tensor, dst: torch.Tensor, N: int) -> int:
    """dst = src dilated by one Hamming step (int64 words holding 2**N bits); returns the number of 1 bits of dst."""
    words = src.numel()
    grid = (triton.cdiv(words, _BLOCK),)
    counts = torch.empty(grid[0], dtype=torch.int64, device=src.device)
    _dilate[grid](src, dst, counts, words, N, BLOCK=_BLOCK)
    return int(counts.sum())
