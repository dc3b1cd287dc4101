"""Lesson 07's checkers: the lattice's own spread matches sigma_L, and the references match the closed forms."""

import math

import pytest
from scipy.stats import norm

from perturbkit.exercises import CHECKERS, _load_all
from perturbkit.exercises.lesson07 import _entry_sd

_load_all()


@pytest.mark.parametrize("levels", [2, 3, 16, 256, 4096])
def test_entry_spread_is_sigma_L(levels):
    assert _entry_sd(levels) == pytest.approx(math.sqrt((levels + 1) / (12 * (levels - 1))), rel=1e-6)


def test_references():
    assert CHECKERS["07.2"].reference == pytest.approx(224 / 4095, rel=1e-12)
    n_star = norm.ppf(0.75) * math.sqrt(4097 / (12 * 4095)) * 4095
    assert 797 < n_star < 798 and CHECKERS["07.4"].reference == 798
