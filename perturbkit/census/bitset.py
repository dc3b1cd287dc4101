"""Bit-packed census of binary image spaces: the exact robust-share curve of every class, one bit per image.

For a labelling of all 2**N images of a binary space (levels = 2), the robustness r_0 of an image of class C is the
Hamming distance to the nearest image outside C. Start from the set R_0 = "every image outside C" and dilate it by
one Hamming step per round: R_t = R_{t-1} united with every image that differs from R_{t-1} in one entry. The images
of C that R_t reaches for the first time have r_0 = t, so |C(t)| = |C| - (|R_t| - |R_0|) images of C have r_0 > t.
The whole curve |C(t)| / |C| for t = 0..N and the histogram of r_0 come from one popcount per round.

Layout. Image i (index order of :class:`perturbkit.spaces.ImageSpace`: entry 0 is the most significant binary
digit) is bit i % 64 of int64 word i // 64. Entry k of the image is index bit j = N - 1 - k. One Hamming step along
index bit j is
  * for j < 6 (inside a word): ((R & M_j) << 2**j) | ((R >> 2**j) & M_j), M_j = the bit positions with bit j clear;
  * for j >= 6 (across words): an OR of word blocks, word w with word w XOR 2**(j - 6).
The words are processed in chunks (``chunk_words``): every Hamming step of a chunk and its popcount are done while
the chunk sits in the cache, and each round reads the set once per cross-chunk axis and writes it once.

Memory: one bit per image for each class present, plus one more for the dilation (each class's own bitset becomes
its start set; the set and its next round alternate between it and one spare), plus a few chunks of temporaries.
2**34 images of two classes take 6 GiB; 2**36 take 24 GiB. Everything runs on one device (CPU or CUDA), with plain
torch ops on int64 words or the compiled kernels of :mod:`perturbkit.fused`; the memory check refuses, naming the
bytes needed and available, before anything large is allocated.

Labels come from a uint8 tensor (:func:`perturbkit.census.label_space`), or from a classifier, chunk by chunk, so the
space never needs a byte per image: the sum-type reference classifiers (:func:`perturbkit.classifiers.sum_threshold`,
``majority``, ``parity``, ``first_pixel``) label a chunk from per-entry sums without building images, any other
classifier gets the chunk's images from :meth:`ImageSpace.chunks`.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import torch

from . import classifiers, fused, sum_classifier
from .census import RobustShare, chunk_labels
from .checks import available_bytes, check_bool, check_device, check_int, check_memory, check_tensor
from .spaces import ImageSpace

__all__ = ["BitsetCensus", "bitset_census", "bitset_bytes", "pack_bits", "popcount"]

WORD_BITS = 64
# M_j: the bit positions b (0..63) of a word whose bit j is clear, j = 0..5. Every M_j has bit 63 clear, so the
# arithmetic (sign-extending) right shift of a negative int64 never leaks into the result after the mask.
_INWORD_MASKS = tuple(sum(1 << b for b in range(WORD_BITS) if not (b >> j) & 1) for j in range(6))
_M1, _M2, _M4, _H01 = 0x55555555, 0x33333333, 0x0F0F0F0F, 0x01010101  # 32-bit SWAR constants
_GATHER = 0x0102040810204080  # (sum_i b_i 2^(8i)) * _GATHER has bit 56 + i = b_i, no carries below bit 64
# Words per chunk: about 1 MiB on the CPU (the chunk and its temporaries stay in L2/L3), 512 MiB on a GPU.
_CHUNK_WORDS = {"cpu": 2**17, "cuda": 2**26}
# images per labelling chunk: the uint8 labels and the classifier's temporaries of one chunk
_LABEL_CHUNK = 2**22


# ---------------------------------------------------------------------------------------------------- bits
def _words(size: int) -> int:
    return max(1, -(-size // WORD_BITS))


def pack_bits(mask: torch.Tensor) -> torch.Tensor:
    """Pack a boolean (or 0/1 uint8) tensor of k images into ceil(k / 64) int64 words on its device.

    Image i becomes bit i % 64 of word i // 64; missing images at the end are 0 bits. Uses the byte order of a
    little-endian machine (x86, ARM, CUDA): byte b of a word holds bits 8b..8b+7.
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


