"""Lesson 10 (design implications): checkers for the compute exercises and the self-check quiz.

10.2: the smallest number of levels L at which Theorem 10.1's l2 radius for a 5% share of 32x32x3 images is below 1
(``threat.lattice_l2_radius``); 10.3: Proposition 10.2's cap on a d_0 radius guaranteed at every binarised 4 and 9
of the bundled MNIST subset, from the closest pair (an exact integer computation on the data).
"""

from __future__ import annotations

import itertools
import math
from functools import cache

import torch

from .. import threat
from ..data import load_mnist, quantize
from . import answers
from .checker import Checker, Mistake, equal, register
from .quiz import Choice, Question, register_quiz

CIFAR_N, SHARE, LIMIT = 3 * 32 * 32, 0.05, 1.0
CLASSES = (4, 9)


def smallest_levels(N: int, radius=threat.lattice_l2_radius) -> int:
    """The smallest L >= 2 with radius(N, L, 5%) < 1 (the radius falls as L grows: r + (r + sqrt(N)) / (L - 1))."""
    for L in itertools.count(2):
        if radius(N, L, SHARE) < LIMIT:
            return L
    raise AssertionError("unreachable")


def _without_factor(N: int, L: int, share: float) -> float:
    """Theorem 10.1's radius with the factor L/(L-1) on the cube's radius forgotten (a typical slip)."""
    return threat.cube_radius(share) + math.sqrt(N) / (L - 1)


@cache
def closest_distance() -> int:
    """The smallest Hamming distance between a binarised 4 and a binarised 9 of the bundled MNIST subset."""
    x, y = load_mnist()
    x = quantize(x, 2).reshape(len(x), -1).double()
    a, b = x[y == CLASSES[0]], x[y == CLASSES[1]]
    # For 0/1 vectors d_0(a, b) = |a| + |b| - 2 a.b, exact in float64 (all terms are integers below 2^53).
    d = a.sum(1)[:, None] + b.sum(1)[None, :] - 2 * a @ b.T
    return int(torch.round(d.min()))


def common_radius_cap() -> int:
    """Proposition 10.2, part 2, with s = 1: r(x) + r(y) <= d + 1, so an integer radius at both is <= (d + 1) // 2."""
    return (closest_distance() + 1) // 2


def _is(value_of):
    return lambda a, r: a == value_of() and value_of() != r


register(Checker(
    "10.2", answers.whole_number, lambda: smallest_levels(CIFAR_N), equal,
    hint="evaluate threat.lattice_l2_radius(3 * 32 * 32, L, 0.05) for L = 2, 3, 4, ... and stop at the first L "
         "where it is below 1.",
    mistakes=(
        Mistake(_is(lambda: smallest_levels(CIFAR_N) - 1),
                "at that L the radius is still at least 1: the first L where it is below 1 is asked for.",
                lambda r: r - 1),
        Mistake(_is(lambda: smallest_levels(CIFAR_N, _without_factor)),
                "the cube's radius is multiplied by L/(L-1) in Theorem 10.1 (the lattice is stretched from the box "
                "centres to the levels); use threat.lattice_l2_radius rather than your own formula.",
                lambda r: smallest_levels(CIFAR_N, _without_factor)),
        Mistake(_is(lambda: smallest_levels(32 * 32)),
                "N counts every entry: a 32x32 image with 3 colour channels has 3 * 32 * 32 = 3072 of them.",
                lambda r: smallest_levels(32 * 32)),
    ),
    wrong_examples=(256, 8)))

