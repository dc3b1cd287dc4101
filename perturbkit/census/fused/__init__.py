"""Compiled kernels for binary spaces that fuse many torch calls into one sweep: numba on the CPU, Triton on CUDA.

Two kernels, each with a torch-only twin that stays the reference and the fallback:

* the census pass (:func:`transform`, twin :func:`perturbkit.census.reference.axis_pass`). On a binary space the
  census's distance transform visits every axis once and, for every pair of images that differ in that entry only,
  sets a <- min(a, b + 1) and b <- min(b, a + 1). With torch calls that is four elementwise operations per axis,
  about 5.5 array-sized memory transfers where one read and one write would do. The kernels read a group of four
  entries (two axes) once, update it in registers and write it once: each sweep over memory does two passes.
* the dilation of the bit-packed census (:func:`dilate`, twin :func:`perturbkit.census.reference.dilate`): one Hamming
  step of a bitset and its popcount, without the dozens of whole-chunk temporaries of the torch-only version.

The results are the same integers (min, + 1 and OR never round); tests/test_fused.py checks them against the
torch-only versions and brute force, and the Triton kernels also in Triton's interpreter on the CPU.

Both libraries are optional: numba (the opt-in `fast` extra, `pip install 'perturbkit[fast]'`) and Triton (part of
torch's CUDA wheels). The first time a device needs its kernels they are imported and checked against the torch-only
versions on small random inputs; where the library is missing the torch-only versions run without a word, and where
the check fails a warning says so. :func:`enable` switches the kernels off and on (for comparisons; as a context
manager it restores the previous state on exit); :func:`available` says whether a device has them.

Layering: this package imports only the census's reference layer (:mod:`perturbkit.census.reference`, the torch-only
twins and the bit layout) and its tuning constants (:mod:`perturbkit.census.tuning`), never the censuses that use it.
"""

from __future__ import annotations

import contextlib
import importlib
import types
import warnings

import torch

from ...checks import check_bool, check_int, check_tensor
from .. import tuning
from ..reference import binary_transform
from ..reference import dilate as torch_dilate

__all__ = ["enable", "available", "applies", "transform", "dilate", "import_backend", "BACKENDS"]

_enabled = True
# device type -> the checked kernel module, or None where there is none. Tests replace it with an empty dict (and
# import_backend with a stand-in) to see a backend loaded afresh.
BACKENDS: dict[str, object] = {}


class enable(contextlib.AbstractContextManager):  # noqa: N801 - used like a function: fused.enable(False)
    """Use (``on=True``, the default) or stop using the fused kernels wherever a device has them.

    Takes effect at once; used as a context manager (``with fused.enable(False): ...``) it restores the previous
    state on exit, also when the block raises.
    """

    def __init__(self, on: bool = True):
        global _enabled
        on = check_bool("on", on)
        self.previous, _enabled = _enabled, on

    def __exit__(self, *exc) -> None:
        global _enabled
        _enabled = self.previous


def _run_transform(backend, g: torch.Tensor, N: int, c: int) -> None:
    if g.device.type == "cpu":
        backend.census_pass(g.numpy(), N, c, tuning.CPU_CACHE_BYTES)
    else:
        backend.census_pass(g, N, c)


def _run_dilate(backend, src: torch.Tensor, dst: torch.Tensor, N: int) -> int:
    if src.device.type == "cpu":
        return backend.dilate(src.numpy(), dst.numpy(), N, tuning.CPU_CHUNK_WORDS, tuning.CPU_STRIP_WORDS)
    return backend.dilate(src, dst, N)


@contextlib.contextmanager
def _quiet(kind: str):
    """Warnings off (numba's cache notices must not reach a lesson's output), numba's threads = torch's, and torch's
    thread count as it was afterwards (it decides the order of torch's float sums)."""
    threads = torch.get_num_threads()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if kind == "cpu":
            import numba

            numba.set_num_threads(max(1, min(threads, numba.config.NUMBA_NUM_THREADS)))
        try:
            yield
        finally:
            if torch.get_num_threads() != threads:
                torch.set_num_threads(threads)


