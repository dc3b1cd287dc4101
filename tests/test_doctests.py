"""The Examples sections of the core modules' docstrings run as doctests, and every public function and class has one.

The examples are what a student reads first, so they are checked like any other claim: each one's printed output
must match exactly (they print integers, booleans and rounded floats only, so they hold on every float path).
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import sys
import types

import pytest

# The modules whose public API carries examples; a package (perturbkit.census) counts the names of its ``__all__``
# that its submodules define.
MODULES = ["perturbkit.spaces", "perturbkit.norms", "perturbkit.bounds", "perturbkit.sum_classifier",
           "perturbkit.attacks", "perturbkit.attacks.gradient", "perturbkit.attacks.lattice",
           "perturbkit.attacks.minimal", "perturbkit.attacks.result", "perturbkit.attacks.sparse",
           "perturbkit.census"]
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def defined_in(obj, module: types.ModuleType) -> bool:
    """Whether ``obj`` is defined in ``module`` or, for a package, in one of its submodules."""
    home = getattr(obj, "__module__", None) or ""
    return home == module.__name__ or home.startswith(module.__name__ + ".")


def public_api(module: types.ModuleType) -> dict[str, object]:
    """The public functions and classes a module defines (its ``__all__`` when it has one, else every name not
    starting with ``_``; for a package, the names its submodules define; names imported from elsewhere and
    constants, which have no docstring of their own, are left out), and the public methods (class and static
    methods included) and properties those classes define, as ``Class.name``."""
    names = getattr(module, "__all__", None) or [n for n in vars(module) if not n.startswith("_")]
    out = {}
    for name in names:
        obj = getattr(module, name)
        if (inspect.isfunction(obj) or inspect.isclass(obj)) and defined_in(obj, module):
            out[name] = obj
        if inspect.isclass(obj) and defined_in(obj, module):
            for m, member in vars(obj).items():
                if m.startswith("_"):
                    continue
                if isinstance(member, property):
                    out[f"{name}.{m}"] = member.fget
                elif isinstance(member, (classmethod, staticmethod)):
                    out[f"{name}.{m}"] = member.__func__
                elif inspect.isfunction(member):
                    out[f"{name}.{m}"] = member
    return out


def examples(obj) -> list[doctest.Example]:
    return doctest.DocTestParser().get_examples(inspect.getdoc(obj) or "")


def module_doctests(module: types.ModuleType) -> list[doctest.DocTest]:
    """The doctests of a module's docstrings, and those of the public names it takes from its submodules.

    DocTestFinder on a module keeps only the objects whose home is that module, so for a package it finds nothing
    but the package docstring: the names of :func:`public_api` defined elsewhere are collected one by one (without
    recursing: ``public_api`` lists the methods itself), each in the namespace of the module that defines it.
    """
    tests = doctest.DocTestFinder(exclude_empty=True).find(module, module.__name__)
    one = doctest.DocTestFinder(recurse=False, exclude_empty=True)
    for name, obj in public_api(module).items():
        if obj.__module__ == module.__name__:  # the module's own finder found it
            continue
        home = sys.modules[obj.__module__]
        tests += one.find(obj, f"{module.__name__}.{name}", module=home, globs=vars(home))
    return tests


def run(test: doctest.DocTest) -> doctest.TestResults:
    """Run one docstring's examples in a fresh namespace; the report of a failure goes to the assertion message."""
    report = []
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    result = runner.run(test, out=report.append, clear_globs=True)
    assert result.failed == 0, "".join(report)
    return result


@pytest.mark.parametrize("module_name", MODULES)
def test_examples_pass(module_name):
    """Every example of the module prints what its docstring says."""
    module = importlib.import_module(module_name)
    tests = module_doctests(module)
    ran = sum(run(t).attempted for t in tests if t.examples)
    documented = public_api(module)
    # Each public function and class contributes at least one example, so a finder that silently found nothing
    # (e.g. docstrings moved or the module replaced by a stub) cannot pass.
    assert ran >= len(documented), f"{module_name}: {ran} examples run for {len(documented)} public names"


@pytest.mark.parametrize("module_name", MODULES)
def test_every_public_name_has_an_example(module_name):
    """Catches a public function or class added (or its Examples section deleted) without an example."""
    documented = public_api(importlib.import_module(module_name))
    missing = [name for name, obj in documented.items()
               if not examples(obj) or "Examples\n--------" not in (inspect.getdoc(obj) or "")]
    assert not missing, f"{module_name}: public names without an 'Examples' section with doctests: {missing}"


def test_the_api_is_not_empty():
    """The public-name scan itself works: it finds the functions the course teaches (a broken scan that finds
    nothing would make the test above pass vacuously)."""
    found = {n for m in MODULES for n in public_api(importlib.import_module(m))}
    assert {"ImageSpace", "ImageSpace.images", "ImageSpace.size", "size", "distance", "project", "harper_bound",
            "minimal", "pgd", "fgsm", "minimal_perturbation", "sparse_attack", "to_lattice", "AttackResult",
            "AttackResult.robust_accuracy", "SumModel.forward", "robustness", "bitset_census", "pack_bits",
            "EntrySum", "Labeller.whole_space", "RobustShare.from_histogram"} <= found


def test_a_wrong_output_fails():
    """The runner really compares: norms.size's first example with a corrupted expected output must fail."""
    from perturbkit import norms

    def size_test() -> doctest.DocTest:
        return doctest.DocTestFinder().find(norms.size, "size", globs=vars(norms).copy())[0]

    assert run(size_test()).attempted >= 3  # the uncorrupted copy passes
    test = size_test()
    good = test.examples[2]
    assert good.want == "[2.0, 7.0, 5.0, 4.0]\n", "norms.size's example changed; update this test's corruption"
    test.examples[2] = doctest.Example(good.source, "[2.0, 7.0, 5.0, 5.0]\n", lineno=good.lineno)
    with pytest.raises(AssertionError, match=r"Expected:\s+\[2\.0, 7\.0, 5\.0, 5\.0\]"):
        run(test)
