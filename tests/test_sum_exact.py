"""Exact minimal perturbations of the sum classifier, checked against brute force and independent optimisers."""

import itertools
import math

import numpy as np
import pytest
import torch
from scipy.optimize import linprog, minimize

from perturbkit.attacks.sum_exact import sum_classifier_labels, sum_classifier_minimal, sum_classifier_sizes
from perturbkit.norms import distance, size
from perturbkit.spaces import ImageSpace

PS = [0.0, 0.5, 1.0, 2.0, math.inf]
SPACES = [ImageSpace(2, 2), ImageSpace(3, 2), ImageSpace(2, 2, channels=2), ImageSpace(2, 3), ImageSpace(2, 4),
          ImageSpace(1, 5, channels=3), ImageSpace(2, 6)]


def brute_force(space, p):
    """Distance from every image to the nearest image with the other sum label, over all pairs of the space."""
    x = space.images(torch.arange(space.size)).double()
    lab = (x.reshape(space.size, -1).sum(1) * 2 >= space.num_entries - 1e-9).long()
    assert torch.equal(lab, sum_classifier_labels(x.float(), levels=space.levels))
    best = torch.full((space.size,), math.inf, dtype=torch.float64)
    for i in range(space.size):
        other = x[lab != lab[i]]
        best[i] = distance(other, x[i].expand_as(other), p).min()
    return x.float(), best


@pytest.mark.parametrize("space", SPACES, ids=repr)
@pytest.mark.parametrize("p", PS)
def test_lattice_matches_brute_force(space, p):
    x, best = brute_force(space, p)
    y, sizes = sum_classifier_minimal(x, p, levels=space.levels)
    assert y.shape == x.shape and y.dtype == x.dtype
    torch.testing.assert_close(sizes.double(), best, rtol=1e-5, atol=1e-5)
    # the perturbed image is on the lattice, has the other label and is at the reported distance
    space.to_digits(y)
    assert bool((sum_classifier_labels(y, space.levels) != sum_classifier_labels(x, space.levels)).all())
    torch.testing.assert_close(distance(y.double(), x.double(), p), sizes.double(), rtol=1e-5, atol=1e-5)


def _vertex_minimum(x, p):
    """Concave costs: the minimum over the polytope is at a vertex (full entries plus at most one partial)."""
    N = x.size
    s = x.sum()
    up = 2 * s < N
    room = 1 - x if up else x
    need = N / 2 - s if up else s - N / 2
    best = math.inf
    cost = (lambda d: float(d > 1e-12)) if p == 0 else (lambda d: d**p)
    for full in itertools.product([0, 1], repeat=N):
        full = np.array(full, dtype=bool)
        rest = need - room[full].sum()
        if rest < -1e-12:
            continue
        base = sum(cost(r) for r in room[full])
        if rest <= 1e-12:
            best = min(best, base)
        for j in np.flatnonzero(~full):
            if rest <= room[j] + 1e-12:
                best = min(best, base + cost(rest))
    return best


@pytest.mark.parametrize("p", [0.0, 0.3, 0.5, 1.0])
def test_continuous_concave_matches_vertex_enumeration(p):
    g = torch.Generator().manual_seed(1)
    x = torch.rand(40, 1, 2, 2, generator=g, dtype=torch.float64)
    x[:5] = torch.round(x[:5] * 4) / 4  # ties in the rooms
    y, sizes = sum_classifier_minimal(x, p)
    for i in range(x.shape[0]):
        assert sizes[i].item() == pytest.approx(_vertex_minimum(x[i].flatten().numpy(), p), abs=1e-9)
    torch.testing.assert_close(y.reshape(40, -1).sum(1), torch.full((40,), 2.0, dtype=torch.float64))


def test_continuous_l2_and_linf_match_optimisers():
    g = torch.Generator().manual_seed(2)
    x = torch.rand(15, 1, 3, 3, generator=g, dtype=torch.float64) ** 2
    _, s2 = sum_classifier_minimal(x, 2)
    _, sinf = sum_classifier_minimal(x, math.inf)
    for i in range(x.shape[0]):
        v = x[i].flatten().numpy()
        N, s = v.size, v.sum()
        up = 2 * s < N
        room = 1 - v if up else v
        need = abs(N / 2 - s)
        res = minimize(lambda d: d @ d, np.full(N, need / N), jac=lambda d: 2 * d, method="SLSQP",
                       bounds=[(0, r) for r in room],
                       constraints=[{"type": "eq", "fun": lambda d, need=need: d.sum() - need}],
                       options={"ftol": 1e-14})
        assert s2[i].item() == pytest.approx(math.sqrt(res.fun), abs=1e-6)
        # l_inf: minimise t subject to 0 <= d_i <= min(room_i, t), sum d = need (a linear programme in (d, t))
        c = np.r_[np.zeros(N), 1.0]
        a_ub = np.c_[np.eye(N), -np.ones(N)]
        lp = linprog(c, A_ub=a_ub, b_ub=np.zeros(N), A_eq=np.r_[np.ones(N), 0.0][None], b_eq=[need],
                     bounds=[(0, r) for r in room] + [(0, None)])
        assert sinf[i].item() == pytest.approx(lp.fun, abs=1e-8)


