"""Exercises of the course: instant feedback for compute exercises and a self-check quiz per lesson.

In a lesson::

    from perturbkit.exercises import check
    check("03.2", my_answer)      # prints "Exercise 03.2: correct." or a hint; never the solution

The checkers and quiz questions of lesson LL live in ``lessonLL.py``; they are loaded on first use.
"""

from __future__ import annotations

import importlib
import pkgutil

from .answers import AnswerFormError
from .checker import CHECKERS, Checker, Mistake, Verdict, check, verdict
from .quiz import QUIZZES, Choice, Question, feedback, quiz_questions

__all__ = ["check", "verdict", "Verdict", "Checker", "Mistake", "CHECKERS", "AnswerFormError",
           "Question", "Choice", "feedback", "quiz_questions", "QUIZZES"]


def _load(lesson: str | None = None) -> None:
    """Import lessonLL (which registers its checkers and quiz), or every lesson module when ``lesson`` is None.
    Loading one lesson's module only keeps a lesson's first ``check`` quick."""
    for m in pkgutil.iter_modules(__path__):
        if m.name.startswith("lesson") and (lesson is None or m.name == f"lesson{lesson}"):
            importlib.import_module(f"{__name__}.{m.name}")


def _load_all() -> None:
    """Import every lesson module (for listings and tests)."""
    _load()
