"""The ipywidgets of the lessons. Each widget is a LiveView (live.py, the one widget mechanism) over a pure view
function tested in tests/; the lesson prints that function's result in a neighbouring cell so that nbval checks it.
One module per lesson topic; every widget and view a lesson uses is reachable here, imported on first use
(``perturbkit._lazy``).

The quiz is the exception: ``perturbkit.widgets.quiz`` is the module, whose function ``quiz`` is
``perturbkit.quiz`` (a package attribute cannot be both).
"""

from .._lazy import lazy_exports
from .live import P_OPTIONS, LiveView, figure_png, p_dropdown

# The widgets and views the lessons import from the topic modules; tests/test_face.py keeps the table complete.
EXPORTS = {
    ".attacks": ["attack_example", "attack_explorer", "describe"],
    ".bitdepth": ["bitdepth_explorer", "bitdepth_view"],
    ".census": ["census_explorer", "census_view"],
    ".drawings": ["outline_explorer", "outline_view"],
    ".flip": ["flip_report", "flip_widget"],
    ".hamming": ["neighbourhood_explorer", "neighbourhood_view"],
    ".natural": ["nn_explorer", "nn_view"],
    ".optimality": ["concentration_explorer", "concentration_view"],
    ".scaling": ["scaling_explorer", "scaling_view"],
    ".spaces": ["explorer_view", "space_explorer"],
    ".threat": ["threat_calculator", "threat_view"],
}

__getattr__, __dir__, _lazy_names = lazy_exports(__name__, __path__, globals(), EXPORTS)
__all__ = ["LiveView", "P_OPTIONS", "figure_png", "p_dropdown", *_lazy_names]
