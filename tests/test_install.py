"""Installing the course anywhere: the wheel carries data/ (setup.py), perturbkit.data finds it, numba is opt-in.

The slow tests are CI's `make test-install` step: they build the wheel (and an sdist) from a copy of the checkout in
a temporary folder, install it into a fresh venv outside the checkout (not editable, without numba), and run
lessons 00 and 02 under nbval from a temporary folder. Nothing is written into the checkout.
"""

import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
import zipfile
from pathlib import Path

import pytest

import perturbkit.data as data

ROOT = Path(__file__).resolve().parent.parent
LESSONS = ("00_start_here.ipynb", "02_adversarial_examples.ipynb")  # the tour and an attack lesson
NBVAL = ["--nbval", "--nbval-current-env", "--nbval-sanitize-with", "sanitize.cfg", "--nbval-cell-timeout=300"]


def _setup_module():
    spec = importlib.util.spec_from_file_location("course_setup", ROOT / "setup.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # not __main__: defines course_data_files, does not call setup()
    return module


def _sha256(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


def _manifest() -> dict:
    return json.loads((ROOT / "data" / "models" / "manifest.json").read_text())["models"]


# ---------------------------------------------------------------------------------------------------------- fast


def test_the_wheel_carries_every_data_set_and_listed_network_and_no_script():
    files = _setup_module().course_data_files(ROOT / "data")
    assert files[0] == "README.md" and set(data.SHA256) <= set(files)
    assert {f"models/{name}.pt" for name in _manifest()} | {"models/manifest.json"} <= set(files)
    assert not [f for f in files if f.endswith(".py")]  # build_data.py, train_models.py, census_6x6.py stay out
    assert len(files) == len(set(files))


def test_a_network_missing_from_data_stops_the_build(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data", ignore=shutil.ignore_patterns("*.py"))
    setup = _setup_module()
    assert setup.course_data_files(tmp_path / "data")
    victim = sorted((tmp_path / "data" / "models").glob("*.pt"))[0]
    victim.unlink()
    with pytest.raises(SystemExit, match=f"data files missing.*models/{victim.name}"):
        setup.course_data_files(tmp_path / "data")
    shutil.rmtree(tmp_path / "data" / "models")
    with pytest.raises(SystemExit, match="manifest.json is missing"):
        setup.course_data_files(tmp_path / "data")


def test_the_checkout_reads_its_own_data_folder():
    if Path(data.__file__).resolve().parent != ROOT / "perturbkit" or os.environ.get("PERTURBKIT_DATA"):
        pytest.skip("perturbkit is not imported from this checkout, or PERTURBKIT_DATA is set")
    assert data.DATA_DIR == ROOT / "data"
    assert not (ROOT / "perturbkit" / "_data").exists()  # the build copies into the wheel, never into the package


def test_data_folder_order_environment_then_wheel_then_checkout(tmp_path, monkeypatch):
    import importlib.resources

    package = tmp_path / "site-packages" / "perturbkit"
    package.mkdir(parents=True)
    monkeypatch.setattr(importlib.resources, "files", lambda name: package)
    monkeypatch.delenv("PERTURBKIT_DATA", raising=False)
    checkout = Path(data.__file__).resolve().parent.parent / "data"
    assert data._find_data_dir() == checkout  # no perturbkit/_data: an editable install or the checkout
    (package / "_data").mkdir()
    assert data._find_data_dir() == package / "_data"  # an installed wheel: its own copy, never site-packages/data
    monkeypatch.setenv("PERTURBKIT_DATA", "")
    assert data._find_data_dir() == package / "_data"  # empty means unset
    monkeypatch.setenv("PERTURBKIT_DATA", str(tmp_path / "mine"))
    assert data._find_data_dir() == tmp_path / "mine"


def test_a_wheel_install_says_reinstall_when_a_file_is_missing(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "DATA_DIR", tmp_path / "perturbkit" / "_data")
    with pytest.raises(FileNotFoundError, match="digits.npz is missing; reinstall the course"):
        data.load_digits()


def test_numba_is_opt_in_and_make_test_installs_it():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert not [r for r in extras["course"] if r.startswith("numba")]
    assert [r for r in extras["fast"] if r.startswith("numba")]
    makefile = (ROOT / "Makefile").read_text()
    test_install = re.search(r"^\$\(STAMP\):.*\n(\t.*\n)+", makefile, re.M).group(0)
    assert re.search(r"-e '\.\[[^]]*\bfast\b[^]]*\]'", test_install), "make test must install the fast extra"
    learner = re.search(r"^\$\(LSTAMP\):.*\n(\t.*\n)+", makefile, re.M).group(0)
    assert "fast" not in learner, "make lab (the learner's install) must not install numba"


def test_ci_runs_the_clean_install():
    assert re.search(r"^make test-install$", (ROOT / ".ci" / "run").read_text(), re.M)
    assert re.search(r"^test-install:", (ROOT / "Makefile").read_text(), re.M)


# ---------------------------------------------------------------------------------------------------------- slow


def _clean_env() -> dict:
    """The caller's environment without anything that points into a checkout or a venv."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PERTURBKIT_DATA", "VIRTUAL_ENV")}
    env["PYTHONNOUSERSITE"] = "1"
    return env


def _run(args, cwd, timeout=900) -> subprocess.CompletedProcess:
    r = subprocess.run([str(a) for a in args], cwd=cwd, env=_clean_env(), capture_output=True, text=True,
                       timeout=timeout)
    assert r.returncode == 0, f"{args} failed ({r.returncode}):\n{r.stdout[-6000:]}\n{r.stderr[-6000:]}"
    return r


def _copy_checkout(dest: Path) -> Path:
    """The checkout's files (tracked, and untracked ones git does not ignore) copied to ``dest``: the build writes
    build/ and *.egg-info next to its sources, so it never runs in the checkout itself."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split("\0")
    for name in filter(None, listed):
        src = ROOT / name
        if src.is_file():  # a tracked file deleted in the working tree is skipped
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    return dest


def _venv(path: Path) -> Path:
    _run([sys.executable, "-m", "venv", path], cwd=path.parent)
    return path / "bin" / "python"


@pytest.fixture(scope="session")
def source(tmp_path_factory) -> Path:
    return _copy_checkout(tmp_path_factory.mktemp("source"))


@pytest.fixture(scope="session")
def build_python(tmp_path_factory) -> Path:
    """A fresh venv with a setuptools that reads pyproject.toml's PEP 639 licence fields (>= 77, as the build
    backend requires): the venv `make` creates keeps whatever setuptools its Python came with."""
    python = _venv(tmp_path_factory.mktemp("build") / "venv")
    _run([python, "-m", "pip", "install", "-q", "setuptools>=77"], cwd=python.parent)
    return python


@pytest.fixture(scope="session")
def wheel(source, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    start = time.perf_counter()
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", out, source], cwd=out)
    print(f"wheel built in {time.perf_counter() - start:.1f} s")
    (path,) = out.glob("perturbkit-*.whl")
    return path


def _check_wheel(path: Path):
    """Every data file in the wheel, byte for byte the checkout's, and nothing the run does not need."""
    expected = _setup_module().course_data_files(ROOT / "data")
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        bundled = sorted(n.removeprefix("perturbkit/_data/") for n in names if n.startswith("perturbkit/_data/"))
        assert bundled == sorted(expected)
        for name in expected:
            assert _sha256(z.read(f"perturbkit/_data/{name}")) == _sha256((ROOT / "data" / name).read_bytes()), name
        for name, digest in data.SHA256.items():
            assert _sha256(z.read(f"perturbkit/_data/{name}")) == digest
        for name, entry in json.loads(z.read("perturbkit/_data/models/manifest.json"))["models"].items():
            assert _sha256(z.read(f"perturbkit/_data/models/{name}.pt")) == entry["sha256"], name
        modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "perturbkit").rglob("*.py")}
        assert modules <= set(names)
        assert not [n for n in names if n.startswith(("data/", "lessons/", "tests/", "tools/")) or "__pycache__" in n]
        data_bytes = sum(z.getinfo(f"perturbkit/_data/{n}").file_size for n in expected)
    size = path.stat().st_size
    print(f"{path.name}: {size / 1e6:.2f} MB, {len(names)} files, data {data_bytes / 1e6:.2f} MB uncompressed")
    # the data sets and networks hardly compress: the wheel is the data plus some 0.3 MB of code
    assert data_bytes <= size + 1_000_000 and size <= data_bytes + 2_000_000


@pytest.mark.slow
def test_the_wheel_holds_the_data(wheel):
    _check_wheel(wheel)


@pytest.mark.slow
def test_an_sdist_builds_the_same_wheel(source, build_python, tmp_path):
    """PyPI's route (and `python -m build`'s): sdist first, then the wheel from the unpacked sdist, where there is no
    checkout around: the sdist must carry data/ itself."""
    sdist_dir = tmp_path / "sdist"
    code = f"from setuptools.build_meta import build_sdist; print(build_sdist({str(sdist_dir)!r}))"
    _run([build_python, "-c", code], cwd=source)
    (sdist,) = sdist_dir.glob("perturbkit-*.tar.gz")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp_path / "dist", sdist], cwd=tmp_path)
    (path,) = (tmp_path / "dist").glob("perturbkit-*.whl")
    _check_wheel(path)


