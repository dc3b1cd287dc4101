"""The bounds against exhaustive censuses (no labelling may beat them) and against their closed forms."""

import itertools
import math

import numpy as np
import pytest
import torch

from perturbkit import bounds, classifiers
from perturbkit.census import label_space, robust_share, robustness
from perturbkit.spaces import ImageSpace
from perturbkit.sum_classifier import labels as sum_labels
from perturbkit.sum_classifier import minimal, sum_robustness


def ball_size(N, r):
    return sum(math.comb(N, i) for i in range(0, r + 1)) if r >= 0 else 0


def adversarial_labellings(space: ImageSpace):
    """Reference classifiers, random labels, and labellings built to be robust: balls, half-spaces, thresholds of
    the distance to random sets, weighted sums."""
    g = torch.Generator().manual_seed(space.num_entries)
    digits = space.digits(torch.arange(space.size)).reshape(space.size, -1)
    L, N = space.levels, space.num_entries
    for f in classifiers.REFERENCE.values():
        yield label_space(f, space, progress=False)
    yield label_space(classifiers.random_labels(3, seed=1), space, progress=False)
    for _ in range(3):  # Hamming balls around random centres, of every radius
        centre = torch.randint(0, L, (N,), generator=g)
        h = (digits != centre).sum(dim=1)
        for radius in range(N):
            yield (h <= radius).to(torch.uint8)
    w = torch.rand(N, generator=g)
    score = (digits.double() * w).sum(dim=1)
    for q in (0.2, 0.5, 0.7):  # weighted-sum half-spaces
        yield (score >= score.quantile(q)).to(torch.uint8)
    for frac in (0.001, 0.01):  # images within some distance of a random seed set
        seeds = (torch.rand(space.size, generator=g) < frac).to(torch.uint8)
        r = robustness(seeds, space, 0)
        d = torch.where(seeds == 1, 0.0, r)
        for radius in range(1, 4):
            yield (d <= radius).to(torch.uint8)


def check_labelling(labels, space, bound, relative):
    N = space.num_entries
    r = robustness(labels, space, 0)
    t = np.arange(N + 1)
    rs = robust_share(labels, r, t)
    for i in range(len(rs.classes)):
        if rs.space_share[i] > 0.5:
            continue  # the one class that may take more than half the space is not covered
        share = rs.robust[i] if relative else rs.core_share_of_space()[i]
        assert (share <= bound(N, t) + 1e-12).all(), (rs.classes[i], share, bound(N, t))


@pytest.mark.parametrize("n", [2, 3, 4])
def test_no_binary_labelling_beats_harper(n):
    space = ImageSpace(n)
    for labels in adversarial_labellings(space):
        check_labelling(labels, space, bounds.harper_bound, relative=True)


@pytest.mark.parametrize("space", [ImageSpace(2, 3), ImageSpace(3, 3), ImageSpace(2, 4), ImageSpace(1, 5, 6),
                                   ImageSpace(4), ImageSpace(3)], ids=repr)
def test_no_labelling_beats_concentration(space):
    for labels in adversarial_labellings(space):
        check_labelling(labels, space, bounds.concentration_bound, relative=False)


@pytest.mark.parametrize("n", [2, 3, 4])
def test_majority_attains_harper_up_to_one_step(n):
    space = ImageSpace(n)
    N = space.num_entries
    labels = label_space(classifiers.majority, space, progress=False)
    r = robustness(labels, space, 0)
    t = np.arange(N + 1)
    share = robust_share(labels, r, t)
    one = list(share.classes).index(1)  # class 1: the ball of radius s* around the all-ones image
    assert share.space_share[one] <= 0.5
    s = (N - 1) // 2
    ball = [ball_size(N, s - k) / ball_size(N, s) for k in t]  # V(s* - t) / V(s*), 0 past the centre
    np.testing.assert_allclose(share.robust[one], ball, rtol=1e-12)
    # below the bound at t, at or above it one step later: the one-step slack of the derivation
    assert (share.robust[one] <= bounds.harper_bound(N, t) + 1e-12).all()
    assert (share.robust[one] >= bounds.harper_bound(N, t + 1) - 1e-12).all()


@pytest.mark.parametrize("N", [1, 2, 5, 16, 25, 100, 1000])
def test_harper_closed_form(N):
    s = (N - 1) // 2
    assert 2 * ball_size(N, s) <= 2**N < 2 * ball_size(N, s + 1)
    t = np.arange(0, N + 2)
    got = bounds.harper_bound(N, t)
    ball = list(itertools.accumulate(math.comb(N, k) for k in range(N + 1)))  # |B(r)| = sum_{k <= r} C(N, k)
    want = [0.0 if k > s else min(1.0, ball[s - k + 1] / ball[s]) for k in t]
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-300)
    assert (got <= bounds.hoeffding_bound(N, t) + 1e-12).all()
    assert bounds.harper_bound(N, 0) == 1.0


@pytest.mark.parametrize("b", [1, 2, 3, 4, 8])
def test_b_bits_is_the_binary_bound_of_the_bit_cube(b):
    # Theorem 3.10: with L = 2**b levels the bound is beta_{bN}: the binary closed form in dimension M = b N
    for N in (1, 2, 9, 16, 100):
        M, s = b * N, (b * N - 1) // 2
        ball = list(itertools.accumulate(math.comb(M, k) for k in range(M + 1)))
        t = np.arange(0, min(M, 60) + 2)
        want = [0.0 if k > s else min(1.0, ball[s - k + 1] / ball[s]) for k in t]
        np.testing.assert_allclose(bounds.harper_bound(N, t, 2**b), want, rtol=1e-9, atol=1e-300)
    assert bounds.bits_per_entry(2**b) == b


