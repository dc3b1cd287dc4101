"""Every lesson is committed from a clean top-to-bottom run, so nbval has stored outputs to compare."""

import json
from pathlib import Path

import pytest

LESSONS = sorted((Path(__file__).resolve().parent.parent / "lessons").glob("*.ipynb"))


def test_there_are_lessons():
    assert len(LESSONS) >= 2


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_committed_executed_in_order_without_errors(path):
    nb = json.loads(path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    counts = [c["execution_count"] for c in code]
    assert None not in counts, f"{path.name}: code cells without stored outputs"
    assert counts == list(range(1, len(code) + 1)), f"{path.name}: execution counts {counts} are not 1..k"
    errors = [o for c in code for o in c["outputs"] if o["output_type"] == "error"]
    assert not errors, f"{path.name}: stored error outputs"
    streams = [o for c in code for o in c["outputs"] if o["output_type"] == "stream" and o["name"] == "stderr"]
    assert not any("Traceback" in "".join(o["text"]) for o in streams), f"{path.name}: traceback in stderr"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_reads_like_a_lesson(path):
    nb = json.loads(path.read_text())
    md = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert md.lstrip().startswith("#"), f"{path.name}: first markdown cell should be the title"
    assert "What you will learn" in md or "what you will learn" in md.lower()
    assert "Summary" in md, f"{path.name}: no summary section"