@pytest.mark.slow
def test_an_editable_install_reads_the_checkout(source, build_python, tmp_path):
    """`make`'s install (-e): nothing copied, the package and data/ are the checkout's own."""
    python = build_python
    _run([python, "-m", "pip", "install", "--no-deps", "-q", "-e", source], cwd=tmp_path)
    code = ("import importlib.util; s = importlib.util.find_spec('perturbkit'); "
            "print(s.submodule_search_locations[0])")
    where = Path(_run([python, "-c", code], cwd=tmp_path).stdout.strip())
    assert where.resolve() == (source / "perturbkit").resolve()
    assert not (where / "_data").exists() and (where.parent / "data" / "digits.npz").is_file()


@pytest.mark.slow
def test_a_clean_install_runs_lessons_00_and_02_outside_the_checkout(wheel, tmp_path):
    start = time.perf_counter()
    python = _venv(tmp_path / "venv")
    # the learner's extra and what nbval needs: no numba (opt-in), no checkout on the path
    _run([python, "-m", "pip", "install", "-q", "-c", ROOT / "constraints.txt", f"{wheel}[course]", "pytest",
          "nbval"], cwd=tmp_path)
    installed = time.perf_counter()
    run = tmp_path / "run"
    run.mkdir()
    for name in (*LESSONS, "sanitize.cfg"):
        shutil.copy2(ROOT / "lessons" / name, run / name)
    (run / "pytest.ini").write_text("[pytest]\n")  # the rootdir: no configuration from anywhere else
    code = ("import importlib.util, perturbkit, perturbkit.data as d; "
            "print(perturbkit.__file__, d.DATA_DIR, importlib.util.find_spec('numba') is None, sep='\\n')")
    module, data_dir, no_numba = _run([python, "-c", code], cwd=run).stdout.split()
    venv = (tmp_path / "venv").resolve()
    assert Path(module).resolve().is_relative_to(venv) and not Path(module).resolve().is_relative_to(ROOT)
    assert Path(data_dir).resolve() == Path(module).resolve().parent / "_data"
    assert no_numba == "True"
    _run([python, "-m", "pytest", "-p", "no:cacheprovider", "-q", *NBVAL, *LESSONS], cwd=run)
    end = time.perf_counter()
    print(f"clean install {installed - start:.1f} s, lessons {end - installed:.1f} s under nbval")
