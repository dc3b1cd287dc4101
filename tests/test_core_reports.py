"""The text reports of the core modules against independent computations: guarantees' tables and radii from exact
integer binomial sums (Python's big integers, no SciPy), closed forms and the standard library's normal quantile;
census.bound_report on labellings whose robust shares are known by hand."""

import math
from fractions import Fraction
from statistics import NormalDist

import pytest
import torch

from perturbkit import census, guarantees
from perturbkit.spaces import ImageSpace


def harper_t(M: int, share: float) -> int:
    """The smallest t with beta_M(t) <= share, from exact integers: beta_M(t) = V(s* - t + 1) / V(s*) (at most 1)
    for t <= s* = (M - 1) // 2 and 0 beyond, V(s) = sum_{i <= s} C(M, i)."""
    s = (M - 1) // 2
    V, total, term = [], 0, 1
    for i in range(s + 2):
        total += term  # term = C(M, i)
        V.append(total)
        term = term * (M - i) // (i + 1)
    for t in range(s + 2):
        if t > s or min(Fraction(1), Fraction(V[s - t + 1], V[s])) <= Fraction(share):
            return t
    raise AssertionError("unreachable")


def concentration_t(N: int, share: float) -> float:
    return math.sqrt(N / 2) * (math.sqrt(math.log(2)) + math.sqrt(math.log(1 / share)))


def test_harper_radius_is_the_exact_integer_radius():
    for N, share, levels in ((16, 0.5, 2), (16, 0.1, 2), (16, 0.01, 2), (9, 0.2, 4), (784, 0.01, 2), (784, 0.01, 256)):
        M = N * (levels.bit_length() - 1)
        assert guarantees.harper_radius(N, share, levels) == harper_t(M, share), (N, share, levels)


def test_radii_for_share_on_mnist_from_exact_sums():
    r = guarantees.radii_for_share(28, 256, 1, share=0.01)
    assert (r.n, r.levels, r.channels, r.N, r.share) == (28, 256, 1, 784, 0.01)
    assert r.bits == harper_t(8 * 784, 0.01) == 103
    assert r.binary == harper_t(784, 0.01) == 37
    assert r.space == math.ceil(concentration_t(784, 0.01)) == 59
    # no class-relative radius where L is not a power of two
    r3 = guarantees.radii_for_share(4, 3, 1, share=0.1)
    assert r3.bits is None and r3.binary == harper_t(16, 0.1) and r3.space == math.ceil(concentration_t(16, 0.1))


def test_concentration_and_cube_radius_closed_forms():
    for share in (0.3, 0.1, 0.01):
        assert guarantees.concentration_radius(50, share) == pytest.approx(concentration_t(50, share), rel=1e-12)
        z = -NormalDist().inv_cdf(share)
        assert guarantees.cube_radius(share) == pytest.approx(z / math.sqrt(2 * math.pi), rel=1e-9)
    assert guarantees.concentration_radius(50, 0.5) == 0.0 and guarantees.cube_radius(0.5) == 0.0
    assert guarantees.concentration_radius(50, 0.7) == 0.0 and guarantees.cube_radius(0.7) == 0.0


def test_shares_at_c_uses_the_whole_radius_and_the_right_bounds():
    # N = 16, c = 0.5: t = 2. beta_16(2) = V(6) / V(7) and beta_128(2) = V(62) / V(63) exactly; the concentration
    # bound is trivial there (2 sqrt(2/16) < sqrt(ln 2))
    shares = guarantees.shares_at_c(16, 0.5, levels=256)
    V = lambda M, s: sum(math.comb(M, i) for i in range(s + 1))  # noqa: E731
    assert list(shares) == ["binary (share of the class)", "8 bits (share of the class)", "any L (share of the space)"]
    assert shares["binary (share of the class)"] == pytest.approx(V(16, 6) / V(16, 7), rel=1e-12)
    assert shares["8 bits (share of the class)"] == pytest.approx(V(128, 62) / V(128, 63), rel=1e-12)
    assert shares["any L (share of the space)"] == 0.5
    # c sqrt(N) = 56 exactly for N = 784, c = 2: t = 56, not 55 (float noise must not round it down)
    at = guarantees.shares_at_c(784, 2.0, levels=4)
    assert list(at)[1] == "2 bits (share of the class)"
    assert at["binary (share of the class)"] == pytest.approx(V(784, 391 - 56 + 1) / V(784, 391), rel=1e-9)
    x = 56 * math.sqrt(2 / 784) - math.sqrt(math.log(2))  # exp(-x^2) is below the cap 1/2 here
    assert at["any L (share of the space)"] == pytest.approx(math.exp(-x * x), rel=1e-12)
    assert guarantees.shares_at_c(16, 0.0)["binary (share of the class)"] == 1.0


