"""Lesson 07 (bit depth): checkers for the compute exercises and the self-check quiz.

07.2: the l2 diagonal of one lattice cell, sqrt(N)/(L-1), for 224x224 grey images at 12 bits (Theorem 7.4's
rounding term). 07.4: the image size n at which the sum classifier leaves its O(1) l2 regime at 12 bits
(Theorem 7.2's crossover n* = Phi^-1(3/4) sigma_L (L-1), as the smallest whole n above it).
"""

from __future__ import annotations

import math
from functools import partial

import torch
from scipy.stats import norm

from ..spaces import ImageSpace
from . import answers
from .checker import Checker, Mistake, close, equal, register
from .quiz import Choice, Question, register_quiz

CAMERA = ImageSpace(224, levels=2**12)   # a 12-bit grey camera, 224x224 crops


def _cell_diagonal() -> float:
    return math.sqrt(CAMERA.num_entries) * CAMERA.step


def _entry_sd(levels: int) -> float:
    """Standard deviation of one uniform entry on the lattice, from the lattice itself (not from the formula)."""
    values = ImageSpace(1, levels=levels).images(torch.arange(levels)).double().flatten()
    return float(values.std(unbiased=False))


def _crossover(levels: int, sd: float | None = None, centre: float = norm.ppf(0.75)) -> float:
    sd = _entry_sd(levels) if sd is None else sd
    return centre * sd * (levels - 1)


def _smallest_n_above(x: float) -> int:
    return math.floor(x) + 1


_ratio = close(rel=1e-5)   # a float answer from the formula is exact to ~1e-12; 1e-5 still tells L from L - 1


register(Checker(
    "07.2", partial(answers.number, expects="a number (an l2 length, in intensity units)"), _cell_diagonal, _ratio,
    hint="one lattice cell is a cube of side one level step 1/(L - 1) in N = n^2 dimensions; its l2 diagonal is the "
         "side times sqrt(N).",
    mistakes=(
        Mistake(lambda a, r: _ratio(a, r * (CAMERA.levels - 1) / CAMERA.levels),
                "one level step is 1/(L - 1), not 1/L: L levels leave L - 1 gaps between 0 and 1.",
                lambda r: r * (CAMERA.levels - 1) / CAMERA.levels),
        Mistake(lambda a, r: _ratio(a, r / 2),
                "that is half the diagonal (the largest rounding of one image); the question asks for the whole "
                "diagonal, as in Theorem 7.4.",
                lambda r: r / 2),
        Mistake(lambda a, r: _ratio(a, r * math.sqrt(CAMERA.num_entries)),
                "the diagonal grows like the square root of the number of entries, not like the number itself.",
                lambda r: r * math.sqrt(CAMERA.num_entries)),
        Mistake(lambda a, r: _ratio(a, r * (CAMERA.levels - 1) / 255),
                "12 bits means L = 2^12 = 4096 levels, not 256.",
                lambda r: r * (CAMERA.levels - 1) / 255),
    )))

register(Checker(
    "07.4", partial(answers.whole_number, expects="a whole number (an image side n)"),
    lambda: _smallest_n_above(_crossover(CAMERA.levels)), equal,
    hint="the two terms of Theorem 7.2 are equal when D = n^2 / (L - 1); put in the median D = Phi^-1(3/4) sigma_L n "
         "with sigma_L^2 = (L + 1) / (12 (L - 1)) and solve for n.",
    mistakes=(
        Mistake(lambda a, r: a == r - 1,
                "the crossover is not a whole number: the question asks for the smallest whole n above it.",
                lambda r: r - 1),
        Mistake(lambda a, r: a in (round(0.2 * (CAMERA.levels - 1)), _smallest_n_above(0.2 * (CAMERA.levels - 1))),
                "0.2 (L - 1) is the lesson's rounded rule of thumb; use the median Phi^-1(3/4) = 0.674... and "
                "sigma_L for L = 4096.",
                lambda r: _smallest_n_above(0.2 * (CAMERA.levels - 1))),
        Mistake(lambda a, r: a == _smallest_n_above(_crossover(CAMERA.levels, sd=0.5)),
                "sigma = 1/2 is the standard deviation of a binary entry; with 4096 levels it is "
                "sqrt((L + 1) / (12 (L - 1))), close to 1/sqrt(12).",
                lambda r: _smallest_n_above(_crossover(CAMERA.levels, sd=0.5))),
        Mistake(lambda a, r: a == _smallest_n_above(_crossover(CAMERA.levels, centre=math.sqrt(2 / math.pi))),
                "that uses the mean of |Z|, sqrt(2/pi); the lesson's median image has D at the median of |Z|, "
                "Phi^-1(3/4).",
                lambda r: _smallest_n_above(_crossover(CAMERA.levels, centre=math.sqrt(2 / math.pi)))),
    )))


