"""Harper's extremal sets (simplicial order) and the core-argument picture of lesson 03."""

import numpy as np
import pytest
import torch

from perturbkit import bounds
from perturbkit.census import robustness
from perturbkit.hamming import ball_size, families, neighbourhood
from perturbkit.isoperimetry import (
    best_segment_class,
    bit_cube,
    bit_distance,
    image_order,
    most_robust_share,
    orders,
    simplicial_order,
    simplicial_segment,
    smallest_neighbourhoods,
)
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


def test_the_bit_map_is_a_bijection_and_changes_at_most_one_entry_per_bit():
    space = ImageSpace(2, levels=4)                      # 256 images with 4 entries = 8 bits
    cube = bit_cube(space)
    assert (cube.size, cube.num_entries, cube.levels) == (256, 8, 2)
    idx = torch.arange(space.size)
    levels = space.digits(idx).reshape(256, 4)
    bits = cube.digits(idx).reshape(256, 4, 2)
    # image i of the cube is the bit string of image i: entry j's level is its two bits read most significant first
    assert torch.equal(2 * bits[..., 0] + bits[..., 1], levels)
    i, j = torch.meshgrid(idx, idx, indexing="ij")
    d0 = (levels[i] != levels[j]).sum(-1)
    db = bit_distance(i, j)
    assert torch.equal(db, (bits[i] != bits[j]).sum((-1, -2)))
    assert (d0 <= db).all() and (db <= 2 * d0).all()     # 1-Lipschitz, and at most b bits per changed entry
    assert ((db == 1) <= (d0 == 1)).all()                 # every edge of the cube is an edge of H(N, L)


def test_the_bit_map_transfers_harper_to_hamming_graphs_with_2b_levels():
    # every set of H(2, 4) and of H(1, 16) grows at least as fast as the best set of the same size in Q_4
    cube = smallest_neighbourhoods(4)
    for N, L in ((2, 4), (1, 16)):
        profile = smallest_neighbourhoods(N, L)
        assert (profile >= cube).all() and (profile > cube).any()
    assert smallest_neighbourhoods(1, 16).tolist() == [0] + [16] * 16    # a complete graph


@pytest.mark.parametrize("N, L", [(4, 2), (2, 4), (1, 16)])
def test_the_class_relative_bound_against_brute_force(N, L):
    for t in range(0, N + 1):
        best = most_robust_share(N, L, t)
        assert best <= bounds.harper_bound(N, t, L) + 1e-12
        if L == 2:  # binary: the ball attains the bound one step later
            assert best >= bounds.harper_bound(N, t + 1) - 1e-12


def _exact_optimum_binary(space, t):
    # lesson 04's exercise 5: C = B(S_k, t) with S_k simplicial segments; the 1-neighbourhood of a segment is a segment
    order = simplicial_order(space)
    rank = torch.empty_like(order)
    rank[order] = torch.arange(space.size)
    idx = torch.arange(space.size)
    N = space.num_entries
    reach = torch.stack([rank[idx ^ (1 << j)] for j in range(N)] + [rank], dim=1).max(dim=1).values
    grow1 = torch.cat([torch.zeros(1, dtype=torch.long), torch.cummax(reach[order], dim=0).values + 1])
    k = torch.arange(space.size + 1)
    g = k
    for _ in range(t):
        g = grow1[g]
    share = torch.where((2 * g <= space.size) & (k >= 1), k / g.clamp(min=1), torch.zeros(()))
    return float(share.max())


def test_best_segment_class_is_the_exact_optimum_on_binary_spaces():
    for t in (1, 2, 3):
        assert best_segment_class(ImageSpace(2), t).share == pytest.approx(most_robust_share(4, 2, t))
    space = ImageSpace(4)
    for t in (1, 2, 3, 4):
        # the core of B(S_k, t) may hold more than S_k, so the search is at least the segment ratio k / |B(S_k, t)|
        assert best_segment_class(space, t).share >= _exact_optimum_binary(space, t) - 1e-12
        assert best_segment_class(space, t).share <= bounds.harper_bound(16, t) + 1e-12


@pytest.mark.parametrize("space", [ImageSpace(2, 4), ImageSpace(1, 16, 2)], ids=repr)
def test_best_segment_class_reports_a_real_class(space):
    assert orders(space)[:3] == ["bit simplicial", "level sum", "entries >= 1"]
    assert len(orders(space)) == space.levels + 1
    for kind in orders(space):
        for t in (1, 2):
            r = best_segment_class(space, t, kind)
            seg = torch.zeros(space.size, dtype=torch.bool)
            seg[image_order(space, kind)[:r.k]] = True
            C = neighbourhood(seg, space, t)
            core = C & (robustness(C.to(torch.uint8), space, 0) > t)
            assert (int(C.sum()), int(core.sum())) == (r.size, r.core) and 2 * r.size <= space.size
            if r.k == 0:  # no class of at most half the space has a non-empty core at this radius
                assert r.share == 0 and (space.num_entries, t) == (2, 2)
                continue
            assert r.share == pytest.approx(r.core / r.size)
            assert r.share <= bounds.harper_bound(space.num_entries, t, space.levels)


def test_bad_input():
    with pytest.raises(ValueError, match="levels"):
        simplicial_order(ImageSpace(2, levels=3))
    with pytest.raises(TypeError, match="ImageSpace"):
        simplicial_segment("space", 2)
    with pytest.raises(ValueError, match="at most 16"):
        smallest_neighbourhoods(5)
    with pytest.raises(ValueError, match="at most 16"):
        most_robust_share(3, 4, 1)
    with pytest.raises(ValueError, match="power of two"):
        bit_cube(ImageSpace(2, levels=3))
    with pytest.raises(ValueError, match="kind"):
        image_order(ImageSpace(2), "spiral")
    with pytest.raises(ValueError, match="kind"):
        image_order(ImageSpace(2), "entries >= 2")     # binary images have levels 0 and 1 only
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


def test_threshold_orders_contain_the_majority_vote():
    # 4 levels, 9 entries: majority votes by the top bit, so its class 0 is {at most 4 entries at level >= 2}, whose
    # core share is beta_9(t + 1); the segments of "entries >= 2" contain it
    space = ImageSpace(3, levels=4)
    for t in (1, 2, 3):
        r = best_segment_class(space, t, "entries >= 2")
        assert r.share >= bounds.harper_bound(9, t + 1) - 1e-12
