"""Claims: check a floating-point result against the statement it supports, and print the statement, not the digits.

Some results of the course follow a floating-point trajectory: training a network, a gradient attack, a Monte Carlo
average, any float reduction or GPU kernel. Their last digits change with the CPU, the number of threads and the
device, so a lesson must not store them as the thing to compare. Instead it states a claim with an honest range
("FGSM at eps = 0.2 leaves at most 20% accuracy") and checks it here:

>>> expect(0.08, high=0.2, what="accuracy under FGSM at eps = 0.2")
claim holds: accuracy under FGSM at eps = 0.2 is at most 0.2

The printed line is the same on every machine; when the value leaves the range, :class:`ClaimFailed` names the claim,
the measured value and the range, so that a teacher sees at once what broke. Exact results (counts, closed forms,
integer distances) need no claim: they are printed as they are and compared byte for byte.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
import torch

__all__ = ["ClaimFailed", "expect", "expect_true"]


class ClaimFailed(AssertionError):
    """A claim the lesson states did not hold for the value measured on this machine."""


def _as_float(value, name: str = "value") -> float:
    if isinstance(value, torch.Tensor):
        if value.numel() != 1:
            raise TypeError(f"{name} must be a single number, got a tensor of shape {tuple(value.shape)}")
        if value.device.type == "meta":
            raise ValueError(f"{name} is a tensor on the meta device, which holds no number")
        if value.is_complex():
            raise TypeError(f"{name} must be a real number, got a complex tensor")
        value = value.item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r:.60} ({type(value).__name__})")
    try:
        return float(value)
    except OverflowError:
        raise ValueError(f"{name} must be a number a float can hold, got an integer too large for a float") from None


def _fmt(x: float) -> str:
    return f"{x:g}"


def expect(value, low: float = -math.inf, high: float = math.inf, what: str = "the value") -> None:
    """Check ``low <= value <= high`` and print ``claim holds: <what> is ...``; raise :class:`ClaimFailed` if not.

    ``value`` is a Python or NumPy number or a one-element tensor (on any device). NaN never satisfies a claim.
    The printed line holds the claim and its range only, never the value, so that it is the same on every machine.
    """
    if not isinstance(what, str) or not what:
        raise TypeError(f"what must be a non-empty string describing the claim, got {what!r}")
    low, high = _as_float(low, "low"), _as_float(high, "high")
    if math.isnan(low) or math.isnan(high) or low > high:
        raise ValueError(f"low and high must be numbers with low <= high, got low={low}, high={high}")
    v = _as_float(value)
    if math.isinf(low) and math.isinf(high):
        raise ValueError("give low, high or both: a claim without a range checks nothing")
    if math.isinf(low):
        statement = f"{what} is at most {_fmt(high)}"
    elif math.isinf(high):
        statement = f"{what} is at least {_fmt(low)}"
    else:
        statement = f"{what} is between {_fmt(low)} and {_fmt(high)}"
    if not low <= v <= high:  # also false for NaN
        raise ClaimFailed(f"claim failed: {statement}, but the value measured here is {v!r}")
    print(f"claim holds: {statement}")


def expect_true(condition, what: str, measured: str = "") -> None:
    """Check a claim that is a yes/no statement (an ordering, a comparison) and print it; raise if it is false.

    ``measured`` describes the values behind the claim; it appears only in the error, never in the printed line.
    """
    if not isinstance(what, str) or not what:
        raise TypeError(f"what must be a non-empty string describing the claim, got {what!r}")
    if not isinstance(measured, str):
        raise TypeError(f"measured must be a string describing the values behind the claim, got {measured!r:.60}")
    if isinstance(condition, torch.Tensor):
        if condition.numel() != 1:
            raise TypeError(f"condition must be one truth value, got a tensor of shape {tuple(condition.shape)}")
        if condition.device.type == "meta":
            raise ValueError("condition is a tensor on the meta device, which holds no truth value")
        if condition.dtype != torch.bool:
            raise TypeError(f"condition must be a truth value (bool), got a tensor of dtype {condition.dtype}")
        condition = bool(condition.item())
    if not isinstance(condition, (bool, np.bool_)):
        raise TypeError(f"condition must be a truth value (bool), got {condition!r} ({type(condition).__name__})")
    if not bool(condition):
        detail = f" (measured here: {measured})" if measured else ""
        raise ClaimFailed(f"claim failed: {what}{detail}")
    print(f"claim holds: {what}")
