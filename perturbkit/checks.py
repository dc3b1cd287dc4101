"""Argument checks: the one validation module of perturbkit, used at every public function's boundary.

Each error names the argument, the value and what is allowed. Learners may use these checks in their own code.
"""

from __future__ import annotations

import math
import numbers

import torch


def check_int(name: str, value, minimum: int | None = None) -> int:
    """Return ``value`` as an int, or raise naming ``name``, the value and the allowed range."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r} ({type(value).__name__})")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}")
    return value


def check_p(p) -> float:
    """Return the norm exponent ``p`` as a float in [0, inf], or raise a clear error."""
    if isinstance(p, bool) or not isinstance(p, numbers.Real):
        raise TypeError(f"p must be a real number in [0, inf] (use float('inf') or math.inf for the max norm), got {p!r}")
    p = float(p)
    if math.isnan(p) or p < 0:
        raise ValueError(f"p must be a real number in [0, inf] (0 counts changed entries), got {p}")
    return p


def check_finite(name: str, x: torch.Tensor) -> torch.Tensor:
    """Raise if ``x`` is not a floating tensor without NaN or infinity."""
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(x).__name__}")
    if not x.is_floating_point():
        raise TypeError(f"{name} must be a floating-point tensor, got dtype {x.dtype}")
    if x.numel() and not bool(torch.isfinite(x).all()):
        bad = int((~torch.isfinite(x)).sum())
        raise ValueError(f"{name} contains {bad} NaN or infinite value(s); all entries must be finite")
    return x
