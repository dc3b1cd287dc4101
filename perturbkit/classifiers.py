"""Reference classifiers: batched callables from images (k, channels, n, n), values in [0, 1], to k integer labels.

They work on any ImageSpace (any n, channels, levels) and on the device of their input; labels are int64 on that
device. Each is a deterministic function of the image alone (never of its position in a batch), so
:func:`perturbkit.census.label_space` can label a whole space with them chunk by chunk. Each also declares how it
labels a whole space without images (a :class:`perturbkit.census.Labeller`): the sum-type ones as a table of values
per entry and a rule on the sum (:class:`perturbkit.census.EntrySum`), a network whose first layer is linear by the
sums of that layer's weights.

* :func:`sum_threshold` - the paper's Algorithm 1 (:mod:`perturbkit.sum_classifier`): label 1 when the sum of all
  entries is at least half its maximum;
* :func:`majority` - each entry votes for the end (0 or 1) it is closer to; label 1 when strictly more vote for 1;
* :func:`parity` - parity of the number of entries above 1/2 (on binary images every neighbour flips the label);
* :func:`first_pixel` - label 1 when entry 0 (channel 0, row 0, column 0) is at least 1/2;
* :func:`random_labels` - a seeded pseudo-random labelling with k classes (a hash of the image);
* :func:`from_model` - the arg-max of a torch module's outputs.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from . import sum_classifier
from .census.labelling import EntrySum, LabelChunk, Labeller, entry_sums
from .checks import check_images, check_int, check_model, model_device
from .models import _predict


def _levels(space) -> torch.Tensor:
    return torch.arange(space.levels)


def _votes(space) -> torch.Tensor:
    """Per level: +1 above 1/2, -1 below, 0 at exactly 1/2 (int8)."""
    d = 2 * _levels(space) - (space.levels - 1)
    return d.sign().to(torch.int8)


def _every_entry(space, values: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """The table (num_entries, levels) that gives every entry the same ``values`` per level."""
    return values.to(dtype).expand(space.num_entries, space.levels)


__all__ = ["sum_threshold", "majority", "parity", "first_pixel", "random_labels", "from_model",
           "REFERENCE"]


def _flat(images: torch.Tensor, name: str = "images") -> torch.Tensor:
    check_images(name, images)  # finite (k, channels, n, n) with values in [0, 1]
    return images.flatten(1)


def _sum_threshold(images: torch.Tensor) -> torch.Tensor:
    """The paper's Algorithm 1: label 1 when the sum of all N entries is >= N/2 (half its maximum), else 0.

    :func:`perturbkit.sum_classifier.labels` without the lattice (float64 sum, margin TOLERANCE below N/2)."""
    return sum_classifier.labels(images)


sum_threshold = EntrySum(_sum_threshold, sum_classifier.level_table, sum_classifier.decide_sums)
sum_threshold.__name__ = sum_threshold.__qualname__ = "sum_threshold"


def _majority(images: torch.Tensor) -> torch.Tensor:
    """Each entry votes 1 if > 1/2, 0 if < 1/2 (abstains at exactly 1/2); label 1 when votes for 1 are more.

    On binary images this is the Hamming ball around the all-ones image of radius ceil(N/2) - 1: class 1 holds at
    most half the space, and ties (N even) go to class 0.
    """
    x = _flat(images)
    ones = (x > 0.5 + 1e-6).sum(dim=1)
    zeros = (x < 0.5 - 1e-6).sum(dim=1)
    return (ones > zeros).to(torch.int64)


majority = EntrySum(_majority, lambda space: _every_entry(space, _votes(space), torch.int16),
                    lambda s, space: s > 0)
majority.__name__ = majority.__qualname__ = "majority"


def _parity(images: torch.Tensor) -> torch.Tensor:
    """Parity (0 or 1) of the number of entries above 1/2: on binary images every single change flips it."""
    x = _flat(images)
    return ((x > 0.5 + 1e-6).sum(dim=1) % 2).to(torch.int64)


parity = EntrySum(_parity, lambda space: _every_entry(space, _votes(space) > 0, torch.uint8),
                  lambda s, space: s, modulus=2)
parity.__name__ = parity.__qualname__ = "parity"


def _first_pixel_table(space) -> torch.Tensor:
    """1 for entry 0 at a level >= 1/2, else 0."""
    table = torch.zeros(space.num_entries, space.levels, dtype=torch.uint8)
    table[0] = 2 * _levels(space) >= space.levels - 1
    return table


def _first_pixel(images: torch.Tensor) -> torch.Tensor:
    """Label 1 when entry 0 (channel 0, row 0, column 0) is >= 1/2: a half-space that ignores every other entry."""
    x = _flat(images)
    return (x[:, 0] >= 0.5 - 1e-6).to(torch.int64)


first_pixel = EntrySum(_first_pixel, _first_pixel_table, lambda s, space: s)
first_pixel.__name__ = first_pixel.__qualname__ = "first_pixel"


_P = 2_147_483_647  # the prime 2**31 - 1: products of two residues stay below 2**62, inside int64


def random_labels(k: int, seed: int = 0) -> Callable[[torch.Tensor], torch.Tensor]:
    """A classifier that gives every image a pseudo-random label in 0..k-1, fixed by ``seed``.

    The label is a hash of the image's entries (rounded to 1/65535), so it depends on the image only: the same
    image always gets the same label, on any device and in any batch. Entry values v_i (integers up to 65535) are
    combined as h = sum_i v_i * a_i mod P with seeded random a_i, mixed by h -> (h * h + b) mod P twice, and
    reduced mod k.
    """
    k = check_int("k", k, minimum=1)
    seed = check_int("seed", seed, minimum=0)
    gen = torch.Generator().manual_seed(seed)
    b1, b2 = (int(v) for v in torch.randint(1, _P, (2,), generator=gen))
    coefficients: dict[int, torch.Tensor] = {}

    def coefficient(N: int) -> torch.Tensor:
        if N not in coefficients:
            g = torch.Generator().manual_seed(seed * 1_000_003 + N)
            coefficients[N] = torch.randint(1, _P, (N,), generator=g, dtype=torch.int64)
        return coefficients[N]

    def mix(h: torch.Tensor) -> torch.Tensor:
        h = (h * h + b1).remainder(_P)
        h = (h * h + b2).remainder(_P)
        return h.remainder(k)

    def classify(images: torch.Tensor) -> torch.Tensor:
        x = _flat(images)
        a = coefficient(x.shape[1]).to(x.device)
        v = torch.round(x.to(torch.float64) * 65535).to(torch.int64)
        return mix((v * a).remainder(_P).sum(dim=1).remainder(_P))  # terms < 2**47, sums < 2**63 for N < 2**16

    def table(space) -> torch.Tensor:  # (entries, levels): each entry's hash term at each level
        a = coefficient(space.num_entries)
        v = torch.round(_levels(space).to(torch.float64) / (space.levels - 1) * 65535).to(torch.int64)
        return (v[None, :] * a[:, None]).remainder(_P)

    classify.__name__ = classify.__qualname__ = f"random_labels(k={k}, seed={seed})"
    # a hash: chunks seldom share a sum, so no census keeps chunks for reuse (keyed=False)
    return EntrySum(classify, table, lambda h, space: mix(h), modulus=_P, keyed=False)


def from_model(model: torch.nn.Module, batch_size: int = 65536) -> Callable[[torch.Tensor], torch.Tensor]:
    """A classifier from a torch module that maps images (k, channels, n, n) to scores (k, classes): the arg-max.

    The module is put in eval mode and run without gradients on its own device (images are moved there and labels
    moved back), ``batch_size`` images at a time to bound memory.
    """
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    batch_size = check_int("batch_size", batch_size, minimum=1)

    def classify(images: torch.Tensor) -> torch.Tensor:
        _flat(images)
        if images.shape[0] == 0:
            return torch.empty(0, dtype=torch.int64, device=images.device)
        # one image on the model's device: a model that does not fit fails clearly
        check_model(model, images[:1].to(model_device(model, images.device)), "images")
        return _predict(model, images, batch_size)

    classify.__name__ = classify.__qualname__ = f"from_model({type(model).__name__})"
    layers = list(getattr(model, "net", model).children()) if isinstance(getattr(model, "net", model),
                                                                        torch.nn.Sequential) else []
    if len(layers) >= 2 and isinstance(layers[0], torch.nn.Flatten) and isinstance(layers[1], torch.nn.Linear):
        return _LinearFirstLayer(classify, model, layers[1], torch.nn.Sequential(*layers[2:]), batch_size)
    return classify


class _LinearFirstLayer(Labeller):
    """A network whose first layer is linear, declared as a labeller: its output over a space is a sum over entries
    of weight * level, so the low k entries' part is computed once, the high part once per chunk, and the rest of
    the network runs per chunk of L**k <= batch_size images, without building images."""

    def __init__(self, classify, model: torch.nn.Module, first: torch.nn.Linear, rest: torch.nn.Module,
                 batch_size: int):
        super().__init__(classify)
        self.model, self.first, self.rest, self.batch_size = model, first, rest, batch_size

    def __repr__(self) -> str:
        return f"<classifier {self.__name__}>"

    def label_chunks(self, space, device=None, chunk: int | None = None):
        """Yield (start, uint8 labels on ``device``) over the whole space in index order, in aligned chunks of
        L**k <= batch_size images (the network's own batch, whatever ``chunk`` asks)."""
        model, first, batch_size = self.model, self.first, self.batch_size
        model.eval()
        dev = next(model.parameters()).device
        N, L = space.num_entries, space.levels
        if first.in_features != N:
            raise ValueError(f"model expects {first.in_features} inputs, {space!r} has {N} entries")
        k = min(N, max(1, (batch_size.bit_length() - 1) // max(1, (L - 1).bit_length())))
        while L**k > batch_size and k > 1:  # ends: k falls by one, to 1 at the least
            k -= 1
        levels = torch.arange(L, device=dev, dtype=torch.float32) / (L - 1)
        # (N, L, hidden): the first layer's contribution of entry i at each level
        table = levels[None, :, None] * first.weight.detach().T[:, None, :]
        # inference mode around each computation, never around a yield: the caller's code between two chunks
        # would run in it too (and make its own tensors inference tensors)
        with torch.inference_mode():
            low = entry_sums(table[N - k:], dev) + first.bias
            high = entry_sums(table[:N - k], dev)
        for j in range(high.shape[0]):
            with torch.inference_mode():
                labels = self.rest(low + high[j]).argmax(dim=1).to(device=device, dtype=torch.uint8)
            yield LabelChunk(j * L**k, labels)


# The classifiers that need no arguments, by name: what the lessons' pickers offer.
REFERENCE = {
    "sum threshold (Algorithm 1)": sum_threshold,
    "majority": majority,
    "first pixel": first_pixel,
    "parity": parity,
    "random (2 classes)": random_labels(2, seed=0),
}
