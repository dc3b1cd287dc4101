"""Plotting helpers for the lessons (matplotlib). One module per topic; every name a lesson uses is reachable here.

The rule: every function returns the ``matplotlib.figure.Figure`` it drew, built without pyplot's global state
(``Figure(...)``, never ``plt.subplots``), so a lesson cell that ends with the call shows the figure exactly once,
as its value, and nothing is left open in pyplot. Functions that compose into a larger picture take ``ax=`` and
then draw there and return that Axes' figure. Tensors may be on any device (they are moved to the CPU to draw).

``image_grid`` and ``show_image`` are imported here; the topic modules' figures (``perturbkit.plotting.theorem_map``
and the others listed in ``EXPORTS``) are imported on first use (``perturbkit._lazy``).
"""

from .._lazy import lazy_exports
from ._base import show_figures_in_ipython
from .images import image_grid, show_image

# The figures the lessons import from the topic modules; tests/test_face.py keeps the table complete.
EXPORTS = {
    ".attacks": ["minimal_size_histograms", "perturbation_panel", "robustness_curves"],
    ".budgets": ["plot_budget_and_diameter"],
    ".census": ["plot_robust_share", "plot_robust_shares"],
    ".core_argument": ["core_argument_figure"],
    ".drawings": ["illusions_figure", "outline_figure"],
    ".flip": ["flip_figure", "path_strip"],
    ".hamming": ["draw_hamming_graph"],
    ".natural": ["distance_scales"],
    ".norms": ["plot_unit_balls"],
    ".optimality": ["plot_sum_concentration"],
    ".perturbations": ["perturbation_rows"],
    ".scaling": ["plot_scaling", "plot_scaling_panels"],
    ".theorems": ["theorem_map"],
}

__getattr__, __dir__, _lazy_names = lazy_exports(__name__, __path__, globals(), EXPORTS)
__all__ = ["image_grid", "show_image", *_lazy_names]

show_figures_in_ipython()
