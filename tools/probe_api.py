"""Probe perturbkit's public API with bad arguments and say how each call ends.

For every public function of the modules that declare ``__all__`` this script makes one good call (a small, valid
example) and then, one argument at a time, replaces that argument with each value of a battery of bad ones: wrong
types, NaN, infinities, negative numbers, zero, empty sequences, integers too large for a float, bools for
integers, tensors of the wrong shape, dtype or device (``'gpu'``, ``'meta'`` tensors, a missing GPU), None where a
value is needed, corrupt or missing files. Each bad call is classified:

* **clear**: an exception raised by perturbkit's own code whose message names the argument (or, for files, the
  file): what the course promises;
* **unclear**: an exception from inside torch, NumPy or Python (a traceback that ends outside perturbkit), an
  internal error (AttributeError, KeyError, IndexError, ...), a message that does not name the argument, or a call
  that runs past the time limit;
* **silent**: the call returned, for input that makes no sense: a wrong result the student never hears about.

Usage (from the course folder)::

    .venv/bin/python tools/probe_api.py                  # every module; the last line is the summary
    .venv/bin/python tools/probe_api.py -m threat,claims # some modules
    .venv/bin/python tools/probe_api.py -v               # also list every unclear and silent call

It is not part of ``make test`` (it takes a minute or two); tests/test_bad_input.py runs it on a few modules.
The summary line reads ``probe: <calls> bad calls: <clear> clear errors, <unclear> unclear errors (<x>%), <silent>
silent results``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import os
import re
import shutil
import signal
import sys
import tempfile
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import torch  # noqa: E402

PACKAGE = str(ROOT / "perturbkit")
TIME_LIMIT = 30  # seconds per call; a bad call that runs longer counts as unclear
INTERNAL = (AttributeError, KeyError, IndexError, ZeroDivisionError, UnboundLocalError, NameError, AssertionError,
            RecursionError, NotImplementedError, OverflowError, StopIteration)
NO_CUDA = "cuda" if not torch.cuda.is_available() else f"cuda:{torch.cuda.device_count()}"
NAN, INF = math.nan, math.inf


class _Timeout(Exception):
    pass


def _alarm(_signum, _frame):
    raise _Timeout()


# ---------------------------------------------------------------------------------------------------- bad values
def _meta(t: torch.Tensor) -> torch.Tensor:
    return torch.empty(t.shape, dtype=t.dtype, device="meta")


def ints(minimum: int = 1, none_ok: bool = False, huge: bool = False) -> list:
    """Bad values for an integer argument >= minimum."""
    out = [("str", "3"), ("float", 2.5), ("bool", True), ("nan", NAN), ("inf", INF), ("list", [3]),
           ("NumPy float", np.float64(3.0)), ("complex", 3j)]
    out += [] if none_ok else [("None", None)]
    out += [("below minimum", minimum - 1)] + ([("negative", -1)] if minimum - 1 != -1 and minimum > -1 else [])
    out += [("huge int", 10**400)] if huge else []
    return out


def reals(minimum: float | None = None, maximum: float | None = None, none_ok: bool = False,
          inf_ok: bool = False, open_min: bool = False, scalar: bool = True, open_max: bool = False) -> list:
    """Bad values for a real argument in [minimum, maximum] (a number only, unless ``scalar=False``)."""
    out = [("str", "0.5"), ("bool", True), ("nan", NAN), ("complex", 0.5j), ("huge int", 10**400),
           ("NumPy bool", np.bool_(True))]
    out += [("list", [0.5]), ("dict", {"a": 0.5})] if scalar else []
    out += [] if none_ok else [("None", None)]
    if minimum is not None:
        out += [("below minimum", minimum - 0.5)] + ([("at open minimum", minimum)] if open_min else [])
    if maximum is not None:
        out += [("above maximum", maximum + 0.5)] + ([("at open maximum", maximum)] if open_max else [])
    if not inf_ok and maximum is None:
        out += [("inf", INF)]
    return out


def radii(integer: bool = False, inf_ok: bool = True) -> list:
    """Bad values for a radius or an array of radii (>= 0)."""
    out = [("str", "1"), ("None", None), ("bool", True), ("negative", -1), ("nan", NAN), ("list with -1", [1, -1]),
           ("list of str", ["a"]), ("meta tensor", torch.empty(2, device="meta")), ("huge int", 10**400)]
    out += [("fraction", 1.5)] if integer else []
    out += [] if inf_ok else [("inf", INF)]
    return out


P_BAD = [("str", "2"), ("None", None), ("bool", True), ("negative", -1.0), ("nan", NAN), ("complex", 2j),
         ("huge int", 10**400), ("list", [2.0]), ("str inf", "inf")]
BOOLS = [("str", "no"), ("None", None), ("int", 2)]
TEXT = [("None", None), ("int", 5), ("list", ["a"])]
DEVICES = [("gpu", "gpu"), ("meta", "meta"), ("int", 5), ("missing GPU", NO_CUDA), ("list", ["cpu"]),
           ("meta device", torch.device("meta")), ("cuda:x", "cuda:x")]


def devices(none_ok: bool = True) -> list:
    return DEVICES + ([] if none_ok else [("None", None)])


def tensors(good: torch.Tensor, floating: bool | None = None, unit: bool = False, nonempty: bool = True,
            none_ok: bool = False) -> list:
    """Bad variants of a good tensor argument: other types, the meta device, other shapes, NaN, other dtypes."""
    out = [("list", good.tolist() if good.numel() < 50 else [0.5]), ("str", "x"), ("meta tensor", _meta(good)),
           ("one more dim", good[None]), ("scalar", good.reshape(-1)[0].clone())]
    out += [] if none_ok else [("None", None)]
    if good.dim() > 1:
        out += [("flattened", good.reshape(-1))]
    if nonempty:
        out += [("empty", good[:0])]
    if floating:
        out += [("NaN", torch.full_like(good, NAN)), ("int64", good.round().to(torch.int64))]
    if floating is False and not good.dtype == torch.bool:
        out += [("float", good.to(torch.float32) + 0.5)]
    if unit:
        out += [("0..255", good * 255 + 2), ("negative", good - 2)]
    return out


def labels_bad(good: torch.Tensor) -> list:
    return [("float", good.float()), ("meta tensor", _meta(good)), ("one short", good[:-1]), ("negative", good - 9),
            ("list", good.tolist()), ("None", None), ("2-d", good[None])]


def spaces_bad(binary: bool = False, big=None) -> list:
    from perturbkit.spaces import ImageSpace

    out = [("int", 4), ("None", None), ("str", "2x2"), ("tuple", (2, 2))]
    out += [("levels 3", ImageSpace(2, levels=3))] if binary else []
    out += [("huge space", big), ("astronomic space", ImageSpace(10**5))] if big is not None else []
    return out


def sequences(kind: str = "int", minimum: int = 1) -> list:
    out = [("str", "8"), ("empty", []), ("None", None), ("scalar", 8), ("list of str", ["a", "b"])]
    if kind == "int":
        out += [("below minimum", [minimum - 1, 4]), ("fractions", [2.5, 4]), ("bools", [True, 4])]
    else:
        out += [("NaN", [NAN, 0.5]), ("negative", [-0.5, 0.5])]
    return out


CALLABLES = [("None", None), ("str", "sum"), ("int", 5)]
NAMES = [("list", ["digits_mlp"]), ("None", None), ("unknown", "nosuch"), ("int", 5)]


# ---------------------------------------------------------------------------------------------------- specs
@dataclass
class Spec:
    """One public function: a good call (keyword arguments) and, per argument, its bad values.

    ``names``: words that count as naming an argument (default: the argument itself); ``returns_ok``: a predicate
    on a returned value that makes a return count as clear (functions whose contract is to answer, not raise, such
    as a checker's verdict on a malformed answer); ``heavy``: skip running the good call (it trains networks)."""

    module: str
    name: str
    fn: object
    good: dict
    bad: dict
    names: dict = field(default_factory=dict)
    returns_ok: object = None
    heavy: bool = False


@dataclass
class Extra:
    """A bad call that does not fit one-argument substitution (corrupt files, inconsistent records): ``call`` is a
    function of no arguments and ``words`` are the words one of which a clear message contains."""

    module: str
    name: str
    label: str
    call: object
    words: tuple


def build_specs(tmp: Path) -> tuple[list[Spec], list[Extra]]:
    from perturbkit import (
        attacks,
        bitdepth,
        bounds,
        census,
        checks,
        claims,
        classifiers,
        exercises,
        guarantees,
        hamming,
        isoperimetry,
        models,
        network_scaling,
        optimality,
        plotting,
        pretrained,
        scaling,
        sum_classifier,
        theorems,
        threat,
        widgets,
    )
    from perturbkit.census import bitset, fused, records
    from perturbkit.plotting import core_argument
    from perturbkit.spaces import ImageSpace

    torch.manual_seed(0)
    S = ImageSpace(2)
    BIG = ImageSpace(9)  # 2^81 images: every function that enumerates the space must refuse (memory or indices)
    X = torch.rand(4, 1, 4, 4)
    Y = torch.tensor([0, 1, 2, 0])
    MLP = models.MLP(4, classes=3, hidden=8, depth=1)
    MLP8 = models.MLP(8, classes=10, hidden=8, depth=1)
    LAB = (torch.arange(S.size) % 2).to(torch.uint8)
    R = census.robustness(LAB, S, 0)
    MASK = torch.zeros(S.size, dtype=torch.bool)
    MASK[0] = True
    WORDS = bitset.pack_bits(MASK)
    curve = scaling.scaling_curve([4, 8, 16], [[1.0, 2.0], [2.0, 3.0], [3.0, 5.0]], 2, n_min=4)
    q = exercises.quiz_questions("03")[0]
    census_done = bitset.bitset_census(LAB, S)
    record = records.CensusRecord("alternate", census_done, "exact")
    out_json = tmp / "out" / "census.json"
    out_json.parent.mkdir()
    missing = tmp / "nothing.json"
    folder = tmp / "a folder"
    folder.mkdir()
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.subplots()
    paths = [("None", None), ("int", 5), ("missing file", missing), ("folder", folder)]

    def grid(n: int = 40) -> np.ndarray:
        return core_argument.example_class(n)

    specs = [
        # ------------------------------------------------------------------------------------------ attacks
        Spec("attacks", "fgsm", attacks.fgsm, dict(model=MLP, x=X, y=Y, p=INF, eps=0.1),
             dict(model=CALLABLES, x=tensors(X, floating=True, unit=True), y=labels_bad(Y),
                  p=P_BAD + [("three", 3.0)], eps=reals(0, inf_ok=True, scalar=False), targeted=BOOLS,
                  levels=ints(2, none_ok=True))),
        Spec("attacks", "pgd", attacks.pgd, dict(model=MLP, x=X, y=Y, p=2.0, eps=0.5, steps=3),
             dict(steps=ints(0), step_size=reals(0, none_ok=True), random_start=BOOLS,
                  seed=ints(0, none_ok=True), levels=ints(2, none_ok=True), early_stop=BOOLS,
                  eps=reals(0, inf_ok=True, scalar=False), p=P_BAD)),
        Spec("attacks", "minimal_perturbation", attacks.minimal_perturbation,
             dict(model=MLP, x=X, y=Y, p=2.0, steps=3),
             dict(steps=ints(0), levels=ints(2, none_ok=True), targeted=BOOLS,
                  alpha=reals(0, none_ok=True, open_min=True), gamma=reals(0, 1, open_min=True),
                  start=tensors(X, floating=True, unit=True, none_ok=True), p=P_BAD)),
        Spec("attacks", "sparse_attack", attacks.sparse_attack, dict(model=MLP, x=X, y=Y, eps=2),
             dict(eps=[v for v in ints(0) if v[0] != "list"],  # a list of budgets is a curve
                  per_step=ints(1), targeted=BOOLS, p=P_BAD + [("two", 2.0)])),
        Spec("attacks", "to_lattice", attacks.to_lattice,
             dict(model=MLP, x=(X * 3).round() / 3, y=Y, x_adv=X, p=2.0, levels=4),
             dict(x_adv=tensors(X, floating=True, unit=True), levels=ints(2), p=P_BAD,
                  eps=reals(0, none_ok=True, inf_ok=True, scalar=False), targeted=BOOLS)),
        # ------------------------------------------------------------------------------------------ bitdepth
        Spec("bitdepth", "census_by_levels", bitdepth.census_by_levels,
             dict(n=2, levels_list=[2, 3], classifier=classifiers.sum_threshold),
             dict(n=ints(1), levels_list=sequences("int", 2), classifier=CALLABLES, p=P_BAD,
                  device=devices())),
        Spec("bitdepth", "cube_bound_two_classes", bitdepth.cube_bound_two_classes, dict(r=0.5), dict(r=radii())),
        Spec("bitdepth", "cube_sum_share", bitdepth.cube_sum_share, dict(r=0.5), dict(r=radii())),
        Spec("bitdepth", "first_pixel_linf_share", bitdepth.first_pixel_linf_share, dict(eps=0.3),
             dict(eps=radii(), levels=ints(2, none_ok=True))),
        Spec("bitdepth", "linf_census", bitdepth.linf_census,
             dict(classifier=classifiers.sum_threshold, n=2, levels=3),
             dict(classifier=CALLABLES, n=ints(1), levels=ints(2), device=devices())),
        Spec("bitdepth", "quantised_model_robustness", bitdepth.quantised_model_robustness,
             dict(model=MLP, x=X, y=Y, levels_list=[2], steps=2, images=2),
             dict(model=CALLABLES, x=tensors(X, floating=True, unit=True), y=labels_bad(Y),
                  levels_list=sequences("int", 2), p=P_BAD, steps=ints(1), images=ints(1))),
        Spec("bitdepth", "sum_by_levels", bitdepth.sum_by_levels,
             dict(ns=[2, 4], levels_list=[2], p=2.0, samples=20),
             dict(ns=sequences("int"), levels_list=sequences("int", 2), p=P_BAD, samples=ints(1), seed=ints(0),
                  device=devices())),
        # ------------------------------------------------------------------------------------------ census.bitset
        Spec("census.bitset", "bitset_census", bitset.bitset_census,
             dict(labels=classifiers.sum_threshold, space=S),
             dict(labels=[("float tensor", LAB.float()), ("meta tensor", _meta(LAB)), ("one short", LAB[:-1]),
                          ("None", None), ("int", 5)],
                  space=spaces_bad(binary=True, big=ImageSpace(8)), device=devices(), chunk_words=ints(1, True),
                  progress=BOOLS)),
        Spec("census.bitset", "bitset_bytes", bitset.bitset_bytes, dict(space=S),
             dict(space=spaces_bad(), classes=ints(1), device=devices())),
        Spec("census.bitset", "pack_bits", bitset.pack_bits, dict(mask=MASK),
             dict(mask=[("float", MASK.float() + 0.5), ("uint8 of 2", MASK.to(torch.uint8) + 2),
                        ("meta tensor", _meta(MASK)), ("list", MASK.tolist()), ("None", None), ("int64", LAB.long())])),
        Spec("census.bitset", "popcount", bitset.popcount, dict(words=WORDS),
             dict(words=[("float", WORDS.float()), ("meta tensor", _meta(WORDS)), ("list", WORDS.tolist()),
                         ("None", None), ("int32", WORDS.to(torch.int32))])),
        # ------------------------------------------------------------------------------------------ bounds
        Spec("bounds", "bits_per_entry", bounds.bits_per_entry, dict(levels=4),
             dict(levels=ints(2) + [("not a power of two", 3)])),
        Spec("bounds", "harper_bound", bounds.harper_bound, dict(N=16, t=2),
             dict(N=ints(1), t=radii(integer=True), levels=ints(2) + [("not a power of two", 3)])),
        Spec("bounds", "hoeffding_bound", bounds.hoeffding_bound, dict(N=16, t=2),
             dict(N=ints(1), t=radii(integer=True))),
        Spec("bounds", "concentration_bound", bounds.concentration_bound, dict(N=16, t=2),
             dict(N=ints(1), t=radii())),
        Spec("bounds", "cube_l2_bound", bounds.cube_l2_bound, dict(r=0.5), dict(r=radii())),
        Spec("bounds", "linf_bound", bounds.linf_bound, dict(eps=0.5),
             dict(eps=radii(), levels=ints(2, none_ok=True))),
        # ------------------------------------------------------------------------------------------ census
        Spec("census", "label_space", census.label_space, dict(classifier=classifiers.sum_threshold, space=S),
             dict(classifier=CALLABLES, space=spaces_bad(big=BIG), batch_size=ints(1, none_ok=True),
                  device=devices(), progress=[("str", "no"), ("int", 2)])),
        Spec("census", "robustness", census.robustness, dict(labels=LAB, space=S),
             dict(labels=[("float", LAB.float()), ("meta tensor", _meta(LAB)), ("one short", LAB[:-1]),
                          ("None", None), ("list", LAB.tolist())],
                  space=spaces_bad(big=BIG), p=P_BAD)),
        Spec("census", "robust_share", census.robust_share, dict(labels=LAB, r=R, t=[0, 1]),
             dict(labels=[("float", LAB.float()), ("meta tensor", _meta(LAB)), ("one short", LAB[:-1]),
                          ("list", LAB.tolist())],
                  r=[("meta tensor", _meta(R)), ("list", R.tolist()), ("NaN", torch.full_like(R, NAN)),
                     ("None", None), ("negative", R - 5)],
                  t=[("str", "1"), ("None", None), ("bool", True), ("nan", NAN), ("list of str", ["a"]),
                     ("huge int", 10**400), ("2-d", [[1, 2]])])),
        Spec("census", "census_bytes", census.census_bytes, dict(space=S), dict(space=spaces_bad(), p=P_BAD)),
        Spec("census", "bound_report", census.bound_report, dict(labels=LAB, space=S),
             dict(labels=[("float", LAB.float()), ("meta tensor", _meta(LAB)), ("one short", LAB[:-1]),
                          ("None", None)],
                  space=spaces_bad(big=BIG), r=[("meta tensor", _meta(R)), ("one short", R[:-1]), ("str", "r")])),
        # ------------------------------------------------------------------------------------------ census.records
        Spec("census.records", "provenance", records.provenance, dict(device="cpu", command="python x.py"),
             dict(device=devices(none_ok=False), command=TEXT)),
        Spec("census.records", "save", records.save,
             dict(records=[record], space=S, path=out_json, provenance={}, overwrite=True),
             dict(records=[("one record", record), ("empty", []), ("None", None), ("list of str", ["a"])],
                  space=spaces_bad() + [("another space", ImageSpace(3))],
                  path=[("None", None), ("int", 5), ("missing folder", tmp / "no" / "c.json"), ("folder", folder)],
                  provenance=[("None", None), ("str", "cpu")], overwrite=BOOLS),
             names={"path": ["path", "folder"], "space": ["space", "fit"]}),
        Spec("census.records", "load", records.load, dict(path=out_json),
             dict(path=paths), names={"path": ["path", "census file"]}),
        # ------------------------------------------------------------------------------------------ checks
        Spec("checks", "check_int", checks.check_int, dict(name="n", value=3, minimum=1),
             dict(value=ints(1), minimum=[("str", "1")], maximum=[("str", "9")]),
             names={"value": ["n"]}),
        Spec("checks", "check_real", checks.check_real, dict(name="eps", value=0.5, minimum=0, maximum=1),
             dict(value=reals(0, 1), minimum=[("str", "0")], maximum=[("str", "1")]), names={"value": ["eps"]}),
        Spec("checks", "check_bool", checks.check_bool, dict(name="overwrite", value=True),
             dict(value=BOOLS), names={"value": ["overwrite"]}),
        Spec("checks", "check_p", checks.check_p, dict(p=2.0), dict(p=P_BAD)),
        Spec("checks", "check_radii", checks.check_radii, dict(name="t", t=[1, 2]), dict(t=radii(inf_ok=True))),
        Spec("checks", "check_choice", checks.check_choice, dict(name="kind", value="a", options=("a", "b")),
             dict(value=[("other", "c"), ("None", None), ("list", ["a"])], options=[("None", None), ("int", 5)]),
             names={"value": ["kind"], "options": ["options", "kind"]}),
        Spec("checks", "check_tensor", checks.check_tensor, dict(name="x", x=X, dim=4),
             dict(x=[("list", [1.0]), ("None", None), ("meta tensor", _meta(X)), ("2-d", X[0, 0])],
                  dim=[("str", "4")])),
        Spec("checks", "check_finite", checks.check_finite, dict(name="x", x=X),
             dict(x=[("list", [1.0]), ("None", None), ("meta tensor", _meta(X)), ("NaN", X * NAN),
                     ("int64", X.long())])),
        Spec("checks", "check_unit", checks.check_unit, dict(name="x", x=X),
             dict(x=[("meta tensor", _meta(X)), ("0..255", X * 255 + 2), ("None", None)])),
        Spec("checks", "check_images", checks.check_images, dict(name="x", x=X),
             dict(x=tensors(X, floating=True, unit=True, nonempty=False), dim=[("str", "4"), ("None", None)])),
        Spec("checks", "check_lattice", checks.check_lattice, dict(name="x", x=X.round(), levels=2),
             dict(x=[("meta tensor", _meta(X)), ("off the lattice", X * 0 + 0.4), ("None", None)],
                  levels=ints(2))),
        Spec("checks", "check_labels", checks.check_labels, dict(name="y", y=Y, k=4, classes=3),
             dict(y=labels_bad(Y), k=[("str", "4")], classes=[("str", "3")])),
        Spec("checks", "check_same_length", checks.check_same_length, dict(name_a="x", a=X, name_b="y", b=Y),
             dict(a=[("None", None), ("int", 5), ("other length", X[:2])], b=[("None", None), ("int", 5)]),
             names={"a": ["x"], "b": ["y"]}),
        Spec("checks", "check_nonempty", checks.check_nonempty, dict(name="x", x=X),
             dict(x=[("empty", X[:0]), ("None", None), ("int", 5)])),
        Spec("checks", "check_eps", checks.check_eps, dict(eps=0.5, like=X),
             dict(eps=reals(0, scalar=False) + [("meta tensor", torch.empty(4, device="meta")),
                                                ("wrong length", [0.1, 0.2])],
                  like=[("meta tensor", _meta(X)), ("list", [1.0]), ("str", "x")], maximum=[("str", "1")])),
        Spec("checks", "check_device", checks.check_device, dict(device="cpu"), dict(device=DEVICES)),
        Spec("checks", "check_model", checks.check_model, dict(model=MLP, x=X),
             dict(model=CALLABLES + [("other input size", MLP8)],
                  x=[("None", None), ("meta tensor", _meta(X)), ("list", [1.0])])),
        Spec("checks", "check_model_device", checks.check_model_device, dict(model=MLP, x=X),
             dict(x=[("None", None), ("meta tensor", _meta(X)), ("list", [1.0])])),
        Spec("checks", "model_device", checks.model_device, dict(model=MLP),
             dict(default=[("str", "gpu"), ("int", 5)])),
        Spec("checks", "check_data", checks.check_data, dict(x=X, y=Y, classes=3),
             dict(x=tensors(X, floating=True, unit=True, nonempty=False), y=labels_bad(Y),
                  classes=[("str", "3")])),
        Spec("checks", "available_bytes", checks.available_bytes, dict(device="cpu"),
             dict(device=[d for d in DEVICES if d[0] != "missing GPU"])),
        Spec("checks", "check_memory", checks.check_memory, dict(needed=100, device="cpu", what="a test"),
             dict(needed=ints(0), device=[d for d in DEVICES if d[0] != "missing GPU"],
                  what=[("None", None), ("int", 5)], available=ints(0, none_ok=True))),
        Spec("checks", "check_space_memory", checks.check_space_memory,
             dict(space=S, bytes_per_image=8, device="cpu", what="a test"),
             dict(space=spaces_bad(), bytes_per_image=reals(0), device=[d for d in DEVICES if d[0] != "missing GPU"],
                  what=[("None", None), ("int", 5)], available=ints(0, none_ok=True))),
        # ------------------------------------------------------------------------------------------ claims
        Spec("claims", "expect", claims.expect, dict(value=0.5, low=0.0, high=1.0, what="the share"),
             dict(value=[("str", "0.5"), ("None", None), ("bool", True), ("complex", 0.5j), ("huge int", 10**400),
                         ("meta tensor", torch.empty((), device="meta")), ("tensor of 2", torch.ones(2))],
                  low=[("str", "0"), ("bool", True), ("None", None), ("nan", NAN), ("above high", 2.0),
                       ("huge int", 10**400)],
                  high=[("str", "1"), ("bool", False), ("None", None), ("nan", NAN)],
                  what=[("None", None), ("int", 5), ("empty", "")])),
        Spec("claims", "expect_true", claims.expect_true, dict(condition=True, what="the curve falls"),
             dict(condition=[("str", "yes"), ("None", None), ("int", 1), ("float tensor", torch.tensor(1.0)),
                             ("meta tensor", torch.empty((), device="meta")),
                             ("tensor of 2", torch.ones(2, dtype=torch.bool))],
                  what=[("None", None), ("int", 5), ("empty", "")], measured=[("int", 5), ("list", [1, 2])])),
        # ------------------------------------------------------------------------------------------ classifiers
        *[Spec("classifiers", f.__name__, f, dict(images=X), dict(images=tensors(X, floating=True, unit=True,
                                                                                 nonempty=False)))
          for f in (classifiers.sum_threshold, classifiers.majority, classifiers.parity, classifiers.first_pixel)],
        Spec("classifiers", "random_labels", classifiers.random_labels, dict(k=3), dict(k=ints(1), seed=ints(0))),
        Spec("classifiers", "from_model", classifiers.from_model, dict(model=MLP),
             dict(model=CALLABLES, batch_size=ints(1))),
        # ------------------------------------------------------------------------------------------ exercises
        Spec("exercises", "verdict", exercises.verdict, dict(exercise="03.2", answer=1),
             dict(exercise=[("unknown", "99.9"), ("float", 3.2), ("None", None)],
                  answer=[("str", "3"), ("None", None), ("meta tensor", torch.empty(1, device="meta")),
                          ("NaN", NAN), ("bool", True), ("list", [1, 2, 3]), ("Ellipsis", ...)]),
             returns_ok=lambda v: isinstance(v, exercises.Verdict) and not v.correct),
        Spec("exercises", "check", exercises.check, dict(exercise="03.2", answer=1),
             dict(exercise=[("unknown", "99.9"), ("float", 3.2), ("None", None)])),
        Spec("exercises", "feedback", exercises.feedback, dict(question=q, index=0),
             dict(question=[("None", None), ("str", "q")],
                  index=[("bool", True), ("float", 1.0), ("negative", -1), ("too large", 99), ("str", "0")])),
        Spec("exercises", "quiz_questions", exercises.quiz_questions, dict(lesson="03"),
             dict(lesson=[("unknown", "99"), ("int", 3), ("None", None), ("list", ["03"])])),
        Spec("exercises", "Question", exercises.Question,
             dict(prompt="Which?", choices=(exercises.Choice("a", True, "yes"), exercises.Choice("b", False, "no"))),
             dict(choices=[("no correct", (exercises.Choice("a", False, "x"), exercises.Choice("b", False, "y"))),
                           ("one choice", (exercises.Choice("a", True, "x"),)), ("None", None)]),
             names={"choices": ["choice"]}),
        # ------------------------------------------------------------------------------------------ fused
        Spec("census.fused", "enable", fused.enable, dict(on=True), dict(on=BOOLS)),
        Spec("census.fused", "available", fused.available, dict(device="cpu"),
             dict(device=[("gpu", "gpu"), ("None", None), ("int", 5), ("list", ["cpu"])])),
        Spec("census.fused", "applies", fused.applies, dict(device="cpu", entries=16),
             dict(device=[("gpu", "gpu"), ("None", None), ("int", 5)], entries=ints(0))),
        Spec("census.fused", "transform", fused.transform,
             dict(g=torch.zeros(16, dtype=torch.uint8), N=4),
             dict(g=[("None", None), ("list", [0] * 16), ("meta tensor", torch.empty(16, dtype=torch.uint8,
                                                                                      device="meta"))],
                  N=ints(0), c=ints(0))),
        Spec("census.fused", "dilate", fused.dilate,
             dict(src=torch.zeros(1, dtype=torch.int64), dst=torch.zeros(1, dtype=torch.int64), N=4),
             dict(src=[("None", None), ("list", [0])], dst=[("None", None), ("list", [0])],
                  N=ints(0) + [("too many for int64", 70)])),
        # ------------------------------------------------------------------------------------------ guarantees
        Spec("guarantees", "harper_radius", guarantees.harper_radius, dict(N=16, share=0.1),
             dict(N=ints(1), share=reals(0, 1), levels=ints(2) + [("not a power of two", 3)])),
        Spec("guarantees", "concentration_radius", guarantees.concentration_radius, dict(N=16, share=0.1),
             dict(N=ints(1), share=reals(0, 1))),
        Spec("guarantees", "cube_radius", guarantees.cube_radius, dict(share=0.1), dict(share=reals(0, 1))),
        Spec("guarantees", "shares_at_c", guarantees.shares_at_c, dict(N=16, c=1.0),
             dict(N=ints(1), c=reals(0), levels=ints(2) + [("not a power of two", 3)])),
        Spec("guarantees", "guarantee_table", guarantees.guarantee_table, dict(Ns=(16,), shares=(0.1,), levels=(2,)),
             dict(Ns=sequences("int"), shares=sequences("real") + [("above one", [1.5])],
                  levels=sequences("int", 2) + [("not powers of two", [3])]),
             names={"Ns": ["Ns", "N"], "shares": ["shares", "share"]}),
        Spec("guarantees", "radii_for_share", guarantees.radii_for_share, dict(n=4, share=0.1),
             dict(n=ints(1), levels=ints(2), channels=ints(1), share=reals(0, 1) + [("zero", 0), ("one", 1)])),
        Spec("guarantees", "dataset_table", guarantees.dataset_table, dict(share=0.1),
             dict(share=reals(0, 1), datasets=[("empty", {}), ("list", [(4, 2, 1)]), ("bad entry", {"a": (4, 2)}),
                                                ("not a tuple", {"a": 4}), ("str", "MNIST")])),
        # ------------------------------------------------------------------------------------------ hamming
        Spec("hamming", "distance_to_set", hamming.distance_to_set, dict(member=MASK, space=S),
             dict(member=[("uint8", MASK.to(torch.uint8)), ("one short", MASK[:-1]), ("None", None),
                          ("meta tensor", _meta(MASK)), ("list", MASK.tolist())],
                  space=spaces_bad())),
        Spec("hamming", "neighbourhood", hamming.neighbourhood, dict(member=MASK, space=S, t=1),
             dict(member=[("one short", MASK[:-1]), ("meta tensor", _meta(MASK))], space=spaces_bad(), t=ints(0))),
        Spec("hamming", "ball", hamming.ball, dict(space=S, centre=0, r=1),
             dict(space=spaces_bad(big=BIG), centre=ints(0) + [("past the end", S.size)], r=ints(0))),
        Spec("hamming", "ball_size", hamming.ball_size, dict(N=4, r=2),
             dict(N=ints(0), r=ints(0), levels=ints(2))),
        Spec("hamming", "layers", hamming.layers, dict(space=S), dict(space=spaces_bad(big=BIG))),
        Spec("hamming", "edges", hamming.edges, dict(space=S), dict(space=spaces_bad(big=BIG))),
        Spec("hamming", "families", hamming.families, dict(space=S, size=4),
             dict(space=spaces_bad(big=BIG), size=ints(1) + [("larger than the space", 99)], seed=ints(0))),
        # ------------------------------------------------------------------------------------------ isoperimetry
        Spec("isoperimetry", "simplicial_order", isoperimetry.simplicial_order, dict(space=S),
             dict(space=spaces_bad(binary=True, big=ImageSpace(6))), names={"space": ["space", "binary images"]}),
        Spec("isoperimetry", "simplicial_segment", isoperimetry.simplicial_segment, dict(space=S, size=3),
             dict(space=spaces_bad(binary=True, big=ImageSpace(6)), size=ints(0) + [("larger than the space", 99)]),
             names={"space": ["space", "binary images"]}),
        Spec("isoperimetry", "smallest_neighbourhoods", isoperimetry.smallest_neighbourhoods, dict(N=2),
             dict(N=ints(1) + [("too large", 5)], levels=ints(2))),
        Spec("isoperimetry", "bit_cube", isoperimetry.bit_cube, dict(space=ImageSpace(2, levels=4)),
             dict(space=spaces_bad() + [("levels 3", ImageSpace(2, levels=3))])),
        Spec("isoperimetry", "bit_distance", isoperimetry.bit_distance, dict(i=3, j=5),
             dict(i=[("str", "3"), ("None", None), ("float", 2.5), ("negative", -1), ("meta tensor",
                                                                                      torch.empty(1, device="meta"))],
                  j=[("str", "5"), ("float", 1.5), ("negative", -3)])),
        Spec("isoperimetry", "orders", isoperimetry.orders, dict(space=S), dict(space=spaces_bad())),
        Spec("isoperimetry", "image_order", isoperimetry.image_order, dict(space=S, kind="level sum"),
             dict(space=spaces_bad(big=BIG), kind=[("unknown", "spiral"), ("None", None), ("int", 1)])),
        Spec("isoperimetry", "best_segment_class", isoperimetry.best_segment_class, dict(space=S, t=1),
             dict(space=spaces_bad(big=BIG), t=ints(0), kind=[("unknown", "spiral"), ("None", None)])),
        Spec("isoperimetry", "most_robust_share", isoperimetry.most_robust_share, dict(N=2, levels=2, t=1),
             dict(N=ints(1) + [("too large", 5)], levels=ints(2), t=ints(0))),
        # ------------------------------------------------------------------------------------------ network_scaling
        Spec("network_scaling", "cnn_scaling", network_scaling.cnn_scaling, dict(progress=False),
             dict(ns=sequences("int", 2), ps=[("str", "2"), ("empty", []), ("negative", [-1.0]), ("None", None)],
                  images=ints(1), epochs=ints(1), steps=ints(1), width=ints(1), batch_size=ints(1),
                  train_images=ints(1, none_ok=True), seed=ints(0), device=devices(),
                  models=[("list", [1]), ("str", "x")], progress=BOOLS), heavy=True),
        Spec("network_scaling", "covered_noise", network_scaling.covered_noise,
             dict(model=MLP8, n=8, k=2, pool=20),
             dict(model=CALLABLES + [("other input size", MLP)], n=ints(1), k=ints(1), pool=ints(1), seed=ints(0),
                  classes=ints(1), device=devices())),
        Spec("network_scaling", "describe", network_scaling.describe, dict(result=None),
             dict(result=[("int", 5), ("str", "x"), ("dict", {})]), heavy=True),
        # ------------------------------------------------------------------------------------------ optimality
        Spec("optimality", "entry_sd", optimality.entry_sd, dict(levels=2), dict(levels=ints(2))),
        Spec("optimality", "half_ball_radius", optimality.half_ball_radius, dict(N=4, levels=2),
             dict(N=ints(1), levels=ints(2))),
        Spec("optimality", "hamming_ball", optimality.hamming_ball, dict(radius=1),
             dict(radius=ints(0), level=reals(0, 1))),
        Spec("optimality", "near_boundary_share", optimality.near_boundary_share, dict(n=2, t=1),
             dict(n=ints(1), t=radii(), levels=ints(2), channels=ints(1))),
        Spec("optimality", "window_bound", optimality.window_bound, dict(N=16, c=1.0),
             dict(N=ints(1), c=radii(), levels=ints(2), per_class=BOOLS)),
        Spec("optimality", "window_shares", optimality.window_shares, dict(N=16, c=1.0),
             dict(N=ints(1), c=radii(), levels=ints(2))),
        # ------------------------------------------------------------------------------------------ plotting
        Spec("plotting", "image_grid", plotting.image_grid, dict(images=X),
             dict(images=tensors(X, unit=True) + [("NaN", X * NAN)], titles=[("one short", ["a"]), ("str", "abcd")],
                  ncols=ints(1), size=reals(0, open_min=True), vmin=reals(), vmax=reals(),
                  cmap=[("int", 5), ("unknown", "nosuchmap")])),
        Spec("plotting", "show_image", plotting.show_image, dict(ax=ax, img=X[0]),
             dict(ax=[("None", None), ("str", "ax")],
                  img=tensors(X[0], unit=True, nonempty=False) + [("NaN", X[0] * NAN)],
                  vmin=reals(), vmax=reals())),
        Spec("plotting", "core_regions", core_argument.core_regions, dict(inside=grid(), t=0.1),
             dict(inside=[("None", None), ("float", grid().astype(float) + 0.5), ("1-d", grid()[0])],
                  t=reals(0))),
        Spec("plotting", "example_class", core_argument.example_class, dict(size=40), dict(size=ints(1))),
        Spec("plotting", "core_argument_figure", core_argument.core_argument_figure, dict(t=0.1, size=40),
             dict(t=reals(0), size=ints(1), title=[("int", 5), ("list", ["a"])])),
        # ------------------------------------------------------------------------------------------ pretrained
        Spec("pretrained", "build", pretrained.build, dict(name="digits_mlp"), dict(name=NAMES)),
        Spec("pretrained", "dataset", pretrained.dataset, dict(name="digits_mlp"),
             dict(name=NAMES, device=devices())),
        Spec("pretrained", "evaluate", pretrained.evaluate,
             dict(model=pretrained.build("digits_mlp"), name="digits_mlp"),
             dict(model=CALLABLES + [("other network", MLP)], name=NAMES)),
        Spec("pretrained", "info", pretrained.info, dict(name="digits_mlp"),
             dict(name=NAMES, root=[("int", 5), ("missing folder", tmp / "no models")]),
             names={"root": ["root", "manifest"]}),
        Spec("pretrained", "load", pretrained.load, dict(name="digits_mlp"),
             dict(name=NAMES, device=devices(), root=[("int", 5), ("missing folder", tmp / "no models")]),
             names={"root": ["root", "manifest"]}),
        Spec("pretrained", "manifest", pretrained.manifest, dict(),
             dict(root=[("int", 5), ("missing folder", tmp / "no models"), ("list", ["data"])]),
             names={"root": ["root", "manifest"]}),
        Spec("pretrained", "rebuild_command", pretrained.rebuild_command, dict(name="digits_mlp"),
             dict(name=NAMES, force=BOOLS)),
        Spec("pretrained", "recipe", pretrained.recipe, dict(name="digits_mlp"), dict(name=NAMES)),
        Spec("pretrained", "sha256_file", pretrained.sha256_file, dict(path=pretrained.MODELS_DIR / "manifest.json"),
             dict(path=paths)),
        Spec("pretrained", "stored_accuracy", pretrained.stored_accuracy, dict(name="digits_mlp"),
             dict(name=NAMES, root=[("int", 5), ("missing folder", tmp / "no models")]),
             names={"root": ["root", "manifest"]}),
        Spec("pretrained", "train_recipe", pretrained.train_recipe, dict(name="digits_mlp"),
             dict(name=NAMES, device=devices(), progress=BOOLS), heavy=True),
        Spec("pretrained", "training_loss", getattr(pretrained, "training_loss", None),  # newer than the rest
             dict(model=pretrained.build("digits_mlp"), name="digits_mlp"),
             dict(model=CALLABLES + [("other network", MLP)], name=NAMES, batch_size=ints(1))),
        # ------------------------------------------------------------------------------------------ scaling
        Spec("scaling", "bootstrap_slope", scaling.bootstrap_slope,
             dict(ns=[4, 8], values=[[1.0, 2.0], [2.0, 3.0]], resamples=20),
             dict(ns=sequences("int"), values=[("str", "ab"), ("None", None), ("one short", [[1.0]]),
                                               ("negative", [[-1.0], [2.0]]), ("NaN", [[NAN], [2.0]])],
                  n_min=reals(), resamples=ints(10), level=reals(0, 1, open_min=True), seed=ints(0))),
        Spec("scaling", "fit_slope", scaling.fit_slope, dict(ns=[4, 8], values=[1.0, 2.0]),
             dict(ns=[s for s in sequences("int") if s[0] != "fractions"],
                  values=[("str", "ab"), ("None", None), ("one short", [1.0]), ("negative", [-1.0, 2.0]),
                          ("NaN", [NAN, 2.0]), ("bools", [True, 2.0])],
                  n_min=reals())),
        Spec("scaling", "predicted_slope", scaling.predicted_slope, dict(p=2.0), dict(p=P_BAD)),
        Spec("scaling", "scaling_curve", scaling.scaling_curve,
             dict(ns=[4, 8], values=[[1.0, 2.0], [2.0, 3.0]], p=2.0, n_min=4),
             dict(ns=sequences("int"), values=[("str", "ab"), ("None", None), ("one short", [[1.0]]),
                                               ("NaN", [[NAN], [2.0]]), ("empty set", [[], [1.0]])],
                  p=P_BAD, label=[("None", None), ("int", 5)],
                  band=[("one value", (0.1,)), ("reversed", (0.9, 0.1)), ("str", "ab"), ("None", None)],
                  n_min=ints(1))),
        Spec("scaling", "slope_table", scaling.slope_table, dict(curves=[curve]),
             dict(curves=[("ints", [1, 2]), ("one curve", curve), ("None", None), ("str", "curves")])),
        Spec("scaling", "sum_scaling", scaling.sum_scaling, dict(ns=[4, 8], p=2.0, samples=20, n_min=4),
             dict(ns=sequences("int"), p=P_BAD, levels=ints(2), samples=ints(1), seed=ints(0),
                  band=[("reversed", (0.9, 0.1)), ("None", None)], n_min=ints(1), device=devices())),
        # ------------------------------------------------------------------------------------------ sum_classifier
        Spec("sum_classifier", "binary_histogram", sum_classifier.binary_histogram, dict(N=4), dict(N=ints(1))),
        Spec("sum_classifier", "decide", sum_classifier.decide, dict(s=torch.tensor([1, 3]), N=4),
             dict(s=[("str", "3"), ("None", None), ("meta tensor", torch.empty(2, dtype=torch.int64, device="meta")),
                     ("list", [1, 3])],
                  N=ints(1), levels=ints(2))),
        Spec("sum_classifier", "labels", sum_classifier.labels, dict(images=X.round()),
             dict(images=tensors(X.round(), floating=True, unit=True, nonempty=False),
                  levels=ints(2, none_ok=True))),
        Spec("sum_classifier", "level_sum_pmf", sum_classifier.level_sum_pmf, dict(N=4),
             dict(N=ints(1), levels=ints(2))),
        Spec("sum_classifier", "minimal", sum_classifier.minimal, dict(images=X.round(), p=2.0),
             dict(images=tensors(X.round(), floating=True, unit=True, nonempty=False), p=P_BAD,
                  levels=ints(2, none_ok=True))),
        Spec("sum_classifier", "minimal_sizes", sum_classifier.minimal_sizes,
             dict(counts=sum_classifier.random_level_counts(2, samples=3), p=2.0),
             dict(counts=[("None", None), ("list", [[1, 2]]), ("float", torch.rand(3, 2)),
                          ("meta tensor", torch.empty(3, 2, dtype=torch.int64, device="meta"))],
                  p=P_BAD)),
        Spec("sum_classifier", "random_level_counts", sum_classifier.random_level_counts, dict(n=2),
             dict(n=ints(1), levels=ints(2), samples=ints(1), seed=ints(0), channels=ints(1), device=devices())),
        Spec("sum_classifier", "space_labels", sum_classifier.space_labels, dict(space=S),
             dict(space=spaces_bad(big=BIG), device=devices())),
        Spec("sum_classifier", "steps_to_cross", sum_classifier.steps_to_cross, dict(N=4),
             dict(N=ints(1), levels=ints(2))),
        Spec("sum_classifier", "sum_robustness", sum_classifier.sum_robustness, dict(n=2, p=2.0, samples=5),
             dict(n=ints(1), p=P_BAD, levels=ints(2), samples=ints(1), seed=ints(0), channels=ints(1),
                  device=devices())),
        # ------------------------------------------------------------------------------------------ theorems
        Spec("theorems", "result", theorems.result, dict(number="3.7"),
             dict(number=[("unknown", "99.9"), ("float", 3.7), ("None", None)])),
        Spec("theorems", "lesson_of", theorems.lesson_of, dict(number="3.7"),
             dict(number=[("unknown", "99.9"), ("float", 3.7), ("None", None)])),
        # ------------------------------------------------------------------------------------------ threat
        # shares: [0, 1] (checks.check_share); the radii of the theorems refuse the trivial shares >= 1/2. The
        # radii live in guarantees, their one home (threat imports them to build its reports)
        Spec("guarantees", "concentration_c", guarantees.concentration_c, dict(share=0.1),
             dict(share=reals(0, 0.5, open_max=True))),
        Spec("guarantees", "lattice_l2_radius", guarantees.lattice_l2_radius, dict(N=784, levels=256, share=0.1),
             dict(N=ints(1), levels=ints(2), share=reals(0, 0.5, open_max=True))),
        Spec("threat", "lattice_l2_share", threat.lattice_l2_share, dict(N=784, levels=256, eps=2.0),
             dict(N=ints(1), levels=ints(2), eps=radii())),
        Spec("guarantees", "lattice_linf_radius", guarantees.lattice_linf_radius, dict(levels=256, share=0.1),
             dict(levels=ints(2), share=reals(0, 0.5, open_max=True))),
        Spec("threat", "hamming_cost", threat.hamming_cost, dict(t=4, p=2.0), dict(t=reals(0), p=P_BAD)),
        Spec("threat", "entries_within", threat.entries_within, dict(eps=2.0, p=2.0, N=784),
             dict(eps=reals(0), p=P_BAD, N=ints(1))),
        Spec("threat", "threat_report", threat.threat_report, dict(n=4, levels=4, channels=1, p=2.0, eps=1.0),
             dict(n=ints(1), levels=ints(2), channels=ints(1), p=P_BAD, eps=reals(0),
                  share=reals(0, 1))),
        # ------------------------------------------------------------------------------------------ widgets
        Spec("widgets", "LiveView", widgets.LiveView, dict(view=lambda: ("text", None), controls={}),
             dict(view=[("None", None), ("str", "view")], controls=[("None", None), ("list", [1])],
                  per_row=ints(1), actions=[("list", [1]), ("not callable", {"go": 5})])),
        Spec("widgets", "figure_png", widgets.figure_png, dict(fig=fig),
             dict(fig=[("None", None), ("str", "fig")], dpi=reals(0, none_ok=True, open_min=True))),
        Spec("widgets", "p_dropdown", widgets.p_dropdown, dict(),
             dict(value=[("not offered", 3.0), ("str", "x"), ("None", None)],
                  ps=[("int", 5), ("str", "2")], description=[("None", None), ("int", 5)])),
    ]

    # ------------------------------------------------------------------------------------------- corrupt files
    good = json.loads(out_json.read_text()) if out_json.exists() else None
    records.save([record], S, out_json, {}, overwrite=True)
    good = json.loads(out_json.read_text())

    def variant(label, change):
        doc = json.loads(json.dumps(good))
        change(doc)
        p = tmp / f"census {label}.json"
        p.write_text(json.dumps(doc) if not isinstance(doc, str) else doc)
        return p

    def rec(**kw):
        return lambda d: d["records"][0].update(kw)

    size = good["records"][0]["size"]
    hist = good["records"][0]["histogram"]
    census_files = {
        "a JSON list": lambda d: d.clear() or None,
        "negative class size": rec(size=[-size[0], size[1] + 2 * size[0]]),
        "histogram rows off": rec(histogram=[[hist[0][0], hist[0][1] + 1] + hist[0][2:],
                                             [hist[1][0], hist[1][1] - 1] + hist[1][2:]]),
        "a class of 0 images": rec(classes=[0, 1, 2], size=size + [0], histogram=hist + [[0] * len(hist[0])],
                                   max_robustness=good["records"][0]["max_robustness"] + [-1]),
        "records not a list": lambda d: d.update(records=5),
        "a record not an object": lambda d: d.update(records=[5]),
        "space of the wrong size": lambda d: d.update(space={"n": 3, "levels": 2, "channels": 1}),
        "space not an object": lambda d: d.update(space=[2]),
        "sizes of text": rec(size=["a", "b"]),
        "max_robustness wrong": rec(max_robustness=[0, 0]),
        "no provenance": lambda d: d.pop("provenance"),
    }
    extras = []
    for label, change in census_files.items():
        if label == "a JSON list":
            p = tmp / "census list.json"
            p.write_text("[]")
        else:
            p = variant(label, change)
        extras.append(Extra("census.records", "load", label, lambda p=p: records.load(p), ("census file",)))
    bad_json = tmp / "census bad.json"
    bad_json.write_text("{not json")
    extras.append(Extra("census.records", "load", "bad JSON", lambda: records.load(bad_json), ("census file",)))
    binary = tmp / "census binary.json"
    binary.write_bytes(bytes(range(256)))
    extras.append(Extra("census.records", "load", "binary file", lambda: records.load(binary), ("census file",)))

    def models_root(label, change_manifest=None, weights=None):
        root = tmp / f"models {label}"
        root.mkdir()
        shutil.copy(pretrained.MODELS_DIR / "manifest.json", root / "manifest.json")
        shutil.copy(pretrained.MODELS_DIR / "digits_mlp.pt", root / "digits_mlp.pt")
        if weights is not None:
            (root / "digits_mlp.pt").write_bytes(weights)
            m = json.loads((root / "manifest.json").read_text())
            m["models"]["digits_mlp"]["sha256"] = pretrained.sha256_file(root / "digits_mlp.pt")
            (root / "manifest.json").write_text(json.dumps(m))
        if change_manifest is not None:
            text = (root / "manifest.json").read_text()
            (root / "manifest.json").write_text(change_manifest(text))
        return root

    def entry(**kw):
        def change(text):
            m = json.loads(text)
            m["models"]["digits_mlp"].update(kw)
            return json.dumps(m)
        return change

    cnn = (pretrained.MODELS_DIR / "digits_cnn.pt").read_bytes()
    roots = {
        "manifest without models": models_root("no models key", lambda t: json.dumps({"format": 1})),
        "manifest of bad JSON": models_root("bad json", lambda t: t[:40]),
        "manifest a JSON list": models_root("list", lambda t: "[]"),
        "accuracy 1.7": models_root("accuracy", entry(test_accuracy=1.7)),
        "accuracy of text": models_root("accuracy text", entry(test_accuracy="high")),
        "entry not an object": models_root("entry", lambda t: json.dumps({"models": {"digits_mlp": 5}})),
        "garbage weights": models_root("garbage", weights=b"not a torch file"),
        "swapped state dict": models_root("swapped", weights=cnn),
    }
    for label, root in roots.items():
        fn = pretrained.stored_accuracy if "accuracy" in label else pretrained.load
        extras.append(Extra("pretrained", fn.__name__, label, lambda fn=fn, root=root: fn("digits_mlp", root=root),
                            ("manifest", "weights file")))

    # an image folder with a corrupt image (data.load_image_folder: an older module, probed for its files only)
    from perturbkit import data

    photos = tmp / "photos" / "cat"
    photos.mkdir(parents=True)
    (photos / "broken.png").write_bytes(b"not a png")
    extras.append(Extra("data", "load_image_folder", "corrupt image",
                        lambda: data.load_image_folder(tmp / "photos", 8), ("broken.png",)))
    return specs, extras


# ---------------------------------------------------------------------------------------------------- running
def _names_argument(message: str, words) -> bool:
    for w in words:
        if len(w) <= 2:  # short names (x, t, p, N) must stand alone, as the subject of the message
            if re.search(rf"(?<![\w.'\"]){re.escape(w)}(?:\[\d+\])?(?![\w(])", message):
                return True
        elif w.lower() in message.lower():
            return True
    return False


def classify(call, words, returns_ok=None) -> tuple[str, str]:
    """('clear' | 'unclear' | 'silent', what happened) for one bad call."""
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(TIME_LIMIT)
    try:
        try:
            with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                value = call()
        finally:
            signal.alarm(0)
    except _Timeout:  # also when the alarm goes off just as the call ends
        return "unclear", f"ran past {TIME_LIMIT} s"
    except Exception as e:  # noqa: BLE001 - every exception is classified
        frames = traceback.extract_tb(e.__traceback__)
        origin = frames[-1].filename if frames else ""
        ours = origin.startswith(PACKAGE)
        text = f"{type(e).__name__}: {str(e).splitlines()[0][:160] if str(e) else ''}"
        where = f" [{Path(origin).name}:{frames[-1].lineno}]" if frames else ""
        if ours and not isinstance(e, INTERNAL) and _names_argument(str(e), words):
            return "clear", text
        return "unclear", text + where
    finally:
        signal.signal(signal.SIGALRM, old)
    if returns_ok is not None and returns_ok(value):
        return "clear", f"returned {str(value)[:100]!r}"
    return "silent", f"returned {str(value)[:100]!r}"


def run(modules=None, verbose: bool = False, out=sys.stdout) -> dict:
    """Run the probe; return {'clear': ..., 'unclear': ..., 'silent': ..., 'rows': [(module, function, argument,
    label, outcome, text)], 'errors': [good calls that failed]}."""
    tmp = Path(tempfile.mkdtemp(prefix="probe_api_"))
    try:
        specs, extras = build_specs(tmp)
        rows, errors = [], []
        for s in specs:
            if (modules and s.module not in modules) or s.fn is None:
                continue
            if not s.heavy:
                kind, text = classify(lambda s=s: s.fn(**s.good), (), returns_ok=lambda v: True)
                if kind != "clear":
                    errors.append(f"{s.module}.{s.name}: the good call failed: {text}")
                    continue
            for arg, values in s.bad.items():
                for label, value in values:
                    kwargs = dict(s.good, **{arg: value})
                    outcome, text = classify(lambda s=s, kwargs=kwargs: s.fn(**kwargs), s.names.get(arg, [arg]),
                                             s.returns_ok)
                    rows.append((s.module, s.name, arg, label, outcome, text))
        for e in extras:
            if modules and e.module not in modules:
                continue
            outcome, text = classify(e.call, e.words)
            rows.append((e.module, e.name, "file", e.label, outcome, text))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    counts = {k: sum(r[4] == k for r in rows) for k in ("clear", "unclear", "silent")}
    if verbose:
        for m, f, a, label, outcome, text in rows:
            if outcome != "clear":
                print(f"{outcome:8s} {m}.{f}({a}={label}): {text}", file=out)
    for e in errors:
        print(f"spec error: {e}", file=out)
    per_module = {}
    for r in rows:
        per_module.setdefault(r[0], {"clear": 0, "unclear": 0, "silent": 0})[r[4]] += 1
    for m, c in sorted(per_module.items()):
        print(f"  {m:16s} {sum(c.values()):4d} calls: {c['clear']:4d} clear, {c['unclear']:3d} unclear, "
              f"{c['silent']:3d} silent", file=out)
    total = len(rows)
    share = 100 * counts["unclear"] / total if total else 0.0
    print(f"probe: {total} bad calls: {counts['clear']} clear errors, {counts['unclear']} unclear errors "
          f"({share:.1f}%), {counts['silent']} silent results", file=out)
    return dict(counts, rows=rows, errors=errors)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-m", "--modules", help="comma-separated module names (default: all)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every unclear and silent call")
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    torch.set_num_threads(1)
    result = run(set(args.modules.split(",")) if args.modules else None, verbose=args.verbose)
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
