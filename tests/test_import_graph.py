"""perturbkit's import graph, read from the source with ast: no module imports itself back through others (no
cycle), and the census package keeps its layers (a lower layer never imports a higher one).

Every ``import``/``from ... import`` counts, also those inside functions: a lazy import that closes a circle is a
circle all the same (perturbkit.fused imported the censuses back inside its self-check, and its kernels imported
the bit-packed census's masks while that census imported them). Only imports ast can see count: ``importlib``
calls with computed names (the fused backends, the exercise modules) are not edges.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The census package, bottom to top. A module may import modules of its own layer and of layers below it only.
CENSUS_LAYERS = (
    ("reference", {"perturbkit.census.reference", "perturbkit.census.tuning"}),
    ("fused", {"perturbkit.census.fused", "perturbkit.census.fused.cpu", "perturbkit.census.fused.cuda"}),
    ("labelling and shares", {"perturbkit.census.labelling", "perturbkit.census.shares"}),
    ("censuses", {"perturbkit.census.dense", "perturbkit.census.bitset"}),
    ("records", {"perturbkit.census.records"}),
    ("the package's face", {"perturbkit.census"}),
)


def modules(root: Path, package: str = "perturbkit") -> dict[str, tuple[Path, bool]]:
    """Dotted name -> (file, is a package's __init__) for every module of ``package`` under ``root``."""
    found = {}
    for f in sorted((root / package).rglob("*.py")):
        parts = list(f.relative_to(root).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if is_package else parts)] = (f, is_package)
    return found


def import_graph(root: Path, package: str = "perturbkit") -> dict[str, set[str]]:
    """Module -> the modules of ``package`` it imports (``from a import b`` is a.b where b is a module, else a)."""
    mods = modules(root, package)
    graph = {m: set() for m in mods}
    for m, (f, is_package) in mods.items():
        here = m.split(".") if is_package else m.split(".")[:-1]
        for node in ast.walk(ast.parse(f.read_text(), filename=str(f))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = here[:len(here) - (node.level - 1)]
                    base = ".".join(up + ([node.module] if node.module else []))
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in mods else base for a in node.names]
            else:
                continue
            graph[m] |= {t for t in targets if t in mods and t != m}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as [a, b, ..., a], or None (depth-first search with colours)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(v):
        state[v] = 1
        path.append(v)
        for w in sorted(graph[v]):
            if state.get(w) == 1:
                return path[path.index(w):] + [w]
            if w not in state and (found := visit(w)):
                return found
        state[v] = 2
        path.pop()
        return None

    for v in sorted(graph):
        if v not in state and (found := visit(v)):
            return found
    return None


def upward_imports(graph: dict[str, set[str]], layers=CENSUS_LAYERS) -> list[str]:
    """Every import of a module of a layer by a module of a lower layer, as 'a (layer) -> b (layer)'."""
    rank = {m: (i, name) for i, (name, members) in enumerate(layers) for m in members}
    return [f"{a} ({rank[a][1]}) -> {b} ({rank[b][1]})" for a in sorted(graph) for b in sorted(graph[a])
            if a in rank and b in rank and rank[b][0] > rank[a][0]]


GRAPH = import_graph(ROOT)


def test_no_module_of_perturbkit_imports_itself_back():
    assert find_cycle(GRAPH) is None, "import cycle: " + " -> ".join(find_cycle(GRAPH))


def test_no_layer_of_the_census_imports_a_higher_one():
    assert upward_imports(GRAPH) == []


def test_every_census_module_has_a_layer():
    layered = set().union(*(members for _, members in CENSUS_LAYERS))
    census = {m for m in GRAPH if m == "perturbkit.census" or m.startswith("perturbkit.census.")}
    assert census == layered, f"place these in CENSUS_LAYERS: {sorted(census - layered)}; gone: {layered - census}"


def test_the_fused_kernels_import_only_the_reference_layer():
    fused = CENSUS_LAYERS[1][1]
    census_imports = {b for a in fused for b in GRAPH[a] if b.startswith("perturbkit.census")}
    assert census_imports <= CENSUS_LAYERS[0][1] | fused


def write_package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "pk" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


@pytest.mark.parametrize("files, cycle", [
    # the old circle: a census imports the kernels, whose self-check imports the census back inside a function
    ({"__init__.py": "", "census.py": "from . import fused\n",
      "fused.py": "def check():\n    from .census import plan\n"}, ["pk.census", "pk.fused", "pk.census"]),
    # a package's __init__ imports a submodule that imports a name of the __init__ back
    ({"__init__.py": "from .quiz import q\n", "quiz.py": "def q():\n    from . import load\n"},
     ["pk", "pk.quiz", "pk"]),
    # absolute imports count too
    ({"__init__.py": "", "a.py": "import pk.b\n", "b.py": "from pk.a import x\n"}, ["pk.a", "pk.b", "pk.a"]),
], ids=["lazy import in a function", "back into the package", "absolute imports"])
def test_the_checks_find_a_cycle(tmp_path, files, cycle):
    assert find_cycle(import_graph(write_package(tmp_path, files), "pk")) == cycle


def test_the_checks_find_an_upward_import(tmp_path):
    # the old kernels: fused/cpu.py imported the bit layout from the bit-packed census
    root = write_package(tmp_path, {"__init__.py": "", "reference.py": "", "bitset.py": "from . import reference\n",
                                    "cpu.py": "from .bitset import MASKS\n"})
    layers = (("reference", {"pk.reference"}), ("fused", {"pk.cpu"}), ("censuses", {"pk.bitset"}))
    graph = import_graph(root, "pk")
    assert find_cycle(graph) is None
    assert upward_imports(graph, layers) == ["pk.cpu (fused) -> pk.bitset (censuses)"]
