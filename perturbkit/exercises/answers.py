"""Turn a student's answer into a plain Python or NumPy value, or explain what is wrong with its form.

Answers arrive in every form a student may hold them in: Python numbers, NumPy scalars and arrays, torch tensors on
any device, lists and tuples. Each reader returns a plain value (``float``, ``int``, a 1-D ``numpy`` array, a
``frozenset``) or raises :class:`AnswerFormError`, whose message says what was received and what is expected. The
checkers turn that error into a printed verdict, so a malformed answer never ends in a traceback.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
import torch


class AnswerFormError(ValueError):
    """The answer has the wrong type, shape or value kind (string, NaN, ...); the message says what is expected."""


def _describe(x) -> str:
    if isinstance(x, str):
        return f"the text {x!r}"
    if isinstance(x, torch.Tensor):
        return f"a tensor of shape {tuple(x.shape)} and dtype {x.dtype}"
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape} and dtype {x.dtype}"
    return f"{type(x).__name__} {x!r}"[:120]


def _array(x, expects: str) -> np.ndarray:
    """Any array-like (tensor on any device, array, list, tuple, number) as a float64 NumPy array."""
    if x is ...:
        raise AnswerFormError(f"no answer yet: replace ... with {expects}")
    if x is None:
        raise AnswerFormError(f"the answer is None (did a function print instead of return?); expected {expects}")
    if isinstance(x, (str, bytes)):
        raise AnswerFormError(f"got {_describe(x)}; expected {expects}, not text (remove the quotes)")
    if isinstance(x, torch.Tensor):
        if x.is_complex():
            raise AnswerFormError(f"got a complex tensor; expected {expects}")
        if x.device.type == "meta":
            raise AnswerFormError(f"got a tensor on the meta device, which holds no values; expected {expects}")
        x = x.detach().to("cpu", torch.float64).numpy()
    try:
        a = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise AnswerFormError(f"got {_describe(x)}; expected {expects}") from None
    if np.isnan(a).any():
        raise AnswerFormError(f"the answer contains NaN; expected {expects}")
    return a


def number(x, expects: str = "a number") -> float:
    """A single real number: int, float, NumPy scalar, or a tensor/array with exactly one element."""
    if isinstance(x, bool) or isinstance(x, np.bool_):
        raise AnswerFormError(f"got the boolean {x}; expected {expects}")
    if isinstance(x, complex):
        raise AnswerFormError(f"got the complex number {x}; expected {expects}")
    a = _array(x, expects)
    if a.size != 1:
        raise AnswerFormError(f"got {_describe(x)} with {a.size} numbers; expected {expects}, a single value")
    return float(a.reshape(()))


def whole_number(x, expects: str = "a whole number") -> int:
    """A single integer; 12, 12.0, np.int64(12) and torch.tensor(12) are all accepted."""
    v = number(x, expects)
    if not math.isfinite(v) or v != math.floor(v):
        raise AnswerFormError(f"got {v!r}; expected {expects}")
    return int(v)


def vector(x, length: int | None = None, expects: str | None = None) -> np.ndarray:
    """A 1-D sequence of finite or infinite numbers (list, tuple, array, tensor); ``length`` entries if given."""
    expects = expects or (f"{length} numbers" if length else "a list of numbers")
    if isinstance(x, numbers.Number) and not isinstance(x, bool):
        raise AnswerFormError(f"got the single number {x!r}; expected {expects}")
    a = _array(x, expects)
    if a.ndim != 1 and a.size == (length or a.size) and a.squeeze().ndim == 1:
        a = a.reshape(-1)  # a (1, k) or (k, 1) array is accepted as k numbers
    if a.ndim != 1:
        raise AnswerFormError(f"got {_describe(x)}; expected {expects} in one dimension")
    if length is not None and a.size != length:
        raise AnswerFormError(f"got {a.size} numbers; expected {expects}")
    return a


def whole_number_set(x, expects: str = "a set of whole numbers") -> frozenset[int]:
    """A collection of integers in any order (set, list, tuple, array, tensor); duplicates count once."""
    if isinstance(x, (set, frozenset)):
        x = sorted(x, key=lambda v: (not isinstance(v, numbers.Number), v if isinstance(v, numbers.Number) else 0))
    if isinstance(x, numbers.Number) and not isinstance(x, bool):
        x = [x]
    a = _array(x, expects).reshape(-1)
    if not np.all(np.isfinite(a)) or not np.all(a == np.floor(a)):
        raise AnswerFormError(f"expected {expects}; some entries are not whole numbers")
    return frozenset(int(v) for v in a)


def choice(x, options: tuple[str, ...], expects: str | None = None) -> str:
    """One of a fixed set of short text answers (case and surrounding spaces ignored)."""
    expects = expects or "one of " + ", ".join(repr(o) for o in options)
    if x is ...:
        raise AnswerFormError(f"no answer yet: replace ... with {expects}")
    if not isinstance(x, str):
        raise AnswerFormError(f"got {_describe(x)}; expected {expects}")
    key = x.strip().lower()
    for o in options:
        if key == o.lower():
            return o
    raise AnswerFormError(f"got {x!r}; expected {expects}")
