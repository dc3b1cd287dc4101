"""Lesson 02 (adversarial examples): checkers for its compute exercises and its self-check quiz.

02.2: the l0, l1 and l2 sizes of an FGSM step of eps = 0.1 on an 8x8 image (no clipping, no zero gradient).
02.4: on the binary 3x3 images, how many images of the "top row against bottom row" classifier one changed entry
moves out of their class (the exact census: what an l0 attack with budget 1 could at best achieve).
Both references are computed with perturbkit (norms.size, census.label_space and census.robustness).
"""

from __future__ import annotations

from functools import cache, partial

import numpy as np
import torch

from ..census import label_space, robustness
from ..norms import size
from ..spaces import ImageSpace
from . import answers
from .checker import Checker, Mistake, close, register
from .quiz import Choice, Question, register_quiz

FGSM_EPS = 0.1


def fgsm_sizes(eps: float = FGSM_EPS, n: int = 8) -> np.ndarray:
    """[l0, l1, l2] of the perturbation eps * sign(g) on an n-by-n image whose gradient g has no zero entry."""
    delta = torch.full((1, 1, n, n), eps, dtype=torch.float64)
    return np.array([float(size(delta, p)) for p in (0, 1, 2)])


def top_beats_bottom(images: torch.Tensor) -> torch.Tensor:
    """Label 1 when the top row has more white pixels than the bottom row, else 0 (images (k, 1, n, n))."""
    return (images[:, 0, 0].sum(dim=1) > images[:, 0, -1].sum(dim=1)).long()


@cache
def one_change_census(n: int = 3) -> tuple[torch.Tensor, torch.Tensor]:
    """Labels and exact d_0 robustness of every binary n-by-n image under ``top_beats_bottom``."""
    space = ImageSpace(n)
    labels = label_space(top_beats_bottom, space, progress=False)
    return labels, robustness(labels, space, p=0)


def one_change_count() -> int:
    """How many binary 3x3 images one changed entry moves out of their class (r_0 = 1)."""
    return int((one_change_census()[1] == 1).sum())


def _one_side(label: int) -> int:
    labels, r = one_change_census()
    return int(((r == 1) & (labels == label)).sum())


def _one_side_is(label: int):
    # computed when a wrong answer is checked, not when the module is imported
    return lambda a, r: a == _one_side(label)


register(Checker(
    "02.2", partial(answers.vector, length=3, expects="three numbers: the l0, l1 and l2 sizes"), fgsm_sizes,
    close(rel=1e-6),
    hint="every one of the 64 entries changes by exactly 0.1; apply the definitions of lesson 01 (p = 0 counts, "
         "p = 1 sums, p = 2 takes the root of the sum of squares), or norms.size on such a perturbation.",
    mistakes=(
        Mistake(lambda a, r: np.isclose(a[2], r[2] ** 2) and not np.isclose(a[2], r[2]),
                "the l2 size is the square root of the sum of squares: you gave the sum of squares.",
                lambda r: np.array([r[0], r[1], r[2] ** 2])),
        Mistake(lambda a, r: np.isclose(a[0], FGSM_EPS * r[0]) and not np.isclose(a[0], r[0]),
                "l0 counts the changed entries, not how much they changed.",
                lambda r: np.array([FGSM_EPS * r[0], r[1], r[2]])),
        Mistake(lambda a, r: np.allclose(a, FGSM_EPS), "0.1 is the l-infinity size; the question asks for the sizes of "
                "the same perturbation in l0, l1 and l2.", lambda r: np.full(3, FGSM_EPS)),
    )))

register(Checker(
    "02.4", answers.whole_number, one_change_count,
    hint="label every image with census.label_space, compute every image's exact d_0 robustness with "
         "census.robustness(labels, space, p=0), and count the images whose robustness is 1.",
    mistakes=(
        Mistake(lambda a, r: a == r // 2**3, "the middle row does not change the label, but its 2^3 patterns are "
                "different images: count them all.", lambda r: r // 2**3),
        Mistake(_one_side_is(1), "count the images of both classes: label 0 also has images one change away from "
                "label 1.", lambda r: _one_side(1)),
        Mistake(_one_side_is(0), "count the images of both classes: label 1 also has images one change away from "
                "label 0.", lambda r: _one_side(0)),
    ),
    wrong_examples=(ImageSpace(3).size, 0)))


register_quiz("02", [
    Question("What does one FGSM step with budget $\\varepsilon$ in $\\ell_\\infty$ do to each pixel?", (
        Choice("Moves it by eps times the gradient", False,
               "that step's size depends on the gradient's size; FGSM uses only the sign, so every pixel moves by "
               "eps."),
        Choice("Moves it by eps in the direction of the sign of the loss gradient (then clips to [0, 1])", True,
               "eps times the sign of the gradient is the steepest step allowed by an l-infinity budget."),
        Choice("Moves only the pixel with the largest gradient, by eps", False,
               "that is the steepest step in l1 (one entry), not in l-infinity, where every pixel may move."),
    )),
    Question("An attack finds a perturbation $\\delta$ that changes the label of $x$. What does that say about the "
             "robustness $r_p(x)$?", (
        Choice("r_p(x) equals the size of delta", False,
               "an attack need not find the smallest perturbation; only an exact method (the census) does."),
        Choice("r_p(x) is at least the size of delta", False,
               "that would need a proof that nothing smaller works; an attack never gives one."),
        Choice("r_p(x) is at most the size of delta: an upper bound", True,
               "a perturbation that works shows that the smallest one is no larger."),
    )),
    Question("In this lesson's PGD, what does the l0 budget eps = 4 allow?", (
        Choice("Changing at most 4 pixels, each by any amount within [0, 1]", True,
               "p = 0 counts changed entries; how much each changes is free."),
        Choice("A total change of at most 4 summed over all pixels", False, "that is the l1 budget."),
        Choice("Changing every pixel by at most 4 grey levels", False,
               "that would be an l-infinity budget of 4/16; l0 counts pixels."),
    )),
    Question("What sets l-infinity apart in this lesson's comparison with the diameter?", (
        Choice("The theorem says nothing at all for l-infinity", False,
               "the changed-entries budget alone gives only the trivial bound 1, but the course says something, only "
               "not something small: lesson 07 bounds, whatever the dimension, the share of the cube that lies in a "
               "class of at most half the space and farther than eps in l-infinity from every other class "
               "(Corollary 7.5)."),
        Choice("Its diameter is 1 and the theorem's budget is of order 1 too, so no budget is small next to the "
               "diameter, while for every finite p the budget is a vanishing share of it", True,
               "for p = infinity budget and diameter are both Theta(1) (lessons 01 and 05); the statement is not "
               "empty, but it does not shrink with n."),
        Choice("Because PGD does not work in l-infinity", False,
               "PGD works in l-infinity; FGSM is its one-step version."),
    )),
])
