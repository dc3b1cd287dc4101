"""The sum classifier: labels against the reference classifier and enumeration, exact minimal perturbations against
brute force and independent optimisers, the level-sum distribution and the Monte Carlo of robustness."""

import itertools
import math

import numpy as np
import pytest
import torch
from scipy.optimize import linprog, minimize
from scipy.stats import binom

from perturbkit import classifiers
from perturbkit import sum_classifier as sc
from perturbkit.norms import distance, size
from perturbkit.spaces import ImageSpace

PS = [0.0, 0.5, 1.0, 2.0, math.inf]
SPACES = [ImageSpace(2, 2), ImageSpace(3, 2), ImageSpace(2, 2, channels=2), ImageSpace(2, 3), ImageSpace(2, 4),
          ImageSpace(1, 5, channels=3), ImageSpace(2, 6)]


def brute_force(space, p):
    """Distance from every image to the nearest image with the other sum label, over all pairs of the space."""
    x = space.images(torch.arange(space.size)).double()
    lab = (x.reshape(space.size, -1).sum(1) * 2 >= space.num_entries - 1e-9).long()
    assert torch.equal(lab, sc.labels(x.float(), levels=space.levels))
    best = torch.full((space.size,), math.inf, dtype=torch.float64)
    for i in range(space.size):
        other = x[lab != lab[i]]
        best[i] = distance(other, x[i].expand_as(other), p).min()
    return x.float(), best


@pytest.mark.parametrize("space", SPACES, ids=repr)
@pytest.mark.parametrize("p", PS)
def test_lattice_matches_brute_force(space, p):
    x, best = brute_force(space, p)
    y, sizes = sc.minimal(x, p, levels=space.levels)
    assert y.shape == x.shape and y.dtype == x.dtype
    torch.testing.assert_close(sizes.double(), best, rtol=1e-5, atol=1e-5)
    # the perturbed image is on the lattice, has the other label and is at the reported distance
    space.to_digits(y)
    assert bool((sc.labels(y, space.levels) != sc.labels(x, space.levels)).all())
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
    y, sizes = sc.minimal(x, p)
    for i in range(x.shape[0]):
        assert sizes[i].item() == pytest.approx(_vertex_minimum(x[i].flatten().numpy(), p), abs=1e-9)
    torch.testing.assert_close(y.reshape(40, -1).sum(1), torch.full((40,), 2.0, dtype=torch.float64))


def test_continuous_l2_and_linf_match_optimisers():
    g = torch.Generator().manual_seed(2)
    x = torch.rand(15, 1, 3, 3, generator=g, dtype=torch.float64) ** 2
    _, s2 = sc.minimal(x, 2)
    _, sinf = sc.minimal(x, math.inf)
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
    _, sizes = sc.minimal(x, p)
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
        _, sizes = sc.minimal(x, p, levels=2)
        assert torch.equal(sizes.long(), flips)
    _, s2 = sc.minimal(x, 2, levels=2)
    torch.testing.assert_close(s2, flips.float().sqrt())


def test_continuous_agrees_with_lattice_on_label0():
    # A label-0 lattice image needs the same change in either model when the optimum is whole steps (p <= 1).
    space = ImageSpace(2, 5)
    x = space.images(torch.arange(space.size))
    lab = sc.labels(x, 5)
    _, lat = sc.minimal(x, 1.0, levels=5)
    _, cont = sc.minimal(x, 1.0)
    torch.testing.assert_close(lat[lab == 0], cont[lab == 0])
    assert bool((lat[lab == 1] > cont[lab == 1]).all())  # the strict inequality costs one more step


