"""Reference classifiers: batched callables from images (k, channels, n, n), values in [0, 1], to k integer labels.

They work on any ImageSpace (any n, channels, levels) and on the device of their input; labels are int64 on that
device. Each is a deterministic function of the image alone (never of its position in a batch), so
:func:`perturbkit.census.label_space` can label a whole space with them chunk by chunk.

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
from .checks import check_images, check_int, check_model, model_device
from .models import _predict

# Whole-space labelling without images. A reference classifier's label is a function of a sum over entries of a
# per-entry value, so the labels of all L**N images, in index order, come from N broadcast additions
# (s <- s[:, None] + value_i[None, :]) instead of evaluating L**N images of N floats each.
# perturbkit.census.label_space uses `classifier.whole_space(space, device)` when it exists.


def _entry_sums(space, values, dtype, device, modulus: int | None = None) -> torch.Tensor:
    """sum_i values(i)[digit_i] for every image of ``space`` in index order; ``values(i)`` is a (levels,) tensor."""
    s = torch.zeros(1, dtype=dtype, device=device)
    for i in range(space.num_entries):
        s = (s[:, None] + values(i).to(device=device, dtype=dtype)[None, :]).reshape(-1)
        if modulus is not None:  # both terms are below the modulus: one conditional subtraction, no division
            s = torch.where(s >= modulus, s - modulus, s)
    return s


def _levels(space) -> torch.Tensor:
    return torch.arange(space.levels)


def _votes(space) -> torch.Tensor:
    """Per level: +1 above 1/2, -1 below, 0 at exactly 1/2 (int8)."""
    d = 2 * _levels(space) - (space.levels - 1)
    return d.sign().to(torch.int8)

__all__ = ["sum_threshold", "majority", "parity", "first_pixel", "random_labels", "from_model",
           "REFERENCE"]


def _flat(images: torch.Tensor, name: str = "images") -> torch.Tensor:
    check_images(name, images)  # finite (k, channels, n, n) with values in [0, 1]
    return images.flatten(1)


def sum_threshold(images: torch.Tensor) -> torch.Tensor:
    """The paper's Algorithm 1: label 1 when the sum of all N entries is >= N/2 (half its maximum), else 0.

    :func:`perturbkit.sum_classifier.labels` without the lattice (float64 sum, margin TOLERANCE below N/2)."""
    return sum_classifier.labels(images)


sum_threshold.whole_space = sum_classifier.space_labels


def majority(images: torch.Tensor) -> torch.Tensor:
    """Each entry votes 1 if > 1/2, 0 if < 1/2 (abstains at exactly 1/2); label 1 when votes for 1 are more.

    On binary images this is the Hamming ball around the all-ones image of radius ceil(N/2) - 1: class 1 holds at
    most half the space, and ties (N even) go to class 0.
    """
    x = _flat(images)
    ones = (x > 0.5 + 1e-6).sum(dim=1)
    zeros = (x < 0.5 - 1e-6).sum(dim=1)
    return (ones > zeros).to(torch.int64)


majority.whole_space = lambda space, device=None: (
    _entry_sums(space, lambda i: _votes(space), torch.int16, device) > 0).to(torch.uint8)


def parity(images: torch.Tensor) -> torch.Tensor:
    """Parity (0 or 1) of the number of entries above 1/2: on binary images every single change flips it."""
    x = _flat(images)
    return ((x > 0.5 + 1e-6).sum(dim=1) % 2).to(torch.int64)


parity.whole_space = lambda space, device=None: _entry_sums(
    space, lambda i: (_votes(space) > 0).to(torch.uint8), torch.uint8, device, modulus=2)


def first_pixel(images: torch.Tensor) -> torch.Tensor:
    """Label 1 when entry 0 (channel 0, row 0, column 0) is >= 1/2: a half-space that ignores every other entry."""
    x = _flat(images)
    return (x[:, 0] >= 0.5 - 1e-6).to(torch.int64)


first_pixel.whole_space = lambda space, device=None: _entry_sums(
    space, lambda i: (2 * _levels(space) >= space.levels - 1).to(torch.uint8) if i == 0
    else torch.zeros(space.levels, dtype=torch.uint8), torch.uint8, device)


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

    def whole_space(space, device=None) -> torch.Tensor:
        a = coefficient(space.num_entries)
        v = torch.round(_levels(space).to(torch.float64) / (space.levels - 1) * 65535).to(torch.int64)
        h = _entry_sums(space, lambda i: (v * a[i]).remainder(_P), torch.int64, device, modulus=_P)
        return mix(h).to(torch.uint8)

    classify.whole_space = whole_space

    classify.__name__ = classify.__qualname__ = f"random_labels(k={k}, seed={seed})"
    return classify


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
        first, rest = layers[1], torch.nn.Sequential(*layers[2:])

        def label_chunks(space, device=None):
            """Yield (start, uint8 labels on ``device``) over the whole space in index order, in aligned chunks of
            L**k <= batch_size images. The first layer is linear, so its output over the space is a sum over
            entries: the low k entries' part is computed once, the high part once per chunk; the rest runs per chunk.
            """
            model.eval()
            dev = next(model.parameters()).device
            N, L = space.num_entries, space.levels
            if first.in_features != N:
                raise ValueError(f"model expects {first.in_features} inputs, {space!r} has {N} entries")
            k = min(N, max(1, (batch_size.bit_length() - 1) // max(1, (L - 1).bit_length())))
            while L**k > batch_size and k > 1:  # ends: k falls by one, to 1 at the least
                k -= 1
            levels = torch.arange(L, device=dev, dtype=torch.float32) / (L - 1)
            w = first.weight.detach().T  # (N, hidden)
            def part(entries):  # (L**len(entries), hidden): sum of w[i] * level over those entries
                z = torch.zeros(1, w.shape[1], device=dev)
                for i in entries:
                    z = (z[:, None, :] + levels[None, :, None] * w[i][None, None, :]).reshape(-1, w.shape[1])
                return z

            # inference mode around each computation, never around a yield: the caller's code between two chunks
            # would run in it too (and make its own tensors inference tensors)
            with torch.inference_mode():
                low = part(range(N - k, N)) + first.bias
                high = part(range(N - k))
            for j in range(high.shape[0]):
                with torch.inference_mode():
                    labels = rest(low + high[j]).argmax(dim=1).to(device=device, dtype=torch.uint8)
                yield j * L**k, labels

        def whole_space(space, device=None) -> torch.Tensor:
            out = torch.empty(space.size, dtype=torch.uint8, device=device)
            for start, labels in label_chunks(space, device):
                out[start:start + labels.numel()] = labels
            return out

        classify.whole_space = whole_space
        classify.label_chunks = label_chunks
    return classify


# The classifiers that need no arguments, by name: what the lessons' pickers offer.
REFERENCE = {
    "sum threshold (Algorithm 1)": sum_threshold,
    "majority": majority,
    "first pixel": first_pixel,
    "parity": parity,
    "random (2 classes)": random_labels(2, seed=0),
}
