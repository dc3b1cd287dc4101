"""Lesson 03's checkers pinned to independent computations: the ball of H(9, 3) counted by going through all 3^9
images, the subcube's neighbourhoods counted from the bits of every index of the 4x4 space; each typical mistake
is recognised and gets its own hint."""

import itertools
import math

import numpy as np
import pytest

from perturbkit.exercises import CHECKERS, _load_all, verdict

_load_all()


def test_ball_of_h93_by_enumeration():
    inside = sum(1 for x in itertools.product(range(3), repeat=9) if sum(v != 0 for v in x) <= 2)
    assert inside == 1 + 9 * 2 + 36 * 4 == 163
    assert CHECKERS["03.2"].reference == inside


def _subcube_neighbourhood(t: int) -> int:
    # the subcube of 4,096 images: the first indices, i.e. the 4 most significant entries black and the other 12
    # free; an image lies within t changes of it when at most t of those 4 entries are white
    idx = np.arange(2**16)
    top = idx >> 12
    white = sum((top >> b) & 1 for b in range(4))
    return int((white <= t).sum())


def test_subcube_neighbourhood_by_counting_bits():
    from perturbkit.hamming import families
    from perturbkit.spaces import ImageSpace

    cube = families(ImageSpace(4), 4096)["subcube"]
    assert cube.nonzero().flatten().tolist() == list(range(4096))
    assert _subcube_neighbourhood(2) == 4096 * (1 + 4 + 6) == 45056
    assert CHECKERS["03.3"].reference == _subcube_neighbourhood(2)


@pytest.mark.parametrize("exercise, answer, hint", [
    ("03.2", sum(math.comb(9, i) for i in range(3)), "that is the binary ball"),
    ("03.2", sum(math.comb(9, i) * 3**i for i in range(3)), "L-1 choices, not L"),
    ("03.2", 162, "the ball contains its centre"),
    ("03.2", 36 * 4, "only the images at distance exactly 2"),
    ("03.3", 4096 * 5, "that is the 1-neighbourhood"),
    ("03.3", 4096 * 6, "only the images exactly 2 changes away"),
    ("03.3", 11, "count images of the 4x4 space, not patterns"),
])
def test_typical_mistakes_get_their_hint(exercise, answer, hint):
    v = verdict(exercise, answer)
    assert not v.correct and hint in v.message


def test_right_answers_are_correct():
    assert verdict("03.2", 163).correct and verdict("03.3", 45056).correct
    assert not verdict("03.2", 164).correct and not verdict("03.3", 45057).correct
