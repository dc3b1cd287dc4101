"""Argument checks: the one validation module of perturbkit, used at every public function's boundary.

Each error names the argument, the value and what is allowed. Learners may use these checks in their own code.
Numbers: ``check_int``, ``check_real``, ``check_bool``, ``check_p``, ``check_radii``; radii and budgets:
``check_eps``; sequences: ``check_sequence``. Tensors: ``check_tensor``, ``check_finite``, ``check_unit``,
``check_images``, ``check_lattice``, ``check_labels``, ``check_same_length``, ``check_nonempty``. Models and
devices: ``check_device``, ``check_model``, ``check_model_device``, ``check_data``. Memory: ``available_bytes``,
``check_memory``, ``check_space_memory``.
"""

from __future__ import annotations

import math
import numbers
from fractions import Fraction

import numpy as np
import torch

__all__ = ["check_int", "check_real", "check_bool", "check_p", "check_radii", "check_choice", "check_sequence",
           "check_tensor",
           "check_finite", "check_unit", "check_images", "check_lattice", "check_labels", "check_same_length",
           "check_nonempty", "check_eps", "check_device", "check_model", "check_model_device",
           "model_device", "check_data", "available_bytes", "check_memory", "check_space_memory", "check_share"]


def _describe(value) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({type(value).__name__})"


# ------------------------------------------------------------------------------------------------------ numbers
def _float(name: str, value) -> float:
    """``float(value)``, or a ValueError naming ``name`` for an integer too large for a float (about 1.8e308)."""
    try:
        return float(value)
    except OverflowError:
        bits = int(value).bit_length() if isinstance(value, numbers.Integral) else None
        size = f"an integer of {bits} bits" if bits is not None else f"{_describe(value)}"
        raise ValueError(f"{name} must be a number a float can hold (at most about 1.8e308), got {size}") from None


def _scalar(value):
    """A 0-d (or one-element numpy) array or tensor as the Python scalar it holds; anything else unchanged."""
    if isinstance(value, torch.Tensor) and value.dim() == 0:
        return value.item()
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value.item()
    return value


