import math

import pytest
import torch

from perturbkit.budgets import budget_curves, format_p, space_numbers
from perturbkit.spaces import ImageSpace


def test_space_numbers_agree_with_image_space():
    for n, L, q, p in [(4, 2, 1, 0), (8, 17, 1, 0.5), (16, 4, 3, 2), (5, 2, 1, math.inf)]:
        s = space_numbers(n, L, q, p, c=1.5)
        space = ImageSpace(n, L, q)
        assert s.num_entries == space.num_entries
        assert s.diameter == space.diameter(p) and s.budget == space.budget(p, 1.5)
        assert s.log10_size == pytest.approx(math.log10(space.size), rel=1e-12)


def test_ratio_falls_like_n_to_minus_one_over_max_p_1():
    curves = budget_curves([16, 64], [0, 0.5, 2, 4, math.inf])
    for p, cur in curves.items():
        r16, r64 = cur["ratio"]
        expected = 4 ** (-1 / max(p, 1)) if p != math.inf else 1.0
        assert r64 / r16 == pytest.approx(expected)


def test_describe_is_rounded_text():
    text = space_numbers(8, 2, 1, 2).describe()
    assert "N = 64" in text and "budget / diameter = 0.3536" in text
    assert format_p(math.inf) == "inf" and format_p(0.5) == "0.5" and format_p(2) == "2"


def test_widget_view_and_widget_update():
    from perturbkit.widgets.spaces import explorer_view, space_explorer
    text, fig = explorer_view(4, 2, 1, 0.0, digit=torch.zeros(1, 8, 8))
    assert "N = 16" in text and len(fig.axes) == 2
    w = space_explorer()
    before = (w.text.value, w.image.value)
    w.controls["n"].value = 12
    assert "n = 12" in w.text.value and w.image.value != before[1]
    w.controls["p"].value = math.inf
    assert "budget / diameter = 1.0000" in w.text.value


def test_plots_draw():
    from perturbkit.plotting.budgets import plot_budget_and_diameter
    from perturbkit.plotting.norms import plot_unit_balls
    fig = plot_budget_and_diameter(ns=(4, 8), ps=(0, 2))
    assert len(fig.axes) == 2
    fig2 = plot_unit_balls((1, 2))
    assert len(fig2.axes) == 2
