"""Lesson 10's threat-model numbers and calculator: the bounds' radii against the bound functions and brute force."""

import math

import numpy as np
import pytest
from scipy import stats

from perturbkit.bounds import concentration_bound, cube_l2_bound, harper_bound
from perturbkit.guarantees import DATASETS as PRESETS
from perturbkit.guarantees import concentration_c, cube_radius, lattice_l2_radius
from perturbkit.sum_classifier import sum_robustness
from perturbkit.threat import entries_within, hamming_cost, lattice_l2_share, threat_report


@pytest.mark.parametrize("share", [0.25, 0.05, 0.01])
def test_concentration_c_makes_the_bound_equal_the_share(share):
    c = concentration_c(share)
    for N in (100, 3072, 150528):
        assert concentration_bound(N, c * math.sqrt(N)) == pytest.approx(share, rel=1e-9)


@pytest.mark.parametrize("share", [0.25, 0.05, 0.01])
def test_cube_radius_and_lattice_radius(share):
    r = cube_radius(share)
    assert cube_l2_bound(r) == pytest.approx(share, rel=1e-9)
    R = lattice_l2_radius(3072, 256, share)
    # R is where the guaranteed share reaches the asked share: just below R the guarantee is weaker
    assert lattice_l2_share(3072, 256, R) == pytest.approx(share, rel=1e-9)
    assert lattice_l2_share(3072, 256, R - 1e-6) > share
    # rounding to the lattice costs at most half a step per entry, sqrt(N) / (2 (L - 1)) each way: R lies beyond it,
    # and as the lattice fills the cube (L -> infinity) R tends to the cube's radius
    assert R > math.sqrt(3072) / 255
    assert lattice_l2_radius(3072, 2**40, share) == pytest.approx(r, abs=1e-6)
    assert lattice_l2_share(3072, 256, 0.1) == 0.5  # below the rounding term: trivial


def test_lattice_radius_at_a_textbook_share():
    # Phi(-1) = erfc(1 / sqrt 2) / 2 (no scipy): the cube radius is 1 / sqrt(2 pi), and with N = (L - 1)^2 entries
    # the two rounding half-steps add exactly 1 in l2
    share = math.erfc(1 / math.sqrt(2)) / 2
    assert cube_radius(share) == pytest.approx(1 / math.sqrt(2 * math.pi), rel=1e-9)
    assert lattice_l2_radius(255**2, 256, share) == pytest.approx(1 + 256 / 255 / math.sqrt(2 * math.pi), rel=1e-9)
    assert lattice_l2_share(255**2, 256, 1.0) == 0.5 and lattice_l2_share(255**2, 256, 0.5) == 0.5


def test_lattice_l2_theorem_holds_for_the_sum_classifier():
    # The sum classifier thresholded at its mean: both classes have measure about 1/2; the share of the whole space
    # more than R from the other class must be at most 2 * Phi(-sqrt(2 pi) r) (two classes) plus sampling error.
    for n, q, L in ((8, 1, 16), (16, 3, 256)):
        N = q * n * n
        r2 = sum_robustness(n, 2.0, levels=L, samples=4000, seed=1, channels=q)
        for share in (0.25, 0.05):
            R = lattice_l2_radius(N, L, share)
            assert float((r2 > R).double().mean()) <= 2 * share + 0.02


def test_hamming_cost_and_entries_within():
    assert hamming_cost(9, 0) == 9 and hamming_cost(9, 0.5) == 9 and hamming_cost(9, 2) == 3
    assert hamming_cost(9, math.inf) == 1 and hamming_cost(0, math.inf) == 0
    assert entries_within(0.5, 2, 3072) == 0 and entries_within(2.0, 2, 3072) == 4
    assert entries_within(3.7, 0, 10) == 3 and entries_within(50, 1, 10) == 10
    assert entries_within(0.99, math.inf, 10) == 0 and entries_within(1, math.inf, 10) == 10
    for eps, p in ((2.0, 2), (5.0, 1), (3.0, 3)):  # the t entries fit in eps, t + 1 do not
        t = entries_within(eps, p, 10**6)
        assert hamming_cost(t, p) <= eps + 1e-12 < hamming_cost(t + 1, p)


def test_report_radii_are_the_smallest_that_reach_the_share():
    rep = threat_report(28, 2, 1, 0, 28, share=0.05)
    t = rep.t_concentration
    assert concentration_bound(784, t) <= 0.05 < concentration_bound(784, t - 1)
    th = rep.t_class
    assert harper_bound(784, th) <= 0.05 < harper_bound(784, th - 1) and rep.t_binary == th
    assert rep.share_at_eps_class == pytest.approx(harper_bound(784, 28))
    assert rep.l2_limit is None and rep.linf_limit is None
    # 8 bits: the class-relative radius is the binary one of a cube of dimension 8 N (Theorem 3.10)
    mnist = threat_report(*PRESETS["MNIST 28x28x1"], 0, 30, share=0.01)
    assert (mnist.t_class, mnist.t_binary, mnist.t_concentration) == (103, 37, 59)
    assert harper_bound(8 * 784, 103) <= 0.01 < harper_bound(8 * 784, 102)
    assert mnist.share_at_eps_class == pytest.approx(harper_bound(8 * 784, 30))
    # three levels: no class-relative bound is proved, and the report says so
    three = threat_report(8, 3, 1, 0, 3)
    assert three.t_class is None and three.share_at_eps_class is None
    assert "not proved for L = 3" in three.describe()
    cifar = threat_report(*PRESETS["CIFAR 32x32x3"], 2, 0.5)
    assert 0.8 < cifar.l2_limit < 1 and cifar.share_at_eps_concentration == 0.5
    assert cifar.share_at_eps_l2 == pytest.approx(stats.norm.cdf(-math.sqrt(2 * math.pi) * 255 / 256
                                                                 * (0.5 - math.sqrt(3072) / 255)))
    text = cifar.describe()
    assert "N = 3072" in text and "0.876" in text and "eps / budget = 0.067" in text and "t = 155" in text


