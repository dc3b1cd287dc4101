"""Lesson 08 (natural images): checkers for the compute exercises and the self-check quiz.

08.2: log10 of the share of the space that 14 million colour images of 224x224 pixels at 8 bits occupy.
08.3: log10 of the union bound on the share of binary 28x28 images within the budget (28 changed pixels) of at
least one of the 5000 bundled MNIST digits: 5000 |B(28)| / 2^784.
"""

from __future__ import annotations

import math
from functools import partial

from ..hamming import ball_size
from ..natural import share_of_space
from ..spaces import ImageSpace
from . import answers
from .checker import Checker, Mistake, close, register
from .quiz import Choice, Question, register_quiz

PHOTOS = 14 * 10**6                              # about the size of ImageNet
PHOTO_SPACE = ImageSpace(224, levels=256, channels=3)
DIGITS = 5000                                    # the bundled MNIST subset
DIGIT_SPACE = ImageSpace(28, levels=2)

_log10 = partial(answers.number, expects="a number (a base-10 logarithm, negative)")
_same = close(rel=1e-9, abs=0.005)   # exact arithmetic in floats; 0.005 still tells the layer from the ball


def _photo_share() -> float:
    return share_of_space(PHOTOS, PHOTO_SPACE)


def _near_digits(radius: int | None = None, count: int = DIGITS, sphere: bool = False) -> float:
    N = DIGIT_SPACE.num_entries
    t = round(DIGIT_SPACE.budget(0)) if radius is None else radius
    near = math.comb(N, t) if sphere else ball_size(N, t)
    return math.log10(count) + math.log10(near) - N * math.log10(DIGIT_SPACE.levels)


register(Checker(
    "08.2", _log10, _photo_share, _same,
    hint="the share is (number of images) / L^N with N = channels * n * n entries; take log10 of it, which is "
         "log10(count) - N log10(L) (perturbkit.natural.share_of_space does exactly this).",
    mistakes=(
        Mistake(lambda a, r: _same(a, share_of_space(PHOTOS, ImageSpace(224, levels=256))),
                "colour images have 3 channels: N = 3 * 224 * 224 entries.",
                lambda r: share_of_space(PHOTOS, ImageSpace(224, levels=256))),
        Mistake(lambda a, r: _same(a, r - math.log10(PHOTOS)),
                "that is the share of one image; the data set has 14 million of them.",
                lambda r: r - math.log10(PHOTOS)),
        Mistake(lambda a, r: _same(a, r * math.log(10)),
                "that is a natural logarithm; the question asks for log10.",
                lambda r: r * math.log(10)),
        Mistake(lambda a, r: _same(a, share_of_space(PHOTOS, ImageSpace(224, levels=255, channels=3))),
                "8 bits means L = 2^8 = 256 levels (0 to 255 is 256 values).",
                lambda r: share_of_space(PHOTOS, ImageSpace(224, levels=255, channels=3))),
    )))

register(Checker(
    "08.3", _log10, _near_digits, _same,
    hint="each digit has a Hamming ball of |B(28)| = perturbkit.hamming.ball_size(784, 28) images within 28 "
         "changes; 5000 such balls cover at most 5000 |B(28)| of the 2^784 images.",
    mistakes=(
        Mistake(lambda a, r: _same(a, _near_digits(count=1)),
                "that is the ball around one digit; the union bound adds up the balls of all 5000 digits.",
                lambda r: _near_digits(count=1)),
        Mistake(lambda a, r: _same(a, _near_digits(sphere=True)),
                "'within the budget' means at most 28 changes: count the whole ball, not only the images with "
                "exactly 28 changes.",
                lambda r: _near_digits(sphere=True)),
        Mistake(lambda a, r: _same(a, r * math.log(10)),
                "that is a natural logarithm; the question asks for log10.",
                lambda r: r * math.log(10)),
        Mistake(lambda a, r: _same(a, _near_digits(radius=5)),
                "the budget in changed pixels is t = n = 28; 5.29 = sqrt(28) is the budget in l2.",
                lambda r: _near_digits(radius=5)),
    )))


