"""The ipywidgets of the lessons. Each widget is a LiveView (live.py, the one widget mechanism) over a pure view
function tested in tests/; the lesson prints that function's result in a neighbouring cell so that nbval checks it.
One module per lesson topic.
"""

from .live import P_OPTIONS, LiveView, figure_png, p_dropdown

__all__ = ["LiveView", "P_OPTIONS", "figure_png", "p_dropdown"]
