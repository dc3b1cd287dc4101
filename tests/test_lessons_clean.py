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


def _display_blocks_glued(markdown: str) -> list[str]:
    """The $$-displays of a markdown cell that touch a line of text above or below them.

    The book's MyST parser reads a display glued to a paragraph as inline math and leaves raw TeX on the page
    (Jupyter's renderer does not mind, so only the book shows it); a `>` prefix is part of the block's margin.
    """
    lines = markdown.split("\n")
    body = [line.lstrip("> ").strip() if line.lstrip().startswith(">") else line.strip() for line in lines]
    glued, i = [], 0
    while i < len(lines):
        if not body[i].startswith("$$"):
            i += 1
            continue
        j = i
        if body[i] == "$$" or not body[i].endswith("$$") or len(body[i]) < 4:
            j = i + 1
            while j < len(lines) and not body[j].endswith("$$"):
                j += 1
        if (i > 0 and body[i - 1]) or (j + 1 < len(lines) and body[j + 1]):
            glued.append(lines[i].strip()[:60])
        i = j + 1
    return glued


def test_glued_display_is_found():
    assert _display_blocks_glued("text\n$$x$$\n\nmore") == ["$$x$$"]
    assert _display_blocks_glued("> text\n>\n> $$x\n> = y$$\n> more") == ["> $$x"]
    assert _display_blocks_glued("text\n\n$$x$$\n\nmore") == []
    assert _display_blocks_glued("> a\n>\n>    $$x\n>    y$$\n>\n> b") == []


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_display_math_stands_in_its_own_block(path):
    nb = json.loads(path.read_text())
    glued = [(k, g) for k, c in enumerate(nb["cells"]) if c["cell_type"] == "markdown"
             for g in _display_blocks_glued("".join(c["source"]))]
    assert not glued, f"{path.name}: $$-displays glued to text (blank line needed before and after): {glued}"
