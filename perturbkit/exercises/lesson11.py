"""Lesson 11 (the paper in its literature): checkers for the compute exercises and the self-check quiz.

11.2: the number of binary 4x4 images within 2 changed pixels of an error of the majority classifier when the sum
threshold is the ground truth (the error region's 2-neighbourhood, an exact census); 11.3: the smallest number of
changed entries t at which Proposition 11.7 (error-region expansion on the lattice, McDiarmid) guarantees that at most
1% of all 8-bit 224x224x3 images lie farther than t entries from an error region that fills 1% of the space.
"""

from __future__ import annotations

import math
from functools import cache

import torch

from .. import classifiers
from ..census import label_space
from ..hamming import distance_to_set
from ..spaces import ImageSpace
from . import answers
from .checker import Checker, Mistake, answer_is, equal, register
from .quiz import Choice, Question, register_quiz

RADIUS = 2                     # exercise 11.2: changed pixels
ERROR, UNCOVERED = 0.01, 0.01  # exercise 11.3: the error region's share, and the share left uncovered
IMAGENET = (224, 3)            # n, channels: the running example


@cache
def _distance_to_errors() -> torch.Tensor:
    """d_0 from every binary 4x4 image to the nearest image where majority and the sum threshold disagree."""
    space = ImageSpace(4)
    truth = label_space(classifiers.sum_threshold, space, device="cpu")
    guess = label_space(classifiers.majority, space, device="cpu")
    return distance_to_set(truth != guess, space)


def within_errors(t: int) -> int:
    """How many binary 4x4 images are within t changed pixels of an error (the error region included)."""
    return int((_distance_to_errors() <= t).sum())


def _one_sided(t: int) -> int:
    """Images within t of the error layer (8 white pixels) on one side only: 8, 9, ..., 8 + t white pixels."""
    return sum(math.comb(16, k) for k in range(8, 8 + t + 1))


def entries(n: int = IMAGENET[0], channels: int = IMAGENET[1]) -> int:
    return ImageSpace(n, levels=256, channels=channels).num_entries


def uncovered_bound(N: int, t: float, error: float, log=math.log) -> float:
    """Proposition 11.7: mu(V minus B(E, t)) <= exp(-(t sqrt(2/N) - sqrt(ln(1/error)))**2), for
    t >= sqrt(N ln(1/error) / 2); 1 (nothing said) below that."""
    a = math.sqrt(log(1 / error))
    if t < math.sqrt(N / 2) * a:
        return 1.0
    return math.exp(-(t * math.sqrt(2 / N) - a) ** 2)


def smallest_t(N: int, error: float = ERROR, uncovered: float = UNCOVERED, log=math.log) -> int:
    """The smallest whole t with uncovered_bound(N, t, error) <= uncovered: t >= sqrt(N/2) (sqrt(ln 1/error) +
    sqrt(ln 1/uncovered)), then stepped to the exact integer (the closed form may sit a rounding error off)."""
    t = max(0, math.ceil(math.sqrt(N / 2) * (math.sqrt(log(1 / error)) + math.sqrt(log(1 / uncovered)))) - 2)
    while uncovered_bound(N, t, error, log) > uncovered:  # ends (0 < uncovered): at most 2 steps past the closed form
        t += 1
    return t


def _with_ln2(N: int) -> int:
    """Theorem 3.9's sqrt(ln 2) (a class's complement as the error region) in place of sqrt(ln(1/error))."""
    a, b = math.sqrt(math.log(2)), math.sqrt(math.log(1 / UNCOVERED))
    return math.ceil(math.sqrt(N / 2) * (a + b))


def _without_error_term(N: int) -> int:
    """Only the fluctuation term: exp(-2 t**2 / N) <= uncovered, the error region's own distance forgotten."""
    return math.ceil(math.sqrt(N * math.log(1 / UNCOVERED) / 2))



register(Checker(
    "11.2", answers.whole_number, lambda: within_errors(RADIUS), equal,
    hint="the error region is where the two classifiers disagree; count every image at most 2 changed pixels from "
         "it (distance_to_set(truth != guess, space) <= 2), the error region itself included.",
    mistakes=(
        Mistake(answer_is(lambda: within_errors(0)),
                "that is the error region itself (t = 0): its 2-neighbourhood also holds every image that 1 or 2 "
                "changed pixels take into it.", lambda r: within_errors(0)),
        Mistake(answer_is(lambda: within_errors(1)),
                "that is the 1-neighbourhood: the exercise asks for images within 2 changed pixels.",
                lambda r: within_errors(1)),
        Mistake(answer_is(lambda: _one_sided(RADIUS)),
                "changes go both ways: an image can reach the error region by turning pixels white or by turning "
                "them black, so count images on both sides of it.", lambda r: _one_sided(RADIUS)),
        Mistake(answer_is(lambda: 2 ** 16 - within_errors(RADIUS)),
                "that counts the images FARTHER than 2 changed pixels from every error: the question asks for the "
                "images within 2.", lambda r: 2 ** 16 - within_errors(RADIUS)),
    ),
    wrong_examples=(2 ** 16, 1)))

