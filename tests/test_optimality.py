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


def test_window_shares_match_the_enumerated_space():
    # every image of the 3-level 2x2 space: D = |S - N/2| and the labels, counted directly
    from perturbkit.optimality import window_shares
    space = ImageSpace(2, 3)
    x = space.images(torch.arange(space.size)).double().flatten(1)
    gap = 2 * x.sum(1) - 4  # 2 (S - N/2), exact in halves
    one = gap >= -1e-9
    cs = [0.0, 0.25, 0.5, 1.0]
    got = window_shares(4, cs, 3)
    for i, c in enumerate(cs):
        edge = 2 * c * 2  # 2 c sqrt(N)
        assert got.space[i] == pytest.approx(float((gap.abs() <= edge + 1e-9).double().mean()))
        assert got.class0[i] == pytest.approx(float(((gap.abs() < edge - 1e-9) & ~one).sum() / (~one).sum()))
        assert got.class1[i] == pytest.approx(float(((gap.abs() < edge - 1e-9) & one).sum() / one.sum()))


@pytest.mark.parametrize("levels", [2, 3, 4, 16])
def test_theorem_6_2_bounds_hold_at_every_size_and_need_the_berry_esseen_term(levels):
    from perturbkit.optimality import BERRY_ESSEEN, entry_sd, window_bound, window_shares
    cs = np.array([0.0, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0])
    limit_only = 2 * cs / np.sqrt(2 * np.pi) / entry_sd(levels)
    exceeded = False
    for n in (1, 2, 3, 5, 8, 13, 32, 64):
        N = n * n
        s = window_shares(N, cs, levels)
        assert (s.space <= window_bound(N, cs, levels, per_class=False) + 1e-12).all()
        assert (np.maximum(s.class0, s.class1) <= window_bound(N, cs, levels) + 1e-12).all()
        exceeded |= bool((np.maximum(s.class0, s.class1) > limit_only + 1e-12).any())
    assert exceeded  # without the Berry-Esseen term the bound fails at small n
    assert window_bound(64, 0.25) == pytest.approx(2 * (0.5 / np.sqrt(2 * np.pi) + 2 * BERRY_ESSEEN / 8))
    assert window_bound(64, 0.0, per_class=False) == pytest.approx(2 * BERRY_ESSEEN / 8)


def test_window_arguments_are_checked():
    from perturbkit.optimality import entry_sd, window_bound, window_shares
    assert entry_sd(2) == 0.5 and entry_sd(4096) == pytest.approx(1 / np.sqrt(12), rel=1e-3)
    with pytest.raises(ValueError, match="c must be >= 0"):
        window_bound(16, -0.1)
    with pytest.raises(TypeError, match="per_class must be True or False"):
        window_bound(16, 0.1, per_class="yes")
    with pytest.raises(ValueError, match="levels must be an integer >= 2"):
        window_shares(16, 0.1, levels=1)
