"""Lesson 05 (from pixels to p-norms): checkers for the compute exercises and the self-check quiz.

05.2: the exact median number of flips the sum classifier needs on a uniformly random binary 100x100 image.
05.3: Theorem 5.1's budget as a share of the diameter for 28x28 images at c = 1, for p = 0, 0.5, 1, 2, inf.
References: exact binomial coefficients (05.2) and ``spaces.ImageSpace.budget`` and ``diameter`` (05.3).
"""

from __future__ import annotations

import math

import numpy as np

from ..spaces import ImageSpace
from . import answers
from .checker import Checker, Mistake, close, equal, register
from .quiz import Choice, Question, register_quiz


def median_flips(n: int = 100) -> int:
    """The exact median number of flips the binary sum classifier needs on a uniformly random n x n image.

    With S ~ Binomial(N, 1/2) white pixels (N = n*n), r_0 = ceil(N/2) - S for label 0 (2S < N) and
    S - ceil(N/2) + 1 for label 1; the median is the smallest k with P(r_0 <= k) >= 1/2, found with exact integer
    binomial coefficients (a few dozen of them, no floating point; tests/test_exercises_05.py checks it against
    ``perturbkit.optimality.near_boundary_share``).
    """
    from ..checks import check_int
    N = check_int("n", n, minimum=1) ** 2
    half = (N + 1) // 2                       # label 1 iff S >= half
    count, k = 0, 0                           # count = #images with half - k <= S <= half + k - 1
    while 2 * count < 2**N:  # ends: for k > N/2 the window holds every sum 0..N, so count = 2**N
        k += 1
        count += sum(math.comb(N, s) for s in (half - k, half + k - 1) if 0 <= s <= N)
    return k


register(Checker(
    "05.2", answers.number, median_flips, equal,
    hint="r_0 = N/2 - S for label 0 and S - N/2 + 1 for label 1, with S ~ Binomial(N, 1/2); find the smallest k "
         "with P(r_0 <= k) >= 1/2, or use the normal approximation and round to a whole number of flips.",
    mistakes=(
        Mistake(lambda a, r: a != round(a) and abs(a - r) < 1,
                "close, but a number of flips is a whole number: give the median of the exact distribution.",
                lambda r: r - 0.3),
        Mistake(lambda a, r: a == 50, "50 is the standard deviation of S; the median of |S - N/2| is about 0.6745 "
                "standard deviations.", lambda r: 50),
        Mistake(lambda a, r: a in (67, 68),
                "the standard deviation of S ~ Binomial(N, 1/2) is sqrt(N)/2, not sqrt(N).", lambda r: 67),
    ),
    wrong_examples=(5000,),
))


PS = (0.0, 0.5, 1.0, 2.0, math.inf)


def _budget_shares(n: int = 28, c: float = 1.0) -> np.ndarray:
    space = ImageSpace(n)
    return np.array([space.budget(p, c) / space.diameter(p) for p in PS])


def _with(ref: np.ndarray, i: int, value: float) -> np.ndarray:
    out = np.array(ref, dtype=float)
    out[i] = value
    return out


register(Checker(
    "05.3", lambda x: answers.vector(x, length=5), _budget_shares, close(rel=2e-3),
    hint="the budget is t for p <= 1, t^(1/p) for p >= 1 and 1 for p = inf, with t = c n; the diameter is N for "
         "p <= 1, N^(1/p) for p >= 1 and 1 for p = inf. Give budget / diameter for p = 0, 0.5, 1, 2, inf in order.",
    mistakes=(
        Mistake(lambda a, r: np.allclose(a, _with(r, 1, r[1] ** 2), rtol=2e-3),
                "for 0 < p < 1 the course's d_p is sum |x_i - y_i|^p without a root (with the root it is no "
                "metric): budget t and diameter N, as for p = 0 and p = 1.", lambda r: _with(r, 1, r[1] ** 2)),
        Mistake(lambda a, r: np.allclose(a, _with(r, 3, r[3] * r[0]), rtol=2e-3),
                "the l2 diameter is the distance from all-black to all-white, sqrt(N), not N.",
                lambda r: _with(r, 3, r[3] * r[0])),
        Mistake(lambda a, r: np.allclose(a, 1 / r, rtol=2e-3),
                "that is diameter / budget; the question asks for the budget as a share of the diameter.",
                lambda r: 1 / r),
    ),
))


