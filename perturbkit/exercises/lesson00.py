"""Lesson 00 (start here): checkers for its compute exercises and its self-check quiz.

00.2: the smallest side n at which the l2 budget of a colour image (c = 1) is at most 5% of the diameter.
00.3: the smallest number of changed entries at which the course's concentration bound caps the robust share of the
ImageNet-sized space (224 x 224 x 3 entries) at 1%.
Both references are computed with perturbkit (budgets.space_numbers, bounds.concentration_bound), never typed in.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from ..budgets import space_numbers
from . import answers
from .checker import Checker, Mistake, answer_is, equal, register
from .quiz import Choice, Question, register_quiz

IMAGENET_N = 224 * 224 * 3


MAX_SIDE = 10_000  # smallest_side looks no further (the ratio falls like n^(-1/max(p, 1)); at p = inf not at all)


@cache
def smallest_side(ratio: float = 0.05, channels: int = 3, p: float = 2) -> int:
    """The smallest n with budget_p / diameter_p <= ``ratio`` for n-by-n images with ``channels`` channels, c = 1;
    ValueError when no n up to MAX_SIDE has it."""
    for n in range(1, MAX_SIDE + 1):  # a bounded search
        if space_numbers(n, levels=256, channels=channels, p=p).ratio <= ratio:
            return n
    raise ValueError(f"no side n <= {MAX_SIDE} has budget/diameter <= {ratio} for p = {p}: the ratio falls like "
                     "n^(-1/max(p, 1)), so slowly for large p, and not at all for p = inf")


@cache
def smallest_entries(N: int = IMAGENET_N, share: float = 0.01) -> int:
    """The smallest whole number t of changed entries with concentration_bound(N, t) <= ``share``."""
    from ..bounds import concentration_bound  # imports scipy: only when a checker needs it, not on import
    t = np.arange(N + 1)
    ok = concentration_bound(N, t) <= share
    return int(np.argmax(ok))



def _no_ln2_term() -> int:
    # the radius without the sqrt(ln 2) term: exp(-2 t^2 / N) <= 1/100
    return int(np.ceil(np.sqrt(IMAGENET_N / 2 * np.log(100))))


register(Checker(
    "00.2", answers.whole_number, smallest_side, equal,
    hint="the ratio for n-by-n images with q channels is (sqrt(q) n)^(1/2) / (q n^2)^(1/2); solve ratio <= 0.05 for "
         "n, or loop over n with space_numbers(n, channels=3, p=2).ratio.",
    mistakes=(
        Mistake(answer_is(lambda: smallest_side(channels=1)),
                "that is the answer for grey images; the question is about colour images, q = 3 channels "
                "(channels=3).", lambda r: smallest_side(channels=1)),
        Mistake(answer_is(lambda: smallest_side(p=0)),
                "that is the answer for p = 0 (changed entries); the question asks for the l2 budget and diameter "
                "(p = 2).", lambda r: smallest_side(p=0)),
        Mistake(lambda a, r: a == r - 1, "at that n the ratio is still just above 0.05: take the first n at which it "
                "is at most 0.05.", lambda r: r - 1),
    )))

register(Checker(
    "00.3", answers.whole_number, smallest_entries, equal,
    hint="the bound is exp(-(t sqrt(2/N) - sqrt(ln 2))^2) with N = 224*224*3; find the first whole t at which it is "
         "at most 0.01 (bounds.concentration_bound accepts an array of t).",
    mistakes=(
        Mistake(lambda a, r: a == r - 1, "at that t the bound is still just above 0.01: round the exact radius up, "
                "not down (a number of entries is whole).", lambda r: r - 1),
        Mistake(answer_is(_no_ln2_term),
                "you left out the sqrt(ln 2) term: the bound is exp(-(t sqrt(2/N) - sqrt(ln 2))^2), not "
                "exp(-2 t^2 / N).", lambda r: _no_ln2_term()),
        Mistake(answer_is(lambda: smallest_entries(224 * 224)),
                "N counts every entry: 224 x 224 pixels times 3 colour channels.",
                lambda r: smallest_entries(224 * 224)),
    )))


register_quiz("00", [
    Question("Which classifiers does the course's theorem speak about?", (
        Choice("Only neural networks trained by gradient descent", False,
               "training plays no role: the argument never looks inside the classifier, so it covers every function."),
        Choice("Every classifier of n-by-n images, whatever it is and however it was made", True,
               "the theorem is about the geometry of the space of all images; the classifier can be any function."),
        Choice("Only classifiers that are not yet adversarially trained", False,
               "adversarial training changes the classifier, but the theorem holds for every classifier, trained or "
               "not."),
        Choice("Only linear classifiers", False,
               "linear classifiers are one example (lesson 06's sum classifier), but the theorem needs no linearity."),
    )),
    Question("For $p = \\infty$, what does the course prove?", (
        Choice("Nothing at all: its budget and the diameter of the space are both 1", False,
               "the budget is not small next to the diameter, but Corollary 7.5 still says something: a "
               "dimension-free cap on the share of the cube that lies in a class of at most half the space and beyond "
               "an l-infinity distance epsilon from every other class."),
        Choice("That a change of one grey level in every pixel moves almost every image", False,
               "nothing of that size is proved; the l-infinity radius that matters is of order 1, not one level."),
        Choice("A Theta(1) statement: in the cube, the points of a class of at most half the space farther than "
               "epsilon from every other class fill at most Phi(-sqrt(2 pi) epsilon), whatever N is", True,
               "that is Corollary 7.5 (lesson 07), about 10.5% at epsilon = 0.5; the first-pixel classifier shows that "
               "order-1 robustness is attainable, so Theta(1) is not small next to the diameter 1."),
    )),
    Question("How does the ratio budget / diameter behave as the image side n grows, for a finite p?", (
        Choice("It falls like n^(-2/max(p,1))", False,
               "that exponent belongs to the diameter alone; the budget grows too, which halves the exponent."),
        Choice("It stays constant: both grow at the same rate", False,
               "that is only the case for p = infinity, where both are 1."),
        Choice("It grows, because bigger images have more pixels to change", False,
               "the budget grows, but the diameter grows faster."),
        Choice("It falls like n^(-1/max(p,1))", True,
               "the budget grows like n^(1/max(p,1)) and the diameter like n^(2/max(p,1))."),
    )),
    Question("What does 'almost every image of a class can be moved out of it' mean in this course?", (
        Choice("All but a share of the images that a stated bound caps, for a stated constant c", True,
               "every such claim names c and the bound: for example, 1,414 changed entries (c = 3.64) leave at most "
               "1% of any class of at most half the space of 8-bit ImageNet crops robust (Theorem 3.10)."),
        Choice("Every image without exception", False,
               "some images can be robust (the robust core); the bounds cap their share, they do not make it zero."),
        Choice("Most images of the natural-image data set the classifier was trained on", False,
               "the theorem's measure is uniform over all images, not the distribution of natural images (lesson 08)."),
    )),
])
