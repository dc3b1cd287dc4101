"""The census's binary pass fused into compiled kernels: numba on the CPU, Triton on CUDA.

On a binary space the census's distance transform (:mod:`perturbkit.census`) visits every axis once and, for every
pair of images that differ in that entry only, sets a <- min(a, b + 1) and b <- min(b, a + 1). Written with torch
calls that is four elementwise operations per axis, about 5.5 array-sized memory transfers where one read and one
write would do. The kernels here read a group of four entries (two axes) once, update it in registers and write it
once, so each sweep over memory does two passes. The numbers are the same integers either way (min and + 1 on
uint8 never round); tests/test_fused_pass.py checks them against the torch-only passes and brute force.

Both backends are optional: numba (part of the course's install) and Triton (part of torch's CUDA wheels). The first
time a backend is needed it is imported and checked against the torch-only passes on a small random array; where it
is missing the census keeps the torch-only passes without a word, and where it fails the check a warning says so.
:func:`enable` switches the fused kernels off and on (for comparisons); :func:`available` says whether a device has
one.
"""

from __future__ import annotations

import importlib
import warnings

import torch

from ..checks import check_bool

__all__ = ["enable", "available", "transform"]

# The CPU kernel pays a one-off import and compile (or cache load) of about a second: below this many entries the
# torch-only passes take less than that in total. Tests lower it to run the kernel on small spaces.
_CPU_MIN_ENTRIES = 2**16
# Blocks and strips of this many bytes sit in one core's L2 cache while they get their passes.
_CPU_CACHE_BYTES = 2**18

_enabled = True
_backends: dict[str, object] = {}  # device type -> the checked module, or None where there is none


def enable(on: bool = True) -> None:
    """Use (``on=True``, the default) or stop using the fused kernels wherever a device has one."""
    global _enabled
    _enabled = check_bool("on", on)


def _torch_only(g: torch.Tensor, N: int, c: int) -> None:
    # the reference: one torch-only pass per axis (census._axis_pass, whole array)
    from ..census import _axis_pass, _Plan

    plan = _Plan("hamming", torch.uint8, 255, (0, c))
    for i in range(N):
        _axis_pass(g.view(2**i, 2, 2 ** (N - 1 - i)), plan)


def _run(backend, g: torch.Tensor, N: int, c: int) -> None:
    if g.device.type == "cpu":
        with warnings.catch_warnings():  # numba's cache notices must not reach a lesson's output
            warnings.simplefilter("ignore")
            import numba

            numba.set_num_threads(max(1, min(torch.get_num_threads(), numba.config.NUMBA_NUM_THREADS)))
            backend.run(g.numpy(), N, c, _CPU_CACHE_BYTES)
    else:
        backend.run(g, N, c)


def _load(kind: str):
    """The backend module for a device type after its first-use check, or None."""
    if kind not in _backends:
        backend = None
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                module = importlib.import_module(f"{__name__}.{kind}")
        except ImportError:
            pass  # the optional library is not installed: the torch-only passes, silently
        else:
            try:
                gen = torch.Generator().manual_seed(0)
                for N in (1, 5, 9, 12):  # odd and even counts of axes, blocks and strips
                    g = torch.randint(0, 2, (2**N,), generator=gen).to(torch.uint8).mul_(N + 1).to(kind)
                    want = g.clone()
                    _torch_only(want, N, 1)
                    _run(module, g, N, 1)
                    if not torch.equal(g, want):
                        raise RuntimeError(f"it disagrees with the torch-only passes for N = {N}")
                backend = module
            except Exception as e:  # any failure of the compiled kernel: keep the torch-only passes
                warnings.warn(f"the fused census pass on {kind} is unavailable ({type(e).__name__}: "
                              f"{str(e).splitlines()[0][:200] if str(e) else ''}); using the torch-only passes",
                              stacklevel=3)
        _backends[kind] = backend
    return _backends[kind]


def available(device="cpu") -> bool:
    """Whether ``device`` (``"cpu"``, ``"cuda"`` or a torch.device) has a working fused kernel (imports and checks
    it on the first call)."""
    kind = torch.device(device).type
    if kind == "cuda" and not torch.cuda.is_available():
        return False
    return kind in ("cpu", "cuda") and _load(kind) is not None


def transform(g: torch.Tensor, N: int, c: int = 1) -> bool:
    """The census transform of the binary space's flat array ``g`` (uint8, 2**N entries, 0 on the set and N + 1
    elsewhere) with cost ``c`` per changed entry, in place on g's device, if a fused kernel applies; returns whether
    it ran (False: the caller runs the torch-only passes)."""
    if not _enabled or g.dtype != torch.uint8 or not g.is_contiguous() or g.numel() != 2**N:
        return False
    kind = g.device.type
    if kind == "cpu" and g.numel() < _CPU_MIN_ENTRIES:
        return False
    backend = _load(kind) if kind in ("cpu", "cuda") else None
    if backend is None:
        return False
    _run(backend, g, N, c)
    return True
