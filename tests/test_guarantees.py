"""The radii that the course's bounds need for a chosen guaranteed share (perturbkit.guarantees)."""

import math

import pytest

from perturbkit import bounds
from perturbkit.guarantees import concentration_radius, cube_radius, guarantee_table, harper_radius, shares_at_c


@pytest.mark.parametrize("N", [1, 2, 9, 16, 25, 784])
@pytest.mark.parametrize("share", [0.9, 0.5, 0.1, 0.01, 1e-6])
def test_harper_radius_is_the_smallest(N, share):
    t = harper_radius(N, share)
    assert bounds.harper_bound(N, t) <= share
    assert t == 0 or bounds.harper_bound(N, t - 1) > share


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
    assert s["concentration (any L, share of the space)"] == 0.5
    assert 0.04 < s["harper (binary, share of the class)"] < 0.06
    text = guarantee_table(Ns=(16,), shares=(0.5, 0.01))
    assert "any (trivial)" in text and "c = 1.50" in text and "r = 0.93" in text and len(text.splitlines()) == 4


def test_bad_input():
    with pytest.raises(ValueError):
        harper_radius(16, 1.5)
    with pytest.raises(ValueError):
        shares_at_c(16, -1)
