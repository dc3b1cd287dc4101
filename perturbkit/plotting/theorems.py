"""Lesson 00's theorem map: every boxed result of the course, by lesson, with an arrow from each result to the ones
whose proof uses it (:mod:`perturbkit.theorems`)."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from ..theorems import RESULTS, USES, lesson_of

COLOURS = {"ours": "#d8e8f6", "classical": "#e6e6e6", "paper": "#fbe3c8"}


def _depth(number: str, seen=()) -> int:
    """0 for a result that uses no other boxed result, else one more than the deepest result it uses."""
    if number in seen:
        raise ValueError(f"the uses of {number} form a cycle: {seen}")
    return 1 + max((_depth(u, seen + (number,)) for u in USES.get(number, ())), default=-1)


def theorem_map() -> Figure:
    """The map: results in columns by depth (a result stands right of every result its proof uses), ordered by
    lesson within a column; one box per result (blue: the course's precise results, grey: classical theorems quoted
    with a reference, orange: the paper's informal statements) and an arrow from a result to each result whose proof
    uses it. Returns the Figure."""
    columns: dict[int, list] = {}
    for r in RESULTS:
        columns.setdefault(_depth(r.number), []).append(r)
    tallest = max(len(c) for c in columns.values())
    place = {}
    for x, rs in columns.items():
        rs.sort(key=lambda r: tuple(int(p) for p in r.number.split(".")))
        top = (tallest - len(rs)) / 2
        for i, r in enumerate(rs):
            place[r.number] = (x, tallest - 1 - (top + i))
    fig = Figure(figsize=(3.1 * len(columns), 0.55 * tallest + 0.9), layout="tight")
    ax = fig.subplots()
    w, h = 0.78, 0.72
    for r in RESULTS:
        x, y = place[r.number]
        ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.02,rounding_size=0.08",
                                    fc=COLOURS[r.whose], ec="0.35", lw=0.8))
        ax.text(x, y + 0.14, f"{r.label} (lesson {lesson_of(r.number)})", ha="center", va="center", fontsize=7.5,
                weight="bold")
        ax.text(x, y - 0.15, r.name, ha="center", va="center", fontsize=7)
    for target, sources in USES.items():
        for source in sources:
            (x0, y0), (x1, y1) = place[source], place[target]
            ax.annotate("", xy=(x1 - w / 2, y1), xytext=(x0 + w / 2, y0),
                        arrowprops=dict(arrowstyle="-|>", color="0.3", lw=0.8, shrinkA=1, shrinkB=1))
    ax.set_xlim(-0.5, len(columns) - 0.5)
    ax.set_ylim(-0.6, tallest - 0.4)
    ax.axis("off")
    ax.set_title("The course's results: an arrow points from a result to each result whose proof uses it\n"
                 "(blue: ours, precise; grey: classical, quoted; orange: the paper's, informal)", fontsize=9)
    return fig
