"""Lesson 04 (every classifier is brittle): checkers for the compute exercises and the self-check quiz.

04.2: the census of a classifier that looks at the top row only: how many 4x4 images lie in a robust core at t = 1.
04.3: the smallest number of changed entries at which the concentration bound caps every core at 1% of the space
for N = 784. References come from perturbkit (``census.label_space``, ``census.robustness``, ``bounds``).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import torch

from ..spaces import ImageSpace
from . import answers
from .checker import Checker, Mistake, equal, register
from .quiz import Choice, Question, register_quiz


def top_row_classifier(images: torch.Tensor) -> torch.Tensor:
    """Exercise 04.2's classifier of 4x4 binary images: label 1 when the top row has at least 2 white pixels."""
    return (images[:, 0, 0, :].sum(dim=1) >= 2).long()


@lru_cache(maxsize=1)
def _top_row_census() -> tuple[torch.Tensor, torch.Tensor]:
    from ..census import label_space, robustness
    space = ImageSpace(4)
    labels = label_space(top_row_classifier, space, progress=False)
    return labels, robustness(labels, space, 0)


def _core_count(t: int, label: int | None = None) -> int:
    labels, r = _top_row_census()
    keep = r > t if label is None else (r > t) & (labels == label)
    return int(keep.sum())


