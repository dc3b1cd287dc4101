"""environment.yml (conda-forge, Binder) must mirror pyproject.toml: same packages, same lower bounds."""

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
