"""Threat models next to the course's bounds: for an image space (n, q channels, L levels) and a d_p radius eps,
the budget, the diameter, the radius each bound needs for a chosen guaranteed share, and the share it guarantees
at eps.

The bounds are the course's (lessons 03, 04, 07 and 10), not the paper's constants:

* class-relative (L = 2**b levels): |C(t)| / |C| <= beta_{bN}(t), a share of the class (``bounds.harper_bound``;
  Theorem 3.7 for binary images, 3.10 for b bits);
* concentration (any L): mu(C(t)) <= exp(-(t sqrt(2/N) - sqrt(ln 2))^2), a share of the whole space
  (``bounds.concentration_bound``);
* cube plus lattice rounding (l2 only): mu({x in C : r_2(x) > L/(L-1) r + sqrt(N)/(L-1)}) <= Phi(-sqrt(2 pi) r),
  a share of the whole space (lesson 10's theorem; ``lattice_l2_radius``);
* l-inf (any L): mu({x in C : r_inf(x) > eps}) <= Phi(-sqrt(2 pi) (L-1)/L (eps - 1/(L-1))), a share of the whole
  space, free of N (Corollary 7.5; ``bounds.linf_bound``, ``lattice_linf_radius``).

The radii for a share, and the data sets' sizes (``guarantees.DATASETS``), live in :mod:`perturbkit.guarantees`,
their one home; this module composes them and the bounds into one report per threat model.

Here C is any class with mu(C) <= 1/2, C(t) its robust core (images that t changed entries cannot move out of C) and
r_p(x) the d_p distance from x to the nearest image of another class. t changed entries cost at most t in d_0 and
in d_p for p < 1, and at most t^(1/p) in l_p for p >= 1, so a Hamming radius t is a d_p radius t^(1/max(p, 1)).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .bounds import concentration_bound, cube_l2_bound, harper_bound, linf_bound
from .budgets import format_p
from .checks import check_eps, check_int, check_p, check_real, check_share
from .guarantees import lattice_l2_radius, lattice_linf_radius
from .spaces import ImageSpace

__all__ = ["COMMON_EPS", "lattice_l2_share", "hamming_cost", "entries_within", "ThreatReport", "threat_report"]

# radii widely used in the literature for these sizes: preset -> {p: eps}
COMMON_EPS = {"MNIST 28x28x1": {math.inf: 0.3},
              "CIFAR 32x32x3": {math.inf: 8 / 255, 2.0: 0.5},
              "ImageNet 224x224x3": {math.inf: 4 / 255}}


def lattice_l2_share(N: int, levels: int, eps) -> float | np.ndarray:
    """The share lesson 10's theorem guarantees at l2 radius eps: Phi(-sqrt(2 pi) r) with
    r = (L-1)/L (eps - sqrt(N)/(L-1)), and the trivial 1/2 when eps is below the rounding term sqrt(N)/(L-1)."""
    N = check_int("N", N, minimum=1)
    levels = check_int("levels", levels, minimum=2)
    e = check_eps(eps, name="eps", finite=False)  # an l2 radius (or an array of them): >= 0, not NaN
    r = np.maximum(0.0, (levels - 1) / levels * (e - math.sqrt(N) / (levels - 1)))
    out = cube_l2_bound(r)
    return float(out) if np.ndim(eps) == 0 else out


def hamming_cost(t, p: float) -> float:
    """The d_p size of changing t entries by at most 1 each: t for p < 1 (and p = 0), t^(1/p) for p >= 1, and 1 (or
    0 when t = 0) for p = inf."""
    p = check_p(p)
    t = check_real("t", t, minimum=0)
    if p == math.inf:
        return 1.0 if t > 0 else 0.0
    return t if p <= 1 else t ** (1 / p)


def entries_within(eps: float, p: float, N: int) -> int:
    """The largest number t <= N of entries that can each change by up to 1 within d_p radius eps: floor(eps) for
    p <= 1, floor(eps^p) for 1 <= p < inf, N (eps >= 1) or 0 (eps < 1) for p = inf."""
    p = check_p(p)
    eps = check_real("eps", eps, minimum=0)
    N = check_int("N", N, minimum=1)
    if p == math.inf:
        return N if eps >= 1 else 0
    x = eps if p <= 1 else eps ** p
    t = math.floor(x + 1e-9)  # 0.5 ** 2 * 4 is 1.0 in floats, but guard against 0.999...
    return int(min(N, max(0, t)))


def _smallest_t(N: int, bound, share: float) -> int | None:
    t = np.arange(N + 1)
    ok = np.nonzero(bound(N, t) <= share)[0]
    return int(t[ok[0]]) if ok.size else None


@dataclass(frozen=True)
class ThreatReport:
    """One threat model (n, L, q, p, eps) next to the course's bounds at a guaranteed share."""

    n: int
    levels: int
    channels: int
    p: float
    eps: float
    share: float
    N: int
    diameter: float
    budget: float                # (sqrt(q) n)^(1/max(p,1)): t = sqrt(N) changed entries, c = 1
    t_class: int | None          # smallest t with the class-relative bound at this bit depth <= share (L = 2**b)
    t_binary: int                # the same for binary images with N entries (Theorem 3.7), for comparison
    t_concentration: int | None  # smallest t with concentration bound <= share (any L; whole-space share)
    l2_limit: float | None       # lattice_l2_radius (p = 2 only; whole-space share)
    linf_limit: float | None     # lattice_linf_radius (p = inf only; whole-space share)
    share_at_eps_class: float | None
    share_at_eps_concentration: float
    share_at_eps_l2: float | None
    share_at_eps_linf: float | None

    def lines(self) -> list[str]:
        p = format_p(self.p)
        pct = f"{self.share:.0%}"
        bits = (self.levels - 1).bit_length()
        out = [f"n = {self.n}, L = {self.levels}, q = {self.channels}: N = {self.N} entries; p = {p}, eps = "
               f"{self.eps:.4g}",
               f"diameter {self.diameter:.4g}; budget (c = 1, sqrt(N) = {math.sqrt(self.N):.1f} changed entries) "
               f"{self.budget:.4g}; eps / budget = {self.eps / self.budget:.3f}",
               f"d_p radius beyond which the course's bounds leave at most {pct}:"]
        rows = []
        if self.t_class is not None:
            rows.append((f"class-relative, {bits} bit{'s' if bits > 1 else ''} (share of the class)", self.t_class))
        else:
            out.append(f"  class-relative: not proved for L = {self.levels} (not a power of two)")
        if self.levels != 2:
            rows.append(("binary images, for comparison (share of the class)", self.t_binary))
        rows.append(("concentration (any L, share of the space)", self.t_concentration))
        for name, t in rows:
            if t is None:
                out.append(f"  {name}: not reached with N entries")
            else:
                out.append(f"  {name}: t = {t} entries (c = {t / math.sqrt(self.N):.2f}) -> "
                           f"{hamming_cost(t, self.p):.4g}")
        if self.l2_limit is not None:
            out.append(f"  cube + lattice rounding (l2, share of the space): {self.l2_limit:.3f}")
        if self.linf_limit is not None:
            out.append(f"  l-inf, any N (share of the space): {self.linf_limit:.3f}")
        out.append(f"at eps = {self.eps:.4g} the bounds guarantee at most:")
        if self.share_at_eps_class is not None:
            out.append(f"  class-relative: {self.share_at_eps_class:.3g} of the class"
                       + (" (trivial)" if self.share_at_eps_class >= 1 else ""))
        out.append(f"  concentration: {self.share_at_eps_concentration:.3g} of the space"
                   + (" (trivial)" if self.share_at_eps_concentration >= 0.5 else ""))
        for name, v in (("cube + rounding", self.share_at_eps_l2), ("l-inf", self.share_at_eps_linf)):
            if v is not None:
                out.append(f"  {name}: {v:.3g} of the space" + (" (trivial)" if v >= 0.5 else ""))
        return out

    def describe(self) -> str:
        return "\n".join(self.lines())


