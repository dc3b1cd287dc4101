"""Lesson 04's census explorer: pick a classifier, move the radius, see its robust shares against the bound."""

from __future__ import annotations

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure

from .. import bounds
from ..census import RobustShare
from ..checks import check_int
from ..plotting.census import plot_robust_share
from .live import LiveView


def census_view(name: str, t: int, results: dict[str, RobustShare], N: int) -> tuple[str, Figure]:
    """Text and figure for one classifier (a key of ``results``, binary census of N entries) at radius t."""
    if not isinstance(results, dict):
        raise TypeError(f"results must be a dict name -> RobustShare, got {type(results).__name__}")
    if not isinstance(name, str) or name not in results:
        raise ValueError(f"name must be one of {sorted(results)}, got {name!r}")
    N = check_int("N", N, minimum=1)
    t = check_int("t", t, minimum=0, maximum=N)
    rs = results[name]
    j = int(np.searchsorted(rs.t, t))
    lines = [f"{name}, t = {t}: Harper bound {bounds.harper_bound(N, t):.4f} for classes of at most half the space"]
    for i, c in enumerate(rs.classes):
        lines.append(f"  class {int(c)}: {100 * rs.space_share[i]:5.1f}% of the space, "
                     f"{100 * rs.robust[i, j]:6.2f}% of it needs more than {t} changed pixels")
    return "\n".join(lines), plot_robust_share(rs, N, title=name, t_mark=t)


def census_explorer(results: dict[str, RobustShare], N: int, t: int = 3) -> LiveView:
    """The widget: a classifier dropdown and a radius slider (redraws on release) over census_view."""
    controls = {
        "name": W.Dropdown(options=list(results), value=next(iter(results)), description="classifier"),
        "t": W.IntSlider(value=t, min=0, max=N, description="radius t", continuous_update=False),
    }
    return LiveView(lambda name, t: census_view(name, t, results, N), controls)
