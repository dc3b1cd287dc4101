"""Census speed: perturbkit.census.robustness(p=0) against scipy.ndimage.distance_transform_edt, the full 2^25
census, the share of the streaming limit (a plain torch copy of the same array), and 2^30 images on the CPU.

Everything is measured in one run on one machine; the numbers worth quoting are the ratios. Usage:
    python benchmarks/census.py            # N = 16..22 against scipy, 2^25, streaming share, 2^30
    python benchmarks/census.py --quick    # N = 16..20 and 2^25 only
On a machine with CUDA it also runs the census on the GPU (2^32 images when the GPU has the memory).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch
from scipy import ndimage

from perturbkit import classifiers
from perturbkit.census import _plan, _transform, label_space, robustness
from perturbkit.spaces import ImageSpace


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
    robustness(labels, space, 0)  # warm-up
    t = best_of(lambda: robustness(labels, space, 0), repeat=5)
    print(f"full census of 2^{N} = {2**N:,} images (two classes, d_0, {device}): {t:.3f} s")
    # streaming limit: every pass reads and writes the array once; a copy does the same once
    plan = _plan(0, 2, N)
    g = torch.zeros(2**N, dtype=plan.dtype, device=device)
    g[labels == 1] = plan.inf
    work = g.clone()
    one = best_of(lambda: (work.copy_(g), _transform(work, 2, N, plan)), repeat=5)
    copy = best_of(lambda: work.copy_(g), repeat=5)
    passes = one - copy  # the transform alone
    traffic = 2 * g.numel() * g.element_size() * N  # bytes read + written by N passes
    limit = 2 * g.numel() * g.element_size() / copy
    print(f"one transform: {passes:.3f} s for {N} passes; copy of the same array: {copy * 1e3:.1f} ms "
          f"({limit / 1e9:.1f} GB/s); effective pass traffic "
          f"{traffic / passes / 1e9:.1f} GB/s = {100 * traffic / passes / limit:.0f}% of the streaming limit")


def big(N: int, device="cpu") -> None:
    space = ImageSpace(1, 2, N)
    start = time.perf_counter()
    labels = label_space(classifiers.sum_threshold, space, device=device, progress=False)
    r = robustness(labels, space, 0)
    took = time.perf_counter() - start
    print(f"2^{N} = {2**N:,} images on {device}: labelled and census done in {took:.1f} s; "
          f"max robustness {int(r.max())} (sum threshold: expected {N - N // 2 + (N % 2 == 0)})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip N = 22 and 2^30")
    parser.add_argument("--no-big", action="store_true", help="skip 2^30")
    args = parser.parse_args()
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} CPU threads")
    against_scipy([16, 18, 20] if args.quick else [16, 18, 20, 22])
    full_census(25)
    if not (args.quick or args.no_big):
        big(30)
    if torch.cuda.is_available():
        full_census(25, "cuda")
        free = torch.cuda.mem_get_info()[0]
        big(32 if free > 2**32 * 8 else 30, "cuda")
