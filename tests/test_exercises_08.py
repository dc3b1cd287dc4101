"""Lesson 08's checkers: the references match independent computations (a binomial tail, plain logarithms)."""

import math

import pytest
from scipy.stats import binom

from perturbkit.exercises import CHECKERS, _load_all

_load_all()


def test_photo_share():
    expected = math.log10(14e6) - 3 * 224 * 224 * math.log10(256)
    assert CHECKERS["08.2"].reference == pytest.approx(expected, abs=1e-6)


def test_union_bound_near_digits_is_a_binomial_tail():
    # |B(28)| / 2^784 = P(Binomial(784, 1/2) <= 28)
    expected = math.log10(5000) + binom.logcdf(28, 784, 0.5) / math.log(10)
    assert CHECKERS["08.3"].reference == pytest.approx(expected, abs=1e-6)
