"""The constant c, honestly: which radius each of the course's bounds needs for a chosen guaranteed share.

A "budget" of c*sqrt(N) changed entries means nothing until one says what it guarantees. Each bound of
:mod:`perturbkit.bounds` caps the share of images that can NOT be moved out of their class (the robust core):

* ``harper_bound`` (L = 2**b levels, binary images included): a share of the class, for every class of at most
  half the space, with the cube's dimension M = b N (Theorems 3.7 and 3.10);
* ``concentration_bound`` (any number of levels): a share of the whole space;
* ``cube_l2_bound`` (continuous cube, l2 radius r): a share of the whole cube, the same for every N; on the L-level
  lattice with the rounding to it (lesson 10's theorem, Corollary 7.5 for l_inf).

The functions below invert them: the smallest radius at which the cap is at most ``share``. They are the one home
of these radii; :mod:`perturbkit.threat` composes them (and the bounds) into threat-model reports. Shares are
checked by :func:`perturbkit.checks.check_share` (the closed [0, 1]).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats

from . import bounds
from .checks import check_int, check_real, check_share

__all__ = ["DATASETS", "harper_radius", "concentration_radius", "cube_radius", "concentration_c", "lattice_l2_radius",
           "lattice_linf_radius", "shares_at_c", "guarantee_table", "Radii", "radii_for_share", "dataset_table"]

# name -> (n, levels, channels): the usual sizes of three data sets, 8 bits per entry
DATASETS = {"MNIST 28x28x1": (28, 256, 1), "CIFAR 32x32x3": (32, 256, 3), "ImageNet 224x224x3": (224, 256, 3)}


def harper_radius(N: int, share: float, levels: int = 2) -> int:
    """The smallest integer t with harper_bound(N, t, levels) <= share: from t changed entries on, at most ``share``
    of any class of at most half of the space of images with N entries and L = 2**b levels is robust."""
    N = check_int("N", N, minimum=1)
    share = check_share(share)
    M = bounds.bits_per_entry(levels) * N
    lo, hi = 0, (M - 1) // 2 + 1          # harper_bound is 0 from hi on
    while lo < hi:                          # bisection: harper_bound is non-increasing in t; ends in log2(M) steps
        mid = (lo + hi) // 2
        if bounds.harper_bound(N, mid, levels) <= share:
            hi = mid
        else:
            lo = mid + 1
    return lo


def concentration_radius(N: int, share: float) -> float:
    """The smallest t with concentration_bound(N, t) <= share: sqrt(N/2) (sqrt(ln 2) + sqrt(ln(1/share))) for
    share < 1/2, and 0 for share >= 1/2 (every core already holds at most half the space)."""
    N = check_int("N", N, minimum=1)
    share = check_share(share)
    if share >= 0.5:
        return 0.0
    if share == 0:
        return math.inf
    return math.sqrt(N / 2) * (math.sqrt(math.log(2)) + math.sqrt(math.log(1 / share)))


def cube_radius(share: float) -> float:
    """The smallest l2 radius r with cube_l2_bound(r) <= share: -Phi^-1(share) / sqrt(2 pi), any N.

    The one cube radius of the course (:mod:`perturbkit.threat` uses this one). Convention at the ends, the same as
    every radius here: 0 for share >= 1/2 (cube_l2_bound(0) = 1/2, so no radius is needed: every class of at most
    half the cube already holds at most that share) and inf for share 0 (the bound is positive at every radius).
    The lattice radii built on it (:func:`lattice_l2_radius`, :func:`lattice_linf_radius`) and
    :func:`concentration_c` refuse shares >= 1/2, where their theorems say nothing."""
    share = check_share(share)
    if share >= 0.5:
        return 0.0
    if share == 0:
        return math.inf
    return float(-stats.norm.ppf(share) / math.sqrt(2 * math.pi))


def _nontrivial(share) -> float:
    """A share (check_share) below 1/2: from 1/2 on the radii below are trivial, the theorems say nothing."""
    share = check_share(share)
    if share >= 0.5:
        raise ValueError(f"share must be below 1/2 (the bound is trivial above), got {share}")
    return share


def concentration_c(share: float) -> float:
    """The c for which t = c sqrt(N) changed entries make the concentration bound equal ``share`` (< 1/2):
    c = (sqrt(ln 2) + sqrt(ln(1/share))) / sqrt(2), the same for every N and L
    (:func:`perturbkit.guarantees.concentration_radius` at N = 1; inf for share 0)."""
    return concentration_radius(1, _nontrivial(share))


def lattice_l2_radius(N: int, levels: int, share: float) -> float:
    """Lesson 10's theorem: on the L-level lattice with N entries, at most ``share`` of the space lies in a class
    C (mu(C) <= 1/2) at l2 distance more than L/(L-1) r + sqrt(N)/(L-1) from every other class, r = cube_radius."""
    N = check_int("N", N, minimum=1)
    levels = check_int("levels", levels, minimum=2)
    return levels / (levels - 1) * cube_radius(_nontrivial(share)) + math.sqrt(N) / (levels - 1)


def lattice_linf_radius(levels: int, share: float) -> float:
    """Corollary 7.5 inverted: the l_inf radius beyond which at most ``share`` (< 1/2) of the L-level space lies in a
    class of at most half the space, 1/(L-1) + L/(L-1) r with r = cube_radius(share); free of N."""
    levels = check_int("levels", levels, minimum=2)
    return 1 / (levels - 1) + levels / (levels - 1) * cube_radius(_nontrivial(share))


def shares_at_c(N: int, c: float, levels: int = 256) -> dict[str, float]:
    """What a budget of t = floor(c sqrt(N)) changed entries guarantees, per bound: the cap on the robust share of a
    class for binary images (Theorem 3.7) and for ``levels`` = 2**b levels (Theorem 3.10), both shares of the class,
    and the cap on the robust share of the space for any number of levels (Theorem 3.9)."""
    N = check_int("N", N, minimum=1)
    c = check_real("c", c, minimum=0)
    b = bounds.bits_per_entry(levels)
    t = math.floor(c * math.sqrt(N) + 1e-9)
    return {"binary (share of the class)": float(bounds.harper_bound(N, t)),
            f"{b} bits (share of the class)": float(bounds.harper_bound(N, t, levels)),
            "any L (share of the space)": float(bounds.concentration_bound(N, t))}


def _values(name: str, values, check) -> list:
    """The entries of the non-empty sequence ``values``, each passed through ``check(f"{name}[i]", value)``."""
    if isinstance(values, (str, bytes, dict)) or not hasattr(values, "__iter__"):
        raise TypeError(f"{name} must be a sequence of values such as (0.1, 0.01), got {values!r:.60} "
                        f"({type(values).__name__})")
    values = list(values)
    if not values:
        raise ValueError(f"{name} must hold at least one value, got an empty sequence")
    return [check(f"{name}[{i}]", v) for i, v in enumerate(values)]


def _power_of_two(name: str, levels) -> int:
    levels = check_int(name, levels, minimum=2)
    bounds.bits_per_entry(levels)  # raises unless levels is a power of two
    return levels


def _fmt(name: str, value: float) -> str:
    return "any (trivial)" if value == 0 else f"{name} = {value:.2f}"


def guarantee_table(Ns=(16, 784, 150528), shares=(0.5, 0.1, 0.01), levels=(2, 256)) -> str:
    """A text table: per bound, the c = t / sqrt(N) (or the l2 radius eps) needed to cap the robust share at each
    share in ``shares``; one class-relative row per N and per number of levels in ``levels`` (powers of two)."""
    shares = _values("shares", shares, lambda name, s: check_share(s))
    Ns = _values("Ns", Ns, lambda name, N: check_int("N", N, minimum=1))
    levels = _values("levels", levels, _power_of_two)
    head = f"{'bound (what the share is of)':46s}" + "".join(f"{f'share <= {s:g}':>16s}" for s in shares)
    lines = [head]
    for L in levels:
        b = bounds.bits_per_entry(L)
        for N in Ns:
            cells = "".join(f"{f'c = {harper_radius(N, s, L) / math.sqrt(N):.2f}':>16s}" for s in shares)
            kind = "binary" if b == 1 else f"{b} bits"
            lines.append(f"{f'{kind}, N = {N} (class)':46s}{cells}")
    cells = "".join(f"{_fmt('c', concentration_radius(1, s)):>16s}" for s in shares)
    lines.append(f"{'concentration, any L, any N (space)':46s}{cells}")
    cells = "".join(f"{_fmt('eps', cube_radius(s)):>16s}" for s in shares)
    lines.append(f"{'cube l2 radius, any N (space)':46s}{cells}")
    return "\n".join(lines)


@dataclass(frozen=True)
class Radii:
    """The changed entries t after which each bound leaves at most ``share`` robust, for one image space.

    ``bits``: t for the space's own bit depth, a share of the class (Theorem 3.10; None when L is not a power of two);
    ``binary``: t if the same N entries were binary, a share of the class (Theorem 3.7); ``space``: the smallest whole
    t for the concentration bound, a share of the whole space, any L (Theorem 3.9)."""

    n: int
    levels: int
    channels: int
    N: int
    share: float
    bits: int | None
    binary: int
    space: int


def radii_for_share(n: int, levels: int = 256, channels: int = 1, share: float = 0.01) -> Radii:
    """:class:`Radii` for the n x n space with ``levels`` levels and ``channels`` channels (exact binomial tails)."""
    n = check_int("n", n, minimum=1)
    levels = check_int("levels", levels, minimum=2)
    channels = check_int("channels", channels, minimum=1)
    share = check_share(share)
    if share >= 1:
        raise ValueError(f"share must be below 1 (every class keeps at most all of itself), got {share}")
    if share == 0:
        raise ValueError("share must be above 0: the whole-space bound is positive at every t, so no number of "
                         "changed entries caps it at 0")
    N = channels * n * n
    power_of_two = levels & (levels - 1) == 0
    return Radii(n=n, levels=levels, channels=channels, N=N, share=share,
                 bits=harper_radius(N, share, levels) if power_of_two else None,
                 binary=harper_radius(N, share), space=math.ceil(concentration_radius(N, share)))


def dataset_table(share: float = 0.01, datasets: dict | None = None) -> str:
    """A text table: for each data set (name -> (n, levels, channels); default :data:`DATASETS`), the changed
    entries after which at most ``share`` of any class of at most half the space is left robust (its own bit depth,
    Theorem 3.10), next to the binary bound (Theorem 3.7) and the whole-space bound (Theorem 3.9); each as t, as
    c = t / sqrt(N) and as a percentage of the N entries."""
    datasets = DATASETS if datasets is None else datasets
    if not isinstance(datasets, dict) or not datasets:
        raise ValueError(f"datasets must be a non-empty dict name -> (n, levels, channels), got {datasets!r}")
    for name, spec in datasets.items():
        if not isinstance(spec, (tuple, list)) or len(spec) != 3:
            raise ValueError(f"datasets[{name!r}] must be a tuple (n, levels, channels), got {spec!r:.60}")
    rows = [radii_for_share(*spec, share=share) for spec in datasets.values()]
    head = (f"{'data set':20s}{'N':>8s}  {'t, own bits (class)':>26s}  {'t, binary (class)':>24s}"
            f"  {'t, any L (space)':>24s}")
    lines = [f"changed entries after which at most {share:g} is robust", head]
    def cell(t, N, width):
        return f"{'-' if t is None else f'{t} (c={t / math.sqrt(N):.2f}, {100 * t / N:.2f}%)':>{width}s}"

    for name, r in zip(datasets, rows):
        lines.append(f"{name:20s}{r.N:8d}  {cell(r.bits, r.N, 26)}  {cell(r.binary, r.N, 24)}  "
                     f"{cell(r.space, r.N, 24)}")
    return "\n".join(lines)