register(Checker(
    "11.3", answers.whole_number, lambda: smallest_t(entries()), equal,
    hint="solve exp(-(t sqrt(2/N) - sqrt(ln(1/0.01)))**2) <= 0.01 for the smallest whole t, with N = 3 * 224 * 224 "
         "(and check that t is at least sqrt(N ln(1/0.01) / 2), where Proposition 11.7 starts to apply).",
    mistakes=(
        Mistake(answer_is(lambda: smallest_t(entries()) - 1),
                "at that t the bound is still above 1%: round the solution up, not down.",
                lambda r: r - 1),
        Mistake(answer_is(lambda: smallest_t(entries(channels=1))),
                "N counts every entry: an RGB crop of 224 x 224 pixels has 3 * 224 * 224 of them.",
                lambda r: smallest_t(entries(channels=1))),
        Mistake(answer_is(lambda: _with_ln2(entries())),
                "the error region fills 1% of the space, not half of it: Proposition 11.7's constant is "
                "sqrt(ln(1/alpha)) with alpha = 0.01; ln 2 belongs to Theorem 3.9 (a class's complement, alpha = 1/2).",
                lambda r: _with_ln2(entries())),
        Mistake(answer_is(lambda: _without_error_term(entries())),
                "you kept only the fluctuation of d_0(x, E) around its mean; the mean itself can be as large as "
                "sqrt(N ln(1/alpha) / 2), and t must cover both.", lambda r: _without_error_term(entries())),
        Mistake(answer_is(lambda: smallest_t(entries(), log=math.log10)),
                "the logarithms are natural ones (McDiarmid's inequality is an exponential bound).",
                lambda r: smallest_t(entries(), log=math.log10)),
    ),
    wrong_examples=(entries(), 388)))

register_quiz("11", [
    Question("A classifier agrees with the ground truth on every image. What do the error-region results (Gilmer et "
             "al. 2018, Mahloujifar et al. 2019, Proposition 11.7) say about it?", (
        Choice("That most images lie within a few changed entries of an error", False,
               "they need an error region of at least some constant measure to expand; here it is empty, and an empty "
               "set is near nothing."),
        Choice("Nothing: it has no error region to expand", True,
               "their hypothesis (a constant initial error) fails. The class-relative statements still apply: "
               "Theorem 3.7 and Dai and Gifford's theorem speak about the classifier's own classes, so the truth "
               "itself is brittle in the same way."),
        Choice("That it is robust: no small perturbation changes its output", False,
               "small perturbations change its label all the time (every class of at most half the space is "
               "mostly near another class, Theorem 3.7); they just never produce an ERROR, because the truth changes "
               "with it."),
    )),
    Question("What does Dohmatob's generalized no-free-lunch theorem assume about the data?", (
        Choice("That all images are equally likely (the uniform measure)", False,
               "that is Dai and Gifford's setting; Dohmatob's assumption is about the distribution of each class."),
        Choice("That the data come from a smooth generative model", False,
               "that is Fawzi, Fawzi and Fawzi's setting, which Dohmatob's abstract says it recovers as a particular "
               "case."),
        Choice("That each class's distribution satisfies Talagrand's W2 transportation-cost inequality, for example "
               "through a log-concave density", True,
               "a concentration property of every class-conditional distribution; the perturbation needed is then "
               "slightly above the natural noise level of the problem."),
    )),
    Question("A class fills one millionth of the space of 8-bit ImageNet crops. Which course bound limits how much "
             "OF THE CLASS is robust at $t = 3\\sqrt N$ changed entries?", (
        Choice("Theorem 3.10, the class-relative bound: at most 0.034 of the class", True,
               "it bounds the share of the class itself, whatever the class's size, as long as it fills at most half "
               "the space."),
        Choice("Theorem 3.9: at most 8.9e-6 of the space is robust", False,
               "the class fills only 1e-6 of the space, so a whole-space bound above 1e-6 says nothing about it: "
               "its whole core could be robust as far as Theorem 3.9 knows."),
        Choice("Proposition 11.7 with the class as the set E", False,
               "with E = C it says that most of the SPACE lies near the class, not that most of the class lies "
               "near another class."),
    )),
    Question("According to its abstract, what is new in Dai and Gifford's theorem compared with the five results of "
             "this lesson?", (
        Choice("It is the first bound on the robustness of every classifier", False,
               "Fawzi, Fawzi and Fawzi (2018) already bound the robustness of any classifier, for data from a smooth "
               "generative model, and Mahloujifar et al. any classifier with a constant error."),
        Choice("A dimension-free l2 bound on the unit cube", False,
               "isoperimetry of the cube is classical and Shafahi et al. (2019) studied classes on the cube; in the "
               "course it is Theorem 7.3, and Dai and Gifford use it for bit depth."),
        Choice("All images of the space counted equally, every class of at most half of it with no ground truth, "
               "every p >= 0 including the Hamming distance, and a matching optimal classifier", True,
               "the uniform measure on the image lattice, class-relative, all p, and the rate is attained (the sum "
               "threshold, Theorem 6.2 in the course)."),
    )),
    Question("Why does the square root of the dimension appear in all of these results ($O(\\sqrt N)$ changed entries "
             "on the lattice, $O(1/\\sqrt k)$ on a unit sphere in $\\mathbb{R}^k$)?", (
        Choice("Because neural networks are too linear", False,
               "the results hold for every classifier, linear or not: the scale comes from the space and its "
               "measure."),
        Choice("Concentration of measure: a function that moves by at most one per coordinate stays within "
               "O(sqrt(N)) of its mean, so a set of constant measure is that close to almost everything", True,
               "McDiarmid's inequality on the lattice (Theorem 3.9, Proposition 11.7), Gaussian and spherical "
               "isoperimetry in the continuous settings."),
        Choice("Because an image has sqrt(N) pixels per row", False,
               "n = sqrt(N) only for one channel, and the sphere and the latent spaces have no pixels at all; the "
               "square root comes from the fluctuations of sums of N independent pieces."),
    )),
])
