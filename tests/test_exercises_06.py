"""Lesson 06's checkers: the census-based references agree with the closed forms of the written solutions."""

import math

from perturbkit.exercises import CHECKERS, _load_all
from perturbkit.hamming import ball_size

_load_all()


def test_majority_census_count_is_two_hamming_balls():
    # class 1 (>= 9 white) needs S - 8 flips, class 0 (<= 8 white) needs 9 - S: >= 4 flips are two balls
    assert CHECKERS["06.3"].reference == ball_size(16, 4) + ball_size(16, 5) == 9402


def test_three_level_disagreements_are_the_ties():
    # majority and the sum threshold differ exactly where white and black pixels are as many: k, k, 9 - 2k
    ties = sum(math.factorial(9) // (math.factorial(k) ** 2 * math.factorial(9 - 2 * k)) for k in range(5))
    assert CHECKERS["06.4"].reference == ties == 3139