register_quiz("07", [
    Question(
        "How does the number of changed pixels that the sum classifier needs change as the bit depth grows?",
        (Choice("It falls like 1/(L - 1).", False,
                "That is the random labelling's l2 robustness, one level step. In l0 a step and a full flip both "
                "count as one changed pixel."),
         Choice("It becomes O(1) at many levels.", False,
                "The flat regime is about the l2 size of the change at small n, not about the number of pixels; "
                "fewer than Theta(n) changed pixels can never move the sum far enough."),
         Choice("It stays Theta(n) at every bit depth.", True,
                "Each changed pixel moves the sum by at most 1 whatever L is, and the sum is spread over Theta(n): "
                "in the l0 table of section 3, l0 / n falls by less than a factor 2 from L = 2 to L = 256 and stays "
                "Theta(n) (Theorem 6.2)."))),
    Question(
        "Why does more bit depth lower the sum classifier's l2 robustness?",
        (Choice("The sum of a random image is less spread out with more levels.", False,
                "Its standard deviation stays between n / sqrt(12) and n / 2: the distance D to the threshold is "
                "Theta(n) at every L."),
         Choice("Finer steps let the change be spread over many pixels, each moved a little, which is cheap in "
                "l2.", True,
                "Moving m pixels by delta with m delta = D costs D / sqrt(m): the more pixels, the cheaper, and a "
                "step of 1/(L - 1) allows m up to D (L - 1)."),
         Choice("The diameter of the space shrinks with more levels.", False,
                "The space always spans [0, 1] per entry: the l2 diameter is n at every bit depth."))),
    Question(
        "What is special about Theorem 7.3 (isoperimetry of the continuous cube)?",
        (Choice("Its bound does not depend on the dimension N.", True,
                "Whatever N is, all but Phi(-sqrt(2 pi) eps) of the cube lies within l2 distance eps of a class of "
                "at least half of it: an O(1) distance suffices."),
         Choice("It only holds for the sum classifier.", False,
                "It holds for every measurable class of the cube; the sum classifier is one example under the bound."),
         Choice("It applies directly to binary images.", False,
                "On the lattice a rounding term sqrt(N)/(L - 1) must be added (Theorem 7.4), which is useless at "
                "L = 2."))),
    Question(
        "The l-infinity diameter of the image space is 1 at every size. What does the course say about "
        "l-infinity robustness?",
        (Choice("Nothing: the theorem is empty for p = infinity.", False,
                "Not empty: Corollary 7.5 bounds, for every classifier and every class of at most half the space, "
                "the share of the space (not of the class) in that class beyond eps by Phi(-sqrt(2 pi) eps), about "
                "0.105 at eps = 0.5, at every N."),
         Choice("It shrinks to 0 as the images grow, like every other p.", False,
                "The bound is free of N, and the first-pixel classifier keeps half minus eps of the space beyond "
                "eps at every N: the order Theta(1) is attained."),
         Choice("It is O(1) for every classifier (Corollary 7.5): not small next to the diameter, but bounded free "
                "of N, and the first-pixel classifier attains Theta(1).", True,
                "l_inf <= l_2 turns Theorems 7.3 and 7.4 into Corollary 7.5; the first pixel shows that no bound of "
                "a smaller order holds for every classifier (some, like the sum classifier at many levels, sit far "
                "below it)."))),
    Question(
        "A designer quantises a network's inputs to 2 levels. What does that buy?",
        (Choice("Robustness to every attack, since small changes are rounded away.", False,
                "An attacker acting before the quantiser pushes a value across a rounding boundary; quantisation "
                "hides the gradient but not the vulnerability."),
         Choice("A higher l2 price for attackers who must stay on the lattice, possibly at a cost in accuracy.", True,
                "Every change is a full flip of size 1, so tiny spread-out perturbations are impossible; the l0 "
                "count is still Theta(n) or less, and changes made before quantisation are not stopped."),
         Choice("More changed pixels needed by any attack.", False,
                "The sum classifier's l0 rate Theta(n) holds at every bit depth; in the lesson, at L = 2, the l2 "
                "attack on 16 digits fooled the network with a median of at most 28 flipped pixels (the l0 price at "
                "the other L was not measured)."))),
])
