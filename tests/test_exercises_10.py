"""Lesson 10's checkers: the closest 4 and 9 found by the 0/1 dot-product identity is the brute-force one, and the
number of levels found is the first at which Theorem 10.1's radius drops below 1."""

from perturbkit.data import load_mnist, quantize
from perturbkit.exercises import lesson10
from perturbkit.threat import lattice_l2_radius


def test_closest_distance_is_the_brute_force_minimum():
    x, y = load_mnist()
    x = quantize(x, 2).reshape(len(x), -1)
    fours, nines = x[y == 4], x[y == 9]
    best = min(int((fours[i:i + 50, None] != nines[None]).sum(-1).min()) for i in range(0, len(fours), 50))
    assert lesson10.closest_distance() == best
    assert lesson10.common_radius_cap() == (best + 1) // 2


def test_smallest_levels_is_the_first_below_one():
    L = lesson10.smallest_levels(3072)
    assert lattice_l2_radius(3072, L, 0.05) < 1 <= lattice_l2_radius(3072, L - 1, 0.05)
    assert all(lattice_l2_radius(3072, k, 0.05) >= 1 for k in range(2, L))
