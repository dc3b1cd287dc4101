"""Pictures for lesson 08: real-image distances next to the theorem's budget and the diameter of the space."""

from __future__ import annotations

from matplotlib.figure import Figure

from ..budgets import format_p
from ..natural import DistanceRow


def distance_scales(rows: list[DistanceRow], title: str | None = None) -> Figure:
    """One panel per p: median between-class nearest-neighbour distance, the budget and the diameter against n,
    each divided by the diameter (log scale), one line per bit depth. Returns the Figure."""
    if isinstance(rows, (str, bytes)) or not hasattr(rows, "__iter__"):
        raise TypeError(f"rows must be a list of DistanceRow, got {type(rows).__name__}")
    rows = list(rows)
    if not rows or not all(isinstance(r, DistanceRow) for r in rows):
        raise ValueError("rows must be a non-empty list of DistanceRow (from perturbkit.natural.distance_rows)")
    ps = sorted({r.p for r in rows})
    fig = Figure(figsize=(3.1 * len(ps), 2.9), layout="tight")
    axes = fig.subplots(1, len(ps), squeeze=False)
    for ax, p in zip(axes[0], ps):
        sel = [r for r in rows if r.p == p]
        for levels in sorted({r.levels for r in sel}, key=lambda v: -1 if v is None else v):
            rr = sorted((r for r in sel if r.levels == levels), key=lambda r: r.n)
            lab = "data, as stored" if levels is None else f"data, L = {levels}"
            ax.plot([r.n for r in rr], [r.between / r.diameter for r in rr], "o-", label=lab)
        rr = sorted({r.n: r for r in sel}.values(), key=lambda r: r.n)
        ax.plot([r.n for r in rr], [r.budget / r.diameter for r in rr], "k--", label="budget (c = 1)")
        ax.axhline(1.0, color="grey", lw=1, label="diameter")
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xlabel("n")
        ax.set_title(f"p = {format_p(p)}", fontsize=10)
    axes[0][0].set_ylabel("distance / diameter")
    axes[0][-1].legend(fontsize=7, loc="lower left")
    if title:
        fig.suptitle(title, fontsize=11)
    return fig