register_quiz("08", [
    Question(
        "A trained digit CNN puts almost all uniformly random images into one class. Does that contradict the "
        "theorem?",
        (Choice("Yes: that class is robust for most random images, which the theorem forbids.", False,
                "The theorem forbids it only for classes of at most half the space; a class holding nearly all of "
                "the space can be far from the rest almost everywhere."),
         Choice("No: the theorem exempts one class, which may fill more than half of the space.", True,
                "The theorem speaks about classes of at most half the space; the 'noise class' is the one class "
                "allowed to be larger, and every other class holds a small share."),
         Choice("No, because random images are not valid inputs for the theorem.", False,
                "Random images are exactly what the theorem's uniform measure weighs; they are its main subject, "
                "not an exception."))),
    Question(
        "Why does the uniform measure say little about real digits?",
        (Choice("The uniform measure only counts binary images.", False,
                "It is defined at every bit depth (L^N images, each with the same weight)."),
         Choice("Real digits all lie far from every class boundary.", False,
                "Nothing in the lesson locates a classifier's boundaries: distances between data points do not. "
                "And the point is weight, not position: wherever they lie, real digits weigh nothing under the "
                "uniform measure."),
         Choice("Real images are an astronomically small part of the space, so they weigh nothing under it.", True,
                "5000 digits are about 10^-232 of the binary 28x28 space; statements about most images of the "
                "space are statements about noise-like images."))),
    Question(
        "The 1-nearest-neighbour classifier has a median certified radius of about 10 changed pixels at test "
        "digits, but about 1 at random images. What does this show?",
        (Choice("Robustness relative to the data is possible; robustness for most images of the space is not.", True,
                "The theorem is about the uniform measure; near the data a classifier can have guaranteed radii, "
                "capped by the distances between the data (Proposition 8.1)."),
         Choice("The nearest-neighbour classifier breaks the theorem at test digits.", False,
                "The theorem counts images uniformly; test digits weigh nothing under that measure, so no "
                "statement about them can contradict it."),
         Choice("Random images are harder to classify, so their radius is smaller.", False,
                "Small radii at random images come from geometry: the two nearest classes are almost equally far, "
                "so (b - a)/2 is tiny; no notion of difficulty is involved."))),
    Question(
        "Two images x and y of different classes differ in 20 pixels. What is the most any classifier can "
        "guarantee at both?",
        (Choice("A radius of 20 at each: each image is 20 changes from the other.", False,
                "r_0(x) <= 20 holds for each image alone, but walking from x to y the label changes somewhere, and "
                "that point is close to one of them."),
         Choice("Nothing: a classifier can be robust at both with any radius.", False,
                "The path of single changes from x to y must cross the boundary, which caps the two radii together."),
         Choice("A radius of 10 changed pixels at each, since r(x) + r(y) <= 21.", True,
                "Proposition 8.1: r_0(x) + r_0(y) <= d_0(x, y) + 1, so the smaller of the two is at most 10."))),
    Question(
        "For 28x28 images at 8 bits, Theorem 3.10 says that at most 1% of the network's class 3 lies more than 103 "
        "changed pixels from another class. What does it say about the real 3s of the test set?",
        (Choice("At most 1% of the real 3s are that robust.", False,
                "The 1% is a share of all images of the class, each counted once; the real 3s are a vanishing part "
                "of it, so they may all lie in the robust 1% or none of them may."),
         Choice("Nothing: they are a vanishing part of the class, which is almost all noise-like images.", True,
                "The share is taken under the uniform measure over the whole class; it constrains where most of "
                "the class lies and leaves the real 3s unconstrained (all 5000 bundled digits are a share of "
                "about 10^-1884 of the 8-bit space)."),
         Choice("Every real 3 can be made another digit with 103 changed pixels.", False,
                "The theorem bounds a share of the class and names no image; whether a given real 3 is that close "
                "to another class is a question for attacks on that network."))),
])
