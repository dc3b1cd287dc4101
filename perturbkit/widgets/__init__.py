"""The ipywidgets of the lessons. Each widget is thin: its logic is a pure function tested in tests/, and the lesson
prints that function's result in a neighbouring cell so that nbval checks it. One module per lesson topic.
"""

from .live import LiveView, figure_png

__all__ = ["LiveView", "figure_png"]