def test_linf_radius_inverts_the_linf_bound_and_holds_for_the_first_pixel():
    from perturbkit.bounds import linf_bound
    from perturbkit.guarantees import lattice_linf_radius
    for L in (2, 16, 256):
        R = lattice_linf_radius(L, 0.05)
        assert linf_bound(R, L) == pytest.approx(0.05, rel=1e-9) and linf_bound(R * 0.99, L) > 0.05
    # first pixel on 256 levels, class 0 = first entry below 1/2: r_inf(x) = 128/255 - x_1 for x_1 <= 127/255
    x1 = np.arange(128) / 255
    r = 128 / 255 - x1
    for eps in (0.1, 0.3, 0.45):
        share_of_space = (r > eps).sum() / 256
        assert share_of_space <= linf_bound(eps, 256)
    rep = threat_report(*PRESETS["ImageNet 224x224x3"], math.inf, 4 / 255)
    assert rep.linf_limit == pytest.approx(lattice_linf_radius(256, 0.05))
    assert rep.share_at_eps_linf == pytest.approx(linf_bound(4 / 255, 256)) and rep.share_at_eps_linf < 0.5


def test_bad_inputs():
    with pytest.raises(ValueError, match="share"):
        concentration_c(0.5)
    with pytest.raises(ValueError, match="share"):
        cube_radius(-0.5)  # share 0 is a share: its radius is infinite
    with pytest.raises(ValueError, match="levels"):
        lattice_l2_radius(10, 1, 0.05)
    with pytest.raises(ValueError, match="eps"):
        threat_report(8, 2, 1, 2, -1)


def test_widget_view_and_update():
    from perturbkit.widgets.threat import CUSTOM, threat_calculator, threat_view
    text, fig = threat_view("CIFAR 32x32x3", 2.0, 0.5)
    assert "N = 3072" in text and fig is not None
    text2, fig2 = threat_view(CUSTOM, 0.0, 10, n=5, channels=1, levels=2)
    assert "N = 25" in text2 and "class-relative, 1 bit" in text2
    with pytest.raises(ValueError, match="preset"):
        threat_view("SVHN", 2.0, 0.5)
    w = threat_calculator()
    before = (w.text.value, w.image.value)
    w.controls["preset"].value = "ImageNet 224x224x3"
    assert "N = 150528" in w.text.value and w.image.value != before[1]
    w.controls["p"].value = math.inf
    assert "p = inf" in w.text.value
    assert np.isfinite(lattice_l2_share(3072, 256, np.array([0.5, 1.0]))).all()


def test_one_cube_radius_and_one_share_convention_at_both_call_sites():
    """guarantees and threat share one cube_radius (they differed at shares >= 1/2) and one share convention, the
    closed [0, 1] of checks.check_share (threat's was open): catches a second copy that treats the ends differently."""
    from perturbkit import guarantees, threat

    for name in ("cube_radius", "concentration_c", "lattice_l2_radius", "lattice_linf_radius", "DATASETS"):
        assert name in guarantees.__all__ and name not in threat.__all__, name  # one home: guarantees
    # the ends: radius 0 from share 1/2 on (the bound is 1/2 at r = 0), infinite at share 0
    assert cube_radius(0.5) == cube_radius(0.9) == cube_radius(1) == 0.0 and cube_radius(0) == math.inf
    assert concentration_c(0) == math.inf and lattice_l2_radius(3072, 256, 0) == math.inf
    assert guarantees.lattice_linf_radius(256, 0) == math.inf
    # the lattice theorems say nothing from 1/2 on: their radii refuse, naming the share
    for radius in (lambda s: concentration_c(s), lambda s: lattice_l2_radius(3072, 256, s),
                   lambda s: guarantees.lattice_linf_radius(256, s)):
        for share in (0.5, 1):
            with pytest.raises(ValueError, match="share must be below 1/2"):
                radius(share)
        with pytest.raises(ValueError, match=r"share must be a number in \[0, 1\], got -0.1"):
            radius(-0.1)
    # threat reports take every share in [0, 1], as the guarantees do
    for share in (0, 1):
        report = threat.threat_report(4, 4, 1, 2.0, 1.0, share=share)
        assert report.share == share and report.l2_limit == (math.inf if share == 0 else None)
    with pytest.raises(ValueError, match=r"share must be a number in \[0, 1\], got 1.5"):
        threat.threat_report(4, 4, 1, 2.0, 1.0, share=1.5)
