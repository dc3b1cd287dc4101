"""Checkers for the compute exercises: the student passes an answer and gets a verdict, never the solution.

Each compute exercise registers one :class:`Checker` under its id ``"LL.N"`` (lesson LL, exercise N). A checker
reads the answer with one of the readers in :mod:`perturbkit.exercises.answers` (so numbers, NumPy arrays and torch
tensors on any device are all accepted), computes the reference answer with perturbkit itself, compares the two with
the exercise's tolerance and, if they differ, gives the hint of the first typical mistake that matches, else a
general hint. ``check(id, answer)`` prints the verdict; ``verdict(id, answer)`` returns it (for tests and widgets).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from .answers import AnswerFormError
from .registry import load_lessons


def close(rel: float = 1e-6, abs: float = 1e-9) -> Callable[[Any, Any], bool]:
    """Compare numbers or arrays elementwise within a relative and an absolute tolerance (infinities must match)."""
    def same(answer, reference) -> bool:
        a, r = np.asarray(answer, dtype=np.float64), np.asarray(reference, dtype=np.float64)
        return a.shape == r.shape and bool(np.all(np.isclose(a, r, rtol=rel, atol=abs)))
    return same


def equal(answer, reference) -> bool:
    """Exact comparison (integers, sets, text); arrays must agree entry by entry."""
    if isinstance(reference, np.ndarray):
        return bool(np.array_equal(np.asarray(answer), reference))
    return answer == reference


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer, recognised by ``matches(answer, reference)``, and the hint it deserves.

    ``example(reference)`` builds an answer that makes this mistake; the tests feed it to the checker.
    """

    matches: Callable[[Any, Any], bool]
    hint: str
    example: Callable[[Any], Any]


@dataclass(frozen=True)
class Verdict:
    exercise: str
    correct: bool
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(eq=False)
class Checker:
    """One compute exercise: how to read the answer, how to solve it, how to compare, and hints for mistakes.

    ``read`` turns the raw answer into a plain value or raises ``AnswerFormError``; ``solve`` computes the
    reference with perturbkit (once, on the CPU, cached); ``same`` compares; ``mistakes`` are tried in order
    when the answer is wrong; ``hint`` is the general hint. ``wrong_examples`` are further wrong answers for the tests.
    """

    exercise: str
    read: Callable[[Any], Any]
    solve: Callable[[], Any]
    same: Callable[[Any, Any], bool] = equal
    hint: str = "check your computation against the definitions in this lesson."
    mistakes: tuple[Mistake, ...] = ()
    wrong_examples: tuple[Any, ...] = field(default_factory=tuple)

    @cached_property
    def reference(self) -> Any:
        return self.solve()

    def verdict(self, answer) -> Verdict:
        try:
            value = self.read(answer)
        except AnswerFormError as e:
            return Verdict(self.exercise, False, f"Exercise {self.exercise}: {e}.")
        if self.same(value, self.reference):
            return Verdict(self.exercise, True, f"Exercise {self.exercise}: correct.")
        for m in self.mistakes:
            try:
                hit = m.matches(value, self.reference)
            except (TypeError, ValueError):
                hit = False
            if hit:
                return Verdict(self.exercise, False, f"Exercise {self.exercise}: not yet. Hint: {m.hint}")
        return Verdict(self.exercise, False, f"Exercise {self.exercise}: not yet. Hint: {self.hint}")


CHECKERS: dict[str, Checker] = {}


def answer_is(value_of: Callable[[], Any]) -> Callable[[Any, Any], bool]:
    """A :class:`Mistake`'s test: the answer equals the wrong value ``value_of()`` (computed when a wrong answer is
    checked), and that value is not the reference itself (a mistake that coincides with the answer is no mistake)."""
    return lambda a, r: a == value_of() and value_of() != r


def register(checker: Checker) -> Checker:
    """Add a checker to the registry (each exercise id once)."""
    if checker.exercise in CHECKERS:
        raise ValueError(f"exercise {checker.exercise!r} already has a checker")
    CHECKERS[checker.exercise] = checker
    return checker


def _checker(exercise) -> Checker:
    if isinstance(exercise, str):
        load_lessons(exercise.partition(".")[0])
    if not isinstance(exercise, str) or exercise not in CHECKERS:
        load_lessons()  # the message lists every exercise
        known = ", ".join(sorted(CHECKERS))
        raise ValueError(f"exercise must be the id of a compute exercise such as '03.2'; got {exercise!r}; "
                         f"known: {known}")
    return CHECKERS[exercise]


def verdict(exercise: str, answer) -> Verdict:
    """The verdict on ``answer`` for compute exercise ``exercise`` ("LL.N"), without printing."""
    return _checker(exercise).verdict(answer)


def check(exercise: str, answer) -> None:
    """Print whether ``answer`` solves compute exercise ``exercise`` ("LL.N"); a hint if not. Never the solution."""
    print(verdict(exercise, answer).message)
