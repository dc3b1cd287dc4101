"""Lesson 02's checkers: the references agree with the hand computations of the written solutions."""

import math

import numpy as np

from perturbkit.exercises import lesson02


def test_fgsm_sizes():
    assert np.allclose(lesson02.fgsm_sizes(), [64, 6.4, 0.8])


def test_one_change_census_matches_the_count_by_hand():
    # the label depends on D = top whites - bottom whites; r_0 = 1 exactly for D in {0, 1}; 2^3 middle rows
    pairs = {d: sum(math.comb(3, a) * math.comb(3, a - d) for a in range(4) if 0 <= a - d <= 3) for d in range(-3, 4)}
    assert (pairs[0], pairs[1]) == (20, 15)
    assert lesson02.one_change_count() == 8 * (pairs[0] + pairs[1]) == 280
    labels, r = lesson02.one_change_census()
    # from D = -3 (1 pair) four changes are needed to reach D = 1
    assert int(r.max()) == 4 and int((r == 4).sum()) == 8 * pairs[-3]
