"""Lesson 00's theorem map against the lessons: every result on the map stands in a box in its lesson, every boxed
numbered result of the lessons is on the map (or is one of lesson 11's paraphrases), and the uses form no cycle."""

import json
import re
from pathlib import Path

import pytest
from matplotlib.patches import FancyBboxPatch

from perturbkit.plotting.theorems import _depth, theorem_map
from perturbkit.theorems import LITERATURE, RESULTS, USES, lesson_of, result

LESSONS = {p.name[:2]: p for p in (Path(__file__).resolve().parent.parent / "lessons").glob("*.ipynb")}
BOXED = re.compile(r"^> \*\*(Theorem|Lemma|Proposition|Corollary) (\d+\.\d+)\b", re.M)


def boxed(lesson: str) -> set[tuple[str, str]]:
    nb = json.loads(LESSONS[lesson].read_text())
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    # a result restated in another lesson keeps its own number: only the lesson's own numbers count
    return {(k, n) for k, n in BOXED.findall(text) if n.split(".")[0].lstrip("0") == lesson.lstrip("0")}


def test_every_result_on_the_map_is_boxed_in_its_lesson():
    for r in RESULTS:
        lesson = lesson_of(r.number)
        assert (r.kind, r.number) in boxed(lesson), f"{r.label} is not boxed in lesson {lesson}"


def test_every_boxed_result_is_on_the_map():
    on_map = {(r.kind, r.number) for r in RESULTS}
    for lesson in LESSONS:
        missing = {b for b in boxed(lesson) if b not in on_map and b[1] not in LITERATURE}
        assert not missing, f"lesson {lesson} boxes results that the theorem map lacks: {sorted(missing)}"


def test_uses_name_known_results_and_point_backwards():
    for target, sources in USES.items():
        result(target)
        for s in sources:
            result(s)
            assert _depth(s) < _depth(target)
    with pytest.raises(ValueError, match="number"):
        result("99.9")


def test_the_map_draws_one_box_per_result():
    fig = theorem_map()
    boxes = [p for p in fig.axes[0].patches if isinstance(p, FancyBboxPatch)]
    assert len(boxes) == len(RESULTS)
    from matplotlib.text import Annotation
    arrows = [t for t in fig.axes[0].texts if isinstance(t, Annotation)]
    assert len(arrows) == sum(len(s) for s in USES.values())
