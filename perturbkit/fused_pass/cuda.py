"""The fused binary census pass on CUDA: a Triton kernel, two axes per sweep, in place on a uint8 array.

The same arithmetic as the CPU kernel (:mod:`perturbkit.fused_pass.cpu`): for the axes of strides s and 2s every
group of four entries g[b], g[b + s], g[b + 2s], g[b + 3s] is loaded once, taken through both pairings in
registers and stored once. Each GPU thread owns its groups, so no thread reads what another writes. Indices are
64-bit: the arrays of the 6x6 space reach 2**36 entries.

Triton ships with torch's CUDA wheels; with ``TRITON_INTERPRET=1`` the same kernel runs on CPU tensors, which is how
the tests check it on machines without a GPU.
"""

from __future__ import annotations

import torch
import triton
import triton.language as tl

_BLOCK = 1024  # groups per program


@triton.jit
def _pair(x, y, c):
    m = tl.minimum(x, y) + c
    return tl.minimum(x, m), tl.minimum(y, m)


@triton.jit
def _two_axes(g, groups, i, c, BLOCK: tl.constexpr):
    # group j: entries b, b + s, b + 2s, b + 3s with s = 2**i and b = (j // s) * 4s + j % s
    j = tl.program_id(0).to(tl.int64) * BLOCK + tl.arange(0, BLOCK)
    ok = j < groups
    s = tl.full((), 1, tl.int64) << i
    b = ((j >> i) << (i + 2)) + (j & (s - 1))
    x0 = tl.load(g + b, mask=ok)
    x1 = tl.load(g + b + s, mask=ok)
    x2 = tl.load(g + b + 2 * s, mask=ok)
    x3 = tl.load(g + b + 3 * s, mask=ok)
    x0, x1 = _pair(x0, x1, c)
    x2, x3 = _pair(x2, x3, c)
    x0, x2 = _pair(x0, x2, c)
    x1, x3 = _pair(x1, x3, c)
    tl.store(g + b, x0.to(tl.uint8), mask=ok)
    tl.store(g + b + s, x1.to(tl.uint8), mask=ok)
    tl.store(g + b + 2 * s, x2.to(tl.uint8), mask=ok)
    tl.store(g + b + 3 * s, x3.to(tl.uint8), mask=ok)


@triton.jit
def _one_axis(g, groups, i, c, BLOCK: tl.constexpr):
    # pair j: entries b, b + s with s = 2**i and b = (j // s) * 2s + j % s
    j = tl.program_id(0).to(tl.int64) * BLOCK + tl.arange(0, BLOCK)
    ok = j < groups
    s = tl.full((), 1, tl.int64) << i
    b = ((j >> i) << (i + 1)) + (j & (s - 1))
    x0 = tl.load(g + b, mask=ok)
    x1 = tl.load(g + b + s, mask=ok)
    x0, x1 = _pair(x0, x1, c)
    tl.store(g + b, x0.to(tl.uint8), mask=ok)
    tl.store(g + b + s, x1.to(tl.uint8), mask=ok)


def run(g: torch.Tensor, N: int, c: int) -> None:
    """The fused transform of ``g`` (uint8, contiguous, 2**N entries, on CUDA or, interpreted, on the CPU)."""
    i = 0
    while i < N:
        two = i + 1 < N
        groups = g.numel() >> (2 if two else 1)
        grid = (triton.cdiv(groups, _BLOCK),)
        (_two_axes if two else _one_axis)[grid](g, groups, i, c, BLOCK=_BLOCK)
        i += 2 if two else 1
