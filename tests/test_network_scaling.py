"""CNN robustness against n: structure of the result, honest attacks (adversarial, sizes measured), seeded."""

import math

import pytest

from perturbkit.network_scaling import cnn_scaling, describe


@pytest.fixture(scope="module")
def result():
    return cnn_scaling(ns=(4, 8), ps=(2.0, math.inf), images=6, epochs=1, steps=8, width=4, seed=0, progress=False)


def test_structure_and_ranges(result):
    assert set(result.curves) == {"digits", "noise"}
    for kind in ("digits", "noise"):
        for p in (2.0, math.inf):
            c = result.curves[kind][p]
            assert c.ns == (4, 8)
            assert all(m > 0 for m in c.median)  # only correctly classified digits are attacked: no zero sizes
            assert all(lo <= m <= hi for lo, m, hi in zip(c.lower, c.median, c.upper))
            assert math.isfinite(c.slope)
    assert all(0 <= v <= 1 for v in result.success.values())
    assert all(0.1 <= a <= 1 for a in result.accuracy.values())  # 10 classes: better than chance after training
    assert all(1 / 6 <= b <= 1 for b in result.biggest_class.values())
    table = describe(result)
    assert table.count("\n") == 2 and "accuracy" in table


def test_linf_sizes_are_at_most_one(result):
    # a perturbation inside [0, 1] images can not exceed 1 in l_inf
    assert all(m <= 1 + 1e-6 for m in result.curves["noise"][math.inf].upper)


def test_seeded(result):
    again = cnn_scaling(ns=(4, 8), ps=(2.0, math.inf), images=6, epochs=1, steps=8, width=4, seed=0)
    assert again.curves["digits"][2.0].median == result.curves["digits"][2.0].median
    assert again.accuracy == result.accuracy


def test_bad_input():
    with pytest.raises(ValueError, match="images must be an integer >= 1"):
        cnn_scaling(ns=(4,), images=0)
    with pytest.raises(ValueError, match="n must be an integer >= 2"):
        cnn_scaling(ns=(1,))
    with pytest.raises(TypeError, match="progress"):
        cnn_scaling(ns=(4,), progress="yes")
