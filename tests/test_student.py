"""The student version of the lessons (`make student`): no solution survives, everything else is kept, and every
student notebook runs top to bottom, where only the stubs left for the student may raise NotImplementedError.

The run of every notebook is long, so it happens only with STUDENT_CHECK=1 (`make test-student`)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "lessons").glob("*.ipynb"))
_spec = importlib.util.spec_from_file_location("student", ROOT / "tools" / "student.py")
student = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(student)


def solution_lines(nb) -> set[str]:
    """Distinctive lines of the solutions: inside a marked region and nowhere else in the lesson."""
    inside, outside = set(), set()
    for cell in nb.cells:
        lines = cell.source.splitlines()
        marked = {i for a, b in student.solution_regions(cell.source) for i in range(a, b + 1)}
        for i, line in enumerate(lines):
            (inside if i in marked else outside).add(line.strip())
    return {s for s in inside - outside if len(s) >= 8 and student.BEGIN not in s and student.END not in s}


def everything(nb) -> str:
    parts = []
    for cell in nb.cells:
        parts.append(cell.source)
        for out in cell.get("outputs", []):
            parts.append(str(out.get("text", "")) + str(out.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


def test_regions_are_found_and_unclosed_regions_rejected():
    src = "a = 1\n### BEGIN SOLUTION\nb = 2\n### END SOLUTION\nc = 3\n"
    assert student.solution_regions(src) == [(1, 3)]
    with pytest.raises(ValueError, match="never closed"):
        student.solution_regions("### BEGIN SOLUTION\nb = 2\n")
    with pytest.raises(ValueError, match="without"):
        student.solution_regions("### END SOLUTION\n")


def test_code_stub_keeps_indentation_and_the_lines_around():
    cell = nbformat.v4.new_code_cell("def f():\n    ### BEGIN SOLUTION\n    return 2\n    ### END SOLUTION\nprint(f())",
                                     metadata={"tags": ["solution", "hide-cell"], "jupyter": {"source_hidden": True}})
    cell.outputs = [nbformat.v4.new_output("stream", text="2\n")]
    student.strip_cell(cell)
    assert cell.source == "def f():\n    # YOUR CODE HERE\n    raise NotImplementedError()\nprint(f())"
    assert cell.outputs == [] and "jupyter" not in cell.metadata
    assert cell.metadata["tags"] == ["solution", "raises-exception"]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_no_solution_text_survives(path):
    nb = nbformat.read(path, as_version=4)
    secret = solution_lines(nb)
    out = student.student_version(nb)
    # whole lines: a solution line may be a prefix of a longer line outside the solutions (an import list)
    text = {line.strip() for line in everything(out).splitlines()}
    leaked = sorted(s for s in secret if s in text)
    assert not leaked, f"{path.name}: solution lines in the student version: {leaked[:5]}"
    assert len(out.cells) == len(nb.cells)
    # everything outside the solutions is kept
    for a, b in zip(nb.cells, out.cells):
        if not student.solution_regions(a.source):
            assert a.source == b.source
    # and the lesson on disk is untouched
    assert nbformat.read(path, as_version=4) == nb


@pytest.mark.skipif(os.environ.get("STUDENT_CHECK") != "1", reason="runs every student notebook; make test-student")
@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_student_notebook_runs(path, tmp_path):
    from nbclient import NotebookClient
    subprocess.run([sys.executable, str(ROOT / "tools" / "student.py"), str(tmp_path)], cwd=ROOT, check=True,
                   capture_output=True)
    nb = nbformat.read(tmp_path / path.name, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                assert out.ename == "NotImplementedError", f"{path.name} cell {i}: {out.ename}: {out.evalue}"
                assert "raises-exception" in cell.metadata.get("tags", []), f"{path.name} cell {i} is not a stub"
