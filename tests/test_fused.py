"""The fused kernels (numba on the CPU, Triton on CUDA) against their torch-only twins and brute force: the census
pass and the dilation of the bit-packed census."""

import math
import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pytest
import torch

from perturbkit import classifiers
from perturbkit.census import bitset_census, fused, label_space, pack_bits, reference, robust_share, robustness, tuning
from perturbkit.spaces import ImageSpace
from perturbkit.sum_classifier import binary_histogram

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


def random_bitsets(N: int):
    """Bitsets of 2**N images (bitset_census's int64 words): random, sparse, one image, empty, full."""
    words = max(1, 2**N // 64)
    valid = (1 << 2**N) - 1 if N < 6 else -1  # a space under 64 images uses the low bits of its one word
    gen = torch.Generator().manual_seed(N)
    yield torch.randint(-2**62, 2**62, (2, words), generator=gen).prod(dim=0) & valid
    yield pack_bits(torch.rand(2**N, generator=gen) < 0.01)
    one = torch.zeros(2**N, dtype=torch.bool)
    one[torch.randint(0, 2**N, (1,), generator=gen)] = True
    yield pack_bits(one)
    yield torch.zeros(words, dtype=torch.int64)
    yield torch.full((words,), valid, dtype=torch.int64)


def dilation_brute_force(words: torch.Tensor, N: int) -> torch.Tensor:
    """The bitset of every image within one changed entry of an image of ``words``, image by image."""
    x = torch.arange(2**N)
    inside = ((words[x // 64] >> (x % 64)) & 1).bool()
    near = inside.clone()
    for j in range(N):
        near |= inside[x ^ (1 << j)]
    return pack_bits(near)


def torch_only_dilation(src: torch.Tensor, N: int) -> tuple[torch.Tensor, int]:
    dst = torch.empty_like(src)
    count = reference.dilate(src, dst, N, 4, torch.empty(4, dtype=torch.int64, device=src.device))
    return dst, count


def assert_kernels_match(census_pass, dilate, Ns, brute_force_up_to: int) -> None:
    """``census_pass(g, N)`` (in place) and ``dilate(src, dst, N)`` (returns the count), either one may be None,
    against the torch-only versions on every start array and bitset of 2**N images, and against brute force for
    N <= brute_force_up_to."""
    for N in Ns:
        for g in start_arrays(N) if census_pass else ():
            want = g.clone()
            reference.binary_transform(want, N, 1)
            got = g.clone()
            assert census_pass(got, N) is not False, N
            assert torch.equal(got, want), N
            if N <= brute_force_up_to:
                assert torch.equal(got, hamming_brute_force(g, N)), N
        for src in random_bitsets(N) if dilate else ():
            want, count = torch_only_dilation(src, N)
            got = torch.empty_like(src)
            assert dilate(src, got, N) == count, N
            assert torch.equal(got, want), N
            if N <= brute_force_up_to:
                assert torch.equal(got, dilation_brute_force(src, N)), N


@pytest.fixture
def small_cpu_kernel(monkeypatch):
    """The CPU kernel on every size, with blocks of 16 bytes so that even small arrays have strips."""
    pytest.importorskip("numba")
    monkeypatch.setattr(tuning, "CPU_MIN_ENTRIES", 0)
    monkeypatch.setattr(tuning, "CPU_CACHE_BYTES", 16)
    fused.enable(True)
    assert fused.available("cpu")


@pytest.mark.parametrize("N", range(0, 13))
def test_cpu_kernel_equals_torch_only_passes_and_brute_force(N, small_cpu_kernel):
    assert_kernels_match(fused.transform, None, [N], brute_force_up_to=10)


def test_cpu_kernel_on_a_space_with_blocks_and_strips_of_cache_size(monkeypatch):
    """2^21 entries with the default cache size: 8 blocks of 2^18, then strips of the 8-row matrix, 2 threads."""
    pytest.importorskip("numba")
    monkeypatch.setattr(tuning, "CPU_MIN_ENTRIES", 0)
    N = 21
    for g in list(start_arrays(N))[:2]:
        want = g.clone()
        reference.binary_transform(want, N, 1)
        assert fused.transform(g, N)
        assert torch.equal(g, want)


@pytest.mark.parametrize("layout", [(1, 1), (4, 8), (2**19, 2**16)], ids=["1-word chunks", "4-word chunks", "default"])
def test_cpu_dilation_equals_torch_only_and_brute_force(layout, small_cpu_kernel, monkeypatch):
    """Chunks of 1 and 4 words put most axes in the strips (partners in other rows), the default in the chunks."""
    monkeypatch.setattr(tuning, "CPU_CHUNK_WORDS", layout[0])
    monkeypatch.setattr(tuning, "CPU_STRIP_WORDS", layout[1])
    assert_kernels_match(None, fused.dilate, range(0, 15), brute_force_up_to=10)


def test_bitset_census_is_the_same_with_and_without_the_fused_dilation(small_cpu_kernel):
    space = ImageSpace(1, 2, 17)  # 2^17 images: the default chunk holds them all; strips have one row
    for classifier in (classifiers.random_labels(3, seed=4), classifiers.sum_threshold):
        labels = label_space(classifier, space, progress=False)
        got = bitset_census(labels, space)
        with fused.enable(False):
            plain = bitset_census(labels, space)
        assert all(np.array_equal(getattr(got, k), getattr(plain, k))
                   for k in ("classes", "size", "robust", "histogram", "max_robustness"))
        rs = robust_share(labels, robustness(labels, space, 0), np.arange(18))
        assert np.array_equal(got.robust, rs.robust)


@pytest.mark.parametrize("space", [ImageSpace(2), ImageSpace(3), ImageSpace(1, 2, 7), ImageSpace(1, 2, 14)],
                         ids=repr)
def test_census_is_the_same_with_and_without_the_fused_pass(space, small_cpu_kernel):
    for seed, classes in ((0, 2), (1, 3)):
        labels = label_space(classifiers.random_labels(classes, seed=seed), space, progress=False)
        for p in (0, 0.5, 1, 2, math.inf):
            got = robustness(labels, space, p)
            with fused.enable(False):
                plain = robustness(labels, space, p)
            assert torch.equal(got, plain), (space, classes, p)


def test_a_missing_backend_leaves_the_torch_only_passes_without_a_warning(monkeypatch):
    def no_numba(kind):  # what importing perturbkit.census.fused.cpu does where numba is not installed
        raise ImportError("No module named 'numba'")

    # fused.import_backend, not importlib.import_module: numba itself imports lazily through the latter
    monkeypatch.setattr(fused, "import_backend", no_numba)
    monkeypatch.setattr(fused, "BACKENDS", {})
    monkeypatch.setattr(tuning, "CPU_MIN_ENTRIES", 0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert fused.available("cpu") is False
        g = next(start_arrays(8))
        assert fused.transform(g.clone(), 8) is False
        space = ImageSpace(1, 2, 8)
        labels = label_space(classifiers.random_labels(2, seed=0), space, progress=False)
        r = robustness(labels, space, 0)
    assert r.min() == 1  # two random classes of 2^8 images: every image has a neighbour in the other class...
    assert r.max() <= 8  # ...or at least one within the whole cube


def test_a_kernel_that_fails_its_check_is_not_used(monkeypatch):
    import types

    broken = types.SimpleNamespace(census_pass=lambda *args: None, dilate=lambda *args: 0)  # change nothing
    monkeypatch.setattr(fused, "import_backend", lambda kind: broken)
    monkeypatch.setattr(fused, "BACKENDS", {})
    monkeypatch.setattr(tuning, "CPU_MIN_ENTRIES", 0)
    with pytest.warns(UserWarning, match="fused kernels on cpu are unavailable.*census pass disagrees"):
        assert fused.available("cpu") is False
    assert fused.transform(torch.zeros(2**17, dtype=torch.uint8), 17) is False
    assert fused.dilate(torch.zeros(2**11, dtype=torch.int64), torch.zeros(2**11, dtype=torch.int64), 17) is None


def test_the_kernel_runs_only_where_it_applies(small_cpu_kernel):
    g = torch.zeros(2**6, dtype=torch.uint8)
    assert fused.transform(g.to(torch.int16), 6) is False  # the census uses int16 only for huge N
    assert fused.transform(torch.zeros(2**7, dtype=torch.uint8)[::2], 6) is False  # not contiguous
    assert fused.transform(g, 5) is False  # wrong length
    with fused.enable(False):
        assert fused.transform(g, 6) is False
    assert fused.transform(g, 6) is True
    fused.enable(False)  # called as a function it switches at once, and stays
    try:
        assert fused.transform(g, 6) is False
    finally:
        fused.enable(True)
    with pytest.raises(KeyError), fused.enable(False):  # the previous state comes back when the block raises
        raise KeyError
    assert fused.transform(g, 6) is True
    assert fused.available("meta") is False


def test_the_kernels_leave_torchs_thread_count_alone(small_cpu_kernel):
    """torch's thread count decides the order of its float sums: a kernel must not change it (numba's OpenMP layer
    did, and a network trained after a census gave other losses)."""
    before = torch.get_num_threads()
    try:
        for threads in (1, 2):
            torch.set_num_threads(threads)
            assert fused.transform(torch.zeros(2**12, dtype=torch.uint8), 12)
            assert fused.dilate(torch.zeros(2**8, dtype=torch.int64), torch.zeros(2**8, dtype=torch.int64), 14) == 0
            assert torch.get_num_threads() == threads
    finally:
        torch.set_num_threads(before)


def test_enable_names_its_argument():
    with pytest.raises(TypeError, match="on must be True or False"):
        fused.enable("yes")


def test_cuda_kernels_in_tritons_interpreter_on_the_cpu():
    """The Triton kernels' index arithmetic, updates and counts, run by Triton's interpreter on CPU tensors."""
    pytest.importorskip("triton")
    script = textwrap.dedent("""
        from perturbkit.census.fused import cuda
        from tests.test_fused import assert_kernels_match
        assert_kernels_match(lambda g, N: cuda.census_pass(g, N, 1), cuda.dilate, range(0, 13), brute_force_up_to=9)
        print("ok")
    """)
    env = dict(os.environ, TRITON_INTERPRET="1",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-3000:]


@pytest.mark.gpu
def test_cuda_kernels_equal_the_torch_only_versions():
    assert fused.available("cuda"), "the Triton kernels did not pass their check on this GPU"

    def census_pass(g, N):  # on the GPU, the result copied back into the CPU tensor
        x = g.cuda()
        assert fused.transform(x, N)
        g.copy_(x.cpu())

    def dilate(src, dst, N):
        d = dst.cuda()
        count = fused.dilate(src.cuda(), d, N)
        dst.copy_(d.cpu())
        return count

    assert_kernels_match(census_pass, dilate, (1, 2, 9, 16, 21), brute_force_up_to=9)
    for space in (ImageSpace(3), ImageSpace(1, 2, 20)):
        labels = label_space(classifiers.random_labels(3, seed=2), space, progress=False)
        for p in (0, 2, math.inf):
            assert torch.equal(robustness(labels.cuda(), space, p).cpu(), robustness(labels, space, p))
    labels = label_space(classifiers.random_labels(3, seed=3), ImageSpace(1, 2, 20), progress=False)
    on_gpu = bitset_census(labels, ImageSpace(1, 2, 20), device="cuda")
    on_cpu = bitset_census(labels, ImageSpace(1, 2, 20))
    assert np.array_equal(on_gpu.histogram, on_cpu.histogram)
    big = bitset_census(classifiers.sum_threshold, ImageSpace(1, 2, 28), device="cuda")
    assert np.array_equal(big.histogram, binary_histogram(28))
