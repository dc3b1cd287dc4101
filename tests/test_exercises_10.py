"""Lesson 10's checkers: the closest 4 and 9 found by the 0/1 dot-product identity is the brute-force one, and the
number of levels found is the first at which Theorem 10.1's radius drops below 1; the numbers the quiz quotes are
the bounds' own."""

import math
from statistics import NormalDist

from perturbkit.data import load_mnist, quantize
from perturbkit.exercises import lesson10
from perturbkit.guarantees import lattice_l2_radius


def test_closest_distance_is_the_brute_force_minimum():
    x, y = load_mnist()
    x = quantize(x, 2).reshape(len(x), -1)
    fours, nines = x[y == 4], x[y == 9]
    best = min(int((fours[i:i + 50, None] != nines[None]).sum(-1).min()) for i in range(0, len(fours), 50))
    assert lesson10.closest_distance() == best
    assert lesson10.common_radius_cap() == (best + 1) // 2


def test_smallest_levels_is_the_first_below_one():
    # Independently of the code: L/(L-1) r + sqrt(N)/(L-1) < 1 exactly when L (1 - r) > 1 + sqrt(N), with
    # r = z_0.95 / sqrt(2 pi) (the standard library's normal quantile), so the first such L is
    # floor((1 + sqrt N) / (1 - r)) + 1 (the ratio is irrational: no tie): 165 for N = 3072, 85 for N = 784
    r = NormalDist().inv_cdf(0.95) / math.sqrt(2 * math.pi)
    for N in (3072, 784):
        assert lesson10.smallest_levels(N) == math.floor((1 + math.sqrt(N)) / (1 - r)) + 1
    assert lesson10.smallest_levels(3072) == 165 and lesson10.smallest_levels(784) == 85
    # and it is the first L at which the course's radius is below 1
    L = lesson10.smallest_levels(3072)
    assert lattice_l2_radius(3072, L, 0.05) < 1 <= lattice_l2_radius(3072, L - 1, 0.05)


def test_quiz_numbers_are_the_bounds():
    # the quiz quotes the 8-bit radii at 1% for ImageNet and the l-infinity caps at 0.3; they must stay computed facts
    from perturbkit.bitdepth import first_pixel_linf_share
    from perturbkit.bounds import linf_bound
    from perturbkit.exercises import quiz_questions
    from perturbkit.guarantees import radii_for_share

    r = radii_for_share(224, 256, 3, share=0.01)
    questions = quiz_questions("10")
    texts = [c.text for c in questions[1].choices]
    assert texts == [str(r.binary), str(r.space), str(r.bits)]
    assert [c.correct for c in questions[1].choices] == [False, False, True]
    linf = "".join(c.text + c.why for c in questions[0].choices)
    assert f"{linf_bound(0.3, levels=256):.3f}" in linf and f"{first_pixel_linf_share(0.3, levels=256):.3f}" in linf
    assert f"{linf_bound(8 / 255, levels=256):.3f}" in linf