def test_bad_input():
    x = torch.zeros(2, 1, 2, 2)
    with pytest.raises(ValueError, match="p must be"):
        sc.minimal(x, -1)
    with pytest.raises(ValueError, match="levels must be an integer >= 2"):
        sc.minimal(x, 1, levels=1)
    with pytest.raises(ValueError, match="off the 3-level lattice"):
        sc.minimal(torch.full((1, 1, 2, 2), 0.3), 1, levels=3)
    with pytest.raises(ValueError, match="values in \\[0, 1\\]"):
        sc.minimal(torch.full((1, 1, 2, 2), 1.5), 1)
    with pytest.raises(ValueError, match="shape \\(k, channels, n, n\\)"):
        sc.minimal(torch.zeros(2, 4), 1)
    with pytest.raises(TypeError, match="images must be a torch.Tensor"):
        sc.minimal(np.zeros((1, 1, 2, 2)), 1)


@pytest.mark.gpu
@pytest.mark.parametrize("p", PS)
def test_cuda_matches_cpu(p):
    space = ImageSpace(16, 4)
    x = space.sample(64, generator=torch.Generator().manual_seed(5))
    y_cpu, s_cpu = sc.minimal(x, p, levels=4)
    y_gpu, s_gpu = sc.minimal(x.cuda(), p, levels=4)
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
    _, expected = sc.minimal(x.double(), p, levels=levels)
    torch.testing.assert_close(sc.minimal_sizes(counts, p), expected, rtol=1e-9, atol=1e-9)


def test_sizes_from_counts_bad_input():
    with pytest.raises(ValueError, match="shape \\(k, levels\\)"):
        sc.minimal_sizes(torch.zeros(3, dtype=torch.int64), 1)
    with pytest.raises(TypeError, match="integer tensor"):
        sc.minimal_sizes(torch.zeros(3, 2), 1)
    with pytest.raises(ValueError, match=">= 0"):
        sc.minimal_sizes(torch.tensor([[1, -1]]), 1)


def test_level_sum_pmf_binary_is_binomial():
    np.testing.assert_allclose(sc.level_sum_pmf(37, 2), binom.pmf(np.arange(38), 37, 0.5), atol=1e-12)


@pytest.mark.parametrize("N,L", [(4, 3), (3, 5), (5, 4)])
def test_level_sum_pmf_matches_enumeration(N, L):
    counts = np.zeros(N * (L - 1) + 1)
    for digits in itertools.product(range(L), repeat=N):
        counts[sum(digits)] += 1
    np.testing.assert_allclose(sc.level_sum_pmf(N, L), counts / L**N, atol=1e-12)


@pytest.mark.parametrize("n,L", [(2, 2), (2, 3), (2, 5), (3, 2)])
def test_steps_to_cross_is_the_exact_l1_minimum_in_steps(n, L):
    space = ImageSpace(n, L)
    x = space.images(torch.arange(space.size)).double()
    _, l1 = sc.minimal(x, 1.0, levels=L)
    s = space.to_digits(x).reshape(space.size, -1).sum(1).numpy()
    np.testing.assert_allclose(sc.steps_to_cross(space.num_entries, L)[s], l1.numpy() * (L - 1), atol=1e-9)


def test_random_level_counts_shape_sum_seed():
    c = sc.random_level_counts(6, levels=5, samples=2000, seed=3, channels=2)
    assert c.shape == (2000, 5) and c.dtype == torch.int64
    assert bool((c.sum(1) == 72).all())
    assert torch.equal(c, sc.random_level_counts(6, levels=5, samples=2000, seed=3, channels=2))
    assert not torch.equal(c, sc.random_level_counts(6, levels=5, samples=2000, seed=4, channels=2))
    # each count is Binomial(72, 1/5): mean 14.4, sd sqrt(72*0.2*0.8); the sample mean is within 5 standard errors
    se = math.sqrt(72 * 0.2 * 0.8 / 2000)
    assert bool(((c.double().mean(0) - 14.4).abs() < 5 * se).all())
    with pytest.raises(ValueError, match="samples must be an integer >= 1"):
        sc.random_level_counts(4, samples=0)


