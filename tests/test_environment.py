"""environment.yml (conda-forge, Binder) must mirror pyproject.toml: same packages, same lower bounds."""

import sys
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
CONDA_NAMES = {"torch": "pytorch"}  # PyPI name -> conda-forge name where they differ
MIRRORED_EXTRAS = ("course", "test")


def pyproject_requirements():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(meta["dependencies"])
    for extra in MIRRORED_EXTRAS:
        reqs += meta["optional-dependencies"][extra]
    out = {}
    for r in map(Requirement, reqs):
        out[CONDA_NAMES.get(r.name.lower(), r.name.lower())] = str(r.specifier)
    out["python"] = meta["requires-python"]
    return out


def environment_requirements():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    out = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str) and dep != "pip":
            r = Requirement(dep)
            out[r.name.lower()] = str(r.specifier)
    return env, out


def test_environment_mirrors_pyproject():
    env, conda = environment_requirements()
    assert "conda-forge" in env["channels"]
    assert pyproject_requirements() == conda


def test_environment_installs_the_package_itself():
    env, _ = environment_requirements()
    pip = [d for d in env["dependencies"] if isinstance(d, dict)]
    assert pip and "-e ." in pip[0]["pip"]


def test_constraints_pin_torch_within_the_loose_range():
    pins = dict(line.split("==") for line in (ROOT / "constraints.txt").read_text().split() if "==" in line)
    torch_spec = Requirement([r for r in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
                              ["dependencies"] if r.startswith("torch")][0]).specifier
    assert pins["torch"] in torch_spec


def _imported_distributions(paths):
    """Top-level third-party modules imported by the Python files (and notebooks) under ``paths``, as distributions."""
    import ast
    import json
    from importlib.metadata import packages_distributions

    dists = packages_distributions()
    found = {}
    for path in paths:
        for f in sorted(ROOT.glob(path)):
            if f.suffix == ".ipynb":
                cells = json.loads(f.read_text())["cells"]
                source = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
                source = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
            else:
                source = f.read_text()
            for node in ast.walk(ast.parse(source)):
                names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                         else [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 else [])
                for name in names:
                    top = name.split(".")[0]
                    if top in sys.stdlib_module_names or top in ("perturbkit", "test_lessons", "conftest"):
                        continue
                    for dist in dists.get(top, [top]):
                        found.setdefault(dist.lower().replace("_", "-"), f.relative_to(ROOT).as_posix())
    return found


def _declared(*extras):
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(meta["dependencies"]) + [r for e in extras for r in meta["optional-dependencies"][e]]
    return {Requirement(r).name.lower().replace("_", "-") for r in reqs} | {"torch"}


def test_the_package_and_the_lessons_import_only_declared_dependencies():
    used = _imported_distributions(["perturbkit/**/*.py", "lessons/*.ipynb"])
    # the gpu extra: Triton, imported only where a CUDA census runs (torch's CUDA wheels bring it); the fast extra:
    # numba, imported only by perturbkit.census.fused.cpu, where a census of 2^27 images or more runs
    missing = {d: f for d, f in used.items() if d not in _declared("course", "gpu", "fast")}
    assert not missing, f"imported but not declared in [project] dependencies or the course, gpu, fast extra: {missing}"


def test_the_lessons_need_no_opt_in_extra():
    """A learner's install (the course extra) runs every lesson: no lesson imports numba or Triton itself."""
    used = _imported_distributions(["lessons/*.ipynb"])
    missing = {d: f for d, f in used.items() if d not in _declared("course")}
    assert not missing, f"a lesson imports a package outside the course extra: {missing}"


def test_tests_and_tools_import_only_declared_dependencies():
    used = _imported_distributions(["tests/**/*.py", "tools/**/*.py"])
    missing = {d: f for d, f in used.items() if d not in _declared("course", "test", "gpu", "fast")}
    assert not missing, f"imported but not declared in the test extra: {missing}"
