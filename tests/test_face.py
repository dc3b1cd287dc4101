"""``import perturbkit as pk`` reaches every name a lesson imports, lazily, and tools/lesson_imports.py rewrites a
lesson's imports to at most five paths without changing its names or outputs."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import perturbkit as pk
from perturbkit import _lazy

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
SUBPACKAGES = ("attacks", "plotting", "widgets", "exercises")

_spec = importlib.util.spec_from_file_location("lesson_imports", ROOT / "tools" / "lesson_imports.py")
lesson_imports = sys.modules.setdefault("lesson_imports", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(lesson_imports)


def lesson_names() -> list[tuple[str, str, str]]:
    """(lesson, module, name) for every ``from perturbkit... import name`` of every lesson."""
    return sorted({(path.stem[:2], imp.module, imp.name)
                   for path in LESSONS for imp in lesson_imports.imports(nbformat.read(path, as_version=4))
                   if imp.name is not None})


def route(module: str, name: str) -> str:
    """Where the face puts a name imported from ``module``: ``pk.<subpackage>.<name>`` for a subpackage's module
    when the subpackage exports it, else ``pk.<name>``."""
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in SUBPACKAGES and name in getattr(pk, parts[1]).__all__:
        return f"pk.{parts[1]}.{name}"
    return f"pk.{name}"


def resolve(path: str) -> object:
    obj = pk
    for part in path.split(".")[1:]:
        obj = getattr(obj, part)
    return obj


def clashes(imports: list[tuple[str, str]], route=route) -> dict[str, list[str]]:
    """{path: modules} for every face path that lessons' (module, name) imports give different objects."""
    seen: dict[str, dict[int, str]] = {}
    for module, name in imports:
        obj = getattr(importlib.import_module(module), name)
        seen.setdefault(route(module, name), {})[id(obj)] = module
    return {path: sorted(by_id.values()) for path, by_id in seen.items() if len(by_id) > 1}


def test_the_scan_finds_the_lessons_imports():
    """A scan that found nothing would make the next tests pass vacuously."""
    found = lesson_names()
    assert len(LESSONS) == 12 and len(found) > 150
    assert ("03", "perturbkit", "ball_size") in found and ("10", "perturbkit.widgets", "threat_calculator") in found


@pytest.mark.parametrize("lesson", [p.stem[:2] for p in LESSONS])
def test_every_lesson_name_is_reachable_from_pk(lesson):
    """Each name a lesson imports is pk.<name> or pk.<subpackage>.<name>, and the very object of its module (catches
    a name missing from a table, or a table entry pointing at the wrong module)."""
    wrong = []
    for _, module, name in (x for x in lesson_names() if x[0] == lesson):
        expected = getattr(importlib.import_module(module), name)
        path = route(module, name)
        try:
            got = resolve(path)
        except AttributeError as e:
            wrong.append(f"{module}.{name}: {path} missing ({e})")
            continue
        if got is not expected:
            wrong.append(f"{module}.{name}: {path} is {got!r}, another object")
    assert not wrong, f"lesson {lesson}: " + "; ".join(wrong)


def test_no_face_name_means_two_objects():
    """Two modules that give one name different objects must not share a face path (today's case: ``describe``
    of network_scaling is pk.describe, ``describe`` of widgets.attacks is pk.widgets.describe)."""
    imports = sorted({(module, name) for _, module, name in lesson_names()})
    assert clashes(imports) == {}


def test_a_clash_is_reported():
    """The clash check works: routing both ``describe`` functions to pk.describe is reported."""
    both = [("perturbkit.network_scaling", "describe"), ("perturbkit.widgets.attacks", "describe")]
    assert clashes(both, route=lambda module, name: f"pk.{name}") == {
        "pk.describe": ["perturbkit.network_scaling", "perturbkit.widgets.attacks"]}


def test_subpackages_and_modules_are_attributes():
    for sub in SUBPACKAGES + ("bounds", "census", "norms", "spaces"):
        assert getattr(pk, sub) is importlib.import_module(f"perturbkit.{sub}")
    assert pk.widgets.quiz is importlib.import_module("perturbkit.widgets.quiz")  # the module; pk.quiz the function
    assert pk.quiz is pk.widgets.quiz.quiz


