"""The perturbkit import paths each lesson uses, and (``--rewrite``) the same names imported from at most five.

    python tools/lesson_imports.py                                  # every lesson: its paths and how many
    python tools/lesson_imports.py lessons/03_hamming_graph.ipynb   # one lesson
    python tools/lesson_imports.py --rewrite lessons/03_*.ipynb     # rewrite its import lines in place

A rewritten lesson imports each name from where ``import perturbkit as pk`` puts it: ``perturbkit`` itself
(``pk.<name>``, the table in perturbkit/__init__.py) or one of the subpackages ``perturbkit.attacks``,
``perturbkit.plotting``, ``perturbkit.widgets``, ``perturbkit.exercises`` (``pk.<subpackage>.<name>``): five paths
at most. Per code cell, its top-level ``from perturbkit... import`` statements become one statement per path, at the
place of the first one, with the same names (and ``as`` names), so the cell's code is unchanged; a statement
already in that form is kept as it is, comment included. Only cell sources change (written through nbformat);
outputs, metadata and execution counts are left alone, so nbval's stored outputs still apply.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
SUBPACKAGES = ("attacks", "plotting", "widgets", "exercises")
MAX_PATHS = 1 + len(SUBPACKAGES)  # perturbkit itself and its four public subpackages
WIDTH = 120  # the course's line length (pyproject.toml's ruff line-length)


@dataclass(frozen=True)
class Import:
    """One imported name: ``from module import name as asname`` (``name`` None: ``import module``)."""

    cell: int
    module: str
    name: str | None
    asname: str | None = None


def code_of(source: str) -> str:
    """A cell's source with IPython magics and shell lines blanked (so that ast parses it; lines keep their numbers)."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.split("\n"))


def _perturbkit(module: str | None) -> bool:
    return module is not None and (module == "perturbkit" or module.startswith("perturbkit."))


def imports(nb) -> list[Import]:
    """Every perturbkit import of the notebook's code cells, nested ones (in functions) included."""
    out = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(code_of(cell.source))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and _perturbkit(node.module):
                out += [Import(i, node.module, a.name, a.asname) for a in node.names]
            elif isinstance(node, ast.Import):
                out += [Import(i, a.name, None, a.asname) for a in node.names if _perturbkit(a.name)]
    return out


def paths(nb) -> list[str]:
    """The distinct perturbkit import paths of a notebook, sorted."""
    return sorted({imp.module for imp in imports(nb)})


def target(module: str, name: str) -> str:
    """The path a rewritten lesson imports ``name`` (imported today from ``module``) from: the subpackage that
    exports it, else ``perturbkit``. A name perturbkit does not export is an error naming the table to extend."""
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in SUBPACKAGES:
        sub = importlib.import_module(f"perturbkit.{parts[1]}")
        if name in getattr(sub, "__all__", ()):
            return sub.__name__
    pk = importlib.import_module("perturbkit")
    if module == "perturbkit" or name in pk.__all__:
        return "perturbkit"
    raise SystemExit(f"lesson_imports: {name!r} (from {module}) is not exported by perturbkit or a subpackage; "
                     f"add it to EXPORTS in perturbkit/__init__.py (or the subpackage's __init__.py)")


def _statement(path: str, aliases: list[ast.alias], comment: str) -> str:
    names = [a.name if a.asname is None else f"{a.name} as {a.asname}" for a in aliases]
    line = f"from {path} import {', '.join(names)}" + (f"  # {comment}" if comment else "")
    if len(line) <= WIDTH:
        return line
    body = ",\n".join(f"    {n}" for n in names)
    return f"from {path} import (  {'# ' + comment if comment else ''}".rstrip() + f"\n{body},\n)"


def rewrite_cell(source: str) -> str:
    """The cell with its top-level perturbkit from-imports regrouped by :func:`target` (see the module notes)."""
    code = code_of(source)
    stmts = [n for n in ast.parse(code).body if isinstance(n, ast.ImportFrom) and n.level == 0
             and _perturbkit(n.module)]
    if not stmts:
        return source
    lines = source.split("\n")
    for node in stmts:  # whole lines are replaced: refuse a statement that shares its lines with other code
        rest = lines[node.end_lineno - 1][node.end_col_offset:].strip()
        if node.col_offset or (rest and not rest.startswith("#")):
            raise SystemExit(f"lesson_imports: line {node.lineno} holds more than the import; split it first:\n"
                             f"{lines[node.lineno - 1]}")
    groups: dict[str, list[ast.alias]] = {}
    comments: dict[str, list[str]] = {}
    for node in stmts:
        comment = re.search(r"#\s*(.*)$", lines[node.end_lineno - 1])
        for alias in node.names:
            path = target(node.module, alias.name)
            if all(alias.name != a.name or alias.asname != a.asname for a in groups.get(path, [])):
                groups.setdefault(path, []).append(alias)
            if comment and comment.group(1) not in comments.setdefault(path, []):
                comments[path].append(comment.group(1))
    already = all(node.module == target(node.module, a.name) for node in stmts for a in node.names) \
        and len({n.module for n in stmts}) == len(stmts)
    if already:
        return source
    new = [_statement(path, groups[path], "; ".join(comments.get(path, [])))
           for path in sorted(groups, key=lambda p: (p != "perturbkit", p))]
    first = stmts[0].lineno - 1
    drop = {i for node in stmts for i in range(node.lineno - 1, node.end_lineno)}
    out = [line for i, line in enumerate(lines[:first]) if i not in drop] + new + \
        [line for i, line in enumerate(lines[first:], start=first) if i not in drop]
    return "\n".join(out)


def rewrite(path: Path) -> tuple[list[str], list[str]]:
    """Rewrite one lesson in place (sources only); returns its import paths before and after."""
    nb = nbformat.read(path, as_version=4)
    before = paths(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = rewrite_cell(cell.source)
    nbformat.write(nb, path)
    return before, paths(nb)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("lessons", nargs="*", type=Path, help="notebooks (default: every lesson in lessons/)")
    parser.add_argument("--rewrite", action="store_true", help="rewrite the lessons' perturbkit imports in place")
    args = parser.parse_args(argv)
    lessons = args.lessons or sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
    status = 0
    for lesson in lessons:
        if args.rewrite:
            before, after = rewrite(lesson)
            print(f"{lesson.name}: {len(before)} paths -> {len(after)}: {', '.join(after)}")
            if len(after) > MAX_PATHS:  # imports inside functions, or `import perturbkit.x`, are not rewritten
                print(f"{lesson.name}: still more than {MAX_PATHS} paths; move the remaining imports to the top "
                      f"level of their cells as `from perturbkit... import name`", file=sys.stderr)
                status = 1
        else:
            found = paths(nbformat.read(lesson, as_version=4))
            print(f"{lesson.name}: {len(found)} paths: {', '.join(found)}")
    return status


if __name__ == "__main__":
    sys.exit(main())
