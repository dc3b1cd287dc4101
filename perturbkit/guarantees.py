"""The constant c, honestly: which radius each of the course's bounds needs for a chosen guaranteed share.

A "budget" of c*sqrt(N) changed entries means nothing until one says what it guarantees. Each bound of
:mod:`perturbkit.bounds` caps the share of images that can NOT be moved out of their class (the robust core):

* ``harper_bound`` (binary images): a share of the class, for every class of at most half the space;
* ``concentration_bound`` (any number of levels): a share of the whole space;
* ``cube_l2_bound`` (continuous cube, l2 radius r): a share of the whole cube, the same for every N.

The functions below invert them: the smallest radius at which the cap is at most ``share``.
"""

from __future__ import annotations

import math

from scipy import stats

from . import bounds
from .checks import check_int, check_real

__all__ = ["harper_radius", "concentration_radius", "cube_radius", "shares_at_c", "guarantee_table"]


def _share(share) -> float:
    return check_real("share", share, minimum=0, maximum=1)


def harper_radius(N: int, share: float) -> int:
    """The smallest integer t with harper_bound(N, t) <= share: from t changed entries on, at most ``share`` of any
    class of at most half of the binary space is robust."""
    N = check_int("N", N, minimum=1)
    share = _share(share)
    lo, hi = 0, (N - 1) // 2 + 1          # harper_bound(N, hi) = 0
    while lo < hi:                          # harper_bound is non-increasing in t
        mid = (lo + hi) // 2
        if bounds.harper_bound(N, mid) <= share:
            hi = mid
        else:
            lo = mid + 1
    return lo


def concentration_radius(N: int, share: float) -> float:
    """The smallest t with concentration_bound(N, t) <= share: sqrt(N/2) (sqrt(ln 2) + sqrt(ln(1/share))) for
    share < 1/2, and 0 for share >= 1/2 (every core already holds at most half the space)."""
    N = check_int("N", N, minimum=1)
    share = _share(share)
    if share >= 0.5:
        return 0.0
    if share == 0:
        return math.inf
    return math.sqrt(N / 2) * (math.sqrt(math.log(2)) + math.sqrt(math.log(1 / share)))


def cube_radius(share: float) -> float:
    """The smallest l2 radius r with cube_l2_bound(r) <= share: -Phi^-1(share) / sqrt(2 pi) (0 for share >= 1/2)."""
    share = _share(share)
    if share >= 0.5:
        return 0.0
    if share == 0:
        return math.inf
    return float(-stats.norm.ppf(share) / math.sqrt(2 * math.pi))


def shares_at_c(N: int, c: float) -> dict[str, float]:
    """What a budget of t = c*sqrt(N) changed entries guarantees, per bound: the cap on the robust share of a class
    (Harper, binary images, at the integer radius floor(c sqrt(N))) and of the space (concentration, any levels)."""
    N = check_int("N", N, minimum=1)
    c = check_real("c", c, minimum=0)
    t = c * math.sqrt(N)
    return {"harper (binary, share of the class)": float(bounds.harper_bound(N, math.floor(t + 1e-9))),
            "concentration (any L, share of the space)": float(bounds.concentration_bound(N, t))}


def _fmt(name: str, value: float) -> str:
    return "any (trivial)" if value == 0 else f"{name} = {value:.2f}"


def guarantee_table(Ns=(16, 784, 150528), shares=(0.5, 0.1, 0.01)) -> str:
    """A text table: per bound, the c = t / sqrt(N) (or the l2 radius r) needed to cap the robust share at each
    share in ``shares``."""
    shares = [_share(s) for s in shares]
    head = f"{'bound (what the share is of)':46s}" + "".join(f"{f'share <= {s:g}':>16s}" for s in shares)
    lines = [head]
    for N in Ns:
        N = check_int("N", N, minimum=1)
        cells = "".join(f"{f'c = {harper_radius(N, s) / math.sqrt(N):.2f}':>16s}" for s in shares)
        lines.append(f"{f'Harper, binary, N = {N} (class)':46s}{cells}")
    cells = "".join(f"{_fmt('c', concentration_radius(1, s)):>16s}" for s in shares)
    lines.append(f"{'concentration, any L, any N (space)':46s}{cells}")
    cells = "".join(f"{_fmt('r', cube_radius(s)):>16s}" for s in shares)
    lines.append(f"{'cube l2 radius, any N (space)':46s}{cells}")
    return "\n".join(lines)
