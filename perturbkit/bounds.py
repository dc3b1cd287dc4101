"""The course's precise versions of the theorem's bounds (our statements and constants, not the paper's).

Notation: V is the space of images with N entries, a class C has robust core C(t) = {x in C : r_0(x) > t}, the
images that t or fewer changed entries can NOT move out of C. Every image within t changes of C(t) lies in C: that
one fact, plus an isoperimetric inequality, gives each bound. All functions take numbers or arrays of radii and
return NumPy float64 arrays (or floats for scalar input).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from .checks import check_eps, check_int

__all__ = ["bits_per_entry", "harper_bound", "hoeffding_bound", "concentration_bound", "cube_l2_bound", "linf_bound"]


def _out(a: np.ndarray, like) -> float | np.ndarray:
    return float(a) if np.ndim(like) == 0 else a


def _largest_half_radius(N: int) -> int:
    """s* = the largest s with |B(s)| = sum_{i<=s} C(N, i) <= 2**(N-1): (N-1)/2 for odd N, N/2 - 1 for even N."""
    return (N - 1) // 2


def bits_per_entry(levels: int) -> int:
    """b for L = 2**b levels: the number of bits that write one entry. Raises ValueError for an L that is not a
    power of two, for which the course proves only the whole-space bound (:func:`concentration_bound`).

    Examples
    --------
    >>> bits_per_entry(2), bits_per_entry(4), bits_per_entry(256)
    (1, 2, 8)
    """
    levels = check_int("levels", levels, minimum=2)
    if levels & (levels - 1):
        raise ValueError(f"levels must be a power of two (2, 4, 8, ..., 256: the class-relative bound reads each "
                         f"entry as b bits), got {levels}; for other L only concentration_bound (a share of the "
                         f"whole space) is proved")
    return levels.bit_length() - 1


def harper_bound(N: int, t, levels: int = 2) -> float | np.ndarray:
    """Class-relative: |C(t)| / |C| <= beta_M(t), M = b N, for every class with |C| <= |V| / 2 of images with N
    entries and L = 2**b levels (``levels``; binary images: b = 1, M = N). Theorems 3.7 (binary) and 3.10 (b bits).

    beta_M(t) = min(1, V(s* - t + 1) / V(s*)) for 1 <= t <= s*, and 0 for t > s* (no class has a non-empty core
    there); V(s) = sum_{i<=s} C(M, i) (a Hamming ball's size in the cube {0,1}^M), s* as in ``_largest_half_radius``.

    Derivation (binary). Let A = C(t) be non-empty and r the largest radius with V(r) <= |A|, so |A| < V(r + 1).
    Harper's vertex-isoperimetric theorem: the t-neighbourhood of any set of size >= V(r) has size >= V(r + t). That
    neighbourhood lies in C, so V(r + t) <= |C| <= 2**(N-1), i.e. s = r + t <= s*, and
    |A| / |C| < V(r + 1) / V(r + t) = F(s - t + 1) / F(s) with F the Binomial(N, 1/2) cdf. F is log-concave, so
    F(s - t + 1) / F(s) grows with s and is largest at s = s*. If t > s* no non-empty A is possible. A Hamming ball
    of radius s* (the majority classifier) reaches V(s* - t) / V(s*): the bound is off by one step of radius.

    b bits per entry. Reading each entry's level as b bits is a bijection psi from the cube {0,1}^(bN) onto the
    images (it keeps the uniform measure), and images whose bit strings differ in k bits differ in at most k
    entries. So the t-neighbourhood of a set of images contains psi of the t-neighbourhood of its bit strings, and
    the binary argument in dimension M = bN applies word for word: t changed *bits* already move all but beta_M(t)
    of the class.

    Examples
    --------
    The 3x3 binary images (N = 9): s* = 4, and V(s) counts the images within s changed entries of one image, so
    V(4) = 1 + 9 + 36 + 84 + 126 = 256 and V(3) = 130. With t = 2, beta = V(4 - 2 + 1) / V(4) = 130 / 256:

    >>> harper_bound(9, 2), 130 / 256
    (0.5078125, 0.5078125)

    At t = 1 the bound says nothing (1.0); beyond s* no class has a robust core at all:

    >>> harper_bound(9, 1), harper_bound(9, 5)
    (1.0, 0.0)

    An array of radii gives an array (t = 3: V(2) / V(4) = 46 / 256); 4 levels read each entry as 2 bits (M = 18):

    >>> [round(b, 4) for b in harper_bound(9, [1, 2, 3]).tolist()]
    [1.0, 0.5078, 0.1797]
    >>> round(harper_bound(9, 2, levels=4), 4)
    0.5901
    """
    N = check_int("N", N, minimum=1)
    M = bits_per_entry(levels) * N
    a = check_eps(t, name="t", integer=True, finite=False)
    s = _largest_half_radius(M)
    num = stats.binom.cdf(s - a + 1, M, 0.5)
    beta = np.where(a > s, 0.0, np.minimum(1.0, num / stats.binom.cdf(s, M, 0.5)))
    return _out(beta, t)


def hoeffding_bound(N: int, t) -> float | np.ndarray:
    """A closed-form upper bound on :func:`harper_bound`: min(1, exp(-2 a**2 / N) / F(s*)), a = N/2 - s* + t - 1.

    Derivation: the numerator of beta_N(t) is F(s* - t + 1) = P(X <= N/2 - a) with X ~ Binomial(N, 1/2), and
    Hoeffding's inequality gives P(X <= N/2 - a) <= exp(-2 a**2 / N) for a >= 0. F(s*) is 1/2 for odd N and
    1/2 - C(N, N/2) / 2**(N+1) for even N, and a is t - 1/2 (odd N) or t (even N), so the bound is about
    2 exp(-2 (t - 1)**2 / N): with t = c * sqrt(N) changed entries, all but about 2 exp(-2 c**2) of the class move.

    Examples
    --------
    For N = 9 (odd, F(s*) = 1/2) and t = 4: a = 3.5, so the bound is 2 exp(-2 * 3.5**2 / 9), above Harper's 10 / 256:

    >>> import math
    >>> round(hoeffding_bound(9, 4), 4), round(2 * math.exp(-2 * 3.5**2 / 9), 4), round(harper_bound(9, 4), 4)
    (0.1315, 0.1315, 0.0391)
    """
    N = check_int("N", N, minimum=1)
    a0 = check_eps(t, name="t", integer=True, finite=False)
    s = _largest_half_radius(N)
    a = N / 2 - s + a0 - 1
    bound = np.where(a >= 0, np.exp(-2 * np.maximum(a, 0) ** 2 / N) / stats.binom.cdf(s, N, 0.5), 1.0)
    return _out(np.minimum(1.0, bound), t)


def concentration_bound(N: int, t) -> float | np.ndarray:
    """Any number of levels, whole-space share: mu(C(t)) <= exp(-(t sqrt(2/N) - sqrt(ln 2))**2) when mu(C) <= 1/2
    and t >= sqrt(N ln 2 / 2); otherwise the trivial mu(C(t)) <= mu(C) <= 1/2. (mu: the uniform measure on V.)

    Derivation (McDiarmid's bounded-differences inequality). Let A = C(t), non-empty, and f(x) = d_0(x, A): changing
    one entry changes f by at most 1, and the entries of a uniform image are independent, so
    P(f <= E f - u) and P(f >= E f + u) are both <= exp(-2 u**2 / N). First, mu(A) = P(f = 0) <= exp(-2 (E f)**2 / N),
    so E f <= sqrt(N ln(1/mu(A)) / 2). Second, every image outside C is more than t away from A, so
    P(f > t) >= 1/2; if t > E f this gives 1/2 <= exp(-2 (t - E f)**2 / N), so E f >= t - sqrt(N ln 2 / 2).
    Together: t - sqrt(N ln 2 / 2) <= sqrt(N ln(1/mu(A)) / 2), which is the bound. (Using P(f >= t + 1) >= 1/2
    instead sharpens t to t + 1.) The bound does not depend on the number of levels.

    Examples
    --------
    Below t = sqrt(N ln 2 / 2) (5.89 for N = 100) only the trivial 1/2; at t = 20 changed entries of 100,
    exp(-(20 sqrt(2/100) - sqrt(ln 2))**2):

    >>> import math
    >>> concentration_bound(100, 5)
    0.5
    >>> x = 20 * math.sqrt(2 / 100) - math.sqrt(math.log(2))
    >>> round(concentration_bound(100, 20), 4), round(math.exp(-x**2), 4)
    (0.0186, 0.0186)
    """
    N = check_int("N", N, minimum=1)
    a = check_eps(t, name="t", finite=False)
    x = a * math.sqrt(2 / N) - math.sqrt(math.log(2))
    bound = np.where(x >= 0, np.minimum(0.5, np.exp(-np.maximum(x, 0) ** 2)), 0.5)
    return _out(bound, t)


def cube_l2_bound(r) -> float | np.ndarray:
    """Continuous cube [0, 1]^N, uniform measure, any N: mu({x in C : l2 distance to another class > r}) <=
    Phi(-sqrt(2 pi) r) for every class C with mu(C) <= 1/2 (a share of the whole cube; Phi = standard normal cdf).

    Derivation. T(y) = (Phi(y_1), ..., Phi(y_N)) carries the standard Gaussian measure onto the uniform measure on
    the cube and is sqrt(1/(2 pi))-Lipschitz in l2 (Phi' <= 1/sqrt(2 pi)). Let A be the robust core at radius r and
    B = T^-1(A). A point within s = sqrt(2 pi) r of B maps within r of A, hence into C, so the Gaussian measure of
    B's s-neighbourhood is <= 1/2. The Gaussian isoperimetric inequality says it is >= Phi(Phi^-1(gamma(B)) + s);
    so Phi^-1(mu(A)) + s <= 0. Free of N: dimension-free, unlike the lattice bounds.

    Examples
    --------
    At r = 0 the bound is Phi(0) = 1/2 (a class of half the cube); at r = 1/2, Phi(-sqrt(pi/2)):

    >>> cube_l2_bound(0.0), round(cube_l2_bound(0.5), 4)
    (0.5, 0.105)
    """
    a = check_eps(r, name="r", finite=False)
    return _out(stats.norm.cdf(-math.sqrt(2 * math.pi) * a), r)


def linf_bound(eps, levels: int | None = None) -> float | np.ndarray:
    """l-infinity, dimension-free (Corollary 7.5): for every class C of at most half the space, the share of the
    whole space in C at l_inf distance more than ``eps`` from every other class.

    ``levels=None``: the continuous cube [0, 1]^N, Phi(-sqrt(2 pi) eps) (l_inf <= l2 and :func:`cube_l2_bound`).
    ``levels=L``: the L-level lattice, Phi(-sqrt(2 pi) (L-1)/L (eps - 1/(L-1))) for eps >= 1/(L-1) (the proof of
    Theorem 7.4 with l_inf, where rounding to the lattice costs at most half a level step on each side), and the
    trivial 1/2 below. Free of N in both cases: l_inf robustness Theta(1) is the most any classifier can have, and the
    first-pixel classifier has it.

    Examples
    --------
    Continuous cube: the same value as :func:`cube_l2_bound`. Binary lattice (L = 2): trivial up to one level step
    (eps <= 1), then Phi(-sqrt(2 pi) / 2 * (eps - 1)):

    >>> round(linf_bound(0.5), 4), linf_bound(1.0, levels=2), round(linf_bound(1.5, levels=2), 4)
    (0.105, 0.5, 0.2654)
    """
    a = check_eps(eps, name="eps", finite=False)
    if levels is None:
        return _out(stats.norm.cdf(-math.sqrt(2 * math.pi) * a), eps)
    L = check_int("levels", levels, minimum=2)
    x = (L - 1) / L * (a - 1 / (L - 1))
    return _out(np.where(x > 0, stats.norm.cdf(-math.sqrt(2 * math.pi) * np.maximum(x, 0)), 0.5), eps)