@pytest.mark.parametrize("p", PS)
def test_no_random_feasible_perturbation_is_smaller(p):
    # Any perturbation that reaches the threshold in the same direction costs at least as much (an invariant).
    g = torch.Generator().manual_seed(3)
    x = torch.rand(200, 1, 4, 4, generator=g, dtype=torch.float64)
    _, sizes = sum_classifier_minimal(x, p)
    flat = x.reshape(200, -1)
    s = flat.sum(1, keepdim=True)
    up = 2 * s < 16
    room = torch.where(up, 1 - flat, flat)
    need = (s - 8).abs()
    for _ in range(20):
        w = torch.rand(200, 16, generator=g, dtype=torch.float64) * (torch.rand(200, 16, generator=g) < 0.5)
        w = w + 1e-9
        d = torch.minimum(room, w / w.sum(1, keepdim=True) * need * 4)  # capped random split, then trimmed
        ok = d.sum(1, keepdim=True) >= need
        d = d * (need / d.sum(1, keepdim=True).clamp_min(1e-30))
        cost = size(d, p)
        assert bool((cost[ok[:, 0]] >= sizes[ok[:, 0]] - 1e-9).all())


def test_binary_flip_count_closed_form():
    # On binary images every p <= 1 size is the number of flips: |ones - N/2| rounded the right way.
    space = ImageSpace(4, 2)
    x = space.sample(300, generator=torch.Generator().manual_seed(4))
    ones = x.reshape(300, -1).sum(1).long()
    flips = torch.where(2 * ones >= 16, ones - 8 + 1, 8 - ones)
    for p in [0, 0.5, 1]:
        _, sizes = sum_classifier_minimal(x, p, levels=2)
        assert torch.equal(sizes.long(), flips)
    _, s2 = sum_classifier_minimal(x, 2, levels=2)
    torch.testing.assert_close(s2, flips.float().sqrt())


def test_continuous_agrees_with_lattice_on_label0():
    # A label-0 lattice image needs the same change in either model when the optimum is whole steps (p <= 1).
    space = ImageSpace(2, 5)
    x = space.images(torch.arange(space.size))
    lab = sum_classifier_labels(x, 5)
    _, lat = sum_classifier_minimal(x, 1.0, levels=5)
    _, cont = sum_classifier_minimal(x, 1.0)
    torch.testing.assert_close(lat[lab == 0], cont[lab == 0])
    assert bool((lat[lab == 1] > cont[lab == 1]).all())  # the strict inequality costs one more step


def test_bad_input():
    x = torch.zeros(2, 1, 2, 2)
    with pytest.raises(ValueError, match="p must be"):
        sum_classifier_minimal(x, -1)
    with pytest.raises(ValueError, match="levels must be an integer >= 2"):
        sum_classifier_minimal(x, 1, levels=1)
    with pytest.raises(ValueError, match="off the 3-level lattice"):
        sum_classifier_minimal(torch.full((1, 1, 2, 2), 0.3), 1, levels=3)
    with pytest.raises(ValueError, match="values in \\[0, 1\\]"):
        sum_classifier_minimal(torch.full((1, 1, 2, 2), 1.5), 1)
    with pytest.raises(ValueError, match="shape \\(k, channels, n, n\\)"):
        sum_classifier_minimal(torch.zeros(2, 4), 1)
    with pytest.raises(TypeError, match="x must be a torch.Tensor"):
        sum_classifier_minimal(np.zeros((1, 1, 2, 2)), 1)


@pytest.mark.gpu
@pytest.mark.parametrize("p", PS)
def test_cuda_matches_cpu(p):
    space = ImageSpace(16, 4)
    x = space.sample(64, generator=torch.Generator().manual_seed(5))
    y_cpu, s_cpu = sum_classifier_minimal(x, p, levels=4)
    y_gpu, s_gpu = sum_classifier_minimal(x.cuda(), p, levels=4)
    assert y_gpu.device.type == "cuda" and s_gpu.device.type == "cuda"
    torch.testing.assert_close(s_gpu.cpu(), s_cpu)
    torch.testing.assert_close(distance(y_gpu.cpu(), x, p), s_cpu, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("levels", [2, 3, 4, 7, 16])
@pytest.mark.parametrize("p", PS + [0.25, 3.0])
def test_sizes_from_counts_match_images(levels, p):
    space = ImageSpace(5, levels)
    g = torch.Generator().manual_seed(6)
    x = space.sample(300, generator=g)
    x[:3] = 0.0  # extremes: all black, all white, exactly one step below the threshold where possible
    x[1] = 1.0
    digits = space.to_digits(x).reshape(300, -1)
    counts = torch.nn.functional.one_hot(digits, levels).sum(dim=1)
    _, expected = sum_classifier_minimal(x.double(), p, levels=levels)
    torch.testing.assert_close(sum_classifier_sizes(counts, p), expected, rtol=1e-9, atol=1e-9)


def test_sizes_from_counts_bad_input():
    with pytest.raises(ValueError, match="shape \\(k, levels\\)"):
        sum_classifier_sizes(torch.zeros(3, dtype=torch.int64), 1)
    with pytest.raises(TypeError, match="integer tensor"):
        sum_classifier_sizes(torch.zeros(3, 2), 1)
    with pytest.raises(ValueError, match=">= 0"):
        sum_classifier_sizes(torch.tensor([[1, -1]]), 1)
