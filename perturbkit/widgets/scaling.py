"""Lesson 05's widget: choose p and a classifier, see robustness against n on log-log axes and the fitted slope."""

from __future__ import annotations

import ipywidgets as W
from matplotlib.figure import Figure

from ..budgets import format_p
from ..checks import check_p
from ..plotting.scaling import plot_scaling
from ..scaling import slope_table
from .live import LiveView, p_dropdown


def scaling_view(p: float, classifier: str, results: dict) -> tuple[str, Figure | None]:
    """Text and figure for one choice. ``results`` maps a classifier name to {p: ScalingCurve}.

    Returns (text, fig): the slope table line for (classifier, p) and the curve on log-log axes, with the sum
    classifier's curve for the same p drawn too as the reference (when the choice is not the sum classifier).
    """
    if not isinstance(results, dict) or not results:
        raise ValueError(f"results must be a non-empty dict classifier name -> {{p: ScalingCurve}}, got {results!r}")
    p = check_p(p)
    if not isinstance(classifier, str) or classifier not in results:
        raise ValueError(f"classifier must be one of {sorted(results)}, got {classifier!r}")
    curves = results[classifier]
    if p not in curves:
        measured = ", ".join(format_p(q) for q in curves)
        return f"{classifier}: not measured for p = {format_p(p)} (measured: p = {measured})", None
    shown = [curves[p]]
    reference = next(iter(results))
    if classifier != reference and p in results[reference]:
        shown.append(results[reference][p])
    text = slope_table(shown) + "\n\n" + curves[p].describe()
    return text, plot_scaling(shown, title=f"{classifier}, p = {format_p(p)}")


def scaling_explorer(results: dict, p: float = 2.0) -> LiveView:
    """The widget: a dropdown for p, a dropdown for the classifier; shows scaling_view's text and figure."""
    controls = {
        "p": p_dropdown(p, ps=next(iter(results.values())).keys()),
        "classifier": W.Dropdown(options=list(results), value=next(iter(results)), description="classifier"),
    }
    return LiveView(lambda p, classifier: scaling_view(p, classifier, results), controls)
