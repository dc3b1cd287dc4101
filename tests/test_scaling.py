"""Scaling measurements: exact Monte Carlo of the sum classifier, quantile bands, log-log fits, plots and widget."""

import math

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from perturbkit.scaling import (
    ScalingCurve,
    bootstrap_slope,
    fit_slope,
    predicted_slope,
    scaling_curve,
    slope_table,
    sum_scaling,
)
from perturbkit.sum_classifier import sum_robustness

matplotlib.use("Agg")

NS = (4, 8, 16, 32, 64, 128, 256, 512, 1024)


def test_predicted_slope():
    assert [predicted_slope(p) for p in (0, 0.5, 1, 2, 4, math.inf)] == [1, 1, 1, 0.5, 0.25, 0]
    with pytest.raises(ValueError, match="p must be"):
        predicted_slope(-1)


def test_fit_slope_recovers_power_law():
    ns = np.array([2, 4, 8, 16, 32, 64])
    slope, intercept = fit_slope(ns, 3.0 * ns**0.7)
    assert slope == pytest.approx(0.7) and intercept == pytest.approx(math.log(3.0))
    # n_min drops the small n where the law is broken
    values = np.where(ns < 8, 100.0, 2.0 * ns**1.5)
    assert fit_slope(ns, values, n_min=8)[0] == pytest.approx(1.5)
    with pytest.raises(ValueError, match="at least two distinct n"):
        fit_slope(ns, values, n_min=64)
    with pytest.raises(ValueError, match="positive values"):
        fit_slope(ns, np.zeros(6))
    with pytest.raises(ValueError, match="same length"):
        fit_slope(ns, np.ones(5))


def test_scaling_curve_quantiles_and_fit():
    g = np.random.default_rng(0)
    ns = (16, 32, 64)
    values = [torch.tensor(g.random(101) * n) for n in ns]
    c = scaling_curve(ns, values, p=1, label="toy", band=(0.25, 0.75))
    for i, v in enumerate(values):
        assert c.median[i] == pytest.approx(float(np.median(v.numpy())))
        assert c.lower[i] == pytest.approx(float(np.quantile(v.numpy(), 0.25)))
        assert c.upper[i] == pytest.approx(float(np.quantile(v.numpy(), 0.75)))
    # the fit, computed independently: numpy's least-squares line through (log n, log median)
    slope, intercept = np.polyfit(np.log(ns), np.log(c.median), 1)
    assert c.slope == pytest.approx(slope) and c.intercept == pytest.approx(intercept)
    # a least-squares line passes through the mean point: the fitted values' geometric mean is the medians'
    assert np.log(c.fitted(np.array(ns))).mean() == pytest.approx(np.log(c.median).mean())
    assert c.fitted(64) / c.fitted(32) == pytest.approx(2**slope)
    with pytest.raises(ValueError, match="band must be"):
        scaling_curve(ns, values, p=1, band=(0.6, 0.9))
    with pytest.raises(ValueError, match="one set of values per n"):
        scaling_curve(ns, values[:2], p=1)


@pytest.mark.parametrize("p", [0, 0.5, 1, 2])
def test_sum_classifier_slopes_match_theory(p):
    # The lesson's headline check: exact Monte Carlo slopes over n >= 16 within 0.05 of 1/max(p, 1).
    c = sum_scaling(NS, p, levels=2, samples=4000, seed=0, n_min=16)
    assert abs(c.slope - predicted_slope(p)) < 0.05
    assert c.n_min == 16


def test_relative_to_diameter_falls_except_for_inf():
    for p in (0, 1, 2):
        r = sum_scaling(NS, p, samples=2000).relative_to_diameter()
        assert all(a > b for a, b in zip(r, r[1:]))
    assert sum_scaling(NS, math.inf, samples=500).relative_to_diameter() == (1.0,) * len(NS)


def test_bit_depth_lowers_l2_but_not_l0():
    # At fixed n, more levels: the l2 median falls, while the l0 median stays of order n
    l2 = [float(sum_robustness(64, 2, levels=L, samples=2000).median()) for L in (2, 4, 16, 256)]
    l0 = [float(sum_robustness(64, 0, levels=L, samples=2000).median()) for L in (2, 4, 16, 256)]
    assert all(a > b for a, b in zip(l2, l2[1:]))
    assert min(l0) > 0.1 * 64


