"""Lesson mutants: named, deliberately broken variants of perturbkit, switched on by an environment variable.

Mutation testing of the lessons only (``make mutants-lessons``, mutation/lessons.py); ``perturbkit/__init__.py``
imports this module only when ``PERTURBKIT_MUTANT`` is set, and nothing changes when it is not.

    PERTURBKIT_MUTANT=norm_size_l1        # a kernel started with this runs the broken ``norms.size``
    PERTURBKIT_MUTANT=trace               # no change of behaviour: only records which mutated functions run
    PERTURBKIT_MUTANT_LOG=/tmp/reach.txt  # where each reached function is written (once per process)
    PERTURBKIT_MUTANTS_FILE=...           # the definitions (default: mutation/lesson_mutants.toml of the checkout)

A mutant is a source patch of one module: the text ``old`` (which must occur exactly once in the module's source)
is replaced by ``new`` when the module is imported. A meta path finder placed first on ``sys.meta_path`` loads
the patched source, so every later ``from .norms import size`` binds the broken function, and so do the module's
own calls. The function that holds the patch (the innermost ``def`` around it) gets one line at the top of its body
that reports the first call of that function in each process to the log: that is how the runner knows which lesson
*reaches* a mutant (calls the mutated function) instead of guessing. ``trace`` adds those lines for every defined
mutant without applying any patch, so one ordinary run of a lesson records which mutants it reaches. A patch outside
every function (a module constant) is reached when its module is imported.
"""

from __future__ import annotations

import ast
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ENV, LOG_ENV, FILE_ENV = "PERTURBKIT_MUTANT", "PERTURBKIT_MUTANT_LOG", "PERTURBKIT_MUTANTS_FILE"
TRACE = "trace"
DEFAULT_FILE = Path(__file__).resolve().parent.parent / "mutation" / "lesson_mutants.toml"
HOOK = "__pk_reached__"  # the name the inserted line calls (a module global set before the module runs)


@dataclass(frozen=True)
class Mutant:
    name: str
    what: str     # one line: the bug this mutant plants
    module: str   # e.g. perturbkit.norms
    old: str      # source text replaced (exactly one occurrence)
    new: str      # its replacement


def load_definitions(path=None) -> dict[str, Mutant]:
    """The mutants of the definitions file (TOML, one table per mutant: what, module, old, new), by name."""
    path = Path(path or os.environ.get(FILE_ENV) or DEFAULT_FILE)
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    out = {}
    for name, d in raw.items():
        missing = {"what", "module", "old", "new"} - set(d)
        if missing or not isinstance(d, dict):
            raise ValueError(f"mutant {name!r} in {path} lacks {sorted(missing)}")
        if name == TRACE or "," in name:
            raise ValueError(f"{name!r} can not name a mutant")
        out[name] = Mutant(name, d["what"], d["module"], d["old"], d["new"])
    return out


def module_source(module: str) -> tuple[str, str]:
    """(path, source text) of a perturbkit module, found without importing it (nor its package)."""
    parts = module.split(".")
    if parts[0] != "perturbkit":
        raise ValueError(f"mutants patch perturbkit modules only, got {module!r}")
    base = Path(__file__).resolve().parent.joinpath(*parts[1:])
    path = base / "__init__.py" if base.is_dir() else base.with_suffix(".py")
    if not path.is_file():
        raise ValueError(f"no source file for {module!r} (looked for {path})")
    return str(path), path.read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------------------ patching a source
