"""The plotting helpers: content tests for lessons 08-10, and the one rule of perturbkit.plotting (every function
returns a pyplot-free Figure, shown once in a notebook)."""

import base64

import pytest
import torch

from perturbkit.flip import FlipExperiment, hamming_path
from perturbkit.natural import DistanceRow
from perturbkit.plotting.flip import flip_figure, path_strip
from perturbkit.plotting.natural import distance_scales
from perturbkit.plotting.perturbations import perturbation_rows


def test_distance_scales_one_panel_per_p():
    rows = [DistanceRow("d", n, L, p, 1.0, 2.0, float(n) ** (1 / max(p, 1)), float(n * n) ** (1 / max(p, 1)))
            for n in (8, 16) for L in (2, 16) for p in (0, 2)]
    fig = distance_scales(rows, "t")
    assert len(fig.axes) == 2 and [len(ax.lines) for ax in fig.axes] == [4, 4]   # 2 data, budget, diameter


def test_flip_and_path_figures():
    path = hamming_path(torch.zeros(1, 4, 4), torch.ones(1, 4, 4), order="raster")
    exp = FlipExperiment(path, ("a", "b"), step=5)
    exp.record(0)
    exp.record(1)
    fig = flip_figure(exp, torch.tensor([0] * 8 + [1] * 9), n=4)
    assert len(fig.axes) == 2
    fig = path_strip(path, stops=4)
    assert [ax.get_title() for ax in fig.axes] == ["0 changed", "5 changed", "11 changed", "16 changed"]


def test_perturbation_rows_layout():
    x = torch.rand(3, 1, 6, 6)
    fig = perturbation_rows(x, {"a": x.flip(0), "b": x.clamp(0.2, 0.8)}, {"a": torch.tensor([1, 2, 3]),
                                                                           "b": torch.tensor([4, 5, 6])})
    assert len(fig.axes) == 15 and fig.axes[6].get_title() == "says 1" and fig.axes[14].get_title() == "says 6"


# --------------------------------------------------------------------------- the one rule of perturbkit.plotting
DATA_HELPERS = {"layout", "core_regions", "example_class"}  # compute what a picture shows; draw nothing


def _plotting_functions():
    import importlib
    import inspect
    import pkgutil

    import perturbkit.plotting as package

    for info in pkgutil.iter_modules(package.__path__):
        if not info.name.startswith("_"):
            module = importlib.import_module(f"perturbkit.plotting.{info.name}")
            for name, f in inspect.getmembers(module, inspect.isfunction):
                if f.__module__ == module.__name__ and not name.startswith("_") and name not in DATA_HELPERS:
                    yield f"{info.name}.{name}", f


def test_every_plotting_function_is_annotated_to_return_a_figure():
    import inspect

    found = dict(_plotting_functions())
    assert len(found) >= 20
    wrong = {k: inspect.signature(f).return_annotation for k, f in found.items()
             if inspect.signature(f).return_annotation != "Figure"}
    assert not wrong, f"plotting functions must return a matplotlib Figure: {wrong}"


def test_figures_are_built_without_pyplot_and_ax_gives_its_own_figure():
    import math

    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.figure import Figure

    from perturbkit.plotting.budgets import plot_budget_and_diameter
    from perturbkit.plotting.hamming import draw_hamming_graph, neighbourhood_figure
    from perturbkit.plotting.images import show_image
    from perturbkit.plotting.norms import plot_unit_balls
    from perturbkit.plotting.optimality import plot_sum_concentration
    from perturbkit.spaces import ImageSpace

    plt.close("all")
    space = ImageSpace(2)
    figs = [plot_budget_and_diameter(ns=(4, 8), ps=(0, math.inf)), plot_unit_balls((1, 2)),
            draw_hamming_graph(space, distance=np.arange(16) % 3, t=1),
            neighbourhood_figure(space, np.arange(16) % 3, 1, {"a": torch.zeros(1, 2, 2)})]
    assert all(type(f) is Figure for f in figs) and plt.get_fignums() == []  # nothing left open in pyplot
    mine = Figure()
    a, b = mine.subplots(1, 2)
    assert plot_sum_concentration((4,), ax=a) is mine and show_image(b, torch.zeros(1, 2, 2)) is mine
    assert len(a.lines) == 2 and len(b.images) == 1
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        plot_sum_concentration((4,), ax="left")


def test_a_returned_figure_displays_once_as_png_with_a_stable_text():
    interactiveshell = pytest.importorskip("IPython.core.interactiveshell")  # installed with ipywidgets
    from matplotlib.figure import Figure

    from perturbkit.plotting._base import show_figures_in_ipython
    from perturbkit.plotting.norms import plot_unit_balls

    shell = interactiveshell.InteractiveShell.instance()
    try:
        shell.display_formatter.formatters["image/png"].pop(Figure, None)
        show_figures_in_ipython()  # what importing perturbkit.plotting does in a notebook
        data, _ = shell.display_formatter.format(plot_unit_balls((1, 2)))
        assert set(data) == {"text/plain", "image/png"}
        assert data["text/plain"] == "<Figure size 520x280 with 2 Axes>"  # no address: the same on every run
        assert base64.b64decode(data["image/png"]).startswith(b"\x89PNG")
        svg = shell.display_formatter.formatters["image/svg+xml"]
        svg.for_type(Figure, lambda fig: "<svg/>")  # a display chosen already is kept
        shell.display_formatter.formatters["image/png"].pop(Figure)
        show_figures_in_ipython()
        assert Figure not in shell.display_formatter.formatters["image/png"].type_printers
    finally:
        interactiveshell.InteractiveShell.clear_instance()


def test_no_lesson_cell_relies_on_a_trailing_semicolon():
    # nbval runs cells without history, where IPython ignores a trailing ';' (the value would show under test but
    # not in Jupyter); plotting functions return a Figure, shown once, so no cell needs one
    import json
    from pathlib import Path

    lessons = sorted((Path(__file__).resolve().parent.parent / "lessons").glob("*.ipynb"))
    ending = [f"{p.name} cell {i}" for p in lessons for i, c in enumerate(json.loads(p.read_text())["cells"])
              if c["cell_type"] == "code" and "".join(c["source"]).rstrip().endswith(";")]
    assert lessons and not ending, f"cells ending in ';': {ending}"
