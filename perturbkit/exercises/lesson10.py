"""Lesson 10 (design implications): checkers for the compute exercises and the self-check quiz.

10.2: the smallest number of levels L at which Theorem 10.1's l2 radius for a 5% share of 32x32x3 images is below 1
(``guarantees.lattice_l2_radius``); 10.3: Proposition 10.2's cap on a d_0 radius guaranteed at every binarised 4 and 9
of the bundled MNIST subset, from the closest pair (an exact integer computation on the data).
"""

from __future__ import annotations

import itertools
import math
from functools import cache

import torch

from .. import guarantees
from ..data import load_mnist, quantize
from . import answers
from .checker import Checker, Mistake, answer_is, equal, register
from .quiz import Choice, Question, register_quiz

CIFAR_N, SHARE, LIMIT = 3 * 32 * 32, 0.05, 1.0
CLASSES = (4, 9)


def smallest_levels(N: int, radius=guarantees.lattice_l2_radius) -> int:
    """The smallest L >= 2 with radius(N, L, 5%) < 1 (the radius falls as L grows: r + (r + sqrt(N)) / (L - 1))."""
    for L in itertools.count(2):
        if radius(N, L, SHARE) < LIMIT:
            return L
    raise AssertionError("unreachable")


def _without_factor(N: int, L: int, share: float) -> float:
    """Theorem 10.1's radius with the factor L/(L-1) on the cube's radius forgotten (a typical slip)."""
    return guarantees.cube_radius(share) + math.sqrt(N) / (L - 1)


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



register(Checker(
    "10.2", answers.whole_number, lambda: smallest_levels(CIFAR_N), equal,
    hint="evaluate guarantees.lattice_l2_radius(3 * 32 * 32, L, 0.05) for L = 2, 3, 4, ... and stop at the first L "
         "where it is below 1.",
    mistakes=(
        Mistake(answer_is(lambda: smallest_levels(CIFAR_N) - 1),
                "at that L the radius is still at least 1: the first L where it is below 1 is asked for.",
                lambda r: r - 1),
        Mistake(answer_is(lambda: smallest_levels(CIFAR_N, _without_factor)),
                "the cube's radius is multiplied by L/(L-1) in Theorem 10.1 (the lattice is stretched from the box "
                "centres to the levels); use guarantees.lattice_l2_radius rather than your own formula.",
                lambda r: smallest_levels(CIFAR_N, _without_factor)),
        Mistake(answer_is(lambda: smallest_levels(32 * 32)),
                "N counts every entry: a 32x32 image with 3 colour channels has 3 * 32 * 32 = 3072 of them.",
                lambda r: smallest_levels(32 * 32)),
    ),
    wrong_examples=(256, 8)))

register(Checker(
    "10.3", answers.whole_number, common_radius_cap, equal,
    hint="binarise the digits with quantize(x, 2), find the smallest Hamming distance d between a 4 and a 9, and "
         "apply Proposition 10.2 part 2 (d_0 is a path metric with steps s = 1); the radius is a whole number.",
    mistakes=(
        Mistake(answer_is(closest_distance),
                "that is the distance d itself, the cap at ONE image (part 1); a radius that must hold at both "
                "images of the pair is capped by part 2.",
                lambda r: closest_distance()),
        Mistake(answer_is(lambda: closest_distance() // 2),
                "part 2 says r(x) + r(y) <= d + s: you dropped the one step s = 1 that the first image of the "
                "other class adds.",
                lambda r: closest_distance() // 2),
    ),
    wrong_examples=(0,)))

register_quiz("10", [
    # the right answers sit in varied positions: B, C, A, C, B
    Question("What do the course's bounds say about l-infinity robustness of 8-bit images, for example at radius "
             "0.3?", (
        Choice("Nothing: the budget equals the diameter of the space, 1", False,
               "the Hamming bounds say nothing in l-infinity, but Corollary 7.5 does: through l-infinity <= l2 and "
               "the cube, at most 0.230 of the 8-bit space lies in a class of at most half the space and farther "
               "than 0.3 from every other class, whatever n is."),
        Choice("A limit of order Theta(1): each class of at most half the space holds at most 0.230 of the space "
               "beyond 0.3, whatever n is", True,
               "Corollary 7.5 caps that share at Phi(-sqrt(2 pi) (L-1)/L (eps - 1/(L-1))), free of N, and the "
               "first-pixel classifier keeps 0.203 at 0.3, so the order is reached. Theta(1) is not small next to "
               "the diameter 1, which is why small radii such as 8/255 are barely constrained (cap 0.473)."),
        Choice("That l-infinity robustness at 8/255 is impossible for most images", False,
               "at 8/255 the cap is 0.473 of the space per class, close to the trivial 1/2: the usual radii are "
               "small next to the limit's scale, so the bound constrains little there."),
    )),
    Question("For 8-bit 224x224x3 images, from how many changed entries on do the course's bounds leave at most 1% "
             "of EVERY class of at most half the space robust?", (
        Choice("501", False,
               "that is Theorem 3.7's number for binary images with the same 150,528 entries; at 8 bits Theorem "
               "3.10 works in the cube of dimension 8N and needs about sqrt(8) times as many changed entries."),
        Choice("818", False,
               "that is the concentration bound (Theorem 3.9): a share of the whole SPACE, which says nothing about "
               "a class that fills less than 1% of all images."),
        Choice("1414", True,
               "Theorem 3.10 with b = 8 bits: beta_{8N}(t) <= 1% from t = 1414 on, 0.94% of the entries "
               "(c = 3.64), for every class of at most half the space, however small."),
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
        Choice("makes a classifier provably robust", False,
               "the Hamming bounds hold at every bit depth (Theorem 3.10 for every class when L is a power of two, "
               "Theorem 3.9 for the space at any L), so most images stay within O(n) changed entries of another "
               "class whatever the quantisation."),
        Choice("lowers the l2 limit, making every classifier more brittle", False,
               "the limit of Theorem 10.1 falls as L GROWS: fine bit depths lose l2 guarantees, coarse ones weaken "
               "the bound."),
        Choice("does not escape the Hamming statements, and in l2 moves Theorem 10.1's limit up towards "
               "sqrt(N)/(L-1)", True,
               "the Hamming bounds hold at every bit depth; in l2 the rounding term sqrt(N)/(L-1) grows as L falls. "
               "A weaker limit is not a defence: quantisation has been broken by adaptive attacks."),
    )),
    Question("Section 4 compared an adversarially trained network with one trained for as many epochs the standard "
             "way. What did the measurements show?", (
        Choice("That adversarial training moved the network towards human sensitivity", False,
               "no person was measured: the lesson measured accuracy under PGD, minimal l2 sizes and how "
               "concentrated the perturbations are, and none of these is a human percept."),
        Choice("Larger and more concentrated minimal l2 perturbations, still within half an l2 budget of another "
               "class", True,
               "against the 22-epoch standard network the median minimal l2 size grew by a factor between 1.15 and "
               "1.7, and 0.15 to 0.45 more of the squared norm sat in the top n pixels. Concentration is not "
               "stroke-likeness: a network that thresholds its pixels concentrates its perturbations whatever their "
               "shape."),
        Choice("Nothing that training longer would not also give", False,
               "the 22-epoch standard network kept below 10% of the digits right under PGD at eps = 0.2, and the "
               "median size of its minimal perturbations changed by a factor between 0.75 and 1.1; the "
               "adversarially trained one kept at least 70%."),
    )),
])
