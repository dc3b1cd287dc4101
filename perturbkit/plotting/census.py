"""Robust-share curves (the share of a class with robustness > t) with the course's bounds overlaid: one picture
for every census and comparison in the lessons."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .. import bounds
from ..census import RobustShare
from ..checks import check_int, check_radii
from ._base import axes_for


def plot_robust_shares(shares: dict, t, bound=None, bound_label: str = "bound", ax=None, title: str | None = None,
                       t_mark: float | None = None, dashed=(), log: bool = True,
                       ylabel: str = "share of the class with r_0 > t") -> Figure:
    """The course's one robust-share picture: one step curve per entry of ``shares`` (label -> share with
    robustness > t, one value per t), the bound as a dashed black line, labels in ``dashed`` drawn dashed (classes
    the bound does not cover), an optional dotted mark at ``t_mark``; symlog y axis when ``log``. Returns the Figure
    (``ax``'s when given)."""
    if not isinstance(shares, dict) or not shares:
        raise ValueError(f"shares must be a non-empty dict name -> share per t, got {type(shares).__name__}")
    t = check_radii("t", t, negative_ok=True)
    for name, share in {**shares, **({} if bound is None else {"bound": bound})}.items():
        if np.shape(share) != t.shape:
            raise ValueError(f"{'bound' if name == 'bound' else f'shares[{name!r}]'} must have one value per t "
                             f"({t.shape}), got shape {np.shape(share)}")
    ax = axes_for(ax, (9, 3.6) if log else (6.2, 3.6))
    for i, (name, share) in enumerate(shares.items()):
        # earlier curves drawn thicker, so that identical curves (e.g. two names for one split) stay visible
        ax.step(t, share, where="post", lw=max(3.5 - 0.4 * i, 1.0), color=f"C{i % 10}",
                ls="--" if name in dashed else "-", label=name)
    if bound is not None:
        ax.step(t, bound, where="post", color="k", ls="--", lw=1.2, label=bound_label)
    if t_mark is not None:
        ax.axvline(t_mark, color="0.5", lw=1, ls=":")
    ax.set_xlabel("t (changed entries)")
    ax.set_ylabel(ylabel)
    if log:
        ax.set_yscale("symlog", linthresh=1e-3)
    ax.set_ylim(0 if log else -0.02, 1.05)
    ax.grid(True, alpha=0.25)
    ax.legend(fontsize=7, **({"loc": "upper left", "bbox_to_anchor": (1.01, 1.0)} if log else {}))
    if title:
        ax.set_title(title, fontsize=10)
    return ax.figure


def plot_robust_share(rs: RobustShare, N: int, levels: int = 2, ax=None, title: str | None = None,
                      t_mark: float | None = None) -> Figure:
    """A census's robust-share curves (:func:`plot_robust_shares`), one per class: for L = 2**b levels (binary
    included) the share of the class with r_0 > t against the class-relative ``harper_bound(N, t, levels)``; for
    other L the share of the whole space in the class's core against ``concentration_bound``. Classes over half the
    space are dashed: the bound does not cover them."""
    if not isinstance(rs, RobustShare):
        raise TypeError(f"rs must be a perturbkit.census.RobustShare, got {type(rs).__name__}")
    N = check_int("N", N, minimum=1)
    levels = check_int("levels", levels, minimum=2)
    class_relative = levels & (levels - 1) == 0
    values = rs.robust if class_relative else rs.core_share_of_space()
    shares, dashed = {}, []
    for i, c in enumerate(rs.classes):
        big = rs.space_share[i] > 0.5
        name = f"class {int(c)} ({100 * rs.space_share[i]:.0f}% of space{', not covered' if big else ''})"
        shares[name] = values[i]
        dashed += [name] if big else []
    if class_relative:
        bound = bounds.harper_bound(N, rs.t, levels)
        label = "Harper bound" if levels == 2 else f"class-relative bound, {levels.bit_length() - 1} bits"
    else:
        bound, label = bounds.concentration_bound(N, rs.t), "concentration bound"
    return plot_robust_shares(shares, rs.t, bound, label, ax=ax, title=title, t_mark=t_mark, dashed=dashed,
                              log=False, ylabel="share of the class with r > t" if class_relative else
                              "share of the space: class core C(t)")
