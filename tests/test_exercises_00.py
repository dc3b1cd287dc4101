"""Lesson 00's checkers: the references found by search agree with the closed forms of the written solutions."""

import math

import pytest

from perturbkit.exercises import lesson00


def test_smallest_side_is_the_closed_form():
    # ratio = 3^(-1/4) n^(-1/2) <= 0.05  <=>  n >= 400 / sqrt(3)
    assert lesson00.smallest_side() == math.ceil(400 / math.sqrt(3)) == 231
    # grey images: n^(-1/2) <= 0.05 <=> n >= 400 (the ratio is exactly 0.05 there)
    assert lesson00.smallest_side(channels=1) == 400


def test_smallest_side_search_is_bounded():
    # at p = inf budget and diameter are both 1: no n reaches the ratio, and the search stops at MAX_SIDE
    with pytest.raises(ValueError, match="no side n <= 10000 .* not at all for p = inf"):
        lesson00.smallest_side(p=math.inf)


def test_smallest_entries_is_the_closed_form():
    N = 224 * 224 * 3
    t = math.sqrt(N / 2) * (math.sqrt(math.log(2)) + math.sqrt(math.log(100)))
    assert lesson00.smallest_entries() == math.ceil(t) == 818
