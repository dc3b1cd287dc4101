"""The course's results and which result uses which: the data behind lesson 00's theorem map.

Each entry of :data:`RESULTS` is a numbered statement that stands in a box in its lesson (a test holds the two in
step): its kind, number, a short name, whose it is ("ours" for the course's precise versions, "classical" for
published theorems quoted with a reference, "paper" for Dai and Gifford's informal statements) and the results its
proof uses (:data:`USES`).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Result", "RESULTS", "USES", "LITERATURE", "result", "lesson_of"]


@dataclass(frozen=True)
class Result:
    """One boxed statement: ``kind`` ("Theorem", "Lemma", ...), ``number`` ("3.7"), a short ``name`` and ``whose``
    ("ours", "classical" or "paper")."""

    kind: str
    number: str
    name: str
    whose: str

    @property
    def label(self) -> str:
        return f"{self.kind} {self.number}"


RESULTS: tuple[Result, ...] = (
    Result("Proposition", "3.2", "graph distance is d_0", "ours"),
    Result("Theorem", "3.4", "Harper: balls grow slowest (binary)", "classical"),
    Result("Lemma", "3.6", "core lemma: B(C(t), t) inside C", "ours"),
    Result("Theorem", "3.7", "class-relative bound, binary", "ours"),
    Result("Theorem", "3.8", "its Hoeffding form", "ours"),
    Result("Theorem", "3.9", "concentration, any L (share of space)", "ours"),
    Result("Theorem", "3.10", "class-relative bound, b bits", "ours"),
    Result("Lemma", "3.11", "the bit map", "ours"),
    Result("Corollary", "3.12", "p-norms at b bits", "ours"),
    Result("Theorem", "4.1", "the census's bound (= 3.7, 3.10)", "ours"),
    Result("Theorem", "5.1", "changed entries to p-norms", "ours"),
    Result("Proposition", "5.2", "sum classifier, continuous changes", "ours"),
    Result("Theorem", "6.1", "optimality of the rate", "paper"),
    Result("Theorem", "6.2", "the sum threshold reaches the rate", "ours"),
    Result("Theorem", "7.1", "more bits, less l2 robustness", "paper"),
    Result("Theorem", "7.2", "sum classifier's l2 robustness", "ours"),
    Result("Theorem", "7.3", "isoperimetry of the cube (l2)", "ours"),
    Result("Theorem", "7.4", "back to the lattice (l2)", "ours"),
    Result("Corollary", "7.5", "l-inf: Theta(1)", "ours"),
    Result("Corollary", "7.6", "share of the class, l2 and l-inf", "ours"),
    Result("Proposition", "8.1", "two images of different classes", "ours"),
    Result("Proposition", "9.1", "a drawing costs Theta(n) pixels", "ours"),
    Result("Theorem", "10.1", "l2 limit (= 7.4 reparametrised)", "ours"),
    Result("Proposition", "10.2", "what two images allow (contains 8.1)", "ours"),
    Result("Proposition", "11.7", "error-region growth", "ours"),
    Result("Theorem", "11.8", "Gaussian isoperimetry", "classical"),
    Result("Corollary", "11.9", "cube with a density bound", "ours"),
)

# lesson 11 paraphrases five related papers and the paper's own statement: boxed, numbered, but not the course's
# results and used by none of them, so they stay off the map
LITERATURE = ("11.2", "11.3", "11.4", "11.5", "11.6", "11.10")

# result -> the results its proof uses (classical tools without a box of their own, such as McDiarmid's and
# Hoeffding's inequalities or Berry-Esseen, are named in the lessons and left out here)
USES: dict[str, tuple[str, ...]] = {
    "3.7": ("3.4", "3.6"),
    "3.8": ("3.7",),
    "3.9": ("3.6",),
    "3.10": ("3.7", "3.11", "3.6"),
    "3.12": ("3.10",),
    "4.1": ("3.7", "3.10"),
    "6.1": ("6.2",),
    "7.1": ("7.2", "7.4"),
    "7.3": ("11.8",),
    "7.4": ("7.3",),
    "7.5": ("7.3", "7.4"),
    "7.6": ("7.3", "7.4"),
    "10.1": ("7.4",),
    "10.2": ("8.1",),
    "11.7": ("3.9",),
    "11.9": ("7.3",),
}


def result(number: str) -> Result:
    """The result numbered ``number`` ("3.7")."""
    for r in RESULTS:
        if r.number == number:
            return r
    raise ValueError(f"number must be one of {[r.number for r in RESULTS]}, got {number!r}")


def lesson_of(number: str) -> str:
    """The two-digit lesson that states result ``number``: "3.7" -> "03"."""
    return f"{int(result(number).number.split('.')[0]):02d}"
