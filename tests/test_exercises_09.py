"""Lesson 09's checkers pinned to independent counts: the Harper radius for binary 64x64 images from exact integer
binomial sums, and the house drawing's pixels from the straight strokes whose pixels are known by hand (one column
or one row each) and the two pixels the door shares with the floor. Each typical mistake gets its own hint."""

from fractions import Fraction

import pytest

from perturbkit import drawing
from perturbkit.exercises import CHECKERS, _load_all, verdict
from perturbkit.exercises.lesson09 import DOOR, HOUSE

_load_all()


def _harper_t(M: int, share: Fraction) -> int:
    s = (M - 1) // 2
    V, total, term = [], 0, 1
    for i in range(s + 2):
        total += term  # term = C(M, i)
        V.append(total)
        term = term * (M - i) // (i + 1)
    return next(t for t in range(s + 2) if t > s or Fraction(V[s - t + 1], V[s]) <= share)


def test_harper_radius_from_exact_sums():
    assert CHECKERS["09.3"].reference == _harper_t(64 * 64, Fraction(1, 100))


def test_straight_strokes_cover_one_pixel_per_row_or_column():
    # at n = 256: x = 0.2 -> column 51, 0.8 -> 204, 0.45 -> 115, 0.55 -> 140; y = 0.9 -> row 230, 0.45 -> 115,
    # 0.7 -> 179
    wall = drawing.polyline(256, [(0.2, 0.9), (0.2, 0.45)])
    assert wall.sum() == 230 - 115 + 1 and wall[115:231, 51].all()
    floor = drawing.polyline(256, [(0.2, 0.9), (0.8, 0.9)])
    assert floor.sum() == 204 - 51 + 1 and floor[230, 51:205].all()
    door = drawing.polyline(256, DOOR)
    assert door.sum() == 2 * (230 - 179 + 1) + (140 - 115 + 1) - 2  # two posts and a lintel sharing two corners


def test_house_reference_is_house_plus_door_minus_the_shared_pixels():
    house = drawing.polyline(256, HOUSE)
    door = drawing.polyline(256, DOOR)
    shared = int((house & door).sum())
    assert shared == 2 and bool(house[230, 115]) and bool(house[230, 140])  # the posts' feet stand on the floor
    assert CHECKERS["09.2"].reference == int(house.sum()) + int(door.sum()) - shared
    # walls and floor (3 strokes, 2 shared corners) and two roof diagonals of 77 columns each (at least one pixel
    # per column, at most two)
    assert 384 + 2 * 76 <= int(house.sum()) <= 384 + 2 * 2 * 78


@pytest.mark.parametrize("exercise, wrong", [
    ("09.2", lambda r: r + 2),                   # house and door counted apart: the shared pixels twice
    ("09.3", lambda r: r - 1),
])
def test_typical_mistakes_get_their_own_hint(exercise, wrong):
    checker = CHECKERS[exercise]
    answer = wrong(checker.reference)
    v = verdict(exercise, answer)
    assert not v.correct
    matched = [m for m in checker.mistakes if m.matches(answer, checker.reference)]
    assert matched and matched[0].hint in v.message


def test_every_mistake_example_is_recognised_and_wrong():
    for exercise in ("09.2", "09.3"):
        checker = CHECKERS[exercise]
        for m in checker.mistakes:
            answer = m.example(checker.reference)
            v = verdict(exercise, answer)
            assert not v.correct and m.hint in v.message, (exercise, answer)


def test_right_answers_are_correct():
    for exercise in ("09.2", "09.3"):
        r = CHECKERS[exercise].reference
        assert verdict(exercise, r).correct and not verdict(exercise, r + 1).correct
