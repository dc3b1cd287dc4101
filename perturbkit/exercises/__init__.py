"""Exercises of the course: instant feedback for compute exercises and a self-check quiz per lesson.

In a lesson::

    from perturbkit.exercises import check
    check("03.2", my_answer)      # prints "Exercise 03.2: correct." or a hint; never the solution

The checkers and quiz questions of lesson LL live in ``lessonLL.py``; they are loaded on first use.
"""

from __future__ import annotations

from .answers import AnswerFormError
from .checker import CHECKERS, Checker, Mistake, Verdict, check, verdict
from .quiz import QUIZZES, Choice, Question, feedback, quiz_questions
from .registry import load_lessons as _load

__all__ = ["check", "verdict", "Verdict", "Checker", "Mistake", "CHECKERS", "AnswerFormError",
           "Question", "Choice", "feedback", "quiz_questions", "QUIZZES"]


def _load_all() -> None:
    """Import every lesson module (for listings and tests)."""
    _load()