register_quiz("05", [
    Question(
        "On log-log axes, the median robustness against the image side $n$ lies on a line of slope $a$. What does "
        "that mean?",
        (Choice("The robustness grows linearly with slope a", False,
                "on log-log axes a straight line is a power law; a linear growth has slope 1 there."),
         Choice("The robustness is a times the diameter", False,
                "the slope says how fast the robustness grows, not how it compares with the diameter; that ratio "
                "is a separate panel."),
         Choice("The robustness grows like n^a", True,
                "log r = a log n + b is r = e^b n^a: the slope is the growth exponent, whatever the constant."),
         Choice("Half of the images have robustness above a", False,
                "the median is what is plotted; the slope is how the median changes with n."))),
    Question(
        "What does the course say about the robustness of a class in $\\ell_\\infty$ ($p = \\infty$)?",
        (Choice("Nothing: the theorem is empty for p = infinity", False,
                "the budget from changed entries is 1, the diameter, but lesson 07 proves a dimension-free bound: at "
                "most Phi(-sqrt(2 pi) eps) of the cube lies in a class of measure at most 1/2 and farther than eps "
                "from every other class (Corollary 7.5). Theta(1) is not nothing."),
         Choice("Theta(1): whatever the size of the image, the images of a class of at most half the space "
                "farther than a constant eps from every other class fill at most Phi(-sqrt(2 pi) eps) of the cube; "
                "but such an eps is not small next to the diameter 1", True,
                "Corollary 7.5 bounds the share of the cube beyond eps by Phi(-sqrt(2 pi) eps), free of N (about "
                "0.105 at eps = 0.5 on the cube), and the first-pixel classifier shows that a constant is attained."),
         Choice("It shrinks like 1/n, as for the sum classifier under continuous perturbations", False,
                "that is one classifier; the first-pixel classifier keeps an l-inf robustness of order 1 at every "
                "n, so no bound for every classifier can shrink with n."),
         Choice("It grows like n, because 1/max(p, 1) is 0", False,
                "an exponent 0 means n^0 = 1: no growth; the budget and the diameter both stay of order 1."))),
    Question(
        "For $0 < p < 1$ the course uses $d_p(x, y) = \\sum_i |x_i - y_i|^p$ without a $p$-th root. Why?",
        (Choice("To make the numbers smaller", False,
                "for a change of many entries the root would make them larger, not smaller; the reason is the "
                "triangle inequality."),
         Choice("Because the root of a sum is undefined for p < 1", False,
                "the root is defined; it just is no metric any more."),
         Choice("Because it then equals d_0", False,
                "it equals d_0 only on binary images, where every change has size 1."),
         Choice("With the root it would not satisfy the triangle inequality; without it, it does", True,
                "|a + b|^p <= |a|^p + |b|^p for 0 < p < 1 makes the sum a metric, while its p-th root fails the "
                "triangle inequality."))),
    Question(
        "On random binary images, a small CNN needs fewer flips than the sum classifier, and fewer still on the "
        "classes that fill at most half of the space. What does the theorem say about that?",
        (Choice("Nothing against it: the theorem caps how robust any classifier can be, it does not predict how "
                "robust a given one is", True,
                "O(n^{1/max(p,1)}) is a ceiling; the sum classifier shows it is reached on the lattice, and any "
                "classifier may stay below it."),
         Choice("The theorem is contradicted", False,
                "the theorem is an upper bound on robustness; being below it is always allowed."),
         Choice("The CNN must be badly trained", False,
                "a network can be accurate on digits and still be brittle; the theorem does not speak of accuracy."),
         Choice("The attack must have failed", False,
                "an attack that fails finds no perturbation; here the attacks fooled nearly every image and found "
                "small perturbations, which are upper bounds on the true robustness."))),
])
