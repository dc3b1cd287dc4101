"""Bit depth: censuses by levels against brute force, reference curves, quantised models, and the widget logic."""


import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from perturbkit import classifiers
from perturbkit.bitdepth import (
    census_by_levels,
    cube_bound_two_classes,
    cube_sum_share,
    quantised_model_robustness,
    sum_by_levels,
)
from perturbkit.census import robust_share
from perturbkit.norms import distance
from perturbkit.spaces import ImageSpace
from perturbkit.sum_classifier import minimal, sum_robustness

matplotlib.use("Agg")


@pytest.mark.parametrize("L", [2, 3, 5])
def test_census_by_levels_matches_brute_force(L):
    space = ImageSpace(2, L)
    x = space.images(torch.arange(space.size))
    lab = classifiers.sum_threshold(x)
    best = torch.stack([distance(x[lab != lab[i]], x[i].expand_as(x[lab != lab[i]]), 2).min()
                        for i in range(space.size)])
    (s,) = census_by_levels(2, [L], classifiers.sum_threshold, p=2.0)
    assert s.levels == L and s.count == space.size
    assert s.median == pytest.approx(float(best.double().median()), abs=1e-6)
    assert s.mean == pytest.approx(float(best.double().mean()), abs=1e-6)


def test_sum_l2_falls_with_levels_and_l0_does_not_collapse():
    l2 = sum_by_levels((32,), (2, 4, 16, 256), 2.0, samples=1000)
    l0 = sum_by_levels((32,), (2, 4, 16, 256), 0.0, samples=1000)
    values = [l2[(32, L)] for L in (2, 4, 16, 256)]
    assert all(a > b for a, b in zip(values, values[1:]))
    assert min(l0.values()) >= 0.15 * 32


def test_reference_curves_against_a_monte_carlo_of_the_sum_classifier_on_the_cube():
    # Uniform points of [0, 1]^N and their exact l2 distance to the sum classifier's other class: the share farther
    # than r is about cube_sum_share(r) (the large-N formula) and never above the two-class cube bound.
    samples = 20_000
    x = torch.rand(samples, 1, 12, 12, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    _, sizes = minimal(x, 2.0)
    r = np.linspace(0, 0.6, 31)
    share = robust_share(None, sizes, r).robust[0]
    tolerance = 4 * np.sqrt(share * (1 - share) / samples) + 1e-3
    assert (share <= cube_bound_two_classes(r) + tolerance).all()
    np.testing.assert_allclose(share, cube_sum_share(r), atol=0.015)
    assert (cube_bound_two_classes(r) - cube_sum_share(r) > 0.05).any()  # the bound is not the measured curve


def test_cube_sum_share_is_the_limit_of_fine_lattices():
    # with many levels and pixels the exact lattice shares approach the continuous-cube formula
    r = sum_robustness(64, 2.0, levels=4096, samples=4000, seed=0)
    np.testing.assert_allclose(robust_share(None, r, [0.1, 0.3]).robust[0], cube_sum_share([0.1, 0.3]), atol=0.04)


def test_quantised_model_robustness_stays_on_lattice_measures(digits_cnn):
    from perturbkit.data import quantize
    from perturbkit.models import accuracy
    model, (x, y) = digits_cnn.model, digits_cnn.test
    x, y = x[:100], y[:100]
    out = quantised_model_robustness(model, x, y, (2, 16), p=2.0, steps=10, images=6)
    assert [q.levels for q in out] == [2, 16]
    for q in out:  # the accuracy of the quantised images, and some attacks succeed on every lattice
        assert q.accuracy == pytest.approx(accuracy(model, quantize(x, q.levels), y))
        assert q.success > 0
    # on a binary lattice every changed entry moves by 1, so any success costs at least 1 in l2; with 16 levels a
    # step is 1/15, and the attack finds far smaller perturbations
    assert out[0].median >= 1 - 1e-6
    assert out[1].median < out[0].median


def test_widget_logic():
    from perturbkit.widgets.bitdepth import bitdepth_explorer, bitdepth_view
    text, fig = bitdepth_view(1, 16, samples=200)
    assert "L = 2 levels" in text and fig is not None
    text8, _ = bitdepth_view(8, 16, samples=200)
    assert text8 != text
    with pytest.raises(ValueError, match="bits must be an integer >= 1"):
        bitdepth_view(0, 16)
    w = bitdepth_explorer(bits=1, n=16)
    before = w.text.value
    w.controls["bits"].value = 2
    assert w.text.value != before
    plt.close("all")


def test_linf_census_holds_corollary_7_5_and_needs_its_rounding_term():
    from perturbkit.bitdepth import first_pixel_linf_share, linf_census
    from perturbkit.bounds import linf_bound
    for f in (classifiers.sum_threshold, classifiers.majority, classifiers.first_pixel,
              classifiers.random_labels(2, seed=0)):
        for n, L in ((2, 16), (2, 5), (3, 3)):
            c = linf_census(f, n, L)
            assert c.share.shape == (len(c.classes), L) and (c.share <= c.bound + 1e-12).all()
    first = linf_census(classifiers.first_pixel, 2, 16)
    assert list(first.classes) == [0, 1]  # 16 levels: two exact halves
    np.testing.assert_allclose(first.share[0], first_pixel_linf_share(first.eps + 1 / 15, levels=16), atol=1e-12)
    # the same bound without the rounding term (r_inf > eps against Phi(-sqrt(2 pi) eps)) fails for the first pixel
    no_rounding = first_pixel_linf_share(first.eps, levels=16)
    assert (no_rounding > np.asarray(linf_bound(first.eps)) + 1e-9).any()
    with pytest.raises(TypeError, match="classifier must be a callable"):
        linf_census("first pixel", 2, 4)


def test_first_pixel_linf_share_attains_theta_one():
    from perturbkit.bitdepth import first_pixel_linf_share
    from perturbkit.bounds import linf_bound
    eps = np.linspace(0, 0.6, 61)
    cube = first_pixel_linf_share(eps)
    assert (cube <= np.asarray(linf_bound(eps)) + 1e-12).all()  # Corollary 7.5 in the cube
    assert (np.asarray(linf_bound(eps)) - cube)[eps <= 0.1].max() < 0.0011  # nearly attained for small eps
    assert first_pixel_linf_share(0.25) == 0.25 and first_pixel_linf_share(0.7) == 0.0
    np.testing.assert_allclose(first_pixel_linf_share(eps, levels=4097), cube, atol=1e-3)
    assert first_pixel_linf_share(0.0, levels=2) == 0.5 and first_pixel_linf_share(1.0, levels=2) == 0.0
    assert first_pixel_linf_share([0.0], levels=3).tolist() == [1 / 3]  # L odd: class 0 is level 0 only
    with pytest.raises(ValueError, match="eps must be >= 0"):
        first_pixel_linf_share(-0.1)
