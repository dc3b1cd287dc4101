"""Plotting helpers for the lessons (matplotlib). One module per topic; the common ones are re-exported here.

The rule: every function returns the ``matplotlib.figure.Figure`` it drew, built without pyplot's global state
(``Figure(...)``, never ``plt.subplots``), so a lesson cell that ends with the call shows the figure exactly once,
as its value, and nothing is left open in pyplot. Functions that compose into a larger picture take ``ax=`` and
then draw there and return that Axes' figure. Tensors may be on any device (they are moved to the CPU to draw).
"""

from ._base import show_figures_in_ipython
from .images import image_grid, show_image

__all__ = ["image_grid", "show_image"]

show_figures_in_ipython()