def test_b_bits_costs_about_sqrt_b():
    # beta_M(t) ~ 2 Phi(-2 t / sqrt(M)): at 8 bits the same guarantee needs about sqrt(8) times the binary radius
    N = 150528
    for share in (0.1, 0.01):
        t1 = next(t for t in range(1, N) if bounds.harper_bound(N, t) <= share)
        t8 = next(t for t in range(t1, 8 * N) if bounds.harper_bound(N, t, 256) <= share)
        assert 2.7 < t8 / t1 < 2.95


@pytest.mark.parametrize("space", [ImageSpace(2, 4), ImageSpace(3, 4), ImageSpace(1, 4, 3), ImageSpace(2, 16),
                                   ImageSpace(1, 8, 3)], ids=repr)
def test_no_labelling_beats_the_class_relative_bound_at_b_bits(space):
    from perturbkit.isoperimetry import best_segment_class, orders
    L, N = space.levels, space.num_entries
    def bound(N, t):
        return bounds.harper_bound(N, t, L)
    for labels in adversarial_labellings(space):
        check_labelling(labels, space, bound, relative=True)
    # the most robust classes the course constructs stay below it too (radii past 4 cost time and show zeros)
    for t in range(1, min(N, 4) + 1):
        for kind in orders(space):
            assert best_segment_class(space, t, kind).share <= bound(N, t) + 1e-12


def test_hoeffding_is_about_two_exp():
    N = 10_000
    t = np.array([100, 200, 300])
    np.testing.assert_allclose(bounds.hoeffding_bound(N, t), 2 * np.exp(-2 * t**2 / N), rtol=0.05)


def _mc_tolerance(share, samples):
    return 4 * np.sqrt(np.maximum(share, 1 / samples) * (1 - share) / samples)  # four standard errors


@pytest.mark.parametrize("n, levels", [(15, 2), (15, 4), (31, 2)])
def test_concentration_bound_holds_for_the_sum_classifier_beyond_enumeration(n, levels):
    # N odd and N * (levels - 1) odd: the sum classifier splits the space into two halves, so each class's robust
    # core is at most concentration_bound(N, t) of the space and both together at most twice that.
    N, samples = n * n, 20_000
    sizes = sum_robustness(n, 0.0, levels=levels, samples=samples, seed=1).numpy()
    t = np.arange(0, N + 1)
    share = (sizes[:, None] > t).mean(axis=0)
    bound = 2 * bounds.concentration_bound(N, t)
    assert (share <= bound + _mc_tolerance(share, samples)).all()
    assert (np.diff(bounds.concentration_bound(N, t)) <= 0).all() and bounds.concentration_bound(N, t).max() <= 0.5


def test_cube_bound_holds_for_the_sum_classifier_on_the_continuous_cube():
    # Monte Carlo over the unit cube [0, 1]^N: the sum classifier's classes are halves, and the exact l2 distance
    # of each point to the other class comes from the closed-form minimal perturbation.
    samples = 20_000
    x = torch.rand(samples, 1, 10, 10, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    labels = sum_labels(x)
    _, sizes = minimal(x, 2.0)
    r = np.linspace(0, 0.5, 26)
    for c in (0, 1):
        share = ((labels == c).numpy()[:, None] & (sizes.numpy()[:, None] > r)).mean(axis=0)
        assert (share <= bounds.cube_l2_bound(r) + _mc_tolerance(share, samples)).all(), c
    assert bounds.cube_l2_bound(0) == 0.5 and (np.diff(bounds.cube_l2_bound(r)) < 0).all()


def test_linf_bound():
    # the cube: Phi(-sqrt(2 pi) eps), at most the l2 bound (l_inf <= l2); the lattice: shifted by one level step
    eps = np.linspace(0, 1, 11)
    np.testing.assert_allclose(bounds.linf_bound(eps), bounds.cube_l2_bound(eps))
    assert abs(bounds.linf_bound(0.5) - 0.105) < 1e-3
    assert bounds.linf_bound(1 / 255, 256) == 0.5 and bounds.linf_bound(0.5, 256) > bounds.linf_bound(0.5)
    np.testing.assert_allclose(bounds.linf_bound(0.5 + 1 / 255, 256), bounds.linf_bound(0.5 * 255 / 256))
    # first pixel, 16 levels, class 0 = first entry <= 7/15 (half the space): r_inf = 8/15 - x_1, exact shares
    r = 8 / 15 - np.arange(8) / 15
    for e in np.linspace(0, 0.5, 11):
        assert (r > e).sum() / 16 <= bounds.linf_bound(e, 16) + 1e-12


def test_bad_arguments():
    with pytest.raises(ValueError, match="power of two"):
        bounds.harper_bound(16, 1, levels=3)
    with pytest.raises(ValueError, match="levels must be an integer >= 2"):
        bounds.bits_per_entry(1)
    with pytest.raises(ValueError, match="whole number"):
        bounds.harper_bound(16, 1.5)
    with pytest.raises(ValueError, match=">= 0"):
        bounds.concentration_bound(16, -1)
    with pytest.raises(ValueError, match="N must be an integer >= 1"):
        bounds.hoeffding_bound(0, 1)
