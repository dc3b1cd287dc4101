import itertools
import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from perturbkit.norms import distance
from perturbkit.spaces import ImageSpace

SMALL = [(1, 2, 1), (2, 2, 1), (2, 3, 1), (1, 4, 3), (2, 4, 1), (3, 2, 1), (1, 3, 2)]


@pytest.mark.parametrize("n,levels,channels", SMALL)
def test_index_image_bijection(n, levels, channels):
    space = ImageSpace(n, levels, channels)
    idx = torch.arange(space.size)
    imgs = space.images(idx)
    assert imgs.shape == (space.size, channels, n, n)
    assert imgs.dtype == torch.float32
    # Every image is distinct and on the lattice, and indices() inverts images().
    assert torch.unique(imgs.reshape(space.size, -1), dim=0).shape[0] == space.size
    assert torch.equal(space.indices(imgs), idx)
    allowed = torch.tensor([k / (levels - 1) for k in range(levels)])
    assert torch.isin(imgs, allowed).all()


def test_index_order_is_mixed_radix_with_entry_zero_most_significant():
    space = ImageSpace(2, levels=3)
    # The brute-force enumeration of itertools.product is exactly index order.
    for i, digits in enumerate(itertools.product(range(3), repeat=4)):
        assert space.digits([i]).reshape(-1).tolist() == list(digits)


@settings(max_examples=50, deadline=None)
@given(n=st.integers(1, 4), levels=st.integers(2, 9), channels=st.integers(1, 3), data=st.data())
def test_bijection_on_random_indices(n, levels, channels, data):
    space = ImageSpace(n, levels, channels)
    if space.size > 2**62:
        return
    idx = data.draw(st.lists(st.integers(0, space.size - 1), min_size=1, max_size=20))
    t = torch.tensor(idx)
    assert torch.equal(space.indices(space.images(t)), t)


def test_sizes():
    s = ImageSpace(5, levels=4, channels=3)
    assert s.num_entries == 75
    assert s.size == 4**75 and isinstance(s.size, int)


@pytest.mark.parametrize("n,levels", [(1, 2), (2, 2), (1, 3), (2, 3)])
@pytest.mark.parametrize("p", [0, 0.5, 1, 2, 3, math.inf])
def test_diameter_is_brute_force_max(n, levels, p):
    space = ImageSpace(n, levels)
    imgs = space.images(torch.arange(space.size))
    a, b = torch.meshgrid(torch.arange(space.size), torch.arange(space.size), indexing="ij")
    d = distance(imgs[a.reshape(-1)], imgs[b.reshape(-1)], p)
    assert space.diameter(p) == pytest.approx(float(d.max()), rel=1e-6)


def test_budget_formula():
    s = ImageSpace(16, channels=3)
    t = math.sqrt(3) * 16
    assert s.budget(0) == pytest.approx(t)
    assert s.budget(0.5, c=2) == pytest.approx(2 * t)
    assert s.budget(2) == pytest.approx(t**0.5)
    assert s.budget(math.inf) == 1.0
    # budget/diameter shrinks with n for every finite p, but not for p = inf
    for p in (0, 0.5, 1, 2, 4):
        r = [ImageSpace(n).budget(p) / ImageSpace(n).diameter(p) for n in (8, 16, 32)]
        assert r[0] > r[1] > r[2]
    assert ImageSpace(8).budget(math.inf) / ImageSpace(8).diameter(math.inf) == 1.0


def test_sample_is_uniform_and_seeded():
    s = ImageSpace(8, levels=4)
    g = torch.Generator().manual_seed(1)
    x = s.sample(2000, generator=g)
    assert x.shape == (2000, 1, 8, 8)
    counts = torch.bincount(s.to_digits(x).reshape(-1), minlength=4).float() / x.numel()
    assert torch.allclose(counts, torch.full((4,), 0.25), atol=0.01)
    y = s.sample(2000, generator=torch.Generator().manual_seed(1))
    assert torch.equal(x, y)


def test_chunks_cover_space_in_order():
    s = ImageSpace(2, levels=3)
    parts = list(s.chunks(batch_size=10))
    assert all(len(imgs) <= 10 for _, imgs in parts)
    assert [start for start, _ in parts] == list(range(0, s.size, len(parts[0][1])))
    got = torch.cat([imgs for _, imgs in parts])
    assert torch.equal(got, s.images(torch.arange(s.size)))
    # a batch smaller than the number of levels still works, one image at a time
    assert torch.equal(torch.cat([imgs for _, imgs in s.chunks(batch_size=2)]), got)


@pytest.mark.parametrize("kwargs,exc,words", [
    (dict(n=0), ValueError, "n must be an integer >= 1, got 0"),
    (dict(n=2.5), TypeError, "n must be an integer"),
    (dict(n=True), TypeError, "n must be an integer"),
    (dict(n=3, levels=1), ValueError, "levels must be an integer >= 2, got 1"),
    (dict(n=3, channels=0), ValueError, "channels must be an integer >= 1, got 0"),
])
def test_bad_space_arguments(kwargs, exc, words):
    with pytest.raises(exc, match=words):
        ImageSpace(**kwargs)


def test_bad_images():
    s = ImageSpace(2, levels=3)
    with pytest.raises(ValueError, match=r"shape \(k, 1, 2, 2\).*got \(1, 1, 3, 3\)"):
        s.indices(torch.zeros(1, 1, 3, 3))
    with pytest.raises(ValueError, match="NaN"):
        s.indices(torch.full((1, 1, 2, 2), float("nan")))
    with pytest.raises(ValueError, match="off the 3-level lattice"):
        s.indices(torch.full((1, 1, 2, 2), 0.3))
    with pytest.raises(ValueError, match=r"values in \[0, 1\]"):
        s.indices(torch.full((1, 1, 2, 2), 2.0))
    with pytest.raises(TypeError, match="floating-point"):
        s.indices(torch.zeros(1, 1, 2, 2, dtype=torch.int64))
    with pytest.raises(ValueError, match=r"indices must lie in \[0, 80\]"):
        s.images([81])
    with pytest.raises(ValueError, match="p must be a real number in \\[0, inf\\].*got -1"):
        s.diameter(-1)
    with pytest.raises(ValueError, match="more than int64"):
        ImageSpace(8, levels=2).images([0])


def test_lattice_digits_are_computed_in_one_place():
    """spaces.lattice_digits is the one digit computation: ImageSpace.to_digits, the sum classifier, the lattice
    attacks and data.quantize all use it (catches a second copy that rounds differently)."""
    import inspect

    from perturbkit import data, spaces, sum_classifier
    from perturbkit.attacks import lattice

    assert lattice.lattice_digits is spaces.lattice_digits
    space = ImageSpace(2, 5, 2)
    idx = torch.arange(space.size)
    x = space.images(idx)
    assert torch.equal(spaces.lattice_digits(x, 5).to(torch.int64), space.digits(idx))
    assert torch.equal(space.to_digits(x), space.digits(idx))
    assert torch.equal(sum_classifier._digits(x, 5), space.digits(idx).flatten(1))
    assert torch.equal(data.quantize(x, 5), x)
    for module in (spaces, sum_classifier, lattice, data):  # nobody else rounds images to levels
        source = inspect.getsource(module).replace(inspect.getsource(spaces.lattice_digits), "")
        assert "round(x * (" not in source and "round(images * (" not in source, module.__name__
