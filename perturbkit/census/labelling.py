"""Labelling a whole image space: the label of every image, in index order, from any classifier.

A classifier is any batched callable from float32 images (k, channels, n, n) to k integer labels in 0..255; it is
run on the images of the space chunk by chunk. A classifier may also *declare* how to label a whole space without
building images, by being a :class:`Labeller`:

* :class:`EntrySum` - a sum-type classifier: a table of values per entry and level, and a rule on the sum of the
  table's values over an image's entries (the sum threshold, majority, parity, first pixel, seeded random labels).
  The sums of all L**N images come from :func:`entry_sums`, N broadcast additions, instead of L**N images of N floats;
* any other subclass that yields its labels chunk by chunk (e.g. a network whose first layer is linear,
  :func:`perturbkit.classifiers.from_model`).

The declaration is the type of the object, never an attribute stuck on a function: a Labeller wrapped in anything
else (``functools.partial``, a lambda) is a plain callable and takes the image path, with the same labels. Both
censuses (:func:`label_space` for the dense one and :func:`perturbkit.census.bitset.bitset_census`) read labels
through :func:`label_chunks`, so a classifier gets the same labels in both.
"""

from __future__ import annotations

import abc
import functools
from collections.abc import Callable, Iterator
from typing import NamedTuple

import torch
from tqdm.auto import tqdm

from ..checks import check_bool, check_device, check_int, check_memory
from ..spaces import ImageSpace

__all__ = ["Labeller", "EntrySum", "LabelChunk", "entry_sums", "chunk_labels", "label_chunks", "label_space",
           "PROGRESS_FROM"]

# Labelling fewer images than this one by one takes about a second on a laptop CPU: no progress bar by default.
PROGRESS_FROM = 2**20


class LabelChunk(NamedTuple):
    """Images ``start``, ``start + 1``, ... of a space have the uint8 ``labels`` (a 1-D tensor on the requested
    device). ``key`` is None or a value that determines the chunk's labels: a chunk whose key was yielded before may
    come with ``labels`` None, and then has the labels of that chunk."""

    start: int
    labels: torch.Tensor | None
    key: object = None


def chunk_labels(out, k: int, device) -> torch.Tensor:
    """A classifier's answer for a chunk of k images as uint8 labels on ``device``, or a clear error (labels must be
    k integers in 0..255).

    Examples
    --------
    A list of three labels for three images, then two labels where three were due:

    >>> chunk_labels([0, 1, 1], 3, "cpu").tolist()
    [0, 1, 1]
    >>> chunk_labels([0, 1], 3, "cpu")
    Traceback (most recent call last):
    ...
    ValueError: classifier returned 2 labels for a batch of 3 images
    """
    try:
        out = torch.as_tensor(out)
    except (TypeError, ValueError, RuntimeError) as e:
        raise TypeError(f"classifier must return a tensor or array of integer labels, got {type(out).__name__}") from e
    if out.device.type == "meta":
        raise ValueError("classifier returned a tensor on the meta device, which holds no labels")
    if out.dtype.is_floating_point or out.dtype == torch.bool or out.is_complex():
        raise TypeError(f"classifier must return integer labels, got dtype {out.dtype}")
    out = out.reshape(-1)
    if out.numel() != k:
        raise ValueError(f"classifier returned {out.numel()} labels for a batch of {k} images")
    lo, hi = int(out.min()), int(out.max())
    if lo < 0 or hi > 255:
        raise ValueError(f"classifier labels must lie in 0..255, got values in [{lo}, {hi}]")
    return out.to(device=device, dtype=torch.uint8)


