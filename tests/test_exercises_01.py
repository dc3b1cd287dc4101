"""Lesson 01's checkers: the references agree with the hand computations of the written solutions."""

import math

from perturbkit.exercises import lesson01


def test_index_is_the_base_3_number():
    assert lesson01.index_of_image() == 2 * 27 + 1 * 9 + 0 * 3 + 2 == 65
    assert lesson01._reversed_index() == 2 + 1 * 3 + 0 * 9 + 2 * 27 == 59


def test_l2_ball_of_binary_images_is_a_hamming_ball():
    assert lesson01.images_within(1.5) == sum(math.comb(9, k) for k in range(3)) == 46
    assert lesson01.images_within(1.5, p=0) == 10