def test_binary_robustness_matches_exact_distribution():
    # Binary images, p = 0: S ~ Bin(N, 1/2) ones; the flips needed are N/2 - S below the threshold, S - N/2 + 1 at
    # or above it. Compare the Monte Carlo mean and median with the exact distribution.
    n, k = 6, 40000
    N = n * n
    s = np.arange(N + 1)
    flips = np.where(2 * s >= N, s - N // 2 + 1, N // 2 - s)
    pmf = binom.pmf(s, N, 0.5)
    mean = float((pmf * flips).sum())
    sd = math.sqrt(float((pmf * (flips - mean) ** 2).sum()))
    r = sc.sum_robustness(n, 0, levels=2, samples=k, seed=1)
    assert abs(float(r.mean()) - mean) < 5 * sd / math.sqrt(k)
    order = np.argsort(flips)
    cdf = np.cumsum(pmf[order])
    assert float(r.median()) == flips[order][np.searchsorted(cdf, 0.5)]
    torch.testing.assert_close(sc.sum_robustness(n, 2, levels=2, samples=k, seed=1), r.sqrt())


# spaces whose census the tests and lessons take (lessons 03, 04, 06, 07), and one where the float margin matters
CENSUS_SPACES = [ImageSpace(2), ImageSpace(3), ImageSpace(4), ImageSpace(3, 3), ImageSpace(3, 4), ImageSpace(2, 3),
                 ImageSpace(2, 4), ImageSpace(2, 8), ImageSpace(2, 16), ImageSpace(1, 4, 3), ImageSpace(1, 5, 4),
                 ImageSpace(1, 19, 2)]


@pytest.mark.parametrize("space", CENSUS_SPACES, ids=repr)
def test_labels_agree_with_the_census_and_the_reference_classifier(space):
    x = space.images(torch.arange(space.size))
    d = space.digits(torch.arange(space.size)).reshape(space.size, -1)
    exact = (2 * d.sum(1) >= space.num_entries * (space.levels - 1)).long()
    whole = sc.space_labels(space)
    assert whole.dtype == torch.uint8 and torch.equal(whole.long(), exact)
    assert torch.equal(sc.labels(x, space.levels), exact)
    assert torch.equal(sc.labels(x), exact)  # float sums with the margin: exact on the lattice
    assert torch.equal(classifiers.sum_threshold(x), exact)
    assert torch.equal(classifiers.sum_threshold.whole_space(space), whole)  # the same declaration, two callers


def test_the_float_margin_is_needed_without_the_lattice():
    # float32 values of k/18 are rounded both ways: 3/18 + 15/18 sums to just below 1 = N/2, a threshold image
    x = ImageSpace(1, 19, 2).images(torch.tensor([3 * 19 + 15]))
    assert float(x.double().sum()) < 1.0
    assert int(sc.labels(x)) == 1 == int(sc.labels(x, 19))
    assert int(sc.labels(x - 2 * sc.TOLERANCE)) == 0  # the margin is 1e-6, far below a level step


@pytest.mark.parametrize("N", [1, 2, 5, 8, 13])
def test_binary_histogram_counts_every_image(N):
    # r_0 of a binary image is the number of flips its label needs (= steps_to_cross); count by brute force
    space = ImageSpace(1, 2, N)
    d = space.digits(torch.arange(space.size)).reshape(space.size, -1)
    x = space.images(torch.arange(space.size))
    lab = sc.labels(x, 2)
    _, flips = sc.minimal(x, 0, levels=2)
    hist = np.zeros((2, N + 1), dtype=np.int64)
    np.add.at(hist, (lab.numpy(), flips.long().numpy()), 1)
    assert np.array_equal(sc.binary_histogram(N), hist)
    h = -(-N // 2)
    assert sc.binary_histogram(N)[1, 1] == math.comb(N, h) and sc.binary_histogram(N)[0, h] == 1
    assert torch.equal(lab, sc.decide(d.sum(1), N).long())
