"""Write the student version of every lesson to build/student/ (what `make student` runs); needs no nbgrader.

Solutions follow nbgrader's conventions: the lines between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` (in code,
and inside HTML comments in markdown) are the solution. In the student version a code solution becomes
``raise NotImplementedError()`` under a "YOUR CODE HERE" comment (the cell is tagged ``raises-exception``, shown and
its output cleared); a written solution becomes "YOUR ANSWER HERE". Outputs of exercise cells are cleared; every
other cell is kept as it is. The lessons themselves are never modified.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

BEGIN, END = "BEGIN SOLUTION", "END SOLUTION"
CODE_STUB = ["# YOUR CODE HERE", "raise NotImplementedError()"]
TEXT_STUB = ["*YOUR ANSWER HERE*"]


def solution_regions(source: str) -> list[tuple[int, int]]:
    """(first, last) line numbers of each marked region, markers included; an unclosed region is an error."""
    regions, start = [], None
    for i, line in enumerate(source.splitlines()):
        if BEGIN in line:
            if start is not None:
                raise ValueError(f"nested {BEGIN!r} at line {i + 1} of:\n{source[:200]}")
            start = i
        elif END in line:
            if start is None:
                raise ValueError(f"{END!r} without {BEGIN!r} at line {i + 1} of:\n{source[:200]}")
            regions.append((start, i))
            start = None
    if start is not None:
        raise ValueError(f"{BEGIN!r} at line {start + 1} is never closed in:\n{source[:200]}")
    return regions


def strip_cell(cell) -> None:
    """Replace the cell's solution regions by the stub, in place; clear outputs of exercise and solution cells."""
    tags = cell.setdefault("metadata", {}).setdefault("tags", [])
    lines = cell.source.splitlines()
    regions = solution_regions(cell.source)
    for first, last in reversed(regions):
        indent = lines[first][:len(lines[first]) - len(lines[first].lstrip())]
        stub = CODE_STUB if cell.cell_type == "code" else TEXT_STUB
        lines[first:last + 1] = [indent + s for s in stub]
    if regions:
        cell.source = "\n".join(lines)
    if cell.cell_type != "code":
        return
    if regions:
        cell.metadata.pop("jupyter", None)  # the student must see the cell to write in it
        cell.metadata["tags"] = [t for t in tags if not t.startswith("hide-")] + ["raises-exception"]
    if regions or "exercise" in tags or "solution" in tags:
        cell.outputs, cell.execution_count = [], None


def student_version(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` with every solution replaced by a stub."""
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        strip_cell(cell)
    return nb


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else Path("build/student")
    if out.resolve() == Path("lessons").resolve():
        raise SystemExit("the student version must not overwrite the lessons")
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(Path("lessons").glob("*.ipynb")):
        nbformat.write(student_version(nbformat.read(path, as_version=4)), out / path.name)
    for extra in ("sanitize.cfg",):
        (out / extra).write_text((Path("lessons") / extra).read_text())
    print(f"student versions of the lessons in {out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