def _functions(tree: ast.Module):
    """(qualname, node) of every function of a module, outer before inner."""
    def walk(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                q = prefix + child.name
                yield q, child
                yield from walk(child, q + ".<locals>.")
            elif isinstance(child, ast.ClassDef):
                yield from walk(child, prefix + child.name + ".")
            else:
                yield from walk(child, prefix)
    yield from walk(tree, "")


def _line_of(src: str, offset: int) -> int:
    return src.count("\n", 0, offset) + 1


def _enclosing(tree: ast.Module, line: int):
    """The innermost function whose body holds ``line`` (qualname, node), or None (module level)."""
    best = None
    for q, node in _functions(tree):
        if node.body[0].lineno <= line <= node.end_lineno:
            best = (q, node)  # inner functions come after the outer ones
    return best


def _anchor(node, lines: list[str]):
    """(0-based line index, indentation) before which the reach line goes: after the docstring, before the first
    statement; None when the body starts on the line of the ``def`` (``def f(): return 1``)."""
    body = node.body
    doc = isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
        and isinstance(body[0].value.value, str)
    if doc and len(body) == 1:  # a docstring only: the line after it
        index, ref = body[0].end_lineno, body[0]
    else:
        ref = body[1] if doc else body[0]
        index = ref.lineno - 1
    indent = lines[ref.lineno - 1][:ref.col_offset]
    if indent.strip() or body[0].lineno == node.lineno:
        return None
    return index, indent


def patch(module: str, src: str, mutants: list[Mutant], apply: bool,
          skip_stale: bool = False) -> tuple[str, dict[str, str]]:
    """The source of ``module`` with the mutants' patches (when ``apply``) and a reach line in each function that
    holds one; and each mutant's reach key ("perturbkit.norms:size", or "perturbkit.norms:<module>" for a patch
    outside every function). A mutant whose old text is not there exactly once raises ValueError, or is left out
    with ``skip_stale`` (the trace: the runner reports such a mutant as stale)."""
    spots = {}  # mutant name -> offset of its text in the final source
    for m in mutants:
        n = src.count(m.old)
        if n != 1 and skip_stale:
            continue
        if n != 1:
            raise ValueError(f"mutant {m.name!r}: its old text occurs {n} times in {module} (must be once; the "
                             f"module changed?): {m.old!r}")
        if m.new == m.old:
            raise ValueError(f"mutant {m.name!r}: new text equals old text")
        pos = src.index(m.old)
        if apply:
            src = src[:pos] + m.new + src[pos + len(m.old):]
            shift = len(m.new) - len(m.old)
            spots = {k: (v + shift if v > pos else v) for k, v in spots.items()}
        spots[m.name] = pos
    tree = ast.parse(src, filename=module)
    lines = src.splitlines(keepends=True)
    keys, inserts = {}, {}
    for name, pos in spots.items():
        hit = _enclosing(tree, _line_of(src, pos))
        where = hit and _anchor(hit[1], lines)
        if where is None:
            keys[name] = f"{module}:<module>"
            continue
        keys[name] = f"{module}:{hit[0]}"
        inserts[where[0]] = f"{where[1]}{HOOK}({keys[name]!r})\n"
    for index in sorted(inserts, reverse=True):
        lines.insert(index, inserts[index])
    return "".join(lines), keys


def reach_keys(mutants: dict[str, Mutant]) -> dict[str, str]:
    """Each mutant's reach key, computed from the current sources (raises for a mutant whose text is gone)."""
    keys = {}
    for m in mutants.values():
        _, src = module_source(m.module)
        keys.update(patch(m.module, src, [m], apply=False)[1])
    return keys


def check_mutant(m: Mutant) -> str:
    """'' when ``m`` applies to the current source and the patched module compiles; else why not."""
    try:
        path, src = module_source(m.module)
        new, _ = patch(m.module, src, [m], apply=True)
        compile(new, path, "exec", dont_inherit=True)
    except (ValueError, SyntaxError) as e:
        return str(e)
    return ""


# ------------------------------------------------------------------------------------------------ at import time
_SEEN: set[str] = set()


def _reached(key: str) -> None:
    """Write ``key`` to the log the first time this process reaches it."""
    if key in _SEEN:
        return
    _SEEN.add(key)
    log = os.environ.get(LOG_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"{key}\n")


class _Loader(importlib.machinery.SourceFileLoader):
    def __init__(self, fullname, path, mutants, apply):
        super().__init__(fullname, path)
        self.mutants, self.apply = mutants, apply

    def get_code(self, fullname):  # never the cached bytecode: always the patched source
        src = self.get_data(self.path).decode("utf-8")
        new, self.keys = patch(fullname, src, self.mutants, self.apply, skip_stale=not self.apply)
        return compile(new, self.path, "exec", dont_inherit=True)

    def exec_module(self, module):
        module.__dict__[HOOK] = _reached
        code = self.get_code(module.__name__)
        for key in set(self.keys.values()):
            if key.endswith(":<module>"):
                _reached(key)
        exec(code, module.__dict__)


class _Finder(importlib.abc.MetaPathFinder):
    def __init__(self, by_module, apply):
        self.by_module, self.apply = by_module, apply

    def find_spec(self, fullname, path, target=None):
        if fullname not in self.by_module:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or not str(spec.origin).endswith(".py"):
            return None
        loader = _Loader(fullname, spec.origin, self.by_module[fullname], self.apply)
        return importlib.util.spec_from_file_location(fullname, spec.origin, loader=loader,
                                                      submodule_search_locations=spec.submodule_search_locations)


def install(value: str) -> _Finder:
    """Put the finder for ``value`` (mutant names separated by commas, or ``trace``) first on sys.meta_path."""
    defined = load_definitions()
    apply = value != TRACE
    names = [v.strip() for v in value.split(",") if v.strip()] if apply else list(defined)
    unknown = [n for n in names if n not in defined]
    if unknown:
        raise ImportError(f"{ENV}={value!r}: unknown mutant(s) {unknown}; defined: {', '.join(defined)}")
    by_module: dict[str, list[Mutant]] = {}
    for n in names:
        by_module.setdefault(defined[n].module, []).append(defined[n])
    loaded = [m for m in by_module if m in sys.modules]
    if loaded:
        raise ImportError(f"{ENV}: {loaded} were imported before perturbkit's mutant hook; they can not be patched")
    finder = _Finder(by_module, apply)
    sys.meta_path.insert(0, finder)
    return finder


if os.environ.get(ENV):
    install(os.environ[ENV])
