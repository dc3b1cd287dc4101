"""Lesson 05's median-flips checker computes its reference with exact binomial coefficients: it must agree with the
sum classifier's exact distribution in perturbkit.optimality, for even and odd N."""

import numpy as np
import pytest

from perturbkit.exercises.lesson05 import median_flips
from perturbkit.optimality import near_boundary_share


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 8, 16, 31, 100])
def test_median_flips_matches_the_exact_distribution(n):
    k = np.arange(n * n + 2)
    share = near_boundary_share(n, k)
    m = median_flips(n)
    assert share[m] >= 0.5 and (m == 0 or share[m - 1] < 0.5)


def test_median_flips_by_hand():
    # n = 2: S ~ Binomial(4, 1/2); r_0 = 2 - S for S < 2, S - 1 for S >= 2: r_0 = 1 for S in {1, 2}, P = 10/16
    assert median_flips(2) == 1
    with pytest.raises(ValueError):
        median_flips(0)
