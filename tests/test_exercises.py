"""Exercises: every lesson has 4-6 graded exercises with hidden solutions in nbgrader form and a self-check quiz;
every compute exercise has a checker that accepts its reference answer in every form and rejects wrong ones with a
hint, never showing the solution; bad answers get a message, never a traceback."""

from __future__ import annotations

import html
import math
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
import torch

from perturbkit import exercises
from perturbkit.exercises import CHECKERS, AnswerFormError, answers, check, feedback, quiz_questions, verdict
from perturbkit.exercises.checker import Checker, Mistake, close

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "lessons").glob("*.ipynb"))
HEADING = re.compile(r"^### Exercise (\d+) \((check|compute|prove|explore)\)\s*$", re.M)
KINDS = ("check", "compute", "prove", "explore")
exercises._load_all()


def lesson_id(path: Path) -> str:
    return path.name[:2]


def exercise_blocks(nb) -> list[tuple[int, str, list]]:
    """(number, kind, cells) for each exercise: its heading cell and the cells up to the next heading or section."""
    blocks = []
    for cell in nb.cells:
        m = HEADING.search(cell.source) if cell.cell_type == "markdown" else None
        if m:
            blocks.append((int(m.group(1)), m.group(2), [cell]))
        elif blocks and cell.cell_type == "markdown" and re.match(r"^#{1,2} ", cell.source):
            blocks.append((None, None, []))  # a new section ends the exercises
        elif blocks and blocks[-1][0] is not None:
            blocks[-1][2].append(cell)
    return [b for b in blocks if b[0] is not None]


def words(markdown: str) -> int:
    text = re.sub(r"<[^>]+>|\$[^$]*\$|BEGIN SOLUTION|END SOLUTION|#", " ", markdown)
    return len(re.findall(r"[A-Za-z]{2,}", text))


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_has_graded_exercises_with_hidden_solutions(path):
    nb = nbformat.read(path, as_version=4)
    blocks = exercise_blocks(nb)
    assert 4 <= len(blocks) <= 6, f"{path.name}: {len(blocks)} exercises, want 4-6"
    assert [b[0] for b in blocks] == list(range(1, len(blocks) + 1)), f"{path.name}: exercises not numbered 1..k"
    assert any(kind == "prove" for _, kind, _ in blocks), f"{path.name}: no prove exercise"
    lesson = lesson_id(path)
    for number, kind, cells in blocks:
        where = f"{path.name} exercise {number}"
        solutions = [c for c in cells if "solution" in c.metadata.get("tags", [])]
        written = [c for c in solutions if c.cell_type == "markdown"]
        assert written, f"{where}: no solution in words"
        assert sum(words(c.source) for c in written) >= 25, f"{where}: the solution says too little in words"
        for c in solutions:
            assert "### BEGIN SOLUTION" in c.source and "### END SOLUTION" in c.source, f"{where}: no nbgrader markers"
            assert c.metadata.get("nbgrader", {}).get("solution") is True, f"{where}: no nbgrader solution metadata"
            if c.cell_type == "markdown":
                assert "<details>" in c.source, f"{where}: a written solution must be collapsed in <details>"
                # nbgrader accepts a written solution only as a manually graded answer
                assert c.metadata["nbgrader"].get("grade") is True and c.metadata["nbgrader"].get("points", 0) > 0
            else:
                assert c.metadata.get("jupyter") == {"source_hidden": True, "outputs_hidden": True}, \
                    f"{where}: a code solution must hide its code and its output"
                assert "hide-cell" in c.metadata.get("tags", []), f"{where}: the book must hide it too (hide-cell)"
        if kind == "compute":
            ex = f"{lesson}.{number}"
            assert ex in CHECKERS, f"{where}: compute exercise without a checker {ex!r}"
            assert any(f'check("{ex}"' in c.source for c in solutions if c.cell_type == "code"), \
                f"{where}: the solution code does not call check({ex!r}, ...)"
    for ex in CHECKERS:
        if ex.startswith(lesson + "."):
            assert any(f"{lesson}.{n}" == ex and k == "compute" for n, k, _ in blocks), f"checker {ex}: no exercise"
    assert any(f'quiz("{lesson}")' in c.source for c in nb.cells if c.cell_type == "code"), f"{path.name}: no quiz"
    assert 3 <= len(quiz_questions(lesson)) <= 5


