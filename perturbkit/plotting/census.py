"""Robust-share curves of a census, with the course's bounds overlaid."""

from __future__ import annotations

from matplotlib.figure import Figure

from .. import bounds
from ..census import RobustShare
from ..checks import check_int
from ._base import axes_for


def plot_robust_share(rs: RobustShare, N: int, binary: bool = True, ax=None, title: str | None = None,
                      t_mark: float | None = None) -> Figure:
    """One curve per class of the share of the class with r_0 > t (binary: against ``harper_bound``) or of the
    share of the whole space (any levels: against ``concentration_bound``). Classes over half the space are
    dashed: the bound does not cover them. Returns the Figure (``ax``'s when given)."""
    if not isinstance(rs, RobustShare):
        raise TypeError(f"rs must be a perturbkit.census.RobustShare, got {type(rs).__name__}")
    N = check_int("N", N, minimum=1)
    ax = axes_for(ax, (6.2, 3.6))
    t = rs.t
    shares = rs.robust if binary else rs.core_share_of_space()
    for i, c in enumerate(rs.classes):
        big = rs.space_share[i] > 0.5
        ax.plot(t, shares[i], "--" if big else "-o", ms=3,
                label=f"class {int(c)} ({100 * rs.space_share[i]:.0f}% of space{', not covered' if big else ''})")
    bound = bounds.harper_bound(N, t) if binary else bounds.concentration_bound(N, t)
    ax.plot(t, bound, "k-", lw=2, alpha=0.5, label="Harper bound" if binary else "concentration bound")
    if t_mark is not None:
        ax.axvline(t_mark, color="0.5", lw=1, ls=":")
    ax.set_xlabel("radius t (changed entries)")
    ax.set_ylabel("share of the class with r > t" if binary else "share of the space: class core C(t)")
    ax.set_ylim(-0.02, 1.02)
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title)
    return ax.figure
