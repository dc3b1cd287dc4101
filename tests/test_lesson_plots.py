"""Smoke and content tests for the plotting helpers of lessons 08-10 (they draw what they are given)."""


import matplotlib.pyplot as plt
import torch

from perturbkit.flip import FlipExperiment, hamming_path
from perturbkit.natural import DistanceRow
from perturbkit.plotting.flip import flip_figure, path_strip
from perturbkit.plotting.natural import distance_scales
from perturbkit.plotting.perturbations import perturbation_rows


def test_distance_scales_one_panel_per_p():
    rows = [DistanceRow("d", n, L, p, 1.0, 2.0, float(n) ** (1 / max(p, 1)), float(n * n) ** (1 / max(p, 1)))
            for n in (8, 16) for L in (2, 16) for p in (0, 2)]
    fig = distance_scales(rows, "t")
    assert len(fig.axes) == 2 and [len(ax.lines) for ax in fig.axes] == [4, 4]   # 2 data, budget, diameter
    plt.close(fig)


def test_flip_and_path_figures():
    path = hamming_path(torch.zeros(1, 4, 4), torch.ones(1, 4, 4), order="raster")
    exp = FlipExperiment(path, ("a", "b"), step=5)
    exp.record(0)
    exp.record(1)
    fig = flip_figure(exp, torch.tensor([0] * 8 + [1] * 9), n=4)
    assert len(fig.axes) == 2
    plt.close(fig)
    fig = path_strip(path, stops=4)
    assert [ax.get_title() for ax in fig.axes] == ["0 changed", "5 changed", "11 changed", "16 changed"]
    plt.close(fig)


def test_perturbation_rows_layout():
    x = torch.rand(3, 1, 6, 6)
    fig = perturbation_rows(x, {"a": x.flip(0), "b": x.clamp(0.2, 0.8)}, {"a": torch.tensor([1, 2, 3]),
                                                                           "b": torch.tensor([4, 5, 6])})
    assert len(fig.axes) == 15 and fig.axes[6].get_title() == "says 1" and fig.axes[14].get_title() == "says 6"
    plt.close(fig)