def check_int(name: str, value, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return ``value`` as an int, or raise naming ``name``, the value and the allowed range.

    Accepts Python and NumPy integers (and 0-d integer tensors); rejects bool, float, str and None (TypeError).
    """
    value = _scalar(value)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {_describe(value)}")
    value = int(value)
    try:
        if minimum is not None and value < minimum:
            raise ValueError(f"{name} must be an integer >= {minimum}, got {value}")
        if maximum is not None and value > maximum:
            raise ValueError(f"{name} must be an integer <= {maximum}, got {value}")
    except TypeError:
        raise TypeError(f"minimum and maximum must be numbers or None, got {minimum!r} and {maximum!r}") from None
    return value


def check_real(name: str, value, minimum: float | None = None, maximum: float | None = None,
               min_open: bool = False, max_open: bool = False, finite: bool = True) -> float:
    """Return ``value`` as a float in the given range, or raise naming ``name``.

    Accepts Python and NumPy real numbers (and 0-d tensors); rejects bool, str, None and complex (TypeError) and NaN
    always, infinity unless ``finite=False`` (ValueError). ``min_open``/``max_open`` exclude the end points.
    """
    value = _scalar(value)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {_describe(value)}")
    value = _float(name, value)
    if math.isnan(value):
        raise ValueError(f"{name} must be a real number, got NaN")
    if finite and math.isinf(value):
        raise ValueError(f"{name} must be finite, got {value}")
    for bound in (minimum, maximum):
        if bound is not None and (isinstance(bound, bool) or not isinstance(bound, numbers.Real)):
            raise TypeError(f"minimum and maximum must be numbers or None, got {minimum!r} and {maximum!r}")
    lo = "" if minimum is None else ("(" if min_open else "[") + f"{minimum:g}"
    hi = "" if maximum is None else f"{maximum:g}" + (")" if max_open else "]")
    if (minimum is not None and (value < minimum or (min_open and value == minimum))) or \
            (maximum is not None and (value > maximum or (max_open and value == maximum))):
        rng = f"in {lo or '(-inf'}, {hi or 'inf)'}"
        raise ValueError(f"{name} must be a number {rng}, got {value}")
    return value


def check_share(share, name: str = "share") -> float:
    """A share (of a class or of the space) as a float in the closed interval [0, 1], or a clear error naming
    ``name``. The course's one convention: 0 and 1 are shares like any other; a function whose answer does not
    exist at an end (a radius for share 0 that is infinite, a bound trivial from 1/2 on) says so itself."""
    return check_real(name, share, minimum=0, maximum=1)


def check_bool(name: str, value) -> bool:
    """Return ``value`` if it is a real bool (True/False, or a NumPy bool); anything else is a TypeError.

    Flags that guard the user's files (``overwrite``) must be said by name: the string "no" is not False.
    """
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise TypeError(f"{name} must be True or False, got {_describe(value)}")


def check_p(p, name: str = "p") -> float:
    """Return the norm exponent ``p`` as a float in [0, inf], or raise a clear error."""
    p = _scalar(p)
    if isinstance(p, (bool, np.bool_)) or not isinstance(p, numbers.Real):
        raise TypeError(f"{name} must be a real number in [0, inf] (use float('inf') or math.inf for the max norm), "
                        f"got {_describe(p)}")
    try:
        p = float(p)
    except OverflowError:
        raise ValueError(f"{name} must be a real number in [0, inf], got an integer of {int(p).bit_length()} bits, too "
                         f"large for a float; use float('inf') or math.inf for the max norm") from None
    if math.isnan(p) or p < 0:
        raise ValueError(f"{name} must be a real number in [0, inf] (0 counts changed entries), got {p}")
    return p


def check_radii(name: str, t, integer: bool = False, finite: bool = False, empty_ok: bool = True,
                negative_ok: bool = False) -> np.ndarray:
    """A number or a sequence of radii as a float64 array: >= 0 (unless ``negative_ok``), no NaN (and whole
    numbers when ``integer``)."""
    if isinstance(t, (str, bytes)) or t is None or isinstance(t, (bool, np.bool_)):
        raise TypeError(f"{name} must be a number or a sequence of numbers, got {_describe(t)}")
    if isinstance(t, torch.Tensor):
        _has_values(name, t)
        t = t.detach().cpu().numpy()
    try:
        a = np.asarray(t, dtype=np.float64)
    except OverflowError:
        raise ValueError(f"{name} must hold numbers a float can hold (at most about 1.8e308), got an integer too "
                         f"large for a float") from None
    except (TypeError, ValueError) as e:
        raise TypeError(f"{name} must be a number or a sequence of numbers, got {_describe(t)}") from e
    if a.dtype == object or np.asarray(t).dtype.kind in "bUSO":
        raise TypeError(f"{name} must be a number or a sequence of numbers, got {_describe(t)}")
    if not empty_ok and a.size == 0:
        raise ValueError(f"{name} must hold at least one value, got an empty sequence")
    if np.isnan(a).any() or (not negative_ok and (a < 0).any()):
        raise ValueError(f"{name} must be >= 0 (and not NaN), got {_describe(t)}")
    if finite and np.isinf(a).any():
        raise ValueError(f"{name} must be finite, got {_describe(t)}")
    if integer and (np.isinf(a).any() or (a != np.floor(a)).any()):
        raise ValueError(f"{name} counts changed entries and must be a whole number, got {_describe(t)}")
    return a


def check_choice(name: str, value, options) -> object:
    """Return ``value`` if it is one of ``options``, else a ValueError listing them."""
    if isinstance(options, (str, bytes)) or not hasattr(options, "__iter__"):
        raise TypeError(f"options must be a collection of the allowed values, got {_describe(options)}")
    try:
        ok = value in options
    except TypeError:
        ok = False
    if not ok:
        raise ValueError(f"{name} must be one of {list(options)}, got {_describe(value)}")
    return value


# ------------------------------------------------------------------------------------------------------ tensors
def _has_values(name: str, x: torch.Tensor) -> torch.Tensor:
    """Raise unless the tensor ``x`` holds values: a tensor on the meta device has a shape and a dtype only."""
    if x.device.type == "meta":
        raise ValueError(f"{name} is a tensor on the meta device, which holds no values; create it on 'cpu' or "
                         f"'cuda'")
    return x


def check_tensor(name: str, x, dim: int | tuple | None = None, min_dim: int | None = None,
                 floating: bool | None = None) -> torch.Tensor:
    """Raise unless ``x`` is a torch.Tensor with the given number of dimensions (and floating dtype if asked)."""
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(x).__name__}")
    _has_values(name, x)
    dims = (dim,) if isinstance(dim, int) else dim
    if dims is not None and not (isinstance(dims, tuple) and all(isinstance(d, int) for d in dims)):
        raise TypeError(f"dim must be an int, a tuple of ints or None, got {_describe(dim)}")
    if dims is not None and x.dim() not in dims:
        raise ValueError(f"{name} must have {' or '.join(map(str, dims))} dimensions, got shape {tuple(x.shape)}")
    if min_dim is not None and x.dim() < min_dim:
        raise ValueError(f"{name} must have at least {min_dim} dimensions, got shape {tuple(x.shape)}")
    if floating and not x.is_floating_point():
        raise TypeError(f"{name} must be a floating-point tensor, got dtype {x.dtype}")
    return x


def check_finite(name: str, x: torch.Tensor) -> torch.Tensor:
    """Raise if ``x`` is not a floating tensor without NaN or infinity."""
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(x).__name__}")
    _has_values(name, x)
    if not x.is_floating_point():
        raise TypeError(f"{name} must be a floating-point tensor, got dtype {x.dtype}")
    if x.numel() and not bool(torch.isfinite(x).all()):
        bad = int((~torch.isfinite(x)).sum())
        raise ValueError(f"{name} contains {bad} NaN or infinite value(s); all entries must be finite")
    return x


def check_unit(name: str, x: torch.Tensor) -> torch.Tensor:
    """Raise unless ``x`` is a finite floating tensor with every value in [0, 1] (intensities)."""
    check_finite(name, x)
    if x.numel():
        lo, hi = float(x.min()), float(x.max())
        if lo < 0 or hi > 1:
            raise ValueError(f"{name} must have values in [0, 1] (intensities), got values in [{lo:.4g}, {hi:.4g}]"
                             + ("; divide 0..255 images by 255" if hi > 1.5 else ""))
    return x


def check_images(name: str, x, dim: int = 4, unit: bool = True, nonempty: bool = False) -> torch.Tensor:
    """Finite float images with ``dim`` dimensions ((k, c, n, n) for dim=4, (c, n, n) for dim=3), in [0, 1]."""
    check_finite(name, x)
    if x.dim() != dim:
        want = "(k, channels, n, n)" if dim == 4 else "(channels, n, n)" if dim == 3 else f"{dim} dimensions"
        raise ValueError(f"{name} must have shape {want}, got {tuple(x.shape)}")
    if nonempty and x.shape[0] == 0:
        raise ValueError(f"{name} is empty (shape {tuple(x.shape)}): give at least one image")
    if unit:
        check_unit(name, x)
    return x


def check_lattice(name: str, x: torch.Tensor, levels: int) -> torch.Tensor:
    """Raise unless every value of ``x`` lies on the ``levels``-level lattice {0, 1/(L-1), ..., 1}."""
    levels = check_int("levels", levels, minimum=2)
    check_unit(name, x)
    k = levels - 1
    off = (x * k - torch.round(x * k)).abs() > 1e-4
    if bool(off.any()):
        raise ValueError(f"{name} has {int(off.sum())} value(s) off the {levels}-level lattice {{0, 1/{k}, ..., 1}}, "
                         f"e.g. {float(x[off][0])!r}; use perturbkit.data.quantize({name}, {levels}) first")
    return x


def check_labels(name: str, y, k: int | None = None, classes: int | None = None, device=None) -> torch.Tensor:
    """Raise unless ``y`` is an int64 tensor (k,) of labels in 0..classes-1 (on ``device`` when given)."""
    if not isinstance(y, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor of int64 labels, got {type(y).__name__}")
    _has_values(name, y)
    k = None if k is None else check_int("k", k, minimum=0)
    classes = None if classes is None else check_int("classes", classes, minimum=1)
    if y.dtype != torch.int64:
        raise TypeError(f"{name} must be an int64 tensor of labels, got dtype {y.dtype}")
    if y.dim() != 1:
        raise ValueError(f"{name} must have shape (k,), got {tuple(y.shape)}")
    if k is not None and y.shape[0] != k:
        raise ValueError(f"{name} must have shape ({k},), one label per image, got {tuple(y.shape)}")
    if device is not None and y.device != torch.device(device):
        raise ValueError(f"{name} must be on the device of the images ({device}), got {y.device}")
    if y.numel():
        lo, hi = int(y.min()), int(y.max())
        if lo < 0 or (classes is not None and hi >= classes):
            allowed = f"0..{classes - 1}" if classes is not None else ">= 0"
            raise ValueError(f"{name} must hold labels in {allowed}" +
                             (f" (the model has {classes} outputs)" if classes is not None else "") +
                             f", got range [{lo}, {hi}]")
    return y


def _length(name: str, x) -> int:
    """The length (first dimension) of a tensor, array or sequence, or a TypeError naming ``name``."""
    if hasattr(x, "shape") and len(x.shape):
        return x.shape[0]
    if isinstance(x, (str, bytes)) or not hasattr(x, "__len__"):
        raise TypeError(f"{name} must be a tensor, an array or a sequence, got {_describe(x)}")
    return len(x)


def check_sequence(name: str, values, check, nonempty: bool = True) -> list:
    """The entries of the sequence ``values`` (a list, tuple, range, array or 1-d tensor), each passed through
    ``check(f"{name}[i]", entry)``: a TypeError for a number, a string or None, a ValueError for an empty sequence
    (unless ``nonempty=False``). E.g. ``check_sequence("ns", ns, lambda k, n: check_int(k, n, minimum=1))``."""
    if isinstance(values, (str, bytes, dict, set)) or not hasattr(values, "__iter__") or \
            (isinstance(values, (torch.Tensor, np.ndarray)) and values.ndim != 1):
        raise TypeError(f"{name} must be a sequence such as a list or a tuple, got {_describe(values)}")
    if isinstance(values, torch.Tensor):
        _has_values(name, values)
    values = list(values)
    if nonempty and not values:
        raise ValueError(f"{name} must hold at least one value, got an empty sequence")
    return [check(f"{name}[{i}]", v) for i, v in enumerate(values)]


def check_same_length(name_a: str, a, name_b: str, b) -> int:
    """Raise unless ``a`` and ``b`` have the same length (first dimension)."""
    la, lb = _length(name_a, a), _length(name_b, b)
    if la != lb:
        raise ValueError(f"{name_a} and {name_b} must have the same length, got {la} and {lb}")
    return la


def check_nonempty(name: str, x, what: str = "") -> None:
    """Raise unless ``x`` has at least one element along its first dimension."""
    if _length(name, x) == 0:
        raise ValueError(f"{name} is empty{': ' + what if what else ''}; give at least one")


# ------------------------------------------------------------------------------------------------ devices, models
def check_device(device, name: str = "device", none_ok: bool = True) -> torch.device | None:
    """None, or ``device`` as a torch.device that exists here: an unknown string or a missing GPU is a clear error.
    ``none_ok=False`` refuses None (where no default device makes sense)."""
    if device is None:
        if not none_ok:
            raise TypeError(f"{name} must be a str such as 'cpu' or 'cuda' or a torch.device, got None")
        return None
    if isinstance(device, torch.device):
        d = device
    elif isinstance(device, str):
        try:
            d = torch.device(device)
        except RuntimeError as e:
            raise ValueError(f"{name} must be 'cpu', 'cuda', 'cuda:<index>' or a torch.device, got {device!r}") from e
    else:
        raise TypeError(f"{name} must be a str such as 'cpu' or 'cuda', a torch.device or None, got "
                        f"{_describe(device)}")
    if d.type not in ("cpu", "cuda"):
        raise ValueError(f"{name} must be a CPU or CUDA device, got {device!r}")
    if d.type == "cuda":
        if not torch.cuda.is_available():
            raise RuntimeError(f"{name}={str(device)!r} asks for a GPU but torch sees no CUDA device "
                               f"(torch.cuda.is_available() is False); use 'cpu' or perturbkit.device()")
        if d.index is not None and d.index >= torch.cuda.device_count():
            raise RuntimeError(f"{name}={str(device)!r}: only {torch.cuda.device_count()} CUDA device(s) exist")
    return d


def model_device(model, default: torch.device | None = None) -> torch.device:
    """The device of the model's parameters (``default`` or the CPU for a model without tensors or a function)."""
    if default is not None and not isinstance(default, torch.device):
        default = check_device(default, name="default")
    if isinstance(model, torch.nn.Module):
        for t in model.parameters():
            return t.device
        for t in model.buffers():
            return t.device
    return torch.device("cpu") if default is None else default


def check_model_device(model, x: torch.Tensor) -> None:
    """Raise if the model's parameters are not on the device of ``x`` (nothing is moved silently)."""
    check_tensor("x", x)
    if not isinstance(model, torch.nn.Module):
        return
    has = next(iter(model.parameters()), None) is not None or next(iter(model.buffers()), None) is not None
    d = model_device(model)
    if has and d != x.device:
        raise ValueError(f"model is on {d} but x is on {x.device}; move one of them, e.g. model.to(x.device)")


def check_model(model, x: torch.Tensor, name: str = "x", labels: bool = False) -> int | None:
    """Run ``model`` once on one image shaped like ``x`` and return its number of outputs (classes).

    ``model`` must be a torch.nn.Module on the device of ``x`` (or any callable on images); it must map a batch
    (1, ...) to logits (1, classes) (or, with ``labels=True``, also to labels (1,), giving None). A model that
    fails on such an image raises a ValueError naming the image shape and dtype and the model.
    """
    if not callable(model):
        raise TypeError(f"model must be a torch.nn.Module or a callable on images, got {_describe(model)}")
    check_tensor(name, x, min_dim=1)
    check_model_device(model, x)
    probe = x[:1] if x.shape[0] else torch.zeros((1, *x.shape[1:]), dtype=x.dtype, device=x.device)
    mname = type(model).__name__ if isinstance(model, torch.nn.Module) else getattr(model, "__name__", repr(model))
    was_training = getattr(model, "training", None)
    try:
        if isinstance(model, torch.nn.Module):
            model.eval()
        with torch.no_grad():
            out = model(probe)
    except Exception as e:  # noqa: BLE001 - re-raised with the shapes a student can act on
        raise ValueError(f"model {mname} does not accept images shaped like {name}: one image of shape "
                         f"{tuple(probe.shape[1:])} and dtype {x.dtype} failed with {type(e).__name__}: {e}") from e
    finally:
        if was_training is not None:
            model.train(was_training)
    out = torch.as_tensor(out)
    if out.dim() == 2 and out.shape[0] == 1:
        return int(out.shape[1])
    if labels and out.dim() == 1 and out.shape[0] == 1:
        return None
    want = "logits (k, classes)" + (" or labels (k,)" if labels else "")
    raise ValueError(f"model {mname} must return {want}; for one image of shape {tuple(probe.shape[1:])} it "
                     f"returned shape {tuple(out.shape)}")


def check_data(x: torch.Tensor, y: torch.Tensor, classes: int | None = None, x_name: str = "x",
               y_name: str = "y") -> None:
    """Raise a clear error unless x is finite (k, ...) images in [0, 1] and y holds k int64 labels in range."""
    check_finite(x_name, x)
    if x.dim() < 2:
        raise ValueError(f"{x_name} must have shape (k, ...) (a batch of images), got {tuple(x.shape)}")
    if not isinstance(y, torch.Tensor):
        raise TypeError(f"{y_name} must be a torch.Tensor of int64 labels, got {type(y).__name__}")
    if y.dtype != torch.int64:
        raise TypeError(f"{y_name} must be an int64 tensor of labels, got dtype {y.dtype}")
    if y.dim() != 1 or x.shape[0] != y.shape[0]:
        raise ValueError(f"{x_name} must have shape (k, ...) and {y_name} shape (k,) with the same k, got "
                         f"{tuple(x.shape)} and {tuple(y.shape)}")
    if x.device != y.device:
        raise ValueError(f"{x_name} and {y_name} must be on the same device, got {x.device} and {y.device}")
    check_unit(x_name, x)
    check_labels(y_name, y, classes=classes)


# ------------------------------------------------------------------------------------------------------ memory
def available_bytes(device) -> int:
    """Bytes free on ``device`` (None: the CPU): torch.cuda.mem_get_info on CUDA, psutil's available memory on the
    CPU."""
    device = check_device(device) or torch.device("cpu")
    if device.type == "cuda":
        free, _total = torch.cuda.mem_get_info(device)
        return int(free)
    import psutil

    return int(psutil.virtual_memory().available)


def check_memory(needed: int, device, what: str, available: int | None = None) -> None:
    """Raise MemoryError naming the bytes ``what`` needs and the bytes available on ``device`` (None: the CPU) if it
    does not fit. ``needed`` and ``available`` are whole numbers of bytes, >= 0."""
    needed = check_int("needed", needed, minimum=0)
    if not isinstance(what, str) or not what:
        raise TypeError(f"what must be a non-empty str naming the computation, got {_describe(what)}")
    device = check_device(device) or torch.device("cpu")
    available = available_bytes(device) if available is None else check_int("available", available, minimum=0)
    if needed > available:
        gib = f"{needed / 2**30:.2f} GiB" if needed < 2**80 else f"about 2^{math.log2(needed):.0f} bytes"
        raise MemoryError(
            f"{what} needs about {needed:,} bytes ({gib}) on {device}, but only {available:,} "
            f"bytes ({available / 2**30:.2f} GiB) are available; use a smaller space (fewer entries or levels: "
            f"each entry multiplies the size by the number of levels) or a device with more memory")


def check_space_memory(space, bytes_per_image: int | float, device, what: str, available: int | None = None) -> None:
    """``check_memory`` for a computation that allocates ``bytes_per_image`` for every image of ``space``.

    Spaces too large for int64 indices get the same MemoryError (they can not fit anywhere).
    """
    if not all(hasattr(space, a) for a in ("levels", "num_entries")):
        raise TypeError(f"space must be a perturbkit.spaces.ImageSpace, got {_describe(space)}")
    bytes_per_image = check_real("bytes_per_image", bytes_per_image, minimum=0)
    log2_size = space.num_entries * math.log2(space.levels)
    if log2_size > 4096 and bytes_per_image > 0:  # more than 2**4096 images: the size is not worth writing out
        device = check_device(device) or torch.device("cpu")
        raise MemoryError(f"{what} needs more than 2^{log2_size:.0f} bytes on {device} ({space.levels}**"
                          f"{space.num_entries} images), far more than any machine has; use a smaller space (fewer "
                          f"entries or levels)")
    # exact: a float's Fraction is exact, and size * bytes may exceed the largest float
    check_memory(math.ceil(space.size * Fraction(bytes_per_image)), device, what, available)


def check_eps(eps, like: torch.Tensor | None = None, name: str = "eps", finite: bool = True, integer: bool = False,
              maximum: float | None = None, positive: bool = False,
              number: bool = False) -> torch.Tensor | np.ndarray | float:
    """A radius (perturbation budget, in intensity units or changed entries): the one check of every radius.

    With ``like`` (a batch (k, ...)): a number or one per sample, as a (k,) tensor of like's dtype on its device.
    Without: a number or a sequence of radii as a float64 NumPy array (0-d for a number), or with ``number`` one
    number as a float. Radii are >= 0 (> 0 with ``positive``) and not NaN, finite unless ``finite=False`` (inf: no
    constraint), whole with ``integer`` and at most ``maximum`` when given. NumPy numbers and arrays are accepted;
    str, None and bool are TypeErrors.
    """
    if like is None:
        if number and not isinstance(eps, (str, bytes)) and eps is not None and np.ndim(eps) != 0:
            raise TypeError(f"{name} must be a number, got {_describe(eps)}")
        e = check_radii(name, eps, integer=integer, finite=finite)
    else:
        check_tensor("like", like, min_dim=1)
        k = like.shape[0]
        if eps is None or isinstance(eps, (str, bytes, bool, np.bool_)) or not isinstance(
                eps, (numbers.Real, torch.Tensor, np.ndarray, list, tuple)):
            raise TypeError(f"{name} must be a number or one number per sample, got {_describe(eps)}")
        if isinstance(eps, torch.Tensor) and (eps.dtype == torch.bool or eps.is_complex()):
            raise TypeError(f"{name} must hold real numbers, got dtype {eps.dtype}")
        if isinstance(eps, torch.Tensor):
            _has_values(name, eps)
        try:
            e = torch.as_tensor(eps, dtype=like.dtype, device=like.device)
        except OverflowError:
            raise ValueError(f"{name} must hold numbers a float can hold (at most about 1.8e308), got an integer "
                             f"too large for a float") from None
        except (TypeError, ValueError, RuntimeError) as err:
            raise TypeError(f"{name} must be a number or one number per sample, got {_describe(eps)}") from err
        e = e.expand(k) if e.dim() == 0 else e
        if e.dim() != 1 or e.shape[0] != k:
            raise ValueError(f"{name} must be a number or have one value per sample ({k}), got shape {tuple(e.shape)}")
        bad = torch.isnan(e) | (e < 0) | (torch.isinf(e) if finite else torch.zeros_like(e, dtype=torch.bool))
        if e.numel() and bool(bad.any()):
            raise ValueError(f"{name} must be {'finite and ' if finite else ''}>= 0 (and not NaN), got values in "
                             f"[{float(e.min())}, {float(e.max())}]")
        e = e.clone()
    if maximum is not None and (isinstance(maximum, bool) or not isinstance(maximum, numbers.Real)):
        raise TypeError(f"maximum must be a number or None, got {_describe(maximum)}")
    if (maximum is not None and bool((e > maximum).any())) or (positive and bool((e == 0).any())):
        span = ("(0, " if positive else "[0, ") + ("inf)" if maximum is None else f"{maximum:g}]")
        raise ValueError(f"{name} must be a number in {span}{'' if number else ' (each)'}, got {_describe(eps)}")
    return float(e) if number else e
