"""Lesson 06 (Algorithm 1, a classifier with the optimal rate): checkers for the compute exercises and the quiz.

06.3: on 4x4 binary images, the number of images that need at least 4 flips to change their majority label.
06.4: on 3x3 images with 3 levels, the number of images that majority and the sum threshold label differently.
References are computed with the exact census (or by labelling every image), on the CPU.
"""

from __future__ import annotations

from functools import partial

import torch

from .. import classifiers
from ..census import label_space, robustness
from ..spaces import ImageSpace
from . import answers
from .checker import Checker, Mistake, equal, register
from .quiz import Choice, Question, register_quiz

_count = partial(answers.whole_number, expects="a whole number of images (a count, not a share of the space)")


def _majority_counts(t: int) -> tuple[int, int]:
    """(class 0, class 1) counts of 4x4 binary images whose majority label needs at least t flips to change."""
    space = ImageSpace(4)
    labels = label_space(classifiers.majority, space, progress=False)
    far = robustness(labels, space, 0) >= t
    return int((far & (labels == 0)).sum()), int((far & (labels == 1)).sum())


def _robust_images() -> int:
    return sum(_majority_counts(4))


def _disagreements() -> int:
    """Label every image of the 3-level 3x3 space by majority and by the sum threshold (sum >= N/2), count the
    differences. The sum is taken in level steps (integers), so the comparison with N/2 is exact."""
    space = ImageSpace(3, levels=3)
    steps = space.digits(torch.arange(space.size)).reshape(space.size, -1).sum(dim=1)   # sum in steps of 1/2
    by_sum = (steps >= space.num_entries).to(torch.int64)                                 # S >= N/2 <=> steps >= N
    by_vote = classifiers.majority(space.images(torch.arange(space.size)))
    return int((by_sum != by_vote).sum())


register(Checker(
    "06.3", _count, _robust_images, equal,
    hint="label all 2^16 images with classifiers.majority, take the exact d_0 census (robustness with p = 0) and "
         "count the images of both classes whose robustness is at least 4.",
    mistakes=(
        Mistake(lambda a, r: a == sum(_majority_counts(5)),
                "'at least 4 flips' means robustness >= 4; you counted robustness > 4.",
                lambda r: sum(_majority_counts(5))),
        Mistake(lambda a, r: a == sum(_majority_counts(3)),
                "'at least 4 flips' means robustness >= 4; you counted robustness >= 3.",
                lambda r: sum(_majority_counts(3))),
        Mistake(lambda a, r: a in _majority_counts(4),
                "that is one class only: the question asks for the images of both classes.",
                lambda r: _majority_counts(4)[1]),
    )))

register(Checker(
    "06.4", _count, _disagreements, equal,
    hint="label every image of ImageSpace(3, levels=3) twice, with classifiers.majority and with 'sum of the "
         "entries >= N/2', and count the images where the two labels differ.",
    mistakes=(
        Mistake(lambda a, r: a == 3**9 - r, "you counted the images on which the two classifiers agree.",
                lambda r: 3**9 - r),
        Mistake(lambda a, r: a == r - 1,
                "one short: the image with every pixel at 1/2 is a tie too (no votes at all).",
                lambda r: r - 1),
    )))


register_quiz("06", [
    Question(
        "Why does the sum classifier keep most images of each class $\\Theta(n)$ changed entries away from the "
        "other class?",
        (Choice("Because the sum of a random image concentrates tightly around its mean.", False,
                "Concentration says the bell is not wider than O(n); it is what limits every classifier. The "
                "sum classifier's robustness comes from the bell being wide, not narrow."),
         Choice("Because the sum of a random image is spread over Theta(n) around the threshold, and one changed "
                "entry moves the sum by at most 1.", True,
                "Anti-concentration (a wide bell) puts most images far from the threshold, and the bounded step "
                "turns that distance into a number of changed entries (Theorem 6.2)."),
         Choice("Because the sum threshold is a Hamming ball at every number of levels.", False,
                "It is a Hamming ball only for binary images; with three or more levels it is not (section 5), "
                "yet Theorem 6.2 holds at every fixed L."),
         Choice("Because its classes hold exactly half of the space each.", False,
                "Equal halves are not enough: first pixel and parity split the space in halves too and keep "
                "nothing at t = 1."))),
    Question(
        "Theorem 6.2, part 3, bounds the share of each class that lies within c sqrt(N) of the threshold. For which "
        "image sizes does it hold?",
        (Choice("Only in the limit of large images, like the central limit theorem.", False,
                "The limit is part 2's second statement; the bound itself holds at every N, because the "
                "Berry-Esseen inequality with Shevtsova's constant 0.4748 holds for every number of summands."),
         Choice("Only for binary images, where the exact census can check it.", False,
                "The proof works for every number of levels L; the lesson checks it against the exact "
                "distribution of the sum for several L."),
         Choice("At every N, with the explicit error term 2 C_BE / (sigma_L sqrt(N)) added to the main term "
                "2c / (sigma_L sqrt(2 pi)), an upper bound on the limit.", True,
                "That term, from the Berry-Esseen inequality, is what makes the statement non-asymptotic; "
                "without it the bound fails at small n (the finite-n check of section 2)."))),
    Question(
        "What does Harper's theorem say about Hamming balls of binary images?",
        (Choice("Among sets of the same size, a Hamming ball has the smallest t-neighbourhood, for every t.", True,
                "So a ball's robust core is as large as a class of that size can have: balls attain the "
                "isoperimetric bound, as the 5x5 census shows exactly."),
         Choice("A Hamming ball has the largest t-neighbourhood among sets of its size.", False,
                "It is the other way round: the smallest. Large neighbourhoods mean many images near the boundary, "
                "the opposite of robustness."),
         Choice("Every class of at most half the space is a Hamming ball.", False,
                "Most classes are not balls (parity, random labels); the theorem compares them with balls."))),
    Question(
        "Is the sum threshold the most robust classifier of 4x4 binary images?",
        (Choice("Yes: Harper's theorem makes Hamming balls optimal, and the sum threshold is one.", False,
                "Harper compares sets of the same size. The sum threshold's small class holds 40% of the space; "
                "a class of exactly half, the half segment, keeps 0.6072 of itself beyond t = 1 against 0.5656."),
         Choice("No: a class of another size keeps a larger share of itself far from the other class; what is "
                "optimal is the sum threshold's rate.", True,
                "Theorem 6.2 and the upper bound of lessons 03-04 pin the rate Theta(n), not a best classifier at "
                "each size (lesson 04's Exercise 5 finds the best share at N = 16)."),
         Choice("Yes, because first pixel, parity and random labels keep nothing at t = 1.", False,
                "Beating those three says nothing about every other classifier: the half segment beats the sum "
                "threshold at every t from 1 to 7."))),
    Question(
        "On 3x3 images with 4 levels, which classifier is the most robust?",
        (Choice("The sum threshold, in every norm.", False,
                "In changed pixels majority vote has the larger median here: one pixel can move the sum by "
                "three steps at once."),
         Choice("The Hamming ball, as for binary images.", False,
                "Optimal for binary images among sets of its size, the ball is the least robust of the three in "
                "l2 with 4 levels."),
         Choice("It depends on the norm: majority vote wins in changed pixels, the sum threshold in l2.", True,
                "Among these three classifiers on this space, ranked by their medians, the ranking depends on the "
                "norm; only the Theta(n) rate is universal."))),
])