# ---------------------------------------------------------------------------------------------------- labels
def _entry_sum_rule(classifier):
    """(per-level value table, decision on the sum) for the sum-type reference classifiers on binary spaces."""
    one = torch.tensor([0, 1])
    rules = {
        classifiers.sum_threshold: (one, sum_classifier.decide),  # sum of entries >= N / 2
        classifiers.majority: (torch.tensor([-1, 1]), lambda s, N: s > 0),  # more ones than zeros
        classifiers.parity: (one, lambda s, N: s % 2 == 1),
    }
    return rules.get(classifier)


def _label_chunks(source, space: ImageSpace, device: torch.device,
                  chunk: int) -> Iterator[tuple[int, torch.Tensor | None, object]]:
    """Yield (start, uint8 labels of images start..start+len-1, key) over the whole space, in chunks of ``chunk``.

    ``key`` is None, or a value that determines the chunk's labels (the sum over its fixed high entries, for the
    sum-type classifiers): chunks with a key seen before get labels None, and the caller reuses their bits.
    """
    size, N = space.size, space.num_entries
    if isinstance(source, torch.Tensor):
        labels = source.reshape(-1)
        for start in range(0, size, chunk):
            yield start, labels[start:start + chunk].to(device), None
        return
    rule = _entry_sum_rule(source)
    if source is classifiers.first_pixel:
        # label 1 when entry 0 (the most significant index bit) is 1: the second half of the space
        for start in range(0, size, chunk):
            idx = torch.arange(start, min(size, start + chunk), device=device)
            yield start, (idx >= size // 2).to(torch.uint8), None
        return
    if rule is not None:
        values, decide = rule
        k = min(N, max(0, chunk.bit_length() - 1))  # low entries per chunk: 2**k images
        low = torch.zeros(1, dtype=torch.int32, device=device)
        for _ in range(k):
            low = (low[:, None] + values.to(device=device, dtype=torch.int32)[None, :]).reshape(-1)
        seen = set()
        for start in range(0, size, 2**k):
            high_bits = start >> k  # the N - k high entries of every image of this chunk
            high = sum(int(values[(high_bits >> (N - k - 1 - e)) & 1]) for e in range(N - k))
            yield start, None if high in seen else decide(low + high, N).to(torch.uint8), high
            seen.add(high)
        return
    if hasattr(source, "label_chunks"):  # a network whose first layer is linear: its own chunks, no images
        chunks = source.label_chunks(space, device)
        first = next(chunks)
        if first[1].numel() % WORD_BITS == 0 or first[1].numel() == size:  # whole words, as the bitsets need
            yield from ((start, lab, None) for start, lab in itertools.chain([first], chunks))
            return
        chunks.close()
    for start, images in space.chunks(chunk, device):
        yield start, chunk_labels(source(images), images.shape[0], device), None


# ---------------------------------------------------------------------------------------------------- memory
def bitset_bytes(space: ImageSpace, classes: int = 2, device=None) -> int:
    """Bytes of device memory :func:`bitset_census` needs for ``space`` with ``classes`` classes: one bit per image
    per class, one more for the dilation, plus the chunk temporaries (six chunks of words, one labelling chunk)."""
    if not isinstance(space, ImageSpace):
        raise TypeError(f"space must be a perturbkit.spaces.ImageSpace, got {type(space).__name__}")
    classes = check_int("classes", classes, minimum=1)
    device = check_device(device) or torch.device("cpu")
    words = _words(space.size)
    chunk = min(words, _CHUNK_WORDS[device.type])
    label_chunk = min(space.size, _LABEL_CHUNK)
    return 8 * words * (classes + 1) + 8 * 6 * chunk + 16 * label_chunk


def _available_bytes(device: torch.device) -> int:
    """Bytes free on ``device`` (kept here so that tests can pretend less is free)."""
    return available_bytes(device)


# ---------------------------------------------------------------------------------------------------- dilation
def _dilate(src: torch.Tensor, dst: torch.Tensor, N: int, chunk: int, tmp: torch.Tensor) -> int:
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
            shift, mask = 1 << j, _INWORD_MASKS[j]
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


# ---------------------------------------------------------------------------------------------------- census
@dataclass(frozen=True)
class BitsetCensus:
    """The exact d_0 census of a binary space, per class: sizes, robust shares and the histogram of r_0.

    ``classes`` (K,) labels present; ``size`` (K,) images per class (int64); ``space_share`` (K,) = size / 2**N;
    ``t`` (N+1,) radii 0..N in changed entries; ``robust`` (K, N+1): share of the class with r_0 > t, exactly as
    :func:`perturbkit.census.robust_share` computes it; ``histogram`` (K, N+1): number of images of the class with
    r_0 = t (int64; an image with no other class anywhere has r_0 = inf and is in no bin); ``max_robustness`` (K,)
    the largest r_0 in each class (-1 when it is infinite). NumPy arrays on the CPU. ``device`` and ``seconds``
    record where and how fast the census ran.
    """

    classes: np.ndarray
    size: np.ndarray
    space_share: np.ndarray
    t: np.ndarray
    robust: np.ndarray
    histogram: np.ndarray
    max_robustness: np.ndarray
    device: str
    seconds: float

    def robust_share(self) -> RobustShare:
        """The same curves as a :class:`perturbkit.census.RobustShare` (for its plots and helpers)."""
        return RobustShare(classes=self.classes, size=self.size, space_share=self.space_share, t=self.t,
                           robust=self.robust)


def bitset_census(labels, space: ImageSpace, device=None, chunk_words: int | None = None,
                  progress: bool = False) -> BitsetCensus:
    """The exact robust-share curve |C(t)| / |C| (t = 0..N) and the histogram of r_0 of every class of a binary space.

    Args:
        labels: a uint8 tensor with one label per image (index order, as :func:`perturbkit.census.label_space`
            returns), or a classifier (a batched callable from images to integer labels in 0..255) that is run over
            the whole space chunk by chunk, so that no byte per image is ever stored.
        space: a binary :class:`ImageSpace` (levels = 2) of at most 2**62 images.
        device: where the bitsets live and the census runs (default: the device of ``labels``, else the CPU).
        chunk_words: int64 words processed together (default about 1 MiB on the CPU, 512 MiB on a GPU).
        progress: print one line per round (rounds take seconds at 2**34 images).

    Returns a :class:`BitsetCensus`. It equals ``census.robust_share(labels, census.robustness(labels, space, 0),
    range(N + 1))`` exactly, at 1/8 of a byte per image and class instead of about 7 bytes per image.
    """
    import time

    start_time = time.perf_counter()
    if not isinstance(space, ImageSpace):
        raise TypeError(f"space must be a perturbkit.spaces.ImageSpace, got {type(space).__name__}")
    if space.levels != 2:
        raise ValueError(f"the bit-packed census needs a binary space (levels=2), got {space!r}; use "
                         f"perturbkit.census.robustness for more levels")
    progress = check_bool("progress", progress)
    if isinstance(labels, torch.Tensor):
        check_tensor("labels", labels)
        if labels.device.type not in _CHUNK_WORDS:
            raise ValueError(f"labels must be on a CPU or CUDA device, got {labels.device}")
        if labels.dtype != torch.uint8:
            raise TypeError(f"labels must have dtype torch.uint8 (as label_space returns), got {labels.dtype}")
        if labels.numel() != space.size:
            raise ValueError(f"labels must hold one label per image of {space!r}, i.e. {space.size} values, "
                             f"got {labels.numel()}")
        device = check_device(device) or labels.device
    elif callable(labels):
        device = check_device(device) or torch.device("cpu")
    else:
        raise TypeError(f"labels must be a uint8 torch.Tensor or a classifier, got {type(labels).__name__}")
    chunk = check_int("chunk_words", chunk_words, minimum=1) if chunk_words is not None else \
        _CHUNK_WORDS[device.type]
    what = f"the bit-packed census of {space!r}"
    free = _available_bytes(device)
    check_memory(bitset_bytes(space, 2, device), device, what, available=free)  # before anything else is sized
    space.check_indexable()
    N, size = space.num_entries, space.size
    words = _words(size)
    chunk = 1 << (min(chunk, words).bit_length() - 1)  # a power of two: chunks align with the word axes

    # 1. one bitset per class, filled chunk by chunk (chunks are whole words: 2**k images with k >= 6, or the space)
    members: dict[int, torch.Tensor] = {}
    label_chunk = min(_LABEL_CHUNK, size)  # both powers of two: whole words, or the whole (small) space
    cache: dict[object, dict[int, torch.Tensor]] = {}  # key -> the packed bits of each class in such a chunk
    for start, lab, key in _label_chunks(labels, space, device, label_chunk):
        if lab is None:
            packed = cache[key]
        else:
            packed, covered = {}, 0
            for c in members:  # the classes seen so far; count what they cover before looking for new ones
                packed[c] = pack_bits(lab == c)
                covered += popcount(packed[c])
            if covered < lab.numel():
                present = torch.nonzero(torch.bincount(lab.to(torch.int32), minlength=256)).reshape(-1).tolist()
                for c in present:
                    if c in members:
                        continue
                    if len(members) >= 2:  # a third class: check again with one more bitset
                        check_memory(bitset_bytes(space, len(members) + 1, device), device, what,
                                     available=_available_bytes(device) + 8 * words * len(members))
                    members[c] = torch.zeros(words, dtype=torch.int64, device=device)
                    packed[c] = pack_bits(lab == c)
            if key is not None:
                cache[key] = packed
        w0 = start // WORD_BITS
        for c, bits in packed.items():
            members[c][w0:w0 + bits.numel()] = bits
    classes = sorted(members)
    sizes = np.array([sum(popcount(members[c][w:w + chunk]) for w in range(0, words, chunk)) for c in classes],
                     dtype=np.int64)  # chunk by chunk: popcount's temporaries stay chunk-sized

    # 2. per class: dilate the complement round by round; newly reached images of the class have r_0 = t
    t = np.arange(N + 1)
    hist = np.zeros((len(classes), N + 1), dtype=np.int64)
    top = np.full(len(classes), -1, dtype=np.int64)
    valid = None if size % WORD_BITS == 0 else (1 << size) - 1  # spaces under 64 images use the low bits only
    if len(classes) > 1:
        # The class's own bitset becomes its start set (complemented in place): it is not needed again, so the
        # census holds the classes still to come and two dilation sets, one bitset more than there are classes.
        spare = torch.empty(words, dtype=torch.int64, device=device)
        tmp = torch.empty(min(chunk, words), dtype=torch.int64, device=device)
        for i, c in enumerate(classes):
            src, dst = members.pop(c).bitwise_not_(), spare
            if valid is not None:
                src &= valid
            reached = size - int(sizes[i])  # |R_0|: every image outside the class
            rounds = 0
            # ends: any image is within N changes of the start set, so within N rounds (a faulty kernel that
            # stalls overruns hist's N + 1 columns and raises IndexError)
            while reached < size:
                rounds += 1
                count = fused.dilate(src, dst, N)  # the compiled kernel where the device has one
                if count is None:
                    count = _dilate(src, dst, N, chunk, tmp)
                hist[i, rounds] = count - reached
                reached = count
                src, dst = dst, src
                if progress:
                    print(f"class {c}: round {rounds}, {reached:,} of {size:,} images reached", flush=True)
            top[i] = rounds
            spare = dst  # the set of the last round is dropped; the other buffer serves the next class
            del src, dst
    # images with r_0 > t: the class minus those reached within t (robust_share's formula, bit for bit)
    above = sizes[:, None] - np.cumsum(hist, axis=1)
    robust = above / sizes[:, None]
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    return BitsetCensus(classes=np.array(classes, dtype=np.int64), size=sizes, space_share=sizes / size, t=t,
                        robust=robust, histogram=hist, max_robustness=top, device=str(device),
                        seconds=time.perf_counter() - start_time)

