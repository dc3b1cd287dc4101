"""The self-check quiz at the end of each lesson: per question, its choices lettered A, B, ... and one toggle button
per letter; picking one shows the feedback for that choice.

The choices are listed as wrapped text and the buttons carry only their letters, so that long choices never overlap
(and stay readable on a narrow screen). The feedback text comes from :func:`perturbkit.exercises.feedback` (tested);
the widget only lays it out.
"""

from __future__ import annotations

import html
import string
import textwrap

import ipywidgets as W

from ..exercises.quiz import Question, feedback, quiz_questions
from .live import LiveView


def _question_view(number: int, q: Question) -> W.VBox:
    letters = string.ascii_uppercase[:len(q.choices)]
    listed = "".join(f"<div style='margin-left:1.5em'><b>{a}.</b> {html.escape(c.text)}</div>"
                     for a, c in zip(letters, q.choices))
    prompt = W.HTMLMath(f"<b>Question {number}.</b> {q.prompt}{listed}")
    pick = W.ToggleButtons(options=[(a, i) for i, a in enumerate(letters)], value=None, description="answer",
                           style={"button_width": "3em"})

    def view(answer):
        return textwrap.fill(feedback(q, answer), 100) or "(pick an answer)", None
    return W.VBox([prompt, LiveView(view, {"answer": pick}, per_row=1)])


def quiz(lesson: str) -> W.VBox:
    """The self-check quiz of ``lesson`` ("00" to "10") as a widget."""
    questions = quiz_questions(lesson)
    title = W.HTML(f"<b>Self-check: {len(questions)} questions.</b> Pick an answer to see why it is right or wrong.")
    return W.VBox([title] + [_question_view(i + 1, q) for i, q in enumerate(questions)])