def test_dir_lists_names_before_they_are_imported():
    code = ("import sys, perturbkit as pk; d = dir(pk); "
            "print(all(n in d for n in ['harper_bound', 'ImageSpace', 'attacks', 'plotting', 'widgets', 'exercises', "
            "'quiz', 'device']), 'perturbkit.bounds' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.stdout.split() == ["True", "False"], out.stderr


def test_import_is_lazy():
    """``import perturbkit`` loads neither torch nor matplotlib nor any kernel module; the first use does."""
    code = ("import sys, perturbkit as pk; before = sorted(m for m in sys.modules if m.split('.')[0] in "
            "('torch', 'matplotlib', 'ipywidgets') or m.startswith('perturbkit.') and m != 'perturbkit._lazy'); "
            "pk.harper_bound(9, 2); print(before, 'perturbkit.bounds' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.stdout.split() == ["[]", "True"], out.stdout + out.stderr


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'harper_bund'"):
        pk.harper_bund  # noqa: B018
    assert not hasattr(pk.plotting, "nonexistent_figure")


def test_tables_refuse_ambiguity():
    """A name exported from two modules, or named like a submodule, is refused when the package is imported."""
    with pytest.raises(ValueError, match="'size' is exported from both '.norms' and '.hamming'"):
        _lazy.invert({".norms": ["size"], ".hamming": ["size"]})
    with pytest.raises(ValueError, match=r"\['flip'\] are also names of its submodules"):
        _lazy.lazy_exports("perturbkit", pk.__path__, {}, {".flip": ["flip"]})


# ------------------------------------------------------------------------------------ tools/lesson_imports.py
def test_report_counts_paths(capsys):
    lesson_imports.main([str(LESSONS[3])])
    out = capsys.readouterr().out
    paths = lesson_imports.paths(nbformat.read(LESSONS[3], as_version=4))
    assert out.startswith(f"{LESSONS[3].name}: {len(paths)} paths: perturbkit") and 1 <= len(paths) <= 5


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem[:2])
def test_every_lesson_imports_from_at_most_five_paths(path):
    """The lessons are written against the face: `perturbkit` and its public subpackages, five paths at most."""
    found = lesson_imports.paths(nbformat.read(path, as_version=4))
    assert len(found) <= 5, (f"{path.name} imports from {len(found)} paths: {found}; "
                             "run tools/lesson_imports.py --rewrite")


def _home(module: str, name: str) -> str:
    """The module that defines ``name`` (as a lesson imported it before the face): a function's or class's
    __module__, else the face's table entry, else ``module``."""
    obj = getattr(importlib.import_module(module), name)
    home = getattr(obj, "__module__", None) if not isinstance(obj, type(pk)) else None
    if home and home.startswith("perturbkit"):
        return home
    for mod, names in pk.EXPORTS.items():
        if name in names:
            return "perturbkit" + mod
    return module


def expand(nb) -> None:
    """The lesson as written before the face: each top-level perturbkit from-import split into one import per
    defining module (in place; the rewriting test starts from this)."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        lines = cell.source.split("\n")
        stmts = [n for n in ast.parse(lesson_imports.code_of(cell.source)).body
                 if isinstance(n, ast.ImportFrom) and n.level == 0 and n.module.startswith("perturbkit")]
        for node in reversed(stmts):
            new = [f"from {_home(node.module, a.name)} import {a.name}" + (f" as {a.asname}" if a.asname else "")
                   for a in node.names]
            lines[node.lineno - 1:node.end_lineno] = new
        cell.source = "\n".join(lines)


@pytest.mark.parametrize("index", [0, 10])
def test_rewrite_keeps_names_and_outputs(tmp_path, index):
    """On a copy of a lesson: at most 5 paths after, every (name, as-name) still imported in the same cell, from a
    module that gives the same object, and every output, metadata and non-import line unchanged."""
    copy = tmp_path / LESSONS[index].name
    expanded = nbformat.read(LESSONS[index], as_version=4)
    expand(expanded)
    nbformat.write(expanded, copy)
    before_nb = nbformat.read(copy, as_version=4)
    before, after = lesson_imports.rewrite(copy)
    after_nb = nbformat.read(copy, as_version=4)
    assert len(before) > 5 and len(after) <= 5, after

    def names(nb) -> dict[tuple[int, str, str | None], object]:
        return {(i.cell, i.name, i.asname): getattr(importlib.import_module(i.module), i.name)
                for i in lesson_imports.imports(nb) if i.name is not None}

    old, new = names(before_nb), names(after_nb)
    assert old.keys() == new.keys()
    assert all(old[k] is new[k] for k in old)
    for a, b in zip(before_nb.cells, after_nb.cells, strict=True):
        assert a.get("outputs") == b.get("outputs") and a.metadata == b.metadata
        assert a.get("execution_count") == b.get("execution_count")
        kept = [line for line in a.source.split("\n") if "import" not in line]
        assert [line for line in b.source.split("\n") if line in kept] == kept
    assert lesson_imports.rewrite(copy)[1] == after  # a second rewrite finds nothing to do
