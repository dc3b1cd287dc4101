"""Figures whose data is checked: what a lesson's prose reads off a picture is asserted on the plotted arrays.

Each lesson figure is listed in FIGURES under a snippet of the code cell that draws it, with where its data is
checked: a test of this module that redraws it with the lesson's own call (read from the lesson, so that the lesson
and the test can not drift apart) and reads the returned Figure's artists, or the compared claims cell that follows
it in the lesson. Figures that only show images (a grid of digits, a drawing) and state nothing the prose reads off
are listed as decorative, with the reason. A new figure in a lesson fails `test_every_lesson_figure_is_listed` until
it is listed.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

LESSONS = {p.name[:2]: p for p in sorted((Path(__file__).resolve().parent.parent / "lessons").glob("*.ipynb"))}


def _code_cells(lesson: str) -> list[str]:
    return ["".join(c["source"]) for c in json.loads(LESSONS[lesson].read_text())["cells"] if c["cell_type"] == "code"]


def lesson_figure(lesson: str, call: str, **names):
    """Draw the figure of ``lesson`` that ``call`` (a plotting call copied from the lesson) draws, after checking
    that the lesson still makes exactly that call."""
    assert any(call in source for source in _code_cells(lesson)), f"lesson {lesson} no longer calls {call}"
    return eval(call, {"math": math, "np": np, **names})


def _slope(x, y) -> float:
    return float(np.polyfit(np.log(np.asarray(x, float)), np.log(np.asarray(y, float)), 1)[0])


# --------------------------------------------------------------------------------------------- lesson 00
def test_00_budget_rises_half_as_steeply_as_the_diameter_and_linf_is_flat():
    # "For every finite p the solid line (budget) rises with a slope half as steep as the dashed line (diameter):
    # 1/max(p,1) against 2/max(p,1) ... the ratio falls like n^(-1/max(p,1)). For p = inf both lines are flat at 1"
    # catches: the budget drawn as c n for every p, the diameter as N^(1/p) for p < 1, the ratio inverted
    from perturbkit.plotting.budgets import plot_budget_and_diameter

    call = "plot_budget_and_diameter(ns=(4, 8, 16, 32, 64, 128, 256, 512), ps=(0, 1, 2, 4, math.inf))"
    fig = lesson_figure("00", call, plot_budget_and_diameter=plot_budget_and_diameter)
    left, right = fig.axes
    ps = (0, 1, 2, 4, math.inf)
    diameters, budgets, ratios = left.lines[0::2], left.lines[1::2], right.lines
    assert len(diameters) == len(budgets) == len(ratios) == len(ps)
    for p, d, b, r in zip(ps, diameters, budgets, ratios):
        assert d.get_linestyle() == "--" and b.get_linestyle() == "-"
        if p == math.inf:
            assert np.all(d.get_ydata() == 1) and np.all(b.get_ydata() == 1) and np.all(r.get_ydata() == 1)
            continue
        k = max(p, 1)
        assert _slope(*d.get_data()) == pytest.approx(2 / k, abs=1e-9)
        assert _slope(*b.get_data()) == pytest.approx(1 / k, abs=1e-9)
        assert _slope(*r.get_data()) == pytest.approx(-1 / k, abs=1e-9)


# --------------------------------------------------------------------------------------------- lesson 01
def test_01_unit_balls_star_for_p_below_1_and_square_for_linf():
    # "for p < 1 the ball is a star that hugs the axes (sparse changes are cheap), for p = inf a square"
    # catches: p < 1 drawn as a convex ball (the size of a p < 1 change computed as an l1 or l2 norm), l-inf drawn
    # as the l1 diamond
    from perturbkit.plotting.norms import plot_unit_balls

    fig = lesson_figure("01", "plot_unit_balls((0.5, 1, 2, math.inf))", plot_unit_balls=plot_unit_balls)

    def inside(ax, point):
        return any(path.contains_point(point) for path in ax.collections[0].get_paths())

    star, diamond, disc, square = fig.axes
    axis_points, diagonal = [(0.95, 0), (0, -0.95), (-0.95, 0), (0, 0.95)], [(a, a) for a in (0.2, 0.3, 0.45, 0.55,
                                                                                              0.69, 0.73, 0.95)]
    for ax in fig.axes:
        assert all(inside(ax, pt) for pt in axis_points) and not inside(ax, (1.05, 0))
    # the diagonal reaches 1/4 (p = 1/2), 1/2 (p = 1), 1/sqrt(2) (p = 2) and 1 (p = inf)
    assert [inside(star, pt) for pt in diagonal] == [True] + [False] * 6
    assert [inside(diamond, pt) for pt in diagonal] == [True] * 3 + [False] * 4
    assert [inside(disc, pt) for pt in diagonal] == [True] * 5 + [False] * 2
    assert all(inside(square, pt) for pt in diagonal) and inside(square, (-0.95, 0.95))


# --------------------------------------------------------------------------------------------- lesson 03
def test_03_hamming_graph_of_2x2_images_in_layers_with_one_pixel_edges():
    # "We draw them in layers by their number of white pixels; each image is joined to the 4 images that differ
    # from it in exactly one pixel: this is Q_4." catches: edges between images two changes apart, a wrong layer
    from perturbkit.plotting.hamming import draw_hamming_graph
    from perturbkit.spaces import ImageSpace

    call = 'draw_hamming_graph(space2, glyphs=True, title="all 16 binary 2x2 images; edges: one pixel changed")'
    fig = lesson_figure("03", call, draw_hamming_graph=draw_hamming_graph, space2=ImageSpace(2))
    ax = fig.axes[0]
    glyphs = {(round((im.get_extent()[0] + im.get_extent()[1]) / 2, 6), round((im.get_extent()[2] + im.get_extent()[3])
                                                                              / 2, 6)): np.asarray(im.get_array())
              for im in ax.images}
    assert len(glyphs) == 16 and len({g.tobytes() for g in glyphs.values()}) == 16   # every image once
    assert all(y == g.sum() for (_, y), g in glyphs.items())                         # layer = white pixels
    segments = ax.collections[0].get_segments()
    assert len(segments) == 16 * 4 // 2
    degree = dict.fromkeys(glyphs, 0)
    for seg in segments:
        a, b = (tuple(np.round(pt, 6)) for pt in seg)
        assert (glyphs[a] != glyphs[b]).sum() == 1                                   # one pixel changed
        degree[a] += 1
        degree[b] += 1
    assert set(degree.values()) == {4}


def test_03_04_core_argument_picture_core_only_in_the_body_and_grown_core_inside_the_class():
    # "The arm and the small island of C are thinner than 2t: no point of them is more than t from the outside, so
    # they add nothing to the core" and "everything within t of C(t) lies in C".
    # catches: the core computed without the distance to the outside (the whole class), grown by 2t instead of t
    from perturbkit.plotting.core_argument import core_argument_figure, example_class

    fig = lesson_figure("03", "core_argument_figure(t=0.12)", core_argument_figure=core_argument_figure)
    assert any("core_argument_figure(t=0.12)" in s for s in _code_cells("04"))
    img = np.asarray(fig.axes[0].images[0].get_array())
    inside = example_class(img.shape[0])
    y, x = np.mgrid[0:img.shape[0], 0:img.shape[1]] / img.shape[0]
    island = (x - 0.82) ** 2 + (y - 0.78) ** 2 <= 0.09**2
    arm = inside & (x > 0.75)
    core, grown = img == 3, img >= 2
    assert core.any() and not (core & (island | arm)).any()
    assert not (grown & ~inside).any() and (inside & ~grown).any()      # the grown core fills C only in part
    assert ((img >= 1) == inside).all()


# --------------------------------------------------------------------------------------------- lesson 06
def test_06_the_sum_is_the_same_bell_at_every_n():
    # "The picture shows the exact distribution of (sum - threshold)/n for several n: it is the same bell at every n,
    # so the bell of the sum itself has a width that grows like n." For binary images the scaled sum has mean 0 and
    # standard deviation exactly 1/2 at every n. catches: the sum scaled by N instead of n (a bell narrowing like
    # 1/n), a density not rescaled per unit of the x axis (mass n instead of 1)
    from perturbkit.plotting.optimality import plot_sum_concentration

    fig = lesson_figure("06", "plot_sum_concentration(ns=(4, 8, 16, 32, 64), levels=2)",
                        plot_sum_concentration=plot_sum_concentration)
    bells = [line for line in fig.axes[0].lines if line.get_label().startswith("n = ")]
    assert [b.get_label() for b in bells] == [f"n = {n}" for n in (4, 8, 16, 32, 64)]
    for b in bells:
        x, y = b.get_data()
        dx = x[1] - x[0]
        assert float(np.sum(y) * dx) == pytest.approx(1, abs=1e-9)
        assert float(np.sum(x * y) * dx) == pytest.approx(0, abs=1e-9)
        assert math.sqrt(float(np.sum(x * x * y) * dx)) == pytest.approx(0.5, abs=1e-9)
    # and the bells approach one curve, the normal density with standard deviation 1/2, at their peak
    peaks = [float(b.get_ydata().max()) for b in bells]
    assert abs(peaks[-1] - 2 / math.sqrt(2 * math.pi)) < 0.01 and peaks == sorted(peaks)   # rising to the limit


# --------------------------------------------------------------------------------------------- the registry
OWN = "its own cell: claims on the plotted data after the drawing"
NEXT = "the claims cell after it"
# lesson -> {a snippet of the cell that draws the figure: where its data is checked, or why it needs no check}
FIGURES: dict[str, dict[str, str]] = {
    "00": {"plot_budget_and_diameter(": "test_00_budget_rises_half_as_steeply_as_the_diameter_and_linf_is_flat",
           "theorem_map()": "decorative: a map of the boxed results; tests/test_theorems.py holds its boxes and edges "
                            "to the lessons"},
    "01": {"image_grid(all_2x2": "the cell after it: the 16 images shown are the indices 0 to 15, in order",
           "random8 = space8.sample": "decorative: random and real digits side by side, for the eye",
           "quantize(grey, L)": "decorative: one photograph at four bit depths, for the eye",
           "plot_unit_balls((0.5, 1, 2, math.inf))": "test_01_unit_balls_star_for_p_below_1_and_square_for_linf"},
    "02": {"image_grid(row, titles, ncols=5": NEXT + " (pixels changed by the l-inf and the l0 attack)",
           "fig_curves = robustness_curves(": NEXT + " (every plotted curve falls with the budget)",
           "minimal_size_histograms(": NEXT + " (the medians of the plotted sizes)",
           "perturbation_rows(originals": "decorative: eight attacked digits for the reader to judge; the lesson "
                                          "claims nothing about what people see"},
    "03": {"draw_hamming_graph(space2, glyphs=True": "test_03_hamming_graph_of_2x2_images_in_layers_with_one_pixel_"
                                                    "edges",
           "core_argument_figure(t=0.12)": "test_03_04_core_argument_picture_core_only_in_the_body_and_grown_core_"
                                           "inside_the_class",
           'bounds.hoeffding_bound(16, t), "s--"': "its own cell: Theorem 3.8 >= 3.7 for N = 1..200, the plotted "
                                                  "N = 16 included",
           'label="limit Φ(2t/√N)"': NEXT + " (the curves come closer to the limit as N grows)"},
    "04": {"image_grid(space4.images(idx)": "decorative: six images with their robustness as titles (the census "
                                            "histogram is printed above)",
           "core_argument_figure(t=0.12)": "test_03_04_core_argument_picture_core_only_in_the_body_and_grown_core_"
                                           "inside_the_class",
           'plot_robust_share(results4["sum threshold': NEXT + " (every covered curve under the bound)",
           'plot_robust_share(results5["network': NEXT + " (every covered curve under the bound)",
           'title=f"{name}, 3x3, 4 levels"': "the cell after it: every reference class of these spaces, the "
                                             "plotted ones included, within Theorem 4.1 (printed, exact)",
           'plot_robust_shares({"best class found"': OWN + " (both curves under the bound)"},
    "05": {"image_grid(torch.stack(panels)": "the cell after it: the entries changed and their level steps per "
                                             "p, exact",
           "fig_binary = plot_scaling_panels(": NEXT + " (slopes, coinciding medians, flat l-inf, falling ratios, "
                                                       "parallel bands)",
           "plot_scaling(cs, ax=ax": NEXT + " (the plotted medians: flips, l2 and l-inf ratios)"},
    "06": {"plot_sum_concentration(ns=(4, 8, 16, 32, 64), levels=2)": "test_06_the_sum_is_the_same_bell_at_every_n",
           "fig = plot_robust_shares(shares, t,": OWN + " (the half segment above the sum threshold; the ball on the "
                                                        "shifted bound)"},
    "07": {'"exact censuses: every image of the space"': OWN + " (every curve falls; random labels at one step)",
           'title="l2: falls as L grows"': OWN + " (l2 falls with L, l0 / n stays in a band)",
           'title="n = 64: lattice curves approach the cube"': NEXT + " (ordering, the bound, the gap to the cube)"},
    "08": {'[f"says {c}" for c in labels]': NEXT + " (the noise class's share of random images)",
           "distance_scales(mnist_rows": NEXT + " (the plotted between-class distances in budgets)"},
    "09": {'outline_figure("parachute", 128, photo)': "the cell after it: the drawing's exact pixel counts",
           "illusions_figure(128)": "the cell after it: the exact pixels erased to switch the Necker cube",
           "path_strip(path, stops=8)": "the cell after it: where on the drawn path the network's label changes",
           "flip_figure(demo, net_labels, n=28)": "its own cell: the flip report printed with it"},
    "10": {"perturbation_rows(xs[:8]": "decorative: the prose reads only the colours; the sizes and shares it "
                                       "interprets are the claims of the cell before it"},
    "11": {'label="Harper\'s minimum V(3 + t) / 2^16"': OWN + " (the ball on Harper's minimum, the others above)"},
}


def _figure_cells(lesson: str) -> list[tuple[int, str]]:
    cells = json.loads(LESSONS[lesson].read_text())["cells"]
    return [(i, "".join(c["source"])) for i, c in enumerate(cells) if c["cell_type"] == "code"
            and any("image/png" in o.get("data", {}) for o in c.get("outputs", []))]


@pytest.mark.parametrize("lesson", sorted(LESSONS))
def test_every_lesson_figure_is_listed(lesson):
    figures, listed = _figure_cells(lesson), FIGURES.get(lesson, {})
    unlisted = [i for i, source in figures if sum(snippet in source for snippet in listed) != 1]
    stale = [snippet for snippet in listed if not any(snippet in source for _, source in figures)]
    assert not unlisted and not stale, f"lesson {lesson}: figure cells {unlisted} not listed once; stale: {stale}"


@pytest.mark.parametrize("lesson", sorted(FIGURES))
def test_every_listed_check_exists(lesson):
    cells = json.loads(LESSONS[lesson].read_text())["cells"]
    code = [i for i, c in enumerate(cells) if c["cell_type"] == "code"]
    for snippet, where in FIGURES[lesson].items():
        i = next(i for i in code if snippet in "".join(cells[i]["source"]))
        after = "".join(cells[code[code.index(i) + 1]]["source"]) if code.index(i) + 1 < len(code) else ""
        if where.startswith(OWN):
            assert "expect" in "".join(cells[i]["source"]), f"{lesson}: no claim in the figure cell of {snippet!r}"
        elif where.startswith(NEXT):
            assert "expect" in after, f"{lesson}: no claim in the cell after the figure of {snippet!r}"
        elif where.startswith("test_"):
            assert where in globals(), f"{lesson}: no test {where}"
        else:
            assert where.startswith(("decorative: ", "its own cell: ", "the cell after it: ")), where
