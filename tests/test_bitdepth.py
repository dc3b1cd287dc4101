"""Bit depth: censuses by levels against brute force, reference curves, quantised models, and the widget logic."""

import math

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from perturbkit import classifiers
from perturbkit.bitdepth import (census_by_levels, cube_bound_two_classes, cube_sum_share, quantised_model_robustness,
                                 share_above, sum_by_levels)
from perturbkit.norms import distance
from perturbkit.spaces import ImageSpace

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


def test_share_above_and_reference_curves():
    v = torch.tensor([0.0, 1.0, 2.0, 3.0])
    np.testing.assert_allclose(share_above(v, [-1, 0, 0.5, 3]), [1.0, 0.75, 0.75, 0.0])
    assert cube_bound_two_classes(0.0) == pytest.approx(1.0)
    assert cube_bound_two_classes(1.0) == pytest.approx(2 * 0.5 * math.erfc(math.sqrt(2 * math.pi) / math.sqrt(2)))
    r = np.linspace(0, 3, 31)
    assert (cube_sum_share(r) <= cube_bound_two_classes(r) + 1e-12).all()


def test_cube_sum_share_is_the_limit_of_fine_lattices():
    # with many levels and pixels the exact lattice shares approach the continuous-cube formula
    from perturbkit.scaling import sum_robustness
    r = sum_robustness(64, 2.0, levels=4096, samples=4000, seed=0)
    np.testing.assert_allclose(share_above(r, [0.1, 0.3]), cube_sum_share([0.1, 0.3]), atol=0.04)


def test_quantised_model_robustness_stays_on_lattice_measures():
    from perturbkit.data import load_digits
    from perturbkit.models import SmallCNN, train
    x, y = load_digits()
    model = SmallCNN(8, width=4, hidden=16, seed=0)
    train(model, (x[:400], y[:400]), epochs=2, progress=False)
    out = quantised_model_robustness(model, x[400:500], y[400:500], (2, 16), p=2.0, steps=10, images=6)
    assert [q.levels for q in out] == [2, 16]
    for q in out:
        assert 0 <= q.accuracy <= 1 and 0 <= q.success <= 1
    # on a binary lattice every changed entry moves by 1, so any success costs at least 1 in l2
    if out[0].success > 0:
        assert out[0].median >= 1 - 1e-6


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
