"""Exact robustness census of a whole image space: the label of every image, and for every image the exact distance
to the nearest image with another label; per class, the share of its images that stay robust at each radius.

The package in layers, each importing only the layers below it (tests/test_import_graph.py checks it):

1. reference - :mod:`~perturbkit.census.reference` (the torch-only passes and the bit layout of the bit-packed
   census) and :mod:`~perturbkit.census.tuning` (every block, chunk and strip size in one place);
2. fused - :mod:`~perturbkit.census.fused`, the compiled kernels (numba, Triton), checked against the reference;
3. labelling and shares - :mod:`~perturbkit.census.labelling` (:func:`label_space`, the :class:`Labeller`
   protocol with which a classifier declares how it labels a space without images) and
   :mod:`~perturbkit.census.shares` (:class:`RobustShare`, :func:`robust_share`);
4. censuses - :mod:`~perturbkit.census.dense` (:func:`robustness` in any d_p, :func:`bound_report`) and
   :mod:`~perturbkit.census.bitset` (:func:`bitset_census`, d_0 on binary spaces at one bit per image);
5. records - :mod:`~perturbkit.census.records`, stored censuses with their provenance (imported on use:
   ``from perturbkit.census import records``).
"""

from __future__ import annotations

from .bitset import BitsetCensus, bitset_bytes, bitset_census, pack_bits, popcount
from .dense import bound_report, census_bytes, robustness
from .labelling import PROGRESS_FROM, EntrySum, Labeller, chunk_labels, label_space
from .shares import RobustShare, robust_share

__all__ = ["label_space", "robustness", "robust_share", "RobustShare", "census_bytes", "bound_report",
           "BitsetCensus", "bitset_census", "bitset_bytes", "pack_bits", "popcount", "Labeller", "EntrySum",
           "chunk_labels", "PROGRESS_FROM"]
