"""Picture for lesson 10's threat-model calculator: eps, common radii, the budget, the bounds' radii and the
diameter of the space on one log axis."""

from __future__ import annotations

from matplotlib.figure import Figure

from ..budgets import format_p
from ..threat import ThreatReport, hamming_cost


def threat_axis(rep: ThreatReport, common: float | None = None) -> Figure:
    """One log axis in d_p units of ``rep.p``: the budget (c = 1) and the diameter (solid), the radius beyond which
    each of the course's bounds leaves at most ``rep.share`` (dashed), the common eps of the literature when given
    (triangle) and ``rep.eps`` (dot). Returns the Figure."""
    if not isinstance(rep, ThreatReport):
        raise TypeError(f"rep must be a perturbkit.threat.ThreatReport, got {type(rep).__name__}")
    p, eps, share = rep.p, rep.eps, rep.share
    marks = [("budget (c = 1)", rep.budget, "k", "-"), ("diameter", rep.diameter, "0.5", "-")]
    if rep.t_concentration is not None:
        marks.append((f"concentration, {share:.0%}", hamming_cost(rep.t_concentration, p), "C0", "--"))
    if rep.t_class is not None:
        marks.append((f"class-relative, {share:.0%} of the class", hamming_cost(rep.t_class, p), "C2", "--"))
    if rep.l2_limit is not None:
        marks.append((f"cube + rounding, {share:.0%}", rep.l2_limit, "C3", "--"))
    if rep.linf_limit is not None:
        marks.append((f"l-inf, {share:.0%}", rep.linf_limit, "C3", "--"))
    fig = Figure(figsize=(7.5, 2.4), layout="tight")
    ax = fig.subplots()
    for k, (label, x, color, style) in enumerate(marks):
        ax.axvline(x, color=color, ls=style, lw=1.5)
        ax.text(x, 0.95 - 0.13 * k, " " + label, color=color, fontsize=8, va="top")
    if common is not None:
        ax.plot([common], [0.2], "v", color="C1", ms=9, label=f"common eps {common:.3g}")
    if eps > 0:
        ax.plot([eps], [0.1], "o", color="C4", ms=8, label=f"your eps {eps:.3g}")
    lo = min([x for _, x, _, _ in marks] + [v for v in (eps, common) if v]) / 3
    hi = max(x for _, x, _, _ in marks) * 3
    ax.set(xscale="log", xlim=(lo, hi), ylim=(0, 1), yticks=[], xlabel=f"d_p radius, p = {format_p(p)} (log scale)")
    ax.legend(fontsize=7, loc="lower right")
    return fig