def _forms(value):
    """The reference answer in the forms a student may hold it in."""
    forms = [value]
    if isinstance(value, (int, float, np.ndarray)) and not isinstance(value, bool):
        forms += [np.asarray(value), torch.as_tensor(np.asarray(value, dtype=np.float64))]
    if isinstance(value, int):
        forms += [float(value), np.int64(value)]
    if isinstance(value, frozenset):
        forms += [sorted(value, reverse=True), torch.tensor(sorted(value))]
    return forms


@pytest.mark.parametrize("ex", sorted(CHECKERS))
def test_checker_accepts_every_form_of_the_reference(ex, capsys):
    ref = CHECKERS[ex].reference
    for form in _forms(ref):
        v = verdict(ex, form)
        assert v.correct, f"{ex}: rejected the reference in the form {type(form).__name__}: {v.message}"
    check(ex, ref)
    assert capsys.readouterr().out == f"Exercise {ex}: correct.\n"


def _shown(ref) -> list[str]:
    if isinstance(ref, (int, float)) and not isinstance(ref, bool) and math.isfinite(ref) and abs(ref) >= 10:
        return [str(ref), f"{ref:g}", f"{ref:,}"]
    return []


@pytest.mark.parametrize("ex", sorted(CHECKERS))
def test_checker_rejects_wrong_answers_with_a_hint_and_never_the_solution(ex):
    c = CHECKERS[ex]
    ref = c.reference
    wrong = [m.example(ref) for m in c.mistakes] + list(c.wrong_examples)
    assert len(wrong) >= 2, f"{ex}: give at least two typical wrong answers"
    for m in c.mistakes:
        v = verdict(ex, m.example(ref))
        assert not v.correct and m.hint in v.message, f"{ex}: the mistake's hint is not given: {v.message}"
    for w in wrong:
        v = verdict(ex, w)
        assert not v.correct, f"{ex}: accepted the wrong answer {w!r}"
        assert "Hint:" in v.message
        for s in _shown(ref):
            assert s not in v.message, f"{ex}: the message shows the solution"


@pytest.mark.parametrize("ex", sorted(CHECKERS))
@pytest.mark.parametrize("bad", ["twelve", None, ..., float("nan"), {"a": 1}, torch.ones(2, 3, 4)],
                         ids=["string", "None", "ellipsis", "nan", "dict", "tensor3d"])
def test_checker_explains_malformed_answers(ex, bad):
    v = verdict(ex, bad)
    assert not v.correct and v.message.startswith(f"Exercise {ex}: ") and "Hint" not in v.message


def test_readers():
    assert answers.number(torch.tensor([2.5])) == 2.5 and answers.whole_number(np.float32(3.0)) == 3
    assert answers.whole_number_set(torch.tensor([3, 1, 3])) == frozenset({1, 3})
    assert answers.vector([[1, 2, 3]], 3).tolist() == [1, 2, 3]
    assert answers.choice(" Yes ", ("yes", "no")) == "yes"
    for bad, reader, msg in [("3", answers.number, "not text"), (True, answers.number, "boolean"),
                             (2.5, answers.whole_number, "whole number"), ([1, 2], answers.number, "single"),
                             (..., answers.number, "no answer yet"), (float("nan"), answers.number, "NaN"),
                             (5, answers.vector, "single number"), ([1.5], answers.whole_number_set, "whole")]:
        with pytest.raises(AnswerFormError, match=msg):
            reader(bad)
    with pytest.raises(AnswerFormError, match="got 2 numbers; expected 3 numbers"):
        answers.vector([1, 2], 3)


