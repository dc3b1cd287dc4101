"""Lesson 04's checkers pinned to closed forms: the top-row classifier's robust core counted by hand from the
number k of white pixels in the top row, and the concentration radius solved in closed form; the Harper radius of
the mistake from exact integer binomial sums. Each typical mistake gets its own hint."""

import itertools
import math
from fractions import Fraction

import pytest

from perturbkit.exercises import CHECKERS, _load_all, verdict

_load_all()


def _top_row_core(t: int, labels=(0, 1)) -> int:
    # label 1 iff k >= 2 white pixels in the top row; then r_0 = k - 1 (turn k - 1 of them black), else r_0 = 2 - k;
    # the other 12 pixels are free (4,096 images per top row)
    return sum(math.comb(4, k) * 4096 for k in range(5)
               if (k >= 2) in [bool(c) for c in labels] and (k - 1 if k >= 2 else 2 - k) > t)


def test_top_row_core_closed_form():
    assert _top_row_core(1) == 4096 * (1 + 4 + 1) == 24576
    assert CHECKERS["04.2"].reference == _top_row_core(1)


def test_concentration_radius_closed_form():
    # exp(-(t sqrt(2/N) - sqrt(ln 2))^2) <= 0.01  <=>  t >= sqrt(N/2) (sqrt(ln 2) + sqrt(ln 100))
    t = math.sqrt(784 / 2) * (math.sqrt(math.log(2)) + math.sqrt(math.log(100)))
    assert 58 < t < 59 and CHECKERS["04.3"].reference == 59


def _harper_t(M: int, share: Fraction) -> int:
    """The smallest t with beta_M(t) <= share, from exact integer ball sizes V(s) = sum_{i <= s} C(M, i)."""
    s = (M - 1) // 2
    V = list(itertools.accumulate(math.comb(M, i) for i in range(s + 2)))
    return next(t for t in range(s + 2) if t > s or Fraction(V[s - t + 1], V[s]) <= share)


@pytest.mark.parametrize("exercise, answer", [
    ("04.2", 6),                                    # top-row patterns instead of images
    ("04.2", _top_row_core(1, labels=(1,))),        # class 1 only
    ("04.2", _top_row_core(2)),                     # t = 2 instead of 1
    ("04.3", 58),                                   # rounded down
    ("04.3", _harper_t(784, Fraction(1, 100))),     # Harper's radius instead of the concentration radius
    ("04.3", math.ceil(math.sqrt(784 * math.log(100) / 2))),  # sqrt(ln 2) dropped
])
def test_typical_mistakes_get_their_own_hint(exercise, answer):
    checker = CHECKERS[exercise]
    v = verdict(exercise, answer)
    assert not v.correct
    matched = [m for m in checker.mistakes if m.matches(answer, checker.reference)]
    assert matched and matched[0].hint in v.message and checker.hint not in v.message


def test_mistake_values_from_independent_counts():
    assert _top_row_core(1, labels=(1,)) == 4096 * 5 and _top_row_core(2) == 4096
    assert _harper_t(784, Fraction(1, 100)) == 37


def test_right_answers_are_correct():
    assert verdict("04.2", 24576).correct and verdict("04.3", 59).correct
    assert not verdict("04.2", 24575).correct and not verdict("04.3", 60).correct
