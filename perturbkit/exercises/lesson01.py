"""Lesson 01 (image spaces): checkers for its compute exercises and its self-check quiz.

01.2: the index of a given 2x2 image with 3 grey levels (ImageSpace.indices).
01.3: how many binary 3x3 images lie within l2 distance 1.5 of the all-black image (norms.size over the space).
Both references are computed with perturbkit, never typed in.
"""

from __future__ import annotations

import torch

from ..norms import size
from ..spaces import ImageSpace
from . import answers
from .checker import Checker, Mistake, answer_is, equal, register
from .quiz import Choice, Question, register_quiz

# The image of exercise 01.2: entries in reading order (row 0: 1, 1/2; row 1: 0, 1) of a 2x2 image with 3 levels.
IMAGE_2X2 = ((1.0, 0.5), (0.0, 1.0))


def index_of_image() -> int:
    """The index of IMAGE_2X2 in ImageSpace(2, levels=3)."""
    return int(ImageSpace(2, levels=3).indices(torch.tensor([[IMAGE_2X2]])))


def _reversed_index() -> int:
    # the same digits read least significant first (entry 0 as the units digit)
    space = ImageSpace(2, levels=3)
    digits = space.to_digits(torch.tensor([[IMAGE_2X2]])).reshape(-1).tolist()
    return sum(d * space.levels**i for i, d in enumerate(digits))


def images_within(radius: float = 1.5, p: float = 2, n: int = 3) -> int:
    """How many images of the binary n-by-n space lie within d_p <= ``radius`` of the all-black image."""
    space = ImageSpace(n)
    return int((size(space.images(torch.arange(space.size)), p) <= radius).sum())



register(Checker(
    "01.2", answers.whole_number, index_of_image, equal,
    hint="write the image's levels (0, 1 or 2: the value times L - 1) in reading order and read them as the digits "
         "of a number in base 3, the first entry being the most significant.",
    mistakes=(
        Mistake(answer_is(_reversed_index), "you read the digits in the wrong order: entry 0 (top-left) is the most "
                "significant digit, as in space.digits([11]) for the 2x2 binary images.", lambda r: _reversed_index()),
        Mistake(lambda a, r: a == r + 1, "indices start at 0 (the all-black image has index 0), not at 1.",
                lambda r: r + 1),
    ),
    wrong_examples=(ImageSpace(2, levels=3).size,)))

register(Checker(
    "01.3", answers.whole_number, images_within, equal,
    hint="for binary images the l2 distance is the square root of the number of changed entries; count the images "
         "with that many white entries (a Hamming ball).",
    mistakes=(
        Mistake(lambda a, r: a == r - 1, "do not forget the all-black image itself: it is at distance 0.",
                lambda r: r - 1),
        Mistake(answer_is(lambda: images_within(1.5, p=0)),
                "1.5 is an l2 distance, not a number of changed entries: for binary images d_2 = sqrt(d_0), so "
                "d_2 <= 1.5 allows d_0 <= 2.25.", lambda r: images_within(1.5, p=0)),
        Mistake(answer_is(lambda: images_within(1.5) - images_within(1.0)),
                "count every image within the distance, not only those exactly two entries away.",
                lambda r: images_within(1.5) - images_within(1.0)),
    )))


register_quiz("01", [
    Question("How many images has the space of 2-by-2 grey images with L = 3 levels (q = 1)?", (
        Choice("12, that is 3 times 4", False, "the levels of different entries combine: multiply, do not add."),
        Choice("81, that is 3 to the power 4", True, "N = 4 entries, each one of 3 levels: 3^4 = 81."),
        Choice("64, that is 4 to the power 3", False, "base and exponent swapped: L^N, here 3^4, not N^L."),
        Choice("16, that is 2 to the power 4", False,
               "that is the binary space (L = 2); here each entry has 3 levels."),
    )),
    Question("What does $d_0(x, y)$ measure?", (
        Choice("The total amount of change, summed over all entries", False, "that is p = 1, the l1 distance."),
        Choice("The largest single change", False, "that is p = infinity, the max distance."),
        Choice("The number of entries in which x and y differ", True,
               "p = 0 counts changed entries, not by how much they changed (the Hamming distance)."),
    )),
    Question("Why does the course leave out the 1/p root for 0 < p < 1?", (
        Choice("Without the root the triangle inequality holds; with it, it fails", True,
               "|a + b|^p <= |a|^p + |b|^p for 0 < p <= 1 makes the sum a metric; the lesson's example breaks the "
               "rooted version."),
        Choice("To make the computation faster", False,
               "speed has nothing to do with it: the root would break the triangle inequality."),
        Choice("Because the root of a sum of small numbers underflows", False,
               "no numerical issue is involved: with the root the 'distance' is not a metric."),
    )),
    Question("What is the l2 diameter of a space of images with N entries in [0, 1]?", (
        Choice("N", False, "that is the diameter for p <= 1 (and for p = 0); l2 takes the square root."),
        Choice("The square root of N", True, "the all-black and the all-white image differ by 1 in all N entries."),
        Choice("1", False, "that is the l-infinity diameter, the largest single change."),
    )),
    Question("As n grows, what happens to the theorem's budget as a share of the diameter for p = infinity?", (
        Choice("It falls like 1/n", False, "that is the rate for p <= 1; for p = infinity nothing falls."),
        Choice("It falls like 1/sqrt(n)", False, "that is the rate for p = 2."),
        Choice("It stays 1: the statement there is Theta(1), the size of the diameter, not small", True,
               "both the budget and the diameter are 1; lesson 07 still proves a dimension-free l-infinity bound of "
               "that size (Corollary 7.5), so the statement is not empty, only not small."),
    )),
])
