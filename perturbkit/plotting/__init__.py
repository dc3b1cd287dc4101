"""Plotting helpers for the lessons (matplotlib). One module per topic; the common ones are re-exported here.

Every function takes tensors on any device (they are moved to the CPU for drawing) and returns the matplotlib
Figure (or Axes) it drew on, so a lesson can end the line with ``;`` and nbval sees a stable text repr.
"""

from .images import image_grid, show_image

__all__ = ["image_grid", "show_image"]
