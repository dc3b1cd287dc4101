"""The census's tuning constants, all in one place: sizes of blocks, chunks and strips, and when the compiled kernels
pay. None of them changes a result (the tests run the censuses with small and large values and compare); they only
trade memory for speed. Modules read them at call time (``tuning.NAME``), so a test or a benchmark sets them with
``monkeypatch.setattr(tuning, "NAME", value)``. Measurements behind the values: benchmarks/README.md.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------------------------------- dense census
# None: whole-array passes. A number of bytes: contiguous blocks of that size get their last axes while they sit in
# the CPU cache, then column strips of about that size get the first axes. Blocks of a few MiB beat whole-array
# passes on the course's CPUs and much smaller ones lose to per-op overhead.
CPU_BLOCK_BYTES: int | None = 4 * 2**20
# values per histogram chunk in robust_share (4 Mi values: 32 MiB of int64 keys)
SHARE_CHUNK = 2**22

# ---------------------------------------------------------------------------------------------------- bit-packed census
# int64 words per dilation chunk: about 1 MiB on the CPU (the chunk and its temporaries stay in L2/L3), 512 MiB on a
# GPU. The keys are the device types the bit-packed census runs on.
CHUNK_WORDS = {"cpu": 2**17, "cuda": 2**26}
# images per labelling chunk: the uint8 labels and the classifier's temporaries of one chunk
LABEL_CHUNK = 2**22

# ---------------------------------------------------------------------------------------------------- fused kernels
# The CPU kernels' first use in a process costs about 1.7 s (numba's import and cache load; about 10 s when they
# compile, after an install) and saves about 0.35 s per census of 2^25 images: from about 2^27 images they repay it.
# Below, the torch-only versions run, so the lessons' spaces (up to 2^25) never pay. Tests and benchmarks lower it.
CPU_MIN_ENTRIES = 2**27
# Census blocks and strips of this many bytes sit in one core's L2 cache while they get their passes.
CPU_CACHE_BYTES = 2**18
# Dilation: chunks of 4 MiB of words (in the L3 cache) get their in-chunk axes, strips of 512 KiB the others.
CPU_CHUNK_WORDS, CPU_STRIP_WORDS = 2**19, 2**16