def _self_check(module, kind: str) -> None:
    """Both kernels of ``module`` against the torch-only versions on small random inputs (raises on a difference)."""
    gen = torch.Generator().manual_seed(0)
    for N in (1, 5, 9, 12):  # odd and even counts of axes; one word, several, several chunks
        g = torch.randint(0, 2, (2**N,), generator=gen).to(torch.uint8).mul_(N + 1).to(kind)
        want = g.clone()
        binary_transform(want, N, 1)
        _run_transform(module, g, N, 1)
        if not torch.equal(g, want):
            raise RuntimeError(f"the census pass disagrees with the torch-only passes for N = {N}")
        words = max(1, 2**N // 64)
        src = torch.randint(-2**62, 2**62, (2, words), generator=gen).prod(dim=0)  # random bits, some dense words
        if N < 6:
            src &= (1 << 2**N) - 1  # a space under 64 images uses the low bits of its one word
        src = src.to(kind)
        want, got = torch.empty_like(src), torch.empty_like(src)
        count = torch_dilate(src, want, N, 4, torch.empty(4, dtype=torch.int64, device=kind))  # 4-word chunks
        if _run_dilate(module, src, got, N) != count or not torch.equal(got, want):
            raise RuntimeError(f"the dilation disagrees with the torch-only one for N = {N}")


def import_backend(kind: str) -> types.ModuleType:
    """The kernel module of a device type (``cpu``: numba, ``cuda``: Triton); ImportError without its library."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return importlib.import_module(f"{__name__}.{kind}")


def _load(kind: str):
    """The kernel module for a device type after its first-use check, or None."""
    if kind not in BACKENDS:
        backend = None
        try:
            module = import_backend(kind)
        except ImportError:
            module = None  # the optional library is not installed: the torch-only versions, silently
        if module is not None:
            try:
                with _quiet(kind):
                    _self_check(module, kind)
                backend = module
            except Exception as e:  # any failure of a compiled kernel: keep the torch-only versions
                warnings.warn(f"the fused kernels on {kind} are unavailable ({type(e).__name__}: "
                              f"{str(e).splitlines()[0][:200] if str(e) else ''}); using the torch-only versions",
                              stacklevel=3)
        BACKENDS[kind] = backend
    return BACKENDS[kind]


def _kind(device) -> str:
    """The type of ``device`` (a str such as 'cpu' or 'cuda:0', or a torch.device); a clear error for anything else.
    Devices of other types (e.g. 'meta') are valid: they have no kernels."""
    if isinstance(device, torch.device):
        return device.type
    if isinstance(device, str):
        try:
            return torch.device(device).type
        except RuntimeError:
            raise ValueError(f"device must be 'cpu', 'cuda', 'cuda:<index>' or a torch.device, got "
                             f"{device!r}") from None
    raise TypeError(f"device must be a str such as 'cpu' or 'cuda' or a torch.device, got {device!r:.60} "
                    f"({type(device).__name__})")


def available(device="cpu") -> bool:
    """Whether ``device`` (``"cpu"``, ``"cuda"`` or a torch.device) has working fused kernels (imports and checks
    them on the first call)."""
    kind = _kind(device)
    if kind == "cuda" and not torch.cuda.is_available():
        return False
    return kind in ("cpu", "cuda") and _load(kind) is not None


def applies(device, entries: int) -> bool:
    """Whether the fused kernels run for a space of ``entries`` images on ``device``: they are enabled, the device
    has them, and on the CPU the space is large enough to repay their loading (``tuning.CPU_MIN_ENTRIES``)."""
    kind = _kind(device)
    entries = check_int("entries", entries, minimum=0)
    if not _enabled or (kind == "cpu" and entries < tuning.CPU_MIN_ENTRIES):
        return False
    return available(kind)


def transform(g: torch.Tensor, N: int, c: int = 1) -> bool:
    """The census transform of the binary space's flat array ``g`` (uint8, 2**N entries, 0 on the set and N + 1
    elsewhere) with cost ``c`` per changed entry, in place on g's device, if a fused kernel applies; returns whether
    it ran (False: the caller runs the torch-only passes)."""
    check_tensor("g", g)
    N = check_int("N", N, minimum=0)
    c = check_int("c", c, minimum=0)
    if g.dtype != torch.uint8 or not g.is_contiguous() or g.numel() != 2**N:
        return False
    if not applies(g.device, g.numel()):
        return False
    with _quiet(g.device.type):
        _run_transform(BACKENDS[g.device.type], g, N, c)
    return True


def dilate(src: torch.Tensor, dst: torch.Tensor, N: int) -> int | None:
    """dst = src dilated by one Hamming step, for bitsets of 2**N images in int64 words (the layout of
    :mod:`perturbkit.census.reference`) on one device, if a fused kernel applies; returns the number of images in
    dst, or None (the caller runs the torch-only version)."""
    check_tensor("src", src)
    check_tensor("dst", dst)
    N = check_int("N", N, minimum=0, maximum=62)
    words = max(1, 2**N // 64)
    if not (src.dtype == dst.dtype == torch.int64 and src.numel() == dst.numel() == words
            and src.is_contiguous() and dst.is_contiguous() and src.device == dst.device):
        return None
    if not applies(src.device, 2**N):
        return None
    with _quiet(src.device.type):
        return _run_dilate(BACKENDS[src.device.type], src, dst, N)
