"""Census speed: perturbkit.census.robustness(p=0) against scipy.ndimage.distance_transform_edt, the full 2^25
census, the share of the streaming limit (a plain torch copy of the same array) for the torch-only passes and the
fused kernel (perturbkit.census.fused: numba on the CPU, Triton on CUDA), and 2^30 images on the CPU; the
bit-packed census (perturbkit.census.bitset_census) against the byte census at 2^25 and of 2^34 sum-threshold images on
the CPU (2^36, every 6x6 binary image, on a GPU with the memory).

Everything is measured in one run on one machine; the numbers worth quoting are the ratios. Usage:
    python benchmarks/census.py             # N = 16..22 against scipy, 2^25, streaming shares, 2^30, bit-packed 2^34
    python benchmarks/census.py --quick     # N = 16..20 and 2^25 only
    python benchmarks/census.py --bitset 34 # only the bit-packed census of 2^34 images (time and peak memory)
    python benchmarks/census.py --gpu-only  # only the CUDA part (benchmarks/gpu/check.sh)
On a machine with CUDA it also runs the census on the GPU (2^32 images when the GPU has the memory) and the
bit-packed census of all 2^36 6x6 binary images when the GPU has the memory for it.
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np
import torch
from scipy import ndimage

from perturbkit import classifiers
from perturbkit.census import (
    bitset_bytes,
    bitset_census,
    fused,
    label_space,
    reference,
    robust_share,
    robustness,
    tuning,
)
from perturbkit.census.dense import transform
from perturbkit.spaces import ImageSpace
from perturbkit.sum_classifier import binary_histogram


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        if torch.cuda.is_available():
            torch.cuda.synchronize()
        start = time.perf_counter()
        fn()
        if torch.cuda.is_available():
            torch.cuda.synchronize()
        times.append(time.perf_counter() - start)
    return min(times)


def random_labels(N: int, device="cpu") -> torch.Tensor:
    g = torch.Generator().manual_seed(N)
    return (torch.rand(2**N, generator=g) < 0.5).to(torch.uint8).to(device)


def against_scipy(Ns) -> None:
    print("N   images      ours (s)  scipy edt, both classes (s)  speed-up  identical")
    for N in Ns:
        space = ImageSpace(1, 2, N)
        labels = random_labels(N)
        robustness(labels, space, 0)  # warm-up: thread pool, first-touch of the allocator's pages
        ours = best_of(lambda labels=labels, space=space: robustness(labels, space, 0), repeat=7)
        r = robustness(labels, space, 0)
        a = labels.numpy().reshape((2,) * N)
        start = time.perf_counter()
        # scipy gives each non-zero element its distance to the nearest zero: one call per class
        d1 = ndimage.distance_transform_edt(a)
        d0 = ndimage.distance_transform_edt(1 - a)
        theirs = time.perf_counter() - start
        hamming = np.where(a == 1, d1, d0) ** 2  # squared euclidean distance on {0,1}^N is the Hamming distance
        same = np.array_equal(np.rint(hamming).astype(np.int64).reshape(-1), r.numpy().astype(np.int64))
        print(f"{N:<3d} {2**N:<11,d} {ours:<9.3f} {theirs:<28.3f} {theirs / ours:<9.0f} {same}")


def full_census(N: int, device="cpu") -> None:
    space = ImageSpace(1, 2, N)
    labels = random_labels(N, device)
    times = []
    for use_fused in (False, True):
        with fused.enable(use_fused):
            robustness(labels, space, 0)  # warm-up
            times.append(best_of(lambda: robustness(labels, space, 0), repeat=5))
    kernel = "fused kernel" if fused.available(device) else "no fused kernel: torch-only again"
    print(f"full census of 2^{N} = {2**N:,} images (two classes, d_0, {device}): torch-only passes {times[0]:.3f} s, "
          f"{kernel} {times[1]:.3f} s ({times[0] / times[1]:.1f}x)")
    # streaming limit: every pass reads and writes the array once; a copy does the same once
    plan = reference.plan(0, 2, N)
    g = torch.zeros(2**N, dtype=plan.dtype, device=device)
    g[labels == 1] = plan.inf
    want = g.clone()
    reference.transform(want, 2, N, plan)
    work = g.clone()
    copy = best_of(lambda: work.copy_(g), repeat=7)
    limit = 2 * g.numel() * g.element_size() / copy
    traffic = 2 * g.numel() * g.element_size() * N  # bytes read + written by N passes
    print(f"copy of the same {g.numel() * g.element_size() / 2**20:.0f} MiB array: {copy * 1e3:.2f} ms "
          f"({limit / 1e9:.1f} GB/s)")
    for name, use_fused in (("torch-only passes", False), ("fused kernel", True)):
        if use_fused and not fused.available(device):
            print(f"fused kernel: none on {device} (numba on the CPU, Triton on CUDA: is it installed?)")
            continue
        with fused.enable(use_fused):
            transform(work.copy_(g), 2, N, plan)  # warm-up (the fused kernel's first call compiles it)
            one = best_of(lambda: (work.copy_(g), transform(work, 2, N, plan)), repeat=7)
        passes = one - copy  # the transform alone
        print(f"one transform, {name}: {passes * 1e3:.1f} ms for {N} passes; effective pass traffic "
              f"{traffic / passes / 1e9:.1f} GB/s = {100 * traffic / passes / limit:.0f}% of the copy; "
              f"identical to the torch-only kernel: {torch.equal(work, want)}")


def big(N: int, device="cpu") -> None:
    space = ImageSpace(1, 2, N)
    start = time.perf_counter()
    labels = label_space(classifiers.sum_threshold, space, device=device, progress=False)
    r = robustness(labels, space, 0)
    took = time.perf_counter() - start
    print(f"2^{N} = {2**N:,} images on {device}: labelled and census done in {took:.1f} s; "
          f"max robustness {int(r.max())} (sum threshold: expected {N - N // 2 + (N % 2 == 0)})")


def peak_rss_gib() -> float:
    """Peak resident memory of this process so far (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def bitset(N: int, device="cpu") -> None:
    """The bit-packed census of the sum threshold on 2^N images, labelled chunk by chunk, against the closed form."""
    space = ImageSpace(1, 2, N)
    need = bitset_bytes(space, 2, device)
    if device == "cuda":
        torch.cuda.reset_peak_memory_stats()
    b = bitset_census(classifiers.sum_threshold, space, device=device)
    exact = np.array_equal(b.histogram, binary_histogram(N))
    peak = torch.cuda.max_memory_allocated() / 2**30 if device == "cuda" else peak_rss_gib()
    print(f"bit-packed census of 2^{N} = {2**N:,} images (sum threshold, both classes, {device}): "
          f"{b.seconds:.1f} s, {int(b.max_robustness.sum())} dilation rounds, planned {need / 2**30:.2f} GiB, "
          f"peak {'allocated' if device == 'cuda' else 'resident'} {peak:.2f} GiB; max robustness "
          f"{b.max_robustness.tolist()}; histogram equals the closed form: {exact}")


def bitset_fused(N: int, device="cpu") -> None:
    """The bit-packed census of the sum threshold with the torch-only dilation and with the fused kernel."""
    space = ImageSpace(1, 2, N)
    runs = {}
    for use_fused in (False, True):
        with fused.enable(use_fused):
            runs[use_fused] = bitset_census(classifiers.sum_threshold, space, device=device)
    same = all(np.array_equal(getattr(runs[False], k), getattr(runs[True], k)) for k in ("histogram", "robust"))
    kernel = "fused kernel" if fused.available(device) else "no fused kernel: torch-only again"
    print(f"bit-packed census of 2^{N} sum-threshold images ({device}): torch-only dilation "
          f"{runs[False].seconds:.2f} s, "
          f"{kernel} {runs[True].seconds:.2f} s ({runs[False].seconds / runs[True].seconds:.1f}x); identical: {same}")


def bitset_against_bytes(N: int) -> None:
    """Both censuses of one random labelling: identical curves, and the time of each."""
    space = ImageSpace(1, 2, N)
    labels = random_labels(N)
    start = time.perf_counter()
    r = robustness(labels, space, 0)
    rs = robust_share(labels, r, np.arange(N + 1))
    t_bytes = time.perf_counter() - start
    b = bitset_census(labels, space)
    print(f"2^{N} random labels: byte census + robust_share {t_bytes:.2f} s, bit-packed census {b.seconds:.2f} s; "
          f"identical curves: {np.array_equal(b.robust, rs.robust)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip N = 22 and 2^30")
    parser.add_argument("--no-big", action="store_true", help="skip 2^30 and the 2^34 bit-packed census")
    parser.add_argument("--gpu-only", action="store_true", help="only the CUDA measurements")
    parser.add_argument("--bitset", type=int, default=None, metavar="N",
                        help="only the bit-packed census of 2^N sum-threshold images on the CPU")
    args = parser.parse_args()
    tuning.CPU_MIN_ENTRIES = 0  # measure the CPU kernels on every size (the census uses them from 2^27 images)
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} CPU threads")
    if args.bitset is not None:
        bitset(args.bitset)
        raise SystemExit
    if not args.gpu_only:
        against_scipy([16, 18, 20] if args.quick else [16, 18, 20, 22])
        full_census(25)
        bitset_against_bytes(25)
        bitset_fused(25 if args.quick else 30)
    if not (args.quick or args.no_big or args.gpu_only):
        big(30)
        bitset(34)
    if torch.cuda.is_available():
        print(f"GPU: {torch.cuda.get_device_name()}")
        full_census(30, "cuda")  # 1 GiB: beyond the L2 cache, a copy runs at the memory's bandwidth
        bitset_fused(32, "cuda")
        free = torch.cuda.mem_get_info()[0]
        big(32 if free > 2**32 * 8 else 30, "cuda")
        need = bitset_bytes(ImageSpace(6), 2, "cuda")
        if free > need:
            bitset(36, "cuda")  # every 6x6 binary image
        else:
            print(f"6x6 census (2^36 images) skipped: needs {need / 2**30:.1f} GiB, {free / 2**30:.1f} GiB free")
