"""The fused binary census pass (numba on the CPU, Triton on CUDA) against the torch-only passes and brute force."""

import math
import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import pytest
import torch

from perturbkit import classifiers, fused_pass
from perturbkit.census import label_space, robustness
from perturbkit.spaces import ImageSpace

ROOT = Path(__file__).resolve().parent.parent


def start_arrays(N: int):
    """Census start arrays of 2**N entries (0 on the set, N + 1 off it): dense, sparse, all but one, all on it."""
    gen = torch.Generator().manual_seed(N)
    inf = N + 1
    yield torch.randint(0, 2, (2**N,), generator=gen).to(torch.uint8) * inf
    yield (torch.rand(2**N, generator=gen) > 0.02).to(torch.uint8) * inf
    one = torch.full((2**N,), inf, dtype=torch.uint8)
    one[torch.randint(0, 2**N, (1,), generator=gen)] = 0
    yield one
    yield torch.zeros(2**N, dtype=torch.uint8)


def hamming_brute_force(g: torch.Tensor, N: int) -> torch.Tensor:
    """For every index x of the cube {0,1}^N, the least number of bits in which x differs from an index y with
    g[y] = 0 (the start value where there is none)."""
    x = torch.arange(2**N)
    ys = x[g == 0]
    if len(ys) == 0:
        return g.clone()
    bits = torch.tensor([1 << i for i in range(N)], dtype=torch.int64)
    diff = ((x[:, None] ^ ys[None, :])[..., None] & bits) != 0
    return diff.sum(dim=2).min(dim=1).values.to(torch.uint8)


@pytest.fixture
def small_cpu_kernel(monkeypatch):
    """The CPU kernel on every size, with blocks of 16 bytes so that even small arrays have strips."""
    pytest.importorskip("numba")
    monkeypatch.setattr(fused_pass, "_CPU_MIN_ENTRIES", 0)
    monkeypatch.setattr(fused_pass, "_CPU_CACHE_BYTES", 16)
    fused_pass.enable(True)
    assert fused_pass.available("cpu")


@pytest.mark.parametrize("N", range(0, 13))
def test_cpu_kernel_equals_torch_only_passes_and_brute_force(N, small_cpu_kernel):
    for g in start_arrays(N):
        want = g.clone()
        fused_pass._torch_only(want, N, 1)
        got = g.clone()
        assert fused_pass.transform(got, N)
        assert torch.equal(got, want), N
        if N <= 10:
            assert torch.equal(got, hamming_brute_force(g, N)), N


def test_cpu_kernel_on_a_space_with_blocks_and_strips_of_cache_size():
    """2^21 entries with the default cache size: 8 blocks of 2^18, then strips of the 8-row matrix, 2 threads."""
    pytest.importorskip("numba")
    N = 21
    for g in list(start_arrays(N))[:2]:
        want = g.clone()
        fused_pass._torch_only(want, N, 1)
        assert fused_pass.transform(g, N)
        assert torch.equal(g, want)


@pytest.mark.parametrize("space", [ImageSpace(2), ImageSpace(3), ImageSpace(1, 2, 7), ImageSpace(1, 2, 14)],
                         ids=repr)
def test_census_is_the_same_with_and_without_the_fused_pass(space, small_cpu_kernel):
    for seed, classes in ((0, 2), (1, 3)):
        labels = label_space(classifiers.random_labels(classes, seed=seed), space, progress=False)
        for p in (0, 0.5, 1, 2, math.inf):
            fused = robustness(labels, space, p)
            fused_pass.enable(False)
            try:
                plain = robustness(labels, space, p)
            finally:
                fused_pass.enable(True)
            assert torch.equal(fused, plain), (space, classes, p)


def test_a_missing_backend_leaves_the_torch_only_passes_without_a_warning(monkeypatch):
    import importlib

    real = importlib.import_module

    def no_numba(name, *args):
        if name.endswith("fused_pass.cpu"):
            raise ImportError("No module named 'numba'")
        return real(name, *args)

    monkeypatch.setattr(fused_pass.importlib, "import_module", no_numba)
    monkeypatch.setattr(fused_pass, "_backends", {})
    monkeypatch.setattr(fused_pass, "_CPU_MIN_ENTRIES", 0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert fused_pass.available("cpu") is False
        g = next(start_arrays(8))
        assert fused_pass.transform(g.clone(), 8) is False
        space = ImageSpace(1, 2, 8)
        labels = label_space(classifiers.random_labels(2, seed=0), space, progress=False)
        r = robustness(labels, space, 0)
    assert r.min() == 1  # two random classes of 2^8 images: every image has a neighbour in the other class...
    assert r.max() <= 8  # ...or at least one within the whole cube


def test_a_kernel_that_fails_its_check_is_not_used(monkeypatch):
    import types

    broken = types.SimpleNamespace(run=lambda g, N, c, *rest: None)  # changes nothing
    monkeypatch.setattr(fused_pass.importlib, "import_module", lambda name, *a: broken)
    monkeypatch.setattr(fused_pass, "_backends", {})
    with pytest.warns(UserWarning, match="fused census pass on cpu is unavailable.*disagrees"):
        assert fused_pass.available("cpu") is False
    assert fused_pass.transform(torch.zeros(2**17, dtype=torch.uint8), 17) is False


def test_the_kernel_runs_only_where_it_applies(small_cpu_kernel):
    g = torch.zeros(2**6, dtype=torch.uint8)
    assert fused_pass.transform(g.to(torch.int16), 6) is False  # the census uses int16 only for huge N
    assert fused_pass.transform(torch.zeros(2**7, dtype=torch.uint8)[::2], 6) is False  # not contiguous
    assert fused_pass.transform(g, 5) is False  # wrong length
    fused_pass.enable(False)
    try:
        assert fused_pass.transform(g, 6) is False
    finally:
        fused_pass.enable(True)
    assert fused_pass.transform(g, 6) is True
    assert fused_pass.available("meta") is False


def test_enable_names_its_argument():
    with pytest.raises(TypeError, match="on must be True or False"):
        fused_pass.enable("yes")


def test_cuda_kernel_in_tritons_interpreter_on_the_cpu():
    """The Triton kernel's index arithmetic and updates, run by Triton's interpreter on CPU tensors."""
    pytest.importorskip("triton")
    script = textwrap.dedent("""
        import torch
        from perturbkit import fused_pass
        from perturbkit.fused_pass import cuda
        from tests.test_fused_pass import hamming_brute_force, start_arrays
        for N in range(0, 13):
            for g in start_arrays(N):
                want = g.clone()
                fused_pass._torch_only(want, N, 1)
                got = g.clone()
                cuda.run(got, N, 1)
                assert torch.equal(got, want), N
                if N <= 9:
                    assert torch.equal(got, hamming_brute_force(g, N)), N
        print("ok")
    """)
    env = dict(os.environ, TRITON_INTERPRET="1",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-3000:]


@pytest.mark.gpu
def test_cuda_kernel_equals_the_cpu_census():
    assert fused_pass.available("cuda"), "the Triton kernel did not pass its check on this GPU"
    for N in (1, 2, 9, 16, 21):
        for g in start_arrays(N):
            want = g.clone()
            fused_pass._torch_only(want, N, 1)
            got = g.cuda()
            assert fused_pass.transform(got, N)
            assert torch.equal(got.cpu(), want), N
    for space in (ImageSpace(3), ImageSpace(1, 2, 20)):
        labels = label_space(classifiers.random_labels(3, seed=2), space, progress=False)
        for p in (0, 2, math.inf):
            assert torch.equal(robustness(labels.cuda(), space, p).cpu(), robustness(labels, space, p))
