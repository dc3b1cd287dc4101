"""The lesson-mutant machinery (perturbkit/_mutants.py, mutation/lessons.py): inert unless PERTURBKIT_MUTANT is set,
every defined mutant applies to the current sources, a mutant switched on changes what it says, and reach is logged."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from perturbkit import _mutants

ROOT = Path(__file__).resolve().parents[1]
MUTANT_VARS = (_mutants.ENV, _mutants.LOG_ENV, _mutants.FILE_ENV)


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in MUTANT_VARS}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, env={**base, **env},
                          capture_output=True, text=True, timeout=300)


PROBE = """
    import sys, torch, perturbkit
    from perturbkit import bounds, census, norms, pretrained  # importing reaches nothing
    from perturbkit.spaces import ImageSpace
    half = torch.full((1, 1, 2, 2), 0.5)
    print(float(norms.size(half, 2)), ImageSpace(4).budget(2), float(bounds.harper_bound(9, 2)))
    print('perturbkit._mutants' in sys.modules, sum(type(f).__name__ == '_Finder' for f in sys.meta_path))
    print(any('__pk_reached__' in vars(m) for n, m in list(sys.modules.items()) if n.startswith('perturbkit')))
    print(ImageSpace.budget.__doc__ is not None, norms.size.__code__.co_filename == norms.__file__)
"""


def test_unset_changes_nothing():
    out = run_python(PROBE)
    assert out.returncode == 0, out.stderr
    values, hook, inserted, intact = out.stdout.split("\n")[:4]
    assert values == "1.0 2.0 0.5078125"
    assert hook == "False 0"          # the machinery is not even imported
    assert inserted == "False"        # no module carries a reach line
    assert intact == "True True"


def test_trace_changes_no_behaviour_and_logs_reach(tmp_path):
    log = tmp_path / "reach.txt"
    out = run_python(PROBE, PERTURBKIT_MUTANT="trace", PERTURBKIT_MUTANT_LOG=str(log))
    assert out.returncode == 0, out.stderr
    values, hook, inserted, intact = out.stdout.split("\n")[:4]
    assert values == "1.0 2.0 0.5078125"
    assert hook == "True 1" and inserted == "True" and intact == "True True"
    assert set(log.read_text().split()) == {"perturbkit.norms:size", "perturbkit.spaces:ImageSpace.budget",
                                            "perturbkit.bounds:harper_bound"}


def test_mutants_switch_on(tmp_path):
    log = tmp_path / "reach.txt"
    out = run_python(PROBE, PERTURBKIT_MUTANT="norm_size_l1,budget_factor_2", PERTURBKIT_MUTANT_LOG=str(log))
    assert out.returncode == 0, out.stderr
    l1, budget, harper = out.stdout.split("\n")[0].split()
    assert (l1, budget, harper) == ("2.0", str(2 * 2.0 ** 0.5), "0.5078125")  # l1 of four 0.5s; sqrt(2 * 4)
    assert set(log.read_text().split()) == {"perturbkit.norms:size", "perturbkit.spaces:ImageSpace.budget"}


def test_unknown_mutant_is_refused():
    out = run_python("import perturbkit", PERTURBKIT_MUTANT="no_such_mutant")
    assert out.returncode != 0 and "unknown mutant(s) ['no_such_mutant']" in out.stderr


def test_every_mutant_applies_to_the_current_sources():
    defined = _mutants.load_definitions(ROOT / "mutation" / "lesson_mutants.toml")
    assert len(defined) >= 12
    for m in defined.values():
        assert m.what.strip() and m.module.startswith("perturbkit."), m
        assert _mutants.check_mutant(m) == "", m.name
    keys = _mutants.reach_keys(defined)
    assert keys["norm_size_l1"] == "perturbkit.norms:size"
    assert keys["budget_factor_2"] == "perturbkit.spaces:ImageSpace.budget"
    assert not [k for k in keys.values() if k.endswith(":<module>")]  # every patch sits in a function


SOURCE = '''\
"""A module."""
LIMIT = 3


def documented(x):
    """Doc."""
    return x + 1


def only_doc():
    """Only a docstring."""


def one_liner(x): return x * 2


class Box:
    def outer(self, y):
        def inner(z):
            return z - 1
        return inner(y)
'''


@pytest.mark.parametrize("old, new, key, line", [
    ("return x + 1", "return x + 2", "m:documented", "    __pk_reached__('m:documented')\n    return x + 2\n"),
    ('"""Only a docstring."""', '"""Changed."""', "m:only_doc", '"""Changed."""\n    __pk_reached__('),
    ("return x * 2", "return x * 3", "m:<module>", None),
    ("return z - 1", "return z + 1", "m:Box.outer.<locals>.inner", "__pk_reached__('m:Box.outer.<locals>.inner')\n"
                                                                  "            return z + 1"),
    ("LIMIT = 3", "LIMIT = 4", "m:<module>", None),
])
def test_patch_places_the_reach_line(old, new, key, line):
    m = _mutants.Mutant("x", "test", "m", old, new)
    src, keys = _mutants.patch("m", SOURCE, [m], apply=True)
    assert keys == {"x": key}
    assert new in src and old not in src
    if line is None:
        assert "__pk_reached__" not in src
    else:
        assert line in src
    namespace = {"__pk_reached__": lambda k: None}
    exec(compile(src, "m", "exec"), namespace)
    assert namespace["documented"].__doc__ == "Doc."


def test_patch_refuses_missing_or_repeated_text():
    for old in ("return q", "return"):
        with pytest.raises(ValueError, match="occurs"):
            _mutants.patch("m", SOURCE, [_mutants.Mutant("x", "t", "m", old, "pass")], apply=True)
        # the trace leaves a stale mutant out instead of failing the lesson (the runner reports it as stale)
        assert _mutants.patch("m", SOURCE, [_mutants.Mutant("x", "t", "m", old, "pass")], apply=False,
                              skip_stale=True) == (SOURCE, {})


def test_runner_reads_the_first_failing_cell():
    spec = importlib.util.spec_from_file_location("mutation_lessons", ROOT / "mutation" / "lessons.py")
    runner = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(runner)
    differ = ("___ lessons/01_x.ipynb::Cell 6 ___\nNotebook cell execution failed\nCell 6: Cell outputs differ\n"
              "=== short test summary info ===\nFAILED lessons/01_x.ipynb::Cell 6 - Notebook cell execution failed\n")
    assert runner.first_failure(differ) == "cell 6: outputs differ"
    assert runner.first_failure(differ, [1, 3, 4, 5, 8, 9, 12]) == "cell 12 (nbval's Cell 6): outputs differ"
    error = ("___ lessons/02_x.ipynb::Cell 9 ___\nCell 9: Cell execution caused an exception\n"
             "\x1b[31mClaimFailed\x1b[39m: claim failed: accuracy is at least 0.9, but the value measured here is 0.1\n"
             "=== short test summary info ===\nFAILED lessons/02_x.ipynb::Cell 9 - Notebook cell execution failed\n")
    assert runner.first_failure(error) == ("cell 9: ClaimFailed: claim failed: accuracy is at least 0.9, but the "
                                           "value measured here is 0.1")
