"""Hamming-graph helpers and the pure functions behind lessons 03 and 04's widgets."""


import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from perturbkit import classifiers, norms
from perturbkit.census import bound_report, label_space, robust_share, robustness
from perturbkit.hamming import ball, ball_size, distance_to_set, edges, families, layers, neighbourhood
from perturbkit.spaces import ImageSpace
from perturbkit.widgets.census import census_view
from perturbkit.widgets.hamming import PICTURES, neighbourhood_view, picture_index

matplotlib.use("Agg")


def test_distance_to_set_is_min_d0():
    space = ImageSpace(2, 3)
    g = torch.Generator().manual_seed(0)
    member = torch.rand(space.size, generator=g) < 0.1
    x = space.images(torch.arange(space.size))
    want = torch.stack([norms.distance(x[i].expand_as(x[member]), x[member], 0).min() for i in range(space.size)])
    assert torch.equal(distance_to_set(member, space), want)
    assert torch.equal(neighbourhood(member, space, 1), want <= 1)


def test_balls_edges_layers():
    for space in (ImageSpace(2), ImageSpace(2, 3), ImageSpace(3)):
        N, L = space.num_entries, space.levels
        assert int(ball(space, 5, 2).sum()) == ball_size(N, 2, L)
        e = edges(space)
        assert e.shape[0] == space.size * N * (L - 1) // 2  # every image has N (L - 1) neighbours
        x = space.images(torch.arange(space.size))
        assert (norms.distance(x[e[:, 0]], x[e[:, 1]], 0) == 1).all()
        assert int(layers(space).max()) == N


def test_families_have_the_size_and_ball_grows_slowest():
    space = ImageSpace(3)
    for size in (1, 10, 100, 256):
        fam = families(space, size)
        assert all(int(m.sum()) == size for m in fam.values())
        grown = {k: [int(neighbourhood(m, space, t).sum()) for t in range(1, 4)] for k, m in fam.items()}
        assert all(all(b <= o for b, o in zip(grown["Hamming ball"], g)) for g in grown.values())
    with pytest.raises(ValueError, match="at most the number of images"):
        families(space, 513)


def test_neighbourhood_view():
    text, fig = neighbourhood_view(1, "cross", "(none)")
    plt.close(fig)
    assert "10 of 512" in text  # a ball of radius 1 in the 9-cube
    text, fig = neighbourhood_view(4, "all black", "all white")
    plt.close(fig)
    assert "512 of 512" in text
    assert picture_index("all white") == 511 and len(PICTURES) >= 4
    with pytest.raises(ValueError, match="picture must be one of"):
        neighbourhood_view(1, "dog")


def test_census_view_and_report():
    space = ImageSpace(3)
    lab = label_space(classifiers.majority, space, progress=False)
    r = robustness(lab, space, 0)
    results = {"majority": robust_share(lab, r, np.arange(10))}
    text, fig = census_view("majority", 2, results, 9)
    plt.close(fig)
    share = results["majority"].robust[1, 2]
    assert f"{100 * share:6.2f}%" in text
    with pytest.raises(ValueError, match="name must be one of"):
        census_view("nope", 2, results, 9)
    report = bound_report(lab, space, r)
    assert "within the bound everywhere" in report and "ABOVE" not in report
    report = bound_report(label_space(classifiers.random_labels(3, 1), ImageSpace(2, 3), progress=False),
                          ImageSpace(2, 3))
    assert "concentration bound" in report
