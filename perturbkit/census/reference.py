"""The census's reference layer: the torch-only passes and the bit layout, which the compiled kernels of
:mod:`perturbkit.census.fused` reproduce and are checked against. It imports nothing else of the census.

Dense census (DESIGN.md section 4). For p < inf the distance d_p^p (or d_0) is a sum of per-entry costs phi(|a - b|),
so the distance from every image to a set S is N one-dimensional min-plus transforms, one per axis of the tensor of
shape (L,)*N that holds "0 on S, infinity elsewhere"; for p = inf the passes are min-max. A :class:`Plan` says how a
census in d_p runs (working dtype, "infinity", per-axis costs); :func:`axis_pass` is one 1-D transform and
:func:`transform` all N of them, in cache-sized blocks on the CPU.

Bit-packed census. Image i (index order of :class:`perturbkit.spaces.ImageSpace`: entry 0 is the most significant
digit) is bit i % 64 of int64 word i // 64; entry k of the image is index bit j = N - 1 - k. One Hamming step along
index bit j is
  * for j < 6 (inside a word): ((R & M_j) << 2**j) | ((R >> 2**j) & M_j), M_j = ``INWORD_MASKS[j]``, the bit
    positions with bit j clear;
  * for j >= 6 (across words): an OR of word blocks, word w with word w XOR 2**(j - 6).
:func:`pack_bits` and :func:`popcount` convert and count; :func:`dilate` is one Hamming step of a whole bitset.

Everything runs on the device of its input tensors, with plain torch ops.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass

import torch

from ..checks import check_tensor
from . import tuning

__all__ = ["Plan", "int_dtype", "plan", "axis_pass", "binary_transform", "transform", "WORD_BITS", "INWORD_MASKS",
           "words", "pack_bits", "popcount", "dilate"]


# ---------------------------------------------------------------------------------------------------- dense passes
@dataclass(frozen=True)
class Plan:
    """How a census in d_p runs: the working dtype, the 'infinite' value, the per-axis costs and the pass kind."""

    kind: str  # "hamming" (cost 1 for any change), "minplus" (costs[k]) or "minmax" (p = inf, costs[k] = k)
    dtype: torch.dtype
    inf: float | int
    costs: tuple  # costs[k] = cost of moving k levels along one axis, k = 0..L-1


def int_dtype(largest: int) -> torch.dtype:
    """The smallest integer dtype (uint8, int16, int32, int64) that holds 0..``largest``."""
    for dtype in (torch.uint8, torch.int16, torch.int32, torch.int64):
        if largest <= torch.iinfo(dtype).max:
            return dtype
    raise OverflowError(f"distances up to {largest} do not fit in int64")


def plan(p: float, L: int, N: int) -> Plan:
    """The plan of a census in d_p of a space with ``L`` levels and ``N`` entries (``p`` already checked)."""
    if p == math.inf:  # max |x_i - y_i| in steps: min-max passes, values 0..L-1
        inf = L
        return Plan("minmax", int_dtype(inf + L), inf, tuple(range(L)))
    if p == 0 or (L == 2 and p > 0):  # a changed entry costs 1 (binary: |d|^p = 1 for every p > 0)
        inf = N + 1
        return Plan("hamming", int_dtype(inf + 1), inf, (0,) + (1,) * (L - 1))
    if p in (1.0, 2.0):  # l1 in steps, squared l2 in steps**2: exact integers
        costs = tuple(k ** int(p) for k in range(L))
        inf = N * costs[-1] + 1
        return Plan("minplus", int_dtype(inf + costs[-1]), inf, costs)
    # any other p: float64 sums of |d_i|^p in intensity units
    return Plan("minplus", torch.float64, math.inf, tuple((k / (L - 1)) ** p for k in range(L)))


def axis_pass(v: torch.Tensor, plan: Plan, scratch: torch.Tensor | None = None) -> None:
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


def binary_transform(g: torch.Tensor, N: int, c: int = 1) -> None:
    """The census transform of a binary space's flat array ``g`` (2**N entries, 0 on the set, N + 1 elsewhere) with
    cost ``c`` per changed entry, in place: one whole-array :func:`axis_pass` per axis, the plainest order (the twin
    the fused kernels are checked against)."""
    plan = Plan("hamming", g.dtype, N + 1, (0, c))
    for i in range(N):
        axis_pass(g.view(2**i, 2, 2 ** (N - 1 - i)), plan)


def transform(g: torch.Tensor, L: int, N: int, plan: Plan) -> None:
    """Distance transform of the flat array ``g`` (L**N values, 0 on the set, plan.inf elsewhere), in place, with
    torch-only passes.

    On the CPU the array is cut into contiguous blocks of L**k entries that fit in the cache
    (``tuning.CPU_BLOCK_BYTES``): first every block gets its k last axes (the block stays in cache across those
    passes), then column strips of the (L**(N-k), L**k) view get the N-k first axes. The passes commute, so the order
    does not change the result.
    """
    block_bytes = tuning.CPU_BLOCK_BYTES
    if g.device.type == "cuda" or block_bytes is None:
        k = N
    else:
        k = 0
        while k < N and L ** (k + 1) * g.element_size() <= block_bytes:  # ends: k rises by one, to N at most
            k += 1
    k = max(k, 1)
    block = L**k
    scratch = torch.empty(g.numel() // 2, dtype=g.dtype, device=g.device) if L == 2 else None
    for start in range(0, g.numel(), block):
        blk = g[start:start + block]
        for i in range(N - k, N):
            axis_pass(blk.view(L ** (i - (N - k)), L, L ** (N - 1 - i)), plan, scratch)
    if k == N:
        return
    rows = L ** (N - k)
    g2 = g.view(rows, block)
    width = max(1, min(block, block_bytes // (rows * g.element_size())))
    for c0 in range(0, block, width):
        strip = g2[:, c0:c0 + width]
        cols = strip.shape[1]
        for i in range(N - k):
            axis_pass(strip.view(L**i, L, L ** (N - k - 1 - i), cols), plan, scratch)


# ---------------------------------------------------------------------------------------------------- bit layout
WORD_BITS = 64
# M_j: the bit positions b (0..63) of a word whose bit j is clear, j = 0..5. Every M_j has bit 63 clear, so the
# arithmetic (sign-extending) right shift of a negative int64 never leaks into the result after the mask.
INWORD_MASKS = tuple(sum(1 << b for b in range(WORD_BITS) if not (b >> j) & 1) for j in range(6))
_M1, _M2, _M4, _H01 = 0x55555555, 0x33333333, 0x0F0F0F0F, 0x01010101  # 32-bit SWAR constants
_GATHER = 0x0102040810204080  # (sum_i b_i 2^(8i)) * _GATHER has bit 56 + i = b_i, no carries below bit 64


def words(size: int) -> int:
    """int64 words that hold one bit per image of a space of ``size`` images (at least one)."""
    return max(1, -(-size // WORD_BITS))


def pack_bits(mask: torch.Tensor) -> torch.Tensor:
    """Pack a boolean (or 0/1 uint8) tensor of k images into ceil(k / 64) int64 words on its device.

    Image i becomes bit i % 64 of word i // 64; missing images at the end are 0 bits. Uses the byte order of a
    little-endian machine (x86, ARM, CUDA): byte b of a word holds bits 8b..8b+7.

    Examples
    --------
    Eight zeros and eight ones make one word each; images 0, 2 and 3 give bits 1 + 4 + 8; 65 ones fill a whole
    word (all 64 bits set: -1 as an int64) and one bit of a second:

    >>> import torch
    >>> pack_bits(torch.zeros(8, dtype=torch.bool)).tolist(), pack_bits(torch.ones(8, dtype=torch.bool)).tolist()
    ([0], [255])
    >>> pack_bits(torch.tensor([1, 0, 1, 1, 0, 0, 0, 0], dtype=torch.uint8)).tolist()
    [13]
    >>> pack_bits(torch.ones(65, dtype=torch.bool)).tolist()
    [-1, 1]
    """
    if sys.byteorder != "little":  # pragma: no cover - every machine torch supports today is little-endian
        raise RuntimeError("pack_bits assumes a little-endian machine")
    check_tensor("mask", mask)
    if mask.dtype not in (torch.bool, torch.uint8):
        raise TypeError(f"mask must be a bool (or 0/1 uint8) tensor, got dtype {mask.dtype}; compare first, e.g. "
                        f"pack_bits(labels == c)")
    if mask.dtype == torch.uint8 and mask.numel() and int(mask.max()) > 1:
        raise ValueError(f"mask must hold only 0 and 1 (one bit per image), got values up to {int(mask.max())}")
    m = mask.reshape(-1).to(torch.uint8)
    pad = -m.numel() % WORD_BITS
    if pad or m.numel() == 0:
        m = torch.cat([m, m.new_zeros(pad if m.numel() else WORD_BITS)])
    # eight 0/1 bytes read as one little-endian int64 x: the multiply gathers byte i's bit into bit 56 + i
    x = m.view(torch.int64)
    byte = ((x * _GATHER) >> 56) & 0xFF
    return byte.to(torch.uint8).view(torch.int64)


def popcount(words: torch.Tensor) -> int:
    """Number of 1 bits in an int64 tensor (any device): a SWAR bit count per 32-bit half word, then one sum.
    Its temporaries are a few times the size of ``words``: call it on chunks of a large bitset.

    The halves are counted as int32 because 32-bit multiplies are vector instructions on every CPU and GPU (64-bit
    ones are not on most CPUs); the masks keep the sign-extending right shifts from leaking into the counts.

    Examples
    --------
    Eight packed ones count 8; the words -1 (64 ones) and 13 (three ones) count 67:

    >>> import torch
    >>> popcount(pack_bits(torch.ones(8, dtype=torch.bool))), popcount(torch.tensor([-1, 13]))
    (8, 67)
    """
    check_tensor("words", words)
    if words.dtype != torch.int64:
        raise TypeError(f"words must be an int64 tensor of packed bits (as pack_bits returns), got dtype "
                        f"{words.dtype}")
    x = words.reshape(-1).view(torch.int32)
    x = x - ((x >> 1) & _M1)
    x = (x & _M2) + ((x >> 2) & _M2)
    x = (x + (x >> 4)) & _M4
    x = (x * _H01) >> 24  # the top byte holds the half word's count (<= 32); int32 products wrap on every device
    return int(x.sum(dtype=torch.int64))


def dilate(src: torch.Tensor, dst: torch.Tensor, N: int, chunk: int, tmp: torch.Tensor) -> int:
    """dst = src dilated by one Hamming step (src itself and every image one entry away); returns popcount(dst).

    ``src`` and ``dst`` hold 2**N bits in max(1, 2**(N-6)) int64 words; ``tmp`` is a chunk-sized int64 scratch.
    """
    words = src.numel()
    chunk = min(chunk, words)
    inword = min(N, 6)
    count = 0
    for c0 in range(0, words, chunk):
        s, d, t = src[c0:c0 + chunk], dst[c0:c0 + chunk], tmp[:min(chunk, words - c0)]
        d.copy_(s)
        for j in range(inword):  # neighbours across index bit j inside each word
            shift, mask = 1 << j, INWORD_MASKS[j]
            torch.bitwise_and(s, mask, out=t)
            t <<= shift
            d |= t
            torch.bitwise_right_shift(s, shift, out=t)
            t &= mask
            d |= t
        for j in range(6, N):  # across words: word w and word w XOR 2**(j-6)
            stride = 1 << (j - 6)
            if stride < chunk:
                sv, dv = s.view(-1, 2, stride), d.view(-1, 2, stride)
                dv[:, 0] |= sv[:, 1]
                dv[:, 1] |= sv[:, 0]
            else:
                partner = c0 ^ stride
                d |= src[partner:partner + chunk]
        count += popcount(d)
    return count
