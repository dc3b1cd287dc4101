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

_loaded = False


def _load_all() -> None:
    """Import every lessonLL module once, which registers its checkers and quiz."""
    global _loaded
    if not _loaded:
        _loaded = True
        for m in sorted(pkgutil.iter_modules(__path__)):
            if m.name.startswith("lesson"):
                importlib.import_module(f"{__name__}.{m.name}")