def test_slope_table_and_plots():
    curves = [sum_scaling(NS[:5], p, samples=200) for p in (0, 2)]
    table = slope_table(curves)
    assert table.count("\n") == 2 and "theory" in table
    assert isinstance(curves[0], ScalingCurve) and "fitted slope" in curves[0].describe()
    from perturbkit.plotting.scaling import plot_scaling, plot_scaling_panels
    (ax,) = plot_scaling(curves).axes
    assert len(ax.lines) == 4
    fig = plot_scaling_panels(curves)
    assert len(fig.axes) == 2
    plt.close("all")


def test_scaling_widget_logic():
    from perturbkit.widgets.scaling import scaling_explorer, scaling_view
    results = {"sum": {p: sum_scaling(NS[:5], p, samples=200) for p in (0.0, 2.0)},
               "other": {2.0: sum_scaling(NS[:5], 2.0, levels=4, samples=200)}}
    text, fig = scaling_view(2.0, "other", results)
    assert "L=4" in text and "L=2" in text and fig is not None
    text, fig = scaling_view(0.0, "other", results)
    assert "not measured" in text and fig is None
    with pytest.raises(ValueError, match="classifier must be one of"):
        scaling_view(2.0, "nope", results)
    w = scaling_explorer(results, p=2.0)
    before = w.text.value
    w.controls["p"].value = 0.0
    assert w.text.value != before
    plt.close("all")


def test_bootstrap_slope_brackets_the_fit_and_narrows_with_more_images():
    g = np.random.default_rng(1)
    ns = (8, 16, 32, 64)
    few = [n ** 0.5 * g.lognormal(0, 0.5, 16) for n in ns]
    many = [n ** 0.5 * g.lognormal(0, 0.5, 1024) for n in ns]
    lo, hi = bootstrap_slope(ns, few, seed=0)
    assert lo < fit_slope(ns, [np.median(v) for v in few])[0] < hi
    lo2, hi2 = bootstrap_slope(ns, many, seed=0)
    assert lo2 < 0.5 < hi2 and hi2 - lo2 < (hi - lo) / 3     # the interval shrinks like 1/sqrt(images)
    assert bootstrap_slope(ns, few, seed=0) == (lo, hi)      # seeded
    assert bootstrap_slope(ns, few, seed=1) != (lo, hi)
    wide = bootstrap_slope(ns, few, level=0.99, seed=0)
    assert wide[0] <= lo and wide[1] >= hi


def test_bootstrap_slope_of_exact_power_laws_is_exact():
    # every resample of identical values has the same median: the interval collapses onto the slope
    ns = (4, 8, 16)
    lo, hi = bootstrap_slope(ns, [torch.full((5,), 3.0 * n ** 0.25) for n in ns], resamples=50)
    assert lo == pytest.approx(0.25) and hi == pytest.approx(0.25)
    # n_min leaves out the small n
    values = [np.full(3, 100.0), np.full(3, 2.0 * 8 ** 1.5), np.full(3, 2.0 * 16 ** 1.5)]
    assert bootstrap_slope(ns, values, n_min=8, resamples=20) == pytest.approx((1.5, 1.5))


def test_bootstrap_slope_bad_input():
    ns = (4, 8)
    with pytest.raises(ValueError, match="one set of values per n"):
        bootstrap_slope(ns, [[1.0]])
    with pytest.raises(ValueError, match="at least two distinct n"):
        bootstrap_slope(ns, [[1.0], [2.0]], n_min=8)
    with pytest.raises(ValueError, match="positive"):
        bootstrap_slope(ns, [[1.0], [0.0]])
    with pytest.raises(ValueError, match="positive"):
        bootstrap_slope(ns, [[1.0], []])
    with pytest.raises(ValueError, match="level"):
        bootstrap_slope(ns, [[1.0], [2.0]], level=1.0)
