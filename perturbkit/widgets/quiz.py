"""The self-check quiz at the end of each lesson: one radio-button group per question, with feedback on every pick.

The feedback text comes from :func:`perturbkit.exercises.feedback` (tested); the widget only lays it out.
"""

from __future__ import annotations

import textwrap

import ipywidgets as W

from ..exercises.quiz import Question, feedback, quiz_questions
from .live import LiveView


def _question_view(number: int, q: Question) -> W.VBox:
    prompt = W.HTMLMath(f"<b>Question {number}.</b> {q.prompt}")
    options = [(c.text, i) for i, c in enumerate(q.choices)]
    pick = W.RadioButtons(options=options, value=None, layout=W.Layout(width="auto"))

    def view(answer):
        return textwrap.fill(feedback(q, answer), 100) or "(pick an answer)", None
    return W.VBox([prompt, LiveView(view, {"answer": pick}, per_row=1)])


def quiz(lesson: str) -> W.VBox:
    """The self-check quiz of ``lesson`` ("00" to "10") as a widget."""
    questions = quiz_questions(lesson)
    title = W.HTML(f"<b>Self-check: {len(questions)} questions.</b> Pick an answer to see why it is right or wrong.")
    return W.VBox([title] + [_question_view(i + 1, q) for i, q in enumerate(questions)])
