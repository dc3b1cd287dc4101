"""Lesson 03 (the Hamming graph and isoperimetry): checkers for the compute exercises and the self-check quiz.

03.2: the size of a Hamming ball with more than two levels, |B(x, 2)| in H(9, 3).
03.3: the 2-neighbourhood of a subcube of 4,096 images in the 4x4 graph (to compare with the simplicial segment).
Every reference is computed with perturbkit (``hamming.ball_size``, ``hamming.families``, ``hamming.neighbourhood``).
"""

from __future__ import annotations

from ..spaces import ImageSpace
from . import answers
from .checker import Checker, Mistake, equal, register
from .quiz import Choice, Question, register_quiz


def _ball_h93() -> int:
    from ..hamming import ball_size
    return ball_size(9, 2, levels=3)


def _ball_terms(L: int) -> list[int]:
    """The three terms C(9, i) * (L - 1)**i, i = 0, 1, 2, of the ball size with L levels."""
    from math import comb
    return [comb(9, i) * (L - 1) ** i for i in range(3)]


register(Checker(
    "03.2", answers.whole_number, _ball_h93, equal,
    hint="choose which i <= 2 of the 9 entries change, then a new value for each: how many new values does one "
         "changed entry have with 3 levels?",
    mistakes=(
        Mistake(lambda a, r: a == sum(_ball_terms(2)),
                "that is the binary ball: with 3 levels a changed entry can take either of the 2 other levels, so "
                "the i-th term carries a factor (L-1)^i.", lambda r: sum(_ball_terms(2))),
        Mistake(lambda a, r: a == sum(_ball_terms(4)),
                "a changed entry must take a value different from its own: L-1 choices, not L.",
                lambda r: sum(_ball_terms(4))),
        Mistake(lambda a, r: a == r - 1, "the ball contains its centre (i = 0 changed entries).", lambda r: r - 1),
        Mistake(lambda a, r: a == _ball_terms(3)[2],
                "that counts only the images at distance exactly 2; the ball holds everything at distance <= 2.",
                lambda r: _ball_terms(3)[2]),
    ),
))


def _subcube_grown(t: int) -> int:
    from ..hamming import families, neighbourhood
    space = ImageSpace(4)
    cube = families(space, 4096)["subcube"]
    return int(neighbourhood(cube, space, t).sum())


