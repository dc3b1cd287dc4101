"""The sum classifier's concentration, checked against enumeration, scipy and the exact census."""

import numpy as np
import pytest
import torch

from perturbkit import classifiers
from perturbkit.census import label_space, robustness
from perturbkit.optimality import half_ball_radius, hamming_ball, near_boundary_share
from perturbkit.spaces import ImageSpace


def test_near_boundary_share_is_exact_for_binary_census():
    space = ImageSpace(4, 2)
    labels = label_space(classifiers.sum_threshold, space, progress=False)
    r = robustness(labels, space, 0)
    t = np.arange(0, 10)
    census = np.array([(r <= k).double().mean().item() for k in t])
    np.testing.assert_allclose(near_boundary_share(4, t, 2), census, atol=1e-12)


def test_near_boundary_share_bounds_lattice_census():
    space = ImageSpace(3, 3)
    labels = label_space(classifiers.sum_threshold, space, progress=False)
    r = robustness(labels, space, 0)
    t = np.arange(0, 6)
    census = np.array([(r <= k).double().mean().item() for k in t])
    assert (census <= near_boundary_share(3, t, 3) + 1e-12).all()


def test_hamming_ball_and_radius():
    space = ImageSpace(3, 2)
    x = space.images(torch.arange(space.size))
    assert torch.equal(hamming_ball(4)(x), classifiers.majority(x))
    assert half_ball_radius(25, 2) == 12 and half_ball_radius(9, 2) == 4
    space = ImageSpace(2, 3)
    x = space.images(torch.arange(space.size))
    r = half_ball_radius(4, 3)
    assert int(hamming_ball(r)(x).sum()) <= space.size / 2 < int(hamming_ball(r + 1)(x).sum())
    with pytest.raises(ValueError, match="radius must be an integer >= 0"):
        hamming_ball(-1)


def test_plots():
    from perturbkit.plotting.census import plot_robust_shares
    from perturbkit.plotting.optimality import plot_sum_concentration
    (ax,) = plot_sum_concentration(ns=(4, 8), levels=3).axes
    assert len(ax.lines) == 3 and not ax.patches  # two curves and the threshold line
    (ax,) = plot_sum_concentration(ns=(4,), band=0.25).axes
    assert len(ax.patches) == 1 and ax.patches[0].get_x() == -0.25 and ax.patches[0].get_width() == 0.5
    t = np.arange(5)
    (ax,) = plot_robust_shares({"a": np.linspace(1, 0, 5), "b": np.zeros(5)}, t, bound=np.ones(5)).axes
    assert len(ax.lines) == 3


def test_concentration_widget_logic():
    from perturbkit.widgets.optimality import concentration_explorer, concentration_view
    text, fig = concentration_view(16, 2)
    a, b = near_boundary_share(16, [4.0, 4.0], 2)
    assert f"exactly {a:.4f}" in text and fig is not None
    assert "at most" in concentration_view(8, 3)[0]
    with pytest.raises(ValueError, match="n must be an integer >= 2"):
        concentration_view(1)
    w = concentration_explorer()
    before = w.text.value
    w.controls["n"].value = 20
    assert w.text.value != before