def test_a_checker_end_to_end():
    c = Checker("99.1", answers.number, lambda: math.pi, close(rel=1e-3),
                hint="use more digits.", mistakes=(Mistake(lambda a, r: abs(a - 3) < 1e-9, "not the integer part.",
                                                           lambda r: 3),))
    assert c.verdict(3.1416).correct and not c.verdict(3.2).correct
    assert c.verdict(3).message == "Exercise 99.1: not yet. Hint: not the integer part."
    assert c.verdict(3.3).message == "Exercise 99.1: not yet. Hint: use more digits."
    assert "no answer yet" in c.verdict(...).message


def test_unknown_exercise_is_named():
    with pytest.raises(ValueError, match="exercise must be the id"):
        verdict("99.9", 1)


@pytest.mark.gpu
@pytest.mark.parametrize("ex", sorted(CHECKERS))
def test_checker_accepts_cuda_tensors(ex):
    ref = CHECKERS[ex].reference
    if isinstance(ref, (int, float, np.ndarray)) and not isinstance(ref, bool):
        assert verdict(ex, torch.as_tensor(np.asarray(ref, dtype=np.float64), device="cuda")).correct


@pytest.mark.parametrize("lesson", [p.name[:2] for p in LESSONS])
def test_quiz_gives_feedback_for_every_choice(lesson):
    for q in quiz_questions(lesson):
        assert feedback(q, None) == ""
        texts = [feedback(q, i) for i in range(len(q.choices))]
        assert sum(t.startswith("Correct.") for t in texts) == 1
        assert all(len(t) > len("Not quite. ") + 10 for t in texts)
    with pytest.raises(ValueError, match="index"):
        feedback(quiz_questions(lesson)[0], 99)


@pytest.mark.parametrize("lesson", [p.name[:2] for p in LESSONS])
def test_quiz_right_answers_sit_in_varied_positions(lesson):
    # a student who always picks the same letter must not pass: at most half of a lesson's right answers share a
    # position (the stored order is the order shown, in the widget and in the book)
    positions = [next(i for i, c in enumerate(q.choices) if c.correct) for q in quiz_questions(lesson)]
    most = max(positions.count(i) for i in set(positions))
    assert 2 * most <= len(positions), f"quiz {lesson}: right answers at positions {positions}"


def test_quiz_widget_shows_feedback_on_a_pick():
    from perturbkit.widgets.quiz import quiz
    lesson = LESSONS[0].name[:2]
    w = quiz(lesson)
    first = w.children[1]                 # question 1: prompt, then the live view
    live = first.children[1]
    radio = next(iter(live.controls.values()))
    assert "pick an answer" in live.text.value
    # every choice in turn: the verdict matches the choice's own flag, and its explanation is shown (wrapped)
    question = quiz_questions(lesson)[0]
    assert any(c.correct for c in question.choices) and not all(c.correct for c in question.choices)
    for i, choice in enumerate(question.choices):
        radio.value = i
        shown = " ".join(html.unescape(live.text.value).split())
        verdict_shown = ("Correct." in shown, "Not quite." in shown)
        assert verdict_shown == ((True, False) if choice.correct else (False, True)), (i, shown)
        assert " ".join(choice.why.split())[1:].rstrip(".") in shown  # [1:]: the first letter is capitalised


def test_readme_table_counts_each_lessons_exercises_by_kind():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    readme = readme[readme.index("<!-- exercise-table:start -->"):readme.index("<!-- exercise-table:end -->")]
    for path in LESSONS:
        kinds = [k for _, k, _ in exercise_blocks(nbformat.read(path, as_version=4))]
        row = re.search(rf"^\| \[{lesson_id(path)}\]\(lessons/{re.escape(path.name)}\) \|.*$", readme, re.M)
        assert row, f"README: no row for {path.name} in the teachers' table"
        cells = [c.strip() for c in row.group(0).strip("|").split("|")]
        assert cells[3:] == [str(kinds.count(k)) for k in KINDS] + [str(len(kinds))], f"README row of {path.name}"
