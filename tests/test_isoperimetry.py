"""Harper's extremal sets (simplicial order) and the core-argument picture of lesson 03."""

import numpy as np
import pytest
import torch

from perturbkit.hamming import ball_size, families, neighbourhood
from perturbkit.isoperimetry import simplicial_order, simplicial_segment, smallest_neighbourhoods
from perturbkit.plotting.core_argument import core_argument_figure, core_regions, example_class
from perturbkit.spaces import ImageSpace


def test_simplicial_order_of_the_3_cube():
    # weight first; within a layer the image white at the first differing entry first (entry 0 = most significant)
    s = ImageSpace(1, channels=3)
    assert simplicial_order(s).tolist() == [0, 4, 2, 1, 6, 5, 3, 7]


def test_segments_are_balls_at_ball_sizes_and_nested():
    s = ImageSpace(2)
    for r in range(5):
        seg = simplicial_segment(s, ball_size(4, r))
        assert seg.sum() == ball_size(4, r)
        assert torch.equal(seg, families(s, ball_size(4, r))["Hamming ball"])
    assert all((simplicial_segment(s, k) <= simplicial_segment(s, k + 1)).all() for k in range(16))


def test_harper_on_the_4_cube_exhaustively():
    best = smallest_neighbourhoods(4)
    s = ImageSpace(2)
    seg = [int(neighbourhood(simplicial_segment(s, k), s, 1).sum()) for k in range(17)]
    assert best.tolist() == seg
    # brute force over a few hundred random sets never beats the minimum
    g = torch.Generator().manual_seed(0)
    for _ in range(200):
        m = torch.rand(16, generator=g) < 0.4
        assert neighbourhood(m, s, 1).sum() >= best[int(m.sum())]
    # the ball filled up in index order (colex-like) is not extremal at 8 vertices
    assert int(neighbourhood(families(s, 8)["Hamming ball"], s, 1).sum()) > best[8]


def test_smallest_neighbourhoods_small_cubes():
    assert smallest_neighbourhoods(1).tolist() == [0, 2, 2]
    assert smallest_neighbourhoods(2).tolist() == [0, 3, 4, 4, 4]


def test_bad_input():
    with pytest.raises(ValueError, match="levels"):
        simplicial_order(ImageSpace(2, levels=3))
    with pytest.raises(TypeError, match="ImageSpace"):
        simplicial_segment("space", 2)
    with pytest.raises(ValueError):
        smallest_neighbourhoods(5)
    with pytest.raises(ValueError, match="inside"):
        core_regions(np.zeros((3, 3)), 1)


def test_core_regions_nested_and_disc():
    y, x = np.mgrid[0:201, 0:201]
    disc = (x - 100) ** 2 + (y - 100) ** 2 <= 80**2
    core, grown = core_regions(disc, 30)
    assert (core <= grown).all() and (grown <= disc).all()
    # the core of a disc of radius 80 at t = 30 is (up to the grid) the disc of radius 50
    assert abs(core.sum() - np.pi * 50**2) < 0.02 * np.pi * 50**2
    c = example_class(120)
    core, grown = core_regions(c, 20)
    assert core.any() and (grown <= c).all() and (grown & ~c).sum() == 0 and (c & ~grown).any()
    assert not core_regions(c, 200)[0].any()


def test_core_argument_figure():
    fig = core_argument_figure(t=0.1, size=120)
    assert len(fig.axes) == 1 and "C(t)" in fig.axes[0].get_title()
    assert len(fig.axes[0].get_legend().get_texts()) == 4