register(Checker(
    "03.3", answers.whole_number, lambda: _subcube_grown(2), equal,
    hint="an image is within 2 changes of the subcube when at most 2 of the 4 fixed pixels are white; the other 12 "
         "pixels are free.",
    mistakes=(
        Mistake(lambda a, r: a == _subcube_grown(1), "that is the 1-neighbourhood; the exercise asks for t = 2.",
                lambda r: _subcube_grown(1)),
        Mistake(lambda a, r: a == 4096 * 6,
                "you counted only the images exactly 2 changes away; the neighbourhood also holds the subcube itself "
                "and the images 1 change away.", lambda r: 4096 * 6),
        Mistake(lambda a, r: a == r // 4096, "count images of the 4x4 space, not patterns of the 4 fixed pixels: "
                "each pattern comes with every setting of the 12 free pixels.", lambda r: r // 4096),
    ),
))


register_quiz("03", [
    Question(
        "In the Hamming graph $H(N, L)$, what is the length of a shortest path between two images $x$ and $y$?",
        (Choice("The l1 distance sum |x_i - y_i|", False,
                "an edge may change an entry by any amount, not by one level, so the size of a change is not "
                "counted; l1 would be the graph distance of the grid where only one-level steps are edges."),
         Choice("The l2 distance between x and y", False,
                "path lengths in a graph are whole numbers of edges; the graph only sees which entries changed."),
         Choice("The number of entries in which x and y differ, d_0(x, y)", True,
                "each edge changes one entry by any amount, so a path needs one step per differing entry and no more "
                "(Proposition 3.2)."),
         Choice("(L - 1) times the number of differing entries", False,
                "one edge already changes an entry to any other level, so a changed entry costs one step "
                "whatever L is."))),
    Question(
        "Among all sets of 1000 binary 4x4 images, which one has the smallest 1-neighbourhood?",
        (Choice("Any Hamming ball around the all-black image, whatever order fills its last layer", False,
                "at size 1000 the last layer is partly filled, and the lesson's table shows the ball filled in index "
                "order growing faster: the filling order matters."),
         Choice("The first 1000 images of the simplicial order", True,
                "Harper's theorem: an initial segment of the simplicial order grows slowest; the lesson's table "
                "shows it beating every other shape at size 1000."),
         Choice("A subcube", False,
                "a subcube grows fast: each of its fixed entries can be changed, and the table shows it among the "
                "largest neighbourhoods."),
         Choice("A random set", False,
                "a random set is spread over the whole graph, so almost every image is next to one of its members: "
                "it grows fastest."))),
    Question(
        "The core lemma 3.6 says $B(C(t), t) \\subseteq C$. Why does it hold?",
        (Choice("Because C is a Hamming ball", False,
                "the lemma holds for every classifier and every class, whatever its shape; balls only enter through "
                "Harper's theorem."),
         Choice("Because the class holds at most half of the space", False,
                "the lemma needs no size condition; the size of the class enters only in the bounds built on it."),
         Choice("Because of Harper's theorem", False,
                "the lemma is pure definition-chasing; Harper's theorem is the second ingredient of the bounds, "
                "not of the lemma."),
         Choice("An image within t changes of a core image can not have another label, or that core image would "
                "have robustness at most t", True,
                "that is the whole proof: the core's images need more than t changes to leave C."))),
    Question(
        "What does the concentration bound, Theorem 3.9, bound, and for which images?",
        (Choice("The share of the whole space in a class's robust core, for any number of levels", True,
                "it bounds mu(C(t)) with mu uniform on V, and McDiarmid's inequality needs no extremal sets, so it "
                "holds for every L; for a class smaller than the bound it says nothing."),
         Choice("The share of the class in its robust core, for binary images only", False,
                "that is Theorem 3.7 (Harper's bound); Theorem 3.9 bounds a share of the whole space and works for "
                "every L."),
         Choice("The robustness of each single image", False,
                "it is a statement about how many images are robust, not about any particular one: a few images may "
                "be very robust."),
         Choice("The share of the space in every class, even one larger than half of the space", False,
                "the class must fill at most half of the space; a larger class may stay robust."))),
    Question(
        "For 8-bit images ($L = 256$) with $N$ entries, what does Theorem 3.10 guarantee for a class $C$ of at most "
        "half the space?",
        (Choice("Nothing: Harper's theorem is about binary images only", False,
                "the bit map reads each level as 8 bits, so the images are the vertices of a cube of dimension 8N, "
                "and a changed bit changes at most one entry: Harper's theorem applies there."),
         Choice("Only a share of the whole space, as Theorem 3.9 does", False,
                "Theorem 3.10 bounds |C(t)| / |C|, a share of the class itself, for classes of any size; that is "
                "what Theorem 3.9 could not do."),
         Choice("At most beta_{8N}(t) of C stays robust at t changed entries: the binary bound of a cube with 8N "
                "coordinates", True,
                "Lemma 3.11 carries the core and the class into the cube Q_{8N} with their sizes, and Theorem 3.7's "
                "proof applies there; the bound needs about sqrt(8) times more changed entries for the same share "
                "(whether 8-bit classes really need more than binary ones is open)."),
         Choice("The binary bound beta_N(t) with the same N, since an entry changes at most once", False,
                "the cube in which Harper's theorem is used has 8N coordinates, not N; the bound is beta_{8N}(t), "
                "which needs about sqrt(8) times the binary radius."))),
])
