import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from perturbkit.norms import distance, project, size

PS = [0, 0.25, 0.5, 1, 1.5, 2, 3, math.inf]


def brute_size(d, p):
    out = []
    for row in d.reshape(d.shape[0], -1).tolist():
        if p == 0:
            out.append(sum(1 for v in row if v != 0))
        elif p < 1:
            out.append(sum(abs(v) ** p for v in row))
        elif p == math.inf:
            out.append(max(abs(v) for v in row))
        else:
            out.append(sum(abs(v) ** p for v in row) ** (1 / p))
    return torch.tensor(out, dtype=torch.float64)


@pytest.mark.parametrize("p", PS)
def test_size_matches_brute_force(p):
    g = torch.Generator().manual_seed(0)
    d = torch.randn(20, 2, 3, 3, generator=g, dtype=torch.float64)
    d[d.abs() < 0.5] = 0  # some exact zeros so that p = 0 counts something
    assert torch.allclose(size(d, p), brute_size(d, p))


def test_distance_is_size_of_difference_and_symmetric():
    g = torch.Generator().manual_seed(1)
    x, y = torch.rand(5, 1, 4, 4, generator=g), torch.rand(5, 1, 4, 4, generator=g)
    for p in PS:
        assert torch.allclose(distance(x, y, p), distance(y, x, p))
        assert torch.allclose(distance(x, x, p), torch.zeros(5))


def test_p_below_one_has_no_root_and_is_a_metric():
    x = torch.zeros(1, 4)
    y = torch.tensor([[0.5, 0.5, 0.0, 0.0]])
    z = torch.tensor([[0.5, 1.0, 1.0, 0.0]])
    assert float(distance(x, y, 0.5)) == pytest.approx(2 * 0.5**0.5)
    # triangle inequality holds for sum |d|^p with p < 1 (it would fail with the 1/p root)
    assert float(distance(x, z, 0.5)) <= float(distance(x, y, 0.5) + distance(y, z, 0.5)) + 1e-6


def support(g, p, eps):
    """max over the p-ball of <g, z>: eps times the dual norm of g."""
    dual = {2: 2, math.inf: 1, 1: math.inf}[p]
    return eps * torch.linalg.vector_norm(g, ord=dual, dim=1)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), p=st.sampled_from([1, 2, math.inf]), k=st.integers(1, 12),
       eps=st.floats(0.0, 3.0))
def test_projection_is_the_nearest_point(seed, p, k, eps):
    g = torch.Generator().manual_seed(seed)
    v = torch.randn(4, k, generator=g, dtype=torch.float64) * 2
    w = project(v, p, eps)
    assert (size(w, p) <= eps + 1e-9).all()
    # Optimality of a Euclidean projection onto a convex set: <v - w, z - w> <= 0 for every z in the ball,
    # i.e. max_z <v - w, z> = support(v - w) <= <v - w, w>.
    r = v - w
    assert (support(r, p, eps) <= (r * w).sum(dim=1) + 1e-9).all()
    assert torch.allclose(project(w, p, eps), w)  # idempotent


@pytest.mark.parametrize("p", [1, 2, math.inf])
def test_projection_beats_every_point_of_a_grid_in_the_ball(p):
    # Brute force in 2-D: the projection is at least as close as every grid point inside the ball.
    grid = torch.stack(torch.meshgrid(torch.linspace(-1, 1, 81, dtype=torch.float64),
                                      torch.linspace(-1, 1, 81, dtype=torch.float64), indexing="ij"), -1).reshape(-1, 2)
    inside = grid[size(grid, p) <= 0.7]
    g = torch.Generator().manual_seed(4)
    for v in torch.randn(10, 2, generator=g, dtype=torch.float64):
        w = project(v[None], p, 0.7)
        best = (inside - v).norm(dim=1).min()
        assert float((w - v).norm()) <= float(best) + 1e-12


def test_l0_projection_keeps_largest_entries():
    d = torch.tensor([[0.1, -0.9, 0.5, 0.0, 0.3], [1.0, 2.0, 3.0, 4.0, 5.0]], dtype=torch.float64)
    out = project(d, 0, torch.tensor([2.0, 1.0]))
    assert out.tolist() == [[0.0, -0.9, 0.5, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 5.0]]
    assert torch.equal(project(out, 0, torch.tensor([2.0, 1.0])), out)
    assert (size(project(torch.randn(6, 30), 0, 7), 0) <= 7).all()


def test_per_sample_eps_and_shape_kept():
    d = torch.ones(3, 1, 2, 2)
    out = project(d, 2, torch.tensor([0.0, 1.0, 10.0]))
    assert out.shape == d.shape
    assert size(out, 2).tolist() == pytest.approx([0.0, 1.0, 2.0])
    out = project(d, math.inf, torch.tensor([0.5, 1.0, 0.25]))
    assert size(out, math.inf).tolist() == pytest.approx([0.5, 1.0, 0.25])


def test_bad_arguments():
    d = torch.ones(2, 3)
    with pytest.raises(ValueError, match="p must be a real number in \\[0, inf\\].*got -2"):
        size(d, -2)
    with pytest.raises(TypeError, match="p must be a real number"):
        size(d, "l2")
    with pytest.raises(ValueError, match="project supports p in \\{0, 1, 2, inf\\}, got p=3"):
        project(d, 3, 1.0)
    with pytest.raises(ValueError, match="eps must be >= 0"):
        project(d, 2, -0.1)
    with pytest.raises(ValueError, match="one value per sample \\(2\\)"):
        project(d, 2, torch.ones(3))
    with pytest.raises(ValueError, match="delta contains 1 NaN"):
        size(torch.tensor([[1.0, float("nan")]]), 1)
    with pytest.raises(ValueError, match="same shape"):
        distance(torch.ones(2, 3), torch.ones(2, 4), 2)
