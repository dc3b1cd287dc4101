"""Self-check quizzes: multiple-choice questions whose every choice carries its own explanation.

A question is a prompt and its choices; exactly one choice is correct. Choosing shows the choice's explanation: why
it is right, or what misunderstanding leads to it. The widget that shows a quiz is ``perturbkit.widgets.quiz``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .registry import load_lessons


@dataclass(frozen=True)
class Choice:
    text: str   # plain text (shown on a radio button: no LaTeX)
    correct: bool
    why: str    # shown after this choice is picked: the reason it is right, or the misunderstanding behind it


@dataclass(frozen=True)
class Question:
    prompt: str                 # may contain $...$ maths
    choices: tuple[Choice, ...]

    def __post_init__(self):
        if not isinstance(self.prompt, str):
            raise TypeError(f"prompt must be a str, got {type(self.prompt).__name__}")
        if isinstance(self.choices, (str, bytes)) or not isinstance(self.choices, (tuple, list)) or \
                not all(isinstance(c, Choice) for c in self.choices):
            raise TypeError(f"choices must be a tuple of Choice, got {self.choices!r:.80}")
        if sum(c.correct for c in self.choices) != 1:
            raise ValueError(f"a question needs exactly one correct choice: {self.prompt!r}")
        if len(self.choices) < 2 or any(not c.why.strip() for c in self.choices):
            raise ValueError(f"a question needs at least two choices, each with an explanation: {self.prompt!r}")


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def feedback(question: Question, index: int | None) -> str:
    """The text shown under ``question`` once choice ``index`` is picked ('' while nothing is picked)."""
    if not isinstance(question, Question):
        raise TypeError(f"question must be a Question (from quiz_questions), got {type(question).__name__}")
    if index is None:
        return ""
    if isinstance(index, bool) or not isinstance(index, int):
        raise TypeError(f"index must be None or a choice number in 0..{len(question.choices) - 1}, got {index!r} "
                        f"({type(index).__name__})")
    if not 0 <= index < len(question.choices):
        raise ValueError(f"index must be None or a choice number in 0..{len(question.choices) - 1}, got {index!r}")
    c = question.choices[index]
    return ("Correct. " if c.correct else "Not quite. ") + _sentence(c.why)


QUIZZES: dict[str, tuple[Question, ...]] = {}


def register_quiz(lesson: str, questions: list[Question]) -> tuple[Question, ...]:
    """Register the self-check quiz of ``lesson`` ("03")."""
    if lesson in QUIZZES:
        raise ValueError(f"lesson {lesson!r} already has a quiz")
    QUIZZES[lesson] = tuple(questions)
    return QUIZZES[lesson]


def quiz_questions(lesson: str) -> tuple[Question, ...]:
    """The quiz of ``lesson`` ("00" to "11")."""
    if not isinstance(lesson, str):
        load_lessons()  # the message lists every lesson
        raise TypeError(f"lesson must be a str, one of {sorted(QUIZZES)}, got {lesson!r:.60} "
                        f"({type(lesson).__name__})")
    load_lessons(lesson)
    if lesson not in QUIZZES:
        load_lessons()  # the message lists every lesson
        raise ValueError(f"lesson must be one of {sorted(QUIZZES)}, got {lesson!r}")
    return QUIZZES[lesson]


def quiz_html(lesson: str) -> str:
    """The quiz of ``lesson`` as static HTML for the book: each question, its lettered choices, and the answer with
    the reason for every choice folded in a ``<details>`` block."""
    import html
    import string
    parts = ["<div class='pk-quiz'><p><b>Self-check.</b> Choose an answer, then open <em>Answer</em>.</p>"]
    for number, q in enumerate(quiz_questions(lesson), start=1):
        letters = string.ascii_uppercase[:len(q.choices)]
        right = next(a for a, c in zip(letters, q.choices) if c.correct)
        # MathJax in the book typesets \(...\) inside elements of class "math", not $...$ in raw HTML
        prompt = re.sub(r"\$([^$]+)\$", r'<span class="math notranslate nohighlight">\\(\1\\)</span>',
                        html.escape(q.prompt, quote=False))
        parts.append(f"<p><b>Question {number}.</b> {prompt}</p><ol type='A'>"
                     + "".join(f"<li>{html.escape(c.text)}</li>" for c in q.choices) + "</ol>"
                     + f"<details><summary>Answer</summary><p><b>{right}.</b></p><ul>"
                     + "".join(f"<li><b>{a}:</b> {html.escape(_sentence(c.why))}</li>"
                               for a, c in zip(letters, q.choices))
                     + "</ul></details>")
    return "".join(parts) + "</div>"
