"""Bit-packed census of binary image spaces: the exact robust-share curve of every class, one bit per image.

For a labelling of all 2**N images of a binary space (levels = 2), the robustness r_0 of an image of class C is the
Hamming distance to the nearest image outside C. Start from the set R_0 = "every image outside C" and dilate it by
one Hamming step per round: R_t = R_{t-1} united with every image that differs from R_{t-1} in one entry. The images
of C that R_t reaches for the first time have r_0 = t, so |C(t)| = |C| - (|R_t| - |R_0|) images of C have r_0 > t.
The whole curve |C(t)| / |C| for t = 0..N and the histogram of r_0 come from one popcount per round.

Layout: one bit per image in int64 words, as :mod:`perturbkit.census.reference` describes; a Hamming step is an OR
of shifted words inside a word and of partner words across words. The words are processed in chunks
(``chunk_words``): every Hamming step of a chunk and its popcount are done while the chunk sits in the cache, and
each round reads the set once per cross-chunk axis and writes it once.

Memory: one bit per image for each class present, plus one more for the dilation (each class's own bitset becomes
its start set; the set and its next round alternate between it and one spare), plus a few chunks of temporaries.
2**34 images of two classes take 6 GiB; 2**36 take 24 GiB. Everything runs on one device (CPU or CUDA), with plain
torch ops on int64 words or the compiled kernels of :mod:`perturbkit.census.fused`; the memory check refuses, naming
the bytes needed and available, before anything large is allocated.

Labels come from a uint8 tensor (:func:`perturbkit.census.label_space`), or from a classifier, chunk by chunk, so the
space never needs a byte per image: :func:`perturbkit.census.labelling.label_chunks` gives a declared
:class:`~perturbkit.census.labelling.Labeller` (the reference classifiers, networks whose first layer is linear)
its own chunks without images, any other classifier the chunk's images.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import torch

from .. import checks
from ..checks import check_bool, check_device, check_int, check_memory, check_tensor
from ..spaces import ImageSpace
from . import fused, tuning
from .labelling import LabelChunk, chunk_labels, label_chunks
from .reference import WORD_BITS, dilate, pack_bits, popcount, words
from .shares import RobustShare

__all__ = ["BitsetCensus", "bitset_census", "bitset_bytes", "pack_bits", "popcount"]


# ---------------------------------------------------------------------------------------------------- labels
def _label_chunks(source, space: ImageSpace, device: torch.device, chunk: int) -> Iterator[LabelChunk]:
    """The labels of the whole space (a uint8 tensor or a classifier's) in :class:`LabelChunk` s of whole words.

    A chunk with a key seen before comes with labels None, and the caller reuses its bits.
    """
    size = space.size
    if isinstance(source, torch.Tensor):
        labels = source.reshape(-1)
        for start in range(0, size, chunk):
            yield LabelChunk(start, labels[start:start + chunk].to(device))
        return
    chunks = label_chunks(source, space, device, chunk)
    first = next(chunks)
    if first.labels.numel() % WORD_BITS == 0 or first.labels.numel() == size:  # whole words, as the bitsets need
        yield from itertools.chain([first], chunks)
        return
    chunks.close()  # a labeller's own chunks under one word (a network's small batches): the images instead
    for start, images in space.chunks(chunk, device):
        yield LabelChunk(start, chunk_labels(source(images), images.shape[0], device))


# ---------------------------------------------------------------------------------------------------- memory
def bitset_bytes(space: ImageSpace, classes: int = 2, device=None) -> int:
    """Bytes of device memory :func:`bitset_census` needs for ``space`` with ``classes`` classes: one bit per image
    per class, one more for the dilation, plus the chunk temporaries (six chunks of words, one labelling chunk).

    Examples
    --------
    The 512 images of the 3x3 binary space fill 8 words: 3 bitsets of 8 words and 6 chunks of 8 words (8 bytes per
    word), and a labelling chunk of 512 images at 16 bytes each:

    >>> from perturbkit.spaces import ImageSpace
    >>> bitset_bytes(ImageSpace(3)), 8 * 8 * 3 + 8 * 6 * 8 + 16 * 512
    (8768, 8768)
    """
    if not isinstance(space, ImageSpace):
        raise TypeError(f"space must be a perturbkit.spaces.ImageSpace, got {type(space).__name__}")
    classes = check_int("classes", classes, minimum=1)
    device = check_device(device) or torch.device("cpu")
    n_words = words(space.size)
    chunk = min(n_words, tuning.CHUNK_WORDS[device.type])
    label_chunk = min(space.size, tuning.LABEL_CHUNK)
    return 8 * n_words * (classes + 1) + 8 * 6 * chunk + 16 * label_chunk


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

    Examples
    --------
    The 2x2 binary sum threshold: class 0 (5 images) has four images with r_0 = 1 and one with r_0 = 2, class 1
    (11 images) six with r_0 = 1, four with 2 and the all-1 image with 3:

    >>> from perturbkit.classifiers import sum_threshold
    >>> from perturbkit.spaces import ImageSpace
    >>> c = bitset_census(sum_threshold, ImageSpace(2))
    >>> c.classes.tolist(), c.size.tolist(), c.histogram.tolist(), c.max_robustness.tolist()
    ([0, 1], [5, 11], [[0, 4, 1, 0, 0], [0, 6, 4, 1, 0]], [2, 3])
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
        """The same curves as a :class:`perturbkit.census.RobustShare` (for its plots and helpers).

        Examples
        --------
        >>> from perturbkit.classifiers import sum_threshold
        >>> from perturbkit.spaces import ImageSpace
        >>> share = bitset_census(sum_threshold, ImageSpace(2)).robust_share()
        >>> share.t.tolist(), share.robust.round(4).tolist()
        ([0, 1, 2, 3, 4], [[1.0, 0.2, 0.0, 0.0, 0.0], [1.0, 0.4545, 0.0909, 0.0, 0.0]])
        """
        return RobustShare(classes=self.classes, size=self.size, space_share=self.space_share, t=self.t,
                           robust=self.robust)

    @classmethod
    def from_counts(cls, classes, size, histogram, max_robustness, space: ImageSpace, device: str,
                    seconds: float) -> BitsetCensus:
        """The census of ``space`` from its integers: class labels, sizes, the (K, N + 1) histogram of r_0 and the
        largest r_0 of each class; the shares by :meth:`RobustShare.from_histogram` (for a computed census and a
        stored one alike).

        Examples
        --------
        The integers of the 2x2 binary sum threshold's census (see :class:`BitsetCensus`) give back its shares:

        >>> from perturbkit.spaces import ImageSpace
        >>> c = BitsetCensus.from_counts([0, 1], [5, 11], [[0, 4, 1, 0, 0], [0, 6, 4, 1, 0]], [2, 3], ImageSpace(2),
        ...                               device="cpu", seconds=0.0)
        >>> c.t.tolist(), c.robust.round(4).tolist()
        ([0, 1, 2, 3, 4], [[1.0, 0.2, 0.0, 0.0, 0.0], [1.0, 0.4545, 0.0909, 0.0, 0.0]])
        """
        share = RobustShare.from_histogram(classes, size, histogram, np.arange(space.num_entries + 1),
                                           total=space.size)
        return cls(classes=share.classes, size=share.size, space_share=share.space_share, t=share.t,
                   robust=share.robust, histogram=np.asarray(histogram, dtype=np.int64),
                   max_robustness=np.asarray(max_robustness, dtype=np.int64), device=device, seconds=seconds)


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

    Examples
    --------
    The 3x3 binary sum threshold (label 1 from 5 ones on): the bit-packed census equals the dense one, and an image
    of class 1 with k ones has r_0 = k - 4 (126 images with 5 ones, 84 with 6, ..., 1 with 9):

    >>> from perturbkit.census import label_space, robust_share, robustness
    >>> from perturbkit.classifiers import sum_threshold
    >>> from perturbkit.spaces import ImageSpace
    >>> labels = label_space(sum_threshold, ImageSpace(3))
    >>> dense = robust_share(labels, robustness(labels, ImageSpace(3), 0), range(10))
    >>> c = bitset_census(labels, ImageSpace(3))
    >>> bool((c.robust == dense.robust).all()), c.histogram[1].tolist()
    (True, [0, 126, 84, 36, 9, 1, 0, 0, 0, 0])
    """
    start_time = time.perf_counter()
    if not isinstance(space, ImageSpace):
        raise TypeError(f"space must be a perturbkit.spaces.ImageSpace, got {type(space).__name__}")
    if space.levels != 2:
        raise ValueError(f"the bit-packed census needs a binary space (levels=2), got {space!r}; use "
                         f"perturbkit.census.robustness for more levels")
    progress = check_bool("progress", progress)
    if isinstance(labels, torch.Tensor):
        check_tensor("labels", labels)
        if labels.device.type not in tuning.CHUNK_WORDS:
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
        tuning.CHUNK_WORDS[device.type]
    what = f"the bit-packed census of {space!r}"
    check_memory(bitset_bytes(space, 2, device), device, what)  # before anything else is sized
    space.check_indexable()
    N, size = space.num_entries, space.size
    n_words = words(size)
    chunk = 1 << (min(chunk, n_words).bit_length() - 1)  # a power of two: chunks align with the word axes

    # 1. one bitset per class, filled chunk by chunk (chunks are whole words: 2**k images with k >= 6, or the space)
    members: dict[int, torch.Tensor] = {}
    label_chunk = min(tuning.LABEL_CHUNK, size)  # both powers of two: whole words, or the whole (small) space
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
                                     available=checks.available_bytes(device) + 8 * n_words * len(members))
                    members[c] = torch.zeros(n_words, dtype=torch.int64, device=device)
                    packed[c] = pack_bits(lab == c)
            if key is not None:
                cache[key] = packed
        w0 = start // WORD_BITS
        for c, bits in packed.items():
            members[c][w0:w0 + bits.numel()] = bits
    classes = sorted(members)
    sizes = np.array([sum(popcount(members[c][w:w + chunk]) for w in range(0, n_words, chunk)) for c in classes],
                     dtype=np.int64)  # chunk by chunk: popcount's temporaries stay chunk-sized

    # 2. per class: dilate the complement round by round; newly reached images of the class have r_0 = t
    hist = np.zeros((len(classes), N + 1), dtype=np.int64)
    top = np.full(len(classes), -1, dtype=np.int64)
    valid = None if size % WORD_BITS == 0 else (1 << size) - 1  # spaces under 64 images use the low bits only
    if len(classes) > 1:
        # The class's own bitset becomes its start set (complemented in place): it is not needed again, so the
        # census holds the classes still to come and two dilation sets, one bitset more than there are classes.
        spare = torch.empty(n_words, dtype=torch.int64, device=device)
        tmp = torch.empty(min(chunk, n_words), dtype=torch.int64, device=device)
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
                    count = dilate(src, dst, N, chunk, tmp)
                hist[i, rounds] = count - reached
                reached = count
                src, dst = dst, src
                if progress:
                    print(f"class {c}: round {rounds}, {reached:,} of {size:,} images reached", flush=True)
            top[i] = rounds
            spare = dst  # the set of the last round is dropped; the other buffer serves the next class
            del src, dst
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    return BitsetCensus.from_counts(classes, sizes, hist, top, space, device=str(device),
                                    seconds=time.perf_counter() - start_time)