register(Checker(
    "04.2", answers.whole_number, lambda: _core_count(1), equal,
    hint="the label depends on the top row only: for each number k of white pixels in it, how many changes "
         "reach the other label, and how many images have such a top row?",
    mistakes=(
        Mistake(lambda a, r: a == r // 4096,
                "count images, not top rows: every pattern of the top row comes with all 2^12 settings of the other "
                "12 pixels.", lambda r: r // 4096),
        Mistake(lambda a, r: a == _core_count(1, label=1),
                "both classes have a robust core: count the robust images of class 0 too.",
                lambda r: _core_count(1, label=1)),
        Mistake(lambda a, r: a == _core_count(2),
                "that is r_0 > 2, the core at t = 2; at t = 1 an image with robustness exactly 2 counts.",
                lambda r: _core_count(2)),
    ),
))


def _first_radius(bound, N: int = 784, share: float = 0.01) -> int:
    t = np.arange(N + 1)
    return int(t[np.argmax(bound(N, t) <= share)])


def _concentration_t() -> int:
    from ..bounds import concentration_bound
    return _first_radius(concentration_bound)


def _harper_t() -> int:
    from ..bounds import harper_bound
    return _first_radius(harper_bound)


def _no_shift_t() -> int:
    # the mistake of dropping sqrt(ln 2): t >= sqrt(N ln(100) / 2)
    return int(np.ceil(np.sqrt(784 * np.log(100) / 2)))


register(Checker(
    "04.3", answers.whole_number, _concentration_t, equal,
    hint="solve exp(-(t sqrt(2/N) - sqrt(ln 2))^2) <= 0.01 for t (with t sqrt(2/N) >= sqrt(ln 2)) and round up to "
         "a whole number of changed entries.",
    mistakes=(
        Mistake(lambda a, r: a == r - 1,
                "close: the bound at that radius is still above 0.01. Round the solution of the inequality up, not "
                "down.", lambda r: r - 1),
        Mistake(lambda a, r: a == _harper_t(),
                "that is Harper's bound, which needs binary images and bounds a share of the class; the question "
                "asks about any number of levels: the concentration bound, Theorem 3.9.", lambda r: _harper_t()),
        Mistake(lambda a, r: a == _no_shift_t(),
                "the exponent is (t sqrt(2/N) - sqrt(ln 2))^2: the shift by sqrt(ln 2) pays for the step from "
                "'the class is at most half' to the mean distance.", lambda r: _no_shift_t()),
    ),
))


register_quiz("04", [
    Question(
        "How does `perturbkit.census.robustness` find the exact robustness of every image of a space without "
        "comparing all pairs of images?",
        (Choice("By attacking every image with PGD", False,
                "an attack finds some perturbation, an upper bound; the census is exact and needs no gradients."),
         Choice("With N one-dimensional passes, one per entry, each letting every image take the best of its own "
                "distance and its neighbour's along that entry plus one", True,
                "distances that add up over entries can be transformed one axis at a time: about N times |V| "
                "operations, exact."),
         Choice("By sampling random images and extrapolating", False,
                "the census visits every image of the space: it is an exact count, not an estimate."),
         Choice("With a closed formula that works for every classifier", False,
                "there is no such formula; closed forms exist for special classifiers such as the sum threshold, "
                "the census works for any labelling."))),
    Question(
        "Which class may stay robust, whatever the classifier?",
        (Choice("The smallest class", False,
                "a small class is the easiest to leave: Theorem 4.1 caps the share of its robust images whatever "
                "its size."),
         Choice("Any class of a trained network", False,
                "the census of the trained 5x5 network obeys the bound like every other classifier."),
         Choice("None: every class of every classifier is brittle", False,
                "the fine print matters: one class may take more than half of the space and escape the theorem."),
         Choice("The one class that fills more than half of the space", True,
                "the theorems assume |C| <= |V|/2; a class larger than that can hold a large core, as the "
                "'at most 3 white pixels' example shows (about 60% of class 0 is robust at t = 4)."))),
    Question(
        "The majority classifier's class 1 on 4x4 images keeps 0.2615 of its images at t = 2. What does that say "
        "about the Harper bound?",
        (Choice("The bound is violated", False,
                "0.2615 is below the bound 0.5656 at t = 2; the census checks every class and radius."),
         Choice("The bound is loose by orders of magnitude", False,
                "a ball sits between the bound at t and at t + 1, so the bound is tight up to one step of radius."),
         Choice("The bound is nearly tight: the ball's share equals the bound one step of radius later", True,
                "the ball's core share is beta_N(t+1), so no valid bound can be lower than that; the bound "
                "beta_N(t) is one step above."),
         Choice("Majority is the only classifier that obeys the bound", False,
                "every classifier obeys it: Theorem 4.1 is proved for every labelling."))),
    Question(
        "For 28x28 images, what does a budget of $t = \\sqrt N = 28$ changed pixels guarantee?",
        (Choice("For binary images at most about 5% of every class of at most half the space is robust; for 8-bit "
                "images at most about 49% of such a class is robust, and the concentration bound gives the trivial 1/2 "
                "of the space", True,
                "beta_784(28) is about 0.051 and beta_{8 x 784}(28) about 0.49 (Theorem 3.10 needs sqrt(8) times "
                "more entries for the same share); the concentration bound stays at 1/2 until c > sqrt(2 ln 2)."),
         Choice("Every image can be moved out of its class", False,
                "the bounds cap the share of robust images; some images, such as those deep inside a ball, need "
                "more."),
         Choice("At most 1% of the space is robust, for any number of levels", False,
                "the concentration bound needs c of about 2.11 for 1% of the space, and the class-relative bound "
                "c of about 3.68 at 8 bits for 1% of the class."),
         Choice("Nothing, because 28 pixels is a constant", False,
                "28 = sqrt(784) grows with the image side n; the theorem's budget is c times n."))),
    Question(
        "At 4 and 16 levels, the most robust classes the lesson could build stay well below Theorem 4.1's bound "
        "$\\beta_{bN}(t)$. What follows?",
        (Choice("Nothing about the theorem: the bound is proved, and the gap only says it may not be tight at many "
                "levels", True,
                "a proved bound can be loose; the search gives a lower estimate of the best possible share, the "
                "bound an upper one, and the truth lies between them."),
         Choice("The bound is wrong for more than two levels", False,
                "a bound is wrong only if some class rises above it; every class the census checked stays below."),
         Choice("The search found the best possible class, so the bound should be lowered to it", False,
                "only for binary images is the search proved optimal (Harper's theorem); with more levels it is the "
                "best class we could construct, not the best there is."),
         Choice("More grey levels make classes more robust in d_0", False,
                "the census does not compare levels at a fixed N (its spaces with more levels have fewer entries), "
                "so nothing here shows d_0 robustness rising with L."))),
])