def threat_report(n: int, levels: int, channels: int, p: float, eps: float, share: float = 0.05) -> ThreatReport:
    """The numbers of one threat model: eps in d_p on ImageSpace(n, levels, channels), the bounds at ``share``."""
    space = ImageSpace(n, levels, channels)
    p = check_p(p)
    eps = check_real("eps", eps, minimum=0)
    share = check_share(share)
    N, L = space.num_entries, space.levels
    own_bits = L & (L - 1) == 0
    t_eps = entries_within(eps, p, N)
    return ThreatReport(
        n=space.n, levels=L, channels=space.channels, p=p, eps=eps, share=share, N=N,
        diameter=space.diameter(p), budget=space.budget(p),
        t_class=_smallest_t(N, lambda N_, t: harper_bound(N_, t, L), share) if own_bits else None,
        t_binary=_smallest_t(N, harper_bound, share),
        t_concentration=_smallest_t(N, concentration_bound, share),  # None: not reached within N changes
        l2_limit=lattice_l2_radius(N, L, share) if p == 2 and share < 0.5 else None,
        linf_limit=lattice_linf_radius(L, share) if p == math.inf and share < 0.5 else None,
        share_at_eps_class=float(harper_bound(N, t_eps, L)) if own_bits else None,
        share_at_eps_concentration=float(concentration_bound(N, t_eps)),
        share_at_eps_l2=lattice_l2_share(N, L, eps) if p == 2 else None,
        share_at_eps_linf=float(linf_bound(eps, L)) if p == math.inf else None)
