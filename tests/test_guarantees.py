"""The radii that the course's bounds need for a chosen guaranteed share (perturbkit.guarantees)."""

import math

import pytest

from perturbkit import bounds
from perturbkit.guarantees import (
    DATASETS,
    concentration_radius,
    cube_radius,
    dataset_table,
    guarantee_table,
    harper_radius,
    radii_for_share,
    shares_at_c,
)


@pytest.mark.parametrize("N", [1, 2, 9, 16, 25, 784])
@pytest.mark.parametrize("share", [0.9, 0.5, 0.1, 0.01, 1e-6])
@pytest.mark.parametrize("levels", [2, 4, 256])
def test_harper_radius_is_the_smallest(N, share, levels):
    t = harper_radius(N, share, levels)
    assert bounds.harper_bound(N, t, levels) <= share
    assert t == 0 or bounds.harper_bound(N, t - 1, levels) > share


def test_radii_for_the_three_data_sets():
    # exact binomial tails: MNIST, CIFAR and ImageNet at 8 bits, 1% of any class of at most half the space
    table = {name: radii_for_share(*spec, share=0.01) for name, spec in DATASETS.items()}
    assert [(r.bits, r.binary, r.space) for r in table.values()] == [(103, 37, 59), (203, 73, 117), (1414, 501, 818)]
    for r in table.values():
        assert bounds.harper_bound(r.N, r.bits, 256) <= 0.01 < bounds.harper_bound(r.N, r.bits - 1, 256)
        assert bounds.concentration_bound(r.N, r.space) <= 0.01 < bounds.concentration_bound(r.N, r.space - 1)
        # the price of 8 bits is about sqrt(8) = 2.83 times the binary radius
        assert 2.6 < r.bits / r.binary < 2.9
    assert radii_for_share(4, 3).bits is None      # three levels: no class-relative bound is proved
    text = dataset_table(0.01)
    assert "1414 (c=3.64, 0.94%)" in text and "501 (c=1.29, 0.33%)" in text and "818 (c=2.11, 0.54%)" in text


@pytest.mark.parametrize("share", [0.4, 0.1, 0.01, 1e-5])
def test_concentration_and_cube_radius_invert_the_bounds(share):
    for N in (9, 100, 150528):
        t = concentration_radius(N, share)
        assert bounds.concentration_bound(N, t * (1 + 1e-9)) <= share
        assert bounds.concentration_bound(N, t * (1 - 1e-6)) > share
    r = cube_radius(share)
    assert math.isclose(bounds.cube_l2_bound(r), share, rel_tol=1e-9)


def test_trivial_shares_and_table():
    assert concentration_radius(10, 0.5) == 0 and cube_radius(0.7) == 0
    assert concentration_radius(10, 0) == math.inf and cube_radius(0) == math.inf
    # at c = 1 the concentration bound is the trivial 1/2, Harper gives about 5% for N = 784
    s = shares_at_c(784, 1)
    assert s["any L (share of the space)"] == 0.5
    assert 0.04 < s["binary (share of the class)"] < 0.06
    # 8 bits: beta_{8N}(sqrt(N)) is about 2 Phi(-2 / sqrt(8)) = 0.48
    eight = s["8 bits (share of the class)"]
    assert eight == bounds.harper_bound(784, 28, 256) and 0.4 < eight < 0.5
    text = guarantee_table(Ns=(16,), shares=(0.5, 0.01))
    assert "any (trivial)" in text and "c = 1.50" in text and "eps = 0.93" in text and len(text.splitlines()) == 5
    assert "binary, N = 16" in text and "8 bits, N = 16" in text and "c = 4.00" in text


def test_bad_input():
    with pytest.raises(ValueError):
        harper_radius(16, 1.5)
    with pytest.raises(ValueError):
        shares_at_c(16, -1)
