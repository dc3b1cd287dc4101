"""Lesson 00's checkers: the references found by search agree with the closed forms of the written solutions."""

import math

from perturbkit.exercises import lesson00


def test_smallest_side_is_the_closed_form():
    # ratio = 3^(-1/4) n^(-1/2) <= 0.05  <=>  n >= 400 / sqrt(3)
    assert lesson00.smallest_side() == math.ceil(400 / math.sqrt(3)) == 231
    # grey images: n^(-1/2) <= 0.05 <=> n >= 400 (the ratio is exactly 0.05 there)
    assert lesson00.smallest_side(channels=1) == 400


def test_smallest_entries_is_the_closed_form():
    N = 224 * 224 * 3
    t = math.sqrt(N / 2) * (math.sqrt(math.log(2)) + math.sqrt(math.log(100)))
    assert lesson00.smallest_entries() == math.ceil(t) == 818