register(Checker(
    "10.3", answers.whole_number, common_radius_cap, equal,
    hint="binarise the digits with quantize(x, 2), find the smallest Hamming distance d between a 4 and a 9, and "
         "apply Proposition 10.2 part 2 (d_0 is a path metric with steps s = 1); the radius is a whole number.",
    mistakes=(
        Mistake(_is(closest_distance),
                "that is the distance d itself, the cap at ONE image (part 1); a radius that must hold at both "
                "images of the pair is capped by part 2.",
                lambda r: closest_distance()),
        Mistake(_is(lambda: closest_distance() // 2),
                "part 2 says r(x) + r(y) <= d + s: you dropped the one step s = 1 that the first image of the "
                "other class adds.",
                lambda r: closest_distance() // 2),
    ),
    wrong_examples=(0,)))

register_quiz("10", [
    Question("What does the theorem say about robustness in l-infinity (p = infinity), for example at radius 8/255?", (
        Choice("Nothing: its budget equals the diameter of the space, 1", True,
               "changing t entries by at most 1 each costs at most 1 in l-infinity whatever t is, so the budget does "
               "not shrink next to the diameter: the statement is empty and other arguments must decide."),
        Choice("That l-infinity robustness at 8/255 is impossible", False,
               "that would need a budget much smaller than the diameter; for p = infinity both are 1, so the "
               "theorem forbids nothing."),
        Choice("That 8/255 is safe, because it is far below the budget 1", False,
               "the theorem guarantees nothing to a defender either: an empty statement supports no claim."),
    )),
    Question("The common l2 radius 0.5 on 8-bit 32x32x3 images is 0.067 budgets. What follows?", (
        Choice("It is small next to the theorem's unit, yet more than half of Theorem 10.1's radius for a 5% share",
               True, "the budget with c = 1 is a unit of size, not a wall; for 8-bit images the binding l2 limit is "
                     "Theorem 10.1's, 0.876 for a 5% share, and at 0.5 it already caps each class of at most half "
                     "the space at 0.24 of the space."),
        Choice("A defender has a lot of room: 0.5 is only 7% of the budget", False,
               "at c = 1 the concentration bound is still trivial, and the budget is not where the l2 limit of 8-bit "
               "images lies: read eps next to the bound that applies."),
        Choice("The theorem refutes every robustness claim at 0.5", False,
               "it caps the share of the SPACE robust at 0.5 (at most 0.24 per class of at most half the space); a "
               "claim about a named set of test images is not refuted by it."),
    )),
    Question("Proposition 10.2: x and y get different labels and are at Hamming distance d. What is the sharpest "
             "cap it puts on a Hamming radius that must hold at both x and y?", (
        Choice("(d + 1) / 2", True,
               "on a shortest path the first image of the other class is one step past the last of x's class, so "
               "r(x) + r(y) <= d + 1. Majority on d entries (d odd), with x all zeros and y all ones, reaches it: "
               "both radii are (d + 1) / 2."),
        Choice("d / 4", False,
               "that is stronger than what holds: majority on d entries (d odd) gives the all-zeros and the all-ones "
               "image the radius (d + 1) / 2 each."),
        Choice("the square root of d", False,
               "that is the l2 length of a change of d binary entries, not a cap on Hamming radii: majority on d "
               "entries (d odd) gives both ends of the cube the radius (d + 1) / 2, more than the square root of d "
               "once d >= 3."),
    )),
    Question("Quantising 8-bit inputs to a few levels (bit-depth reduction) ...", (
        Choice("does not escape the Hamming statement, and in l2 moves Theorem 10.1's limit up towards "
               "sqrt(N)/(L-1)", True,
               "the Hamming bounds hold for any number of levels; in l2 the rounding term sqrt(N)/(L-1) grows as L "
               "falls. A weaker limit is not a defence: quantisation has been broken by adaptive attacks."),
        Choice("makes a classifier provably robust", False,
               "the concentration bound holds for every L, so most images stay within O(n) changed entries of "
               "another class whatever the quantisation."),
        Choice("lowers the l2 limit, making every classifier more brittle", False,
               "the limit of Theorem 10.1 falls as L GROWS: fine bit depths lose l2 guarantees, coarse ones weaken "
               "the bound."),
    )),
    Question("What did adversarial training (FGSM with a random start) change in section 4?", (
        Choice("Which small changes matter: minimal perturbations got larger and more concentrated, still well "
               "within an l2 budget", True,
               "brittleness is unavoidable, its direction is a design choice; the typical digit is still less than "
               "half an l2 budget from another class."),
        Choice("It made the network robust beyond the theorem's limit", False,
               "the theorem is about all images of the space; the measured minimal perturbations stay below half an "
               "l2 budget, and no training escapes a statement about every classifier."),
        Choice("Nothing measurable", False,
               "the robust accuracy under PGD at eps = 0.2 went from at most 30% to at least 70%, and the minimal "
               "l2 sizes grew by a factor between 1.1 and 1.5."),
    )),
])