# ---------------------------------------------------------------------------------------------------- the protocol
class Labeller(abc.ABC):
    """A classifier (called on images (k, channels, n, n), it returns k integer labels) that also labels a whole
    space without images, chunk by chunk, in index order.

    Examples
    --------
    The reference classifier ``majority`` is a Labeller (an :class:`EntrySum`): called on images it is the
    classifier it wraps, and on a whole space it gives the same labels without building the images:

    >>> from perturbkit.classifiers import majority
    >>> from perturbkit.spaces import ImageSpace
    >>> on_images = majority(ImageSpace(2).images([3, 7, 15])).tolist()
    >>> isinstance(majority, Labeller), on_images, majority.whole_space(ImageSpace(2))[[3, 7, 15]].tolist()
    (True, [0, 1, 1], [0, 1, 1])
    """

    def __init__(self, classify: Callable):
        # the labeller is the classifier it declares: it labels images as ``classify`` does and carries its name,
        # docstring and signature, so wrapping a function in a labeller changes no label
        self.classify = classify
        functools.update_wrapper(self, classify)

    def __call__(self, images: torch.Tensor) -> torch.Tensor:
        """Labels of a batch of images, as ``classify`` gives them."""
        return self.classify(images)

    @abc.abstractmethod
    def label_chunks(self, space: ImageSpace, device: torch.device, chunk: int) -> Iterator[LabelChunk]:
        """Yield :class:`LabelChunk` s that cover ``space`` in index order, consecutive and aligned to powers of the
        number of levels, with labels (uint8) on ``device``. ``chunk`` is the number of images per chunk the caller
        asks for; a labeller may choose smaller chunks (a network bounds its batch), which the caller checks.

        Examples
        --------
        The 2x2 binary space in chunks of 4 images, labelled by ``majority``: chunk 8 (images 1000..1011) has the
        key of chunk 4 (images 0100..0111), so it comes without labels and has the labels of that chunk:

        >>> import torch
        >>> from perturbkit.classifiers import majority
        >>> from perturbkit.spaces import ImageSpace
        >>> for start, labels, key in majority.label_chunks(ImageSpace(2), torch.device("cpu"), 4):
        ...     print(start, None if labels is None else labels.tolist())
        0 [0, 0, 0, 0]
        4 [0, 0, 0, 1]
        8 None
        12 [0, 1, 1, 1]
        """

    def whole_space(self, space: ImageSpace, device=None) -> torch.Tensor:
        """The labels (uint8, shape (space.size,), on ``device``) of every image of ``space``.

        Examples
        --------
        ``majority`` on the 16 images of the 2x2 binary space: label 1 for 3 or 4 ones (2 ones is a tie, label 0):

        >>> from perturbkit.classifiers import majority
        >>> from perturbkit.spaces import ImageSpace
        >>> majority.whole_space(ImageSpace(2)).tolist()
        [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 1]
        """
        device = check_device(device) or torch.device("cpu")
        out = torch.empty(space.size, dtype=torch.uint8, device=device)
        by_key = {}
        for start, labels, key in self.label_chunks(space, device, space.size):
            labels = by_key[key] if labels is None else labels
            if key is not None:
                by_key[key] = labels
            out[start:start + labels.numel()] = labels
        return out


def entry_sums(table: torch.Tensor, device=None, modulus: int | None = None) -> torch.Tensor:
    """sum_i table[i, digit_i] for every combination of digits, in index order (entry 0 is the most significant
    digit): shape (L**n, *extra) for a table of shape (n, L, *extra), in the table's dtype, on ``device``.

    n broadcast additions s <- s[:, None] + table[i][None, :]; with ``modulus`` (table values below it) every partial
    sum is reduced by one conditional subtraction, no division. The whole-space sum of every sum-type labelling.
    """
    extra = tuple(table.shape[2:])
    s = torch.zeros((1, *extra), dtype=table.dtype, device=device)
    for row in table.to(device=device):
        s = (s[:, None] + row[None, :]).reshape(-1, *extra)
        if modulus is not None:  # both terms are below the modulus
            s = torch.where(s >= modulus, s - modulus, s)
    return s


