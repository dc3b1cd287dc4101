"""Lesson 09 (human vision): checkers for the compute exercises and the self-check quiz.

09.2: the pixels of a house outline at n = 256 (``drawing.polyline``); 09.3: the smallest Harper radius that caps the
robust share of a class of binary 64x64 images at 1% (``guarantees.harper_radius``), to set next to the parachute.
"""

from __future__ import annotations

import math
from functools import cache

from .. import drawing, guarantees
from . import answers
from .checker import Checker, Mistake, answer_is, equal, register
from .quiz import Choice, Question, register_quiz

# The house of exercise 2 (unit-square coordinates, y downwards): walls and roof as one closed stroke, and a door.
HOUSE = [(0.2, 0.9), (0.2, 0.45), (0.5, 0.15), (0.8, 0.45), (0.8, 0.9), (0.2, 0.9)]
DOOR = [(0.45, 0.9), (0.45, 0.7), (0.55, 0.7), (0.55, 0.9)]
HOUSE_N = 256
HARPER_N, HARPER_SHARE = 64 * 64, 0.01


@cache
def house_counts(n: int) -> tuple[int, int, int]:
    """(pixels of house and door together, of the house alone, of the door alone) at resolution n."""
    house, door = drawing.polyline(n, HOUSE), drawing.polyline(n, DOOR)
    return drawing.pixel_count(house | door), drawing.pixel_count(house), drawing.pixel_count(door)



register(Checker(
    "09.2", answers.whole_number, lambda: house_counts(HOUSE_N)[0], equal,
    hint="draw both strokes at n = 256 with drawing.polyline, combine the two masks with | and count the pixels of "
         "the result with drawing.pixel_count.",
    mistakes=(
        Mistake(answer_is(lambda: house_counts(HOUSE_N)[1] + house_counts(HOUSE_N)[2]),
                "you added the two counts: the pixels where the door meets the bottom wall are then counted twice. "
                "Take the union of the two masks (house | door) first, then count.",
                lambda r: house_counts(HOUSE_N)[1] + house_counts(HOUSE_N)[2]),
        Mistake(answer_is(lambda: house_counts(HOUSE_N)[1]),
                "that is the house without its door: add the door's stroke.",
                lambda r: house_counts(HOUSE_N)[1]),
        Mistake(answer_is(lambda: house_counts(64)[0]), "that is the count at n = 64; the exercise asks for n = 256.",
                lambda r: house_counts(64)[0]),
    )))

register(Checker(
    "09.3", answers.whole_number, lambda: guarantees.harper_radius(HARPER_N, HARPER_SHARE), equal,
    hint="evaluate bounds.harper_bound(N, t) for t = 0, 1, 2, ... with N = n * n entries (it accepts a NumPy "
         "array of t) and take the first t where it is at most 0.01.",
    mistakes=(
        Mistake(answer_is(lambda: guarantees.harper_radius(HARPER_N, HARPER_SHARE) - 1),
                "that is the last t at which the bound is still above 1%; the first t at which it is at most 1% "
                "is asked for.",
                lambda r: r - 1),
        Mistake(answer_is(lambda: guarantees.harper_radius(math.isqrt(HARPER_N), HARPER_SHARE)),
                "N is the number of entries of the image, n * n = 4096 for a binary 64x64 image, not n.",
                lambda r: guarantees.harper_radius(math.isqrt(HARPER_N), HARPER_SHARE)),
        Mistake(answer_is(lambda: guarantees.harper_radius(HARPER_N, 0.05)),
                "that radius caps the robust share at 5%; the exercise asks for 1%.",
                lambda r: guarantees.harper_radius(HARPER_N, 0.05)),
    )))

register_quiz("09", [
    # the right answers sit in varied positions: B, C, A, C
    Question("A line drawing of a fixed shape is drawn with a one-pixel pen at resolution $n$. How does the number "
             "of pixels it covers grow with $n$?", (
                 Choice("Like a constant times n squared: a fixed share of the image", False,
                        "that would be a filled region; a stroke has width one pixel at every resolution, so only "
                        "its length, about a constant times n pixels, grows."),
                 Choice("Like a constant times n: the length of the curve in pixels", True,
                        "a curve of fixed shape is about n pixels long at resolution n, and a one-pixel pen covers "
                        "a bounded number of pixels per pixel of length (Proposition 9.1, proved in exercise 4: at "
                        "most 4 per pixel of length). So its share of the n*n image falls like 1/n."),
                 Choice("It stays the same: a drawing is a drawing", False,
                        "the pen is one pixel wide at every resolution, so a finer grid needs more pixels to trace "
                        "the same curve: 130 at n = 32, 1085 at n = 256 for the parachute."),
             )),
    Question("Along a shortest Hamming path from a binarised 4 to a binarised 9, the network's label changes "
             "somewhere. What does this show about the theorem?", (
                 Choice("It confirms that most images are within O(n) changes of another class", False,
                        "the theorem is about most images of the whole space under the uniform measure; one path "
                        "between two real digits tests nothing about that. The flip is forced by the endpoints."),
                 Choice("It shows that the network sees digits the way people do", False,
                        "where each of you flips depends on the classifier and on the order of the changes; the "
                        "experiment compares two flip points, it does not show that the percepts agree."),
                 Choice("Nothing: every classifier that labels the two ends differently must change label on the "
                        "path", True,
                        "the path starts in one class and ends in another, so some step leaves the first class. "
                        "This is true by construction, for you, the network and any classifier."),
             )),
    Question("Why does the theorem say something about human vision at all?", (
                 Choice("It holds for every labelling of all images, and a person's forced answers are one", True,
                        "the theorem does not care what the classifier is. As long as a person must give one of "
                        "the labels to every image, their answers define a labelling, and the theorem applies."),
                 Choice("Because experiments showed that people are fooled by imperceptible perturbations", False,
                        "the theorem needs no experiment, and the experiments did not show that: Elsayed et al. "
                        "found modest effects under time-limited viewing, with perturbations that were visible."),
                 Choice("Because the visual cortex is a neural network like the CNN of the lesson", False,
                        "the theorem applies to any function from images to labels, whatever computes it; the "
                        "analogy with networks plays no role."),
             )),
    Question("What did Zhou & Firestone (2019) find?", (
                 Choice("People saw fooling images as the objects the network named", False,
                        "participants were asked which label a machine had given, not what they saw; predicting "
                        "the machine's answer does not mean sharing its percept."),
                 Choice("Robustified networks changed people's percepts at small l2 norms", False,
                        "that is Gaziv et al. (2023), with perturbations computed on adversarially trained "
                        "networks."),
                 Choice("People could often pick the label a network gave to a fooling image, above chance", True,
                        "their participants chose the machine's label among alternatives well above chance: people "
                        "can predict a network's reading; that is not the same as seeing the image that way."),
             )),
])
