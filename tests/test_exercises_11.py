"""Lesson 11's checkers: the census count of images near the majority classifier's errors is the binomial count of
the layers around the error layer, and the t found is the first at which Proposition 11.7 leaves at most 1%."""

import math

from perturbkit.exercises import lesson11


def test_error_neighbourhood_is_the_layers_around_the_error_layer():
    # majority (at least 9 white of 16) and the sum threshold (at least 8) disagree exactly on the 8-white layer,
    # and d_0 to a whole layer is the difference in the number of white pixels
    for t in range(0, 9):
        assert lesson11.within_errors(t) == sum(math.comb(16, k) for k in range(8 - t, 8 + t + 1))


def test_smallest_t_is_the_first_that_leaves_at_most_one_percent():
    N = lesson11.entries()
    assert N == 3 * 224 * 224
    t = lesson11.smallest_t(N)
    assert lesson11.uncovered_bound(N, t, 0.01) <= 0.01 < lesson11.uncovered_bound(N, t - 1, 0.01)
    # the closed form of the bound's inverse, sqrt(2 N ln 100) for equal shares, up to rounding
    assert t == math.ceil(math.sqrt(2 * N * math.log(100)))


def test_the_bound_is_trivial_below_its_threshold_and_falls_with_t():
    N = 1024
    start = math.sqrt(N * math.log(100) / 2)
    assert lesson11.uncovered_bound(N, start - 1, 0.01) == 1.0
    values = [lesson11.uncovered_bound(N, t, 0.01) for t in range(math.ceil(start), 200)]
    assert values[0] <= 1 and all(a > b for a, b in zip(values, values[1:]))