class EntrySum(Labeller):
    """A sum-type classifier: ``classify`` on images, and on a whole space ``rule(sums, space)`` applied to the sums
    over an image's entries of ``table(space)[i, digit_i]``.

    ``table(space)`` is an integer tensor of shape (num_entries, levels) whose dtype holds every sum (reduced
    modulo ``modulus`` when given); ``rule`` maps a tensor of sums to integer or boolean labels. ``keyed``: chunks
    whose high entries have the same sum have the same labels, so a census may reuse a chunk's labels (False for a
    hash, whose sums seldom repeat). Attributes of ``classify`` (name, docstring, signature) are carried over.

    Examples
    --------
    A toy rule on binary images, label 1 from 3 ones on: each entry adds its level (0 or 1) to the sum, and the rule
    compares the sum with 3. The declared labels are those of the plain function, which it keeps as its name:

    >>> import torch
    >>> from perturbkit.spaces import ImageSpace
    >>> def three(images): return (images.flatten(1).sum(1) >= 3).long()
    >>> rule = EntrySum(three, lambda space: torch.tensor([[0, 1]] * space.num_entries), lambda s, space: s >= 3)
    >>> space = ImageSpace(2)
    >>> rule.whole_space(space).tolist() == three(space.images(torch.arange(16))).tolist(), rule.__name__
    (True, 'three')

    :func:`label_space` takes the declared path: the images with 3 or 4 ones (0111, 1011, 1101, 1110, 1111):

    >>> label_space(rule, space).tolist()
    [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 1]
    """

    def __init__(self, classify: Callable, table: Callable[[ImageSpace], torch.Tensor],
                 rule: Callable[[torch.Tensor, ImageSpace], torch.Tensor], modulus: int | None = None,
                 keyed: bool = True):
        super().__init__(classify)
        self.table, self.rule, self.modulus, self.keyed = table, rule, modulus, keyed

    def __repr__(self) -> str:
        return f"<sum-type classifier {self.__name__}>"

    def label_chunks(self, space: ImageSpace, device: torch.device, chunk: int) -> Iterator[LabelChunk]:
        """Chunks of L**k images (the largest k with L**k <= ``chunk``): the sums of the k low entries are computed
        once, each chunk adds the sum of its high entries, whose value is the chunk's key (with ``keyed``).

        Examples
        --------
        ``sum_threshold`` on the 2x2 binary space, 4 images per chunk: the key is the number of ones among the two
        high entries, so chunk 8 (high entries 10) repeats the key 1 of chunk 4 (high entries 01):

        >>> import torch
        >>> from perturbkit.classifiers import sum_threshold
        >>> from perturbkit.spaces import ImageSpace
        >>> for start, labels, key in sum_threshold.label_chunks(ImageSpace(2), torch.device("cpu"), 4):
        ...     print(start, key, None if labels is None else labels.tolist())
        0 0 [0, 0, 0, 1]
        4 1 [0, 1, 1, 1]
        8 1 None
        12 2 [1, 1, 1, 1]
        """
        L, N = space.levels, space.num_entries
        k = 0  # low entries per chunk: the largest k <= N with L**k <= chunk
        while k < N and L ** (k + 1) <= chunk:  # ends: k rises by one, to N at most
            k += 1
        table = self.table(space)
        low = entry_sums(table[N - k:], device, self.modulus)  # the same for every chunk
        rows = table[:N - k].tolist()
        seen = set()
        for j in range(L ** (N - k)):
            high = 0  # the sum over the N - k high entries, whose digits are those of j
            for e, row in enumerate(rows):
                high += row[(j // L ** (N - k - 1 - e)) % L]
            if self.modulus is not None:
                high %= self.modulus
            key = high if self.keyed else None
            if key is not None and key in seen:
                yield LabelChunk(j * L**k, None, key)
                continue
            s = low + high if high else low  # no copy of the whole space's sums
            if self.modulus is not None:
                s = torch.where(s >= self.modulus, s - self.modulus, s)
            yield LabelChunk(j * L**k, self.rule(s, space).to(torch.uint8), key)
            seen.add(key)


# ---------------------------------------------------------------------------------------------------- labelling
def label_chunks(classifier, space: ImageSpace, device: torch.device, chunk: int) -> Iterator[LabelChunk]:
    """The labels of ``space`` chunk by chunk: a :class:`Labeller` 's own chunks, else the classifier run on the
    images of :meth:`ImageSpace.chunks` (chunks of at most ``chunk`` images)."""
    if isinstance(classifier, Labeller):
        yield from classifier.label_chunks(space, device, chunk)
        return
    for start, images in space.chunks(chunk, device):
        yield LabelChunk(start, chunk_labels(classifier(images), images.shape[0], device))


def label_space(classifier, space: ImageSpace, batch_size: int | None = None, device=None,
                progress: bool | None = None) -> torch.Tensor:
    """The label of every image of ``space``, in index order, as a uint8 tensor of shape (space.size,) on ``device``.

    ``classifier`` is a batched callable from float32 images (k, channels, n, n) on ``device`` to k integer labels
    in 0..255 (any integer dtype, any device). Images are fed in chunks of about ``batch_size`` (default 65536) with
    a tqdm progress bar (notebook-aware; by default shown from ``PROGRESS_FROM`` images up; ``True``/``False``
    force it); chunks come from :meth:`ImageSpace.chunks`. A :class:`Labeller` (the reference classifiers of
    :mod:`perturbkit.classifiers`) labels the space its own way, without images, to the same labels.

    Examples
    --------
    The 16 images of the 2x2 binary space labelled by the sum threshold (label 1 from 2 ones on):

    >>> from perturbkit.classifiers import sum_threshold
    >>> from perturbkit.spaces import ImageSpace
    >>> label_space(sum_threshold, ImageSpace(2)).tolist()
    [0, 0, 0, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1]

    Any batched callable is run on the images, here "label 1 when the top left pixel (entry 0) is on":

    >>> label_space(lambda x: x[:, 0, 0, 0].long(), ImageSpace(2)).tolist()
    [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1]
    """
    if not isinstance(space, ImageSpace):
        raise TypeError(f"space must be a perturbkit.spaces.ImageSpace, got {type(space).__name__}")
    if not callable(classifier):
        raise TypeError(f"classifier must be a callable from images (k, c, n, n) to labels, got {classifier!r}")
    batch_size = 65536 if batch_size is None else check_int("batch_size", batch_size, minimum=1)
    device = check_device(device) or torch.device("cpu")
    progress = space.size >= PROGRESS_FROM if progress is None else check_bool("progress", progress)
    # memory first: a space too large for int64 indices gets the same MemoryError, naming the bytes
    check_memory(space.size + 40 * min(batch_size, space.size) * space.num_entries, device, f"labelling {space!r}")
    space.check_indexable()
    if isinstance(classifier, Labeller):
        return classifier.whole_space(space, device).to(device=device, dtype=torch.uint8)
    labels = torch.empty(space.size, dtype=torch.uint8, device=device)
    with tqdm(total=space.size, disable=not progress, unit="img", unit_scale=True, desc="labelling") as bar:
        for start, lab, _ in label_chunks(classifier, space, device, batch_size):
            labels[start:start + lab.numel()] = lab
            bar.update(lab.numel())
    return labels