def test_guarantee_table_cells_from_exact_radii():
    text = guarantees.guarantee_table(Ns=(16, 784), shares=(0.5, 0.1, 0.01), levels=(2, 4))
    lines = text.split("\n")
    assert len(lines) == 1 + 4 + 2
    assert lines[0] == f"{'bound (what the share is of)':46s}" + "".join(
        f"{f'share <= {s:g}':>16s}" for s in (0.5, 0.1, 0.01))
    for row, (kind, N, b) in zip(lines[1:5], [("binary", 16, 1), ("binary", 784, 1), ("2 bits", 16, 2),
                                              ("2 bits", 784, 2)]):
        cells = "".join(f"{f'c = {harper_t(b * N, s) / math.sqrt(N):.2f}':>16s}" for s in (0.5, 0.1, 0.01))
        assert row == f"{f'{kind}, N = {N} (class)':46s}{cells}"
    conc = "".join(f"{c:>16s}" for c in ("any (trivial)", f"c = {concentration_t(1, 0.1):.2f}",
                                          f"c = {concentration_t(1, 0.01):.2f}"))
    assert lines[5] == f"{'concentration, any L, any N (space)':46s}{conc}"
    eps = [-NormalDist().inv_cdf(s) / math.sqrt(2 * math.pi) for s in (0.1, 0.01)]
    cube = "".join(f"{c:>16s}" for c in ("any (trivial)", f"eps = {eps[0]:.2f}", f"eps = {eps[1]:.2f}"))
    assert lines[6] == f"{'cube l2 radius, any N (space)':46s}{cube}"
    assert lines[5].endswith("c = 1.66        c = 2.11") and lines[6].endswith("eps = 0.51      eps = 0.93")


def test_dataset_table_rows():
    text = guarantees.dataset_table(share=0.01, datasets={"MNIST": (28, 256, 1), "ternary": (4, 3, 1)})
    lines = text.split("\n")
    assert lines[0] == "changed entries after which at most 0.01 is robust"
    assert lines[1] == (f"{'data set':20s}{'N':>8s}  {'t, own bits (class)':>26s}  {'t, binary (class)':>24s}"
                        f"  {'t, any L (space)':>24s}")
    assert lines[2] == (f"{'MNIST':20s}{784:8d}  {'103 (c=3.68, 13.14%)':>26s}  {'37 (c=1.32, 4.72%)':>24s}  "
                        f"{'59 (c=2.11, 7.53%)':>24s}")
    t2, t3 = harper_t(16, 0.01), math.ceil(concentration_t(16, 0.01))
    assert lines[3] == (f"{'ternary':20s}{16:8d}  {'-':>26s}  "
                        f"{f'{t2} (c={t2 / 4:.2f}, {100 * t2 / 16:.2f}%)':>24s}  "
                        f"{f'{t3} (c={t3 / 4:.2f}, {100 * t3 / 16:.2f}%)':>24s}")
    assert len(lines) == 4
    assert guarantees.dataset_table().split("\n")[2].startswith("MNIST 28x28x1")


# ------------------------------------------------------------------------------------------------ bound_report
S = ImageSpace(2)
WEIGHT = S.digits(torch.arange(16)).reshape(16, -1).sum(dim=1)


def test_bound_report_binary_lines():
    # class 1 = the 5 images with >= 3 white pixels of 4: r_0 = 1 (weight 3) or 2 (weight 4), so its robust share
    # is 1, 1/5, 0, 0, 0 at t = 0..4; Harper's bound for N = 4 (s* = 1) is 1 at t <= 1 and 0 from t = 2 on: the
    # difference is largest (0) first at t = 2. Class 0 holds 11/16 > 1/2.
    labels = (WEIGHT >= 3).to(torch.uint8)
    lines = census.bound_report(labels, S).split("\n")
    assert lines[0] == ("ImageSpace(n=2, levels=2, channels=1): 2 class(es); checked against the class-relative "
                        "bound at 1 bit(s) per entry (share of the class) at every radius t = 0..4")
    assert lines[1] == ("class 0: 68.8% of the space -> more than half: the one class the theorem does not cover "
                        "(it may stay robust)")
    assert lines[2] == ("class 1: 31.2% of the space -> within the bound everywhere; closest at t = 2: 0.0000 vs "
                        "bound 0.0000")
    assert lines[3].startswith("Why no attempt can win: the images that t changes can not move out of a class C")
    assert lines[3].endswith("grows more slowly than a Hamming ball of the bit cube (L = 2^b levels) or than "
                             "concentration allows (any levels), so a class of at most half the space has only a "
                             "tiny robust core.")
    assert len(lines) == 4


def test_bound_report_says_above_when_the_census_claims_too_much():
    # a census that claims every image is 3 changes away from the other class breaks the bound at t = 2
    labels = (S.digits(torch.arange(16)).reshape(16, -1)[:, 0] == 1).to(torch.uint8)  # the first pixel
    fake = torch.full((16,), 3.0)
    lines = census.bound_report(labels, S, r=fake).split("\n")
    # both classes hold half the space; robust share 1 at t = 0..2 and 0 at t = 3, 4; bound 1, 1, 0, 0, 0
    assert lines[1] == ("class 0: 50.0% of the space -> ABOVE the bound everywhere; closest at t = 2: 1.0000 vs "
                        "bound 0.0000")
    assert lines[2].startswith("class 1: 50.0% of the space -> ABOVE")
    # the census given is used, not recomputed: the true census of the first-pixel classifier is within the bound
    assert "ABOVE" not in census.bound_report(labels, S)


def test_bound_report_other_levels_uses_the_whole_space_bound():
    S3 = ImageSpace(1, levels=3, channels=3)
    labels = (S3.digits(torch.arange(27)).reshape(27, -1).sum(dim=1) >= 3).to(torch.uint8)
    lines = census.bound_report(labels, S3).split("\n")
    assert lines[0] == ("ImageSpace(n=1, levels=3, channels=3): 2 class(es); checked against the concentration bound "
                        "(share of the space; L is not a power of two) at every radius t = 0..3")
    x = 3 * math.sqrt(2 / 3) - math.sqrt(math.log(2))
    assert lines[1].startswith("class 0: 37.0% of the space -> within the bound everywhere; closest at t = 3: 0.0000 ")
    assert lines[1].endswith(f"vs bound {math.exp(-x * x):.4f}")
    assert lines[2].startswith("class 1: 63.0% of the space -> more than half")
