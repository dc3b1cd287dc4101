"""The course book (`make book`) in headless Chromium, opened from disk as a downloaded copy would be.

Every page loads with no console error or failed request, shows its figures and typeset mathematics (MathJax
from the site itself; no raw $...$ left in the text), has no empty widget box, and its links lead to pages and
anchors that exist; the lessons follow each other with previous/next links. A plain `pytest tests` skips it when
the book is missing or older than the lessons; `make test-book` requires a current book. Screenshots go to
artifacts/book/.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest

from perturbkit.exercises import quiz_questions

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "build" / "book" / "html"
SHOTS = ROOT / "artifacts" / "book"
LESSONS = sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _book_state() -> str | None:
    """Why the check cannot run (no book, or one older than the lessons or README), or None."""
    index = SITE / "index.html"
    if not index.is_file():
        return "the book is not built: `make book`"
    if max(p.stat().st_mtime for p in [*LESSONS, ROOT / "README.md"]) > index.stat().st_mtime:
        return "the book is older than the lessons: `make book`"
    return None


# `make test-book` sets BOOK_CHECK=1: there a missing or stale book fails; in a plain `pytest tests` it skips.
if _book_state() and os.environ.get("BOOK_CHECK") == "1":
    raise RuntimeError(_book_state())
pytestmark = pytest.mark.skipif(bool(_book_state()), reason=str(_book_state()))
playwright = pytest.importorskip("playwright.sync_api")

ORDER = ["index.html", *(f"lessons/{p.stem}.html" for p in LESSONS), "teachers.html", "api.html"]
PAGES = ORDER + ["search.html", "genindex.html"]

_JS_PAGE = r"""async () => {
  if (window.MathJax && MathJax.startup) await MathJax.startup.promise;
  const main = document.querySelector('main') || document.body;
  const prose = main.cloneNode(true);
  prose.querySelectorAll('pre, code, script, style, mjx-container, .math').forEach(e => e.remove());
  const imgs = [...main.querySelectorAll('img')];
  return {
    math: main.querySelectorAll('.math').length,
    typeset: [...main.querySelectorAll('.math')].filter(e => e.querySelector('mjx-container')).length,
    rawTex: (prose.textContent.match(/\$[^$\s][^$]*\$|\\\(|\\\[/g) || []).slice(0, 3),
    outputImgs: main.querySelectorAll('.cell_output img').length,
    brokenImgs: imgs.filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src),
    emptyOutputs: [...main.querySelectorAll('.cell_output .output')]
      .filter(o => !o.textContent.trim() && !o.querySelector('img, svg')).length,
    widgetViews: main.querySelectorAll('.jupyter-widgets, script[type*="widget-view"]').length,
    widgetNotes: main.querySelectorAll('.pk-live-widget').length,
    quizzes: main.querySelectorAll('.pk-quiz').length,
    quizAnswers: main.querySelectorAll('.pk-quiz details').length,
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    prev: (document.querySelector('a.left-prev') || {}).href || null,
    next: (document.querySelector('a.right-next') || {}).href || null,
  };
}"""


def _nb_counts(lesson: Path) -> dict:
    nb = nbformat.read(lesson, as_version=4)
    # a quiz cell calls quiz("LL") on a line of its own (book/build.py finds it the same way), whatever the import
    # line above it: `from perturbkit.widgets.quiz import quiz` or `from perturbkit import quiz`
    quizzes = [c for c in nb.cells if c.cell_type == "code" and re.search(r'^quiz\("\d\d"\)$', c.source, re.M)]
    outs = [o for c in nb.cells if c.cell_type == "code" and c not in quizzes for o in c.get("outputs", [])]
    tex = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return {"images": sum("image/png" in o.get("data", {}) for o in outs),
            "widgets": sum(WIDGET_VIEW in o.get("data", {}) for o in outs),
            "tex": bool(re.search(r"\$[^$\s][^$]*\$", tex)), "quizzes": len(quizzes),
            "questions": sum(len(quiz_questions(lesson.name[:2])) for _ in quizzes)}


def _url(rel: str) -> str:
    return (SITE / rel).as_uri()


def _rel(url: str) -> str | None:
    path = urlsplit(url)
    return Path(unquote(path.path)).relative_to(SITE).as_posix() if path.scheme == "file" else None


@pytest.fixture
def page(browser):  # pytest-playwright's browser: Debian's chromium (conftest.py)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.problems = []
    pg.on("console", lambda m: m.type == "error" and pg.problems.append(f"console: {m.text}"))
    pg.on("pageerror", lambda e: pg.problems.append(f"page error: {e}"))
    pg.on("requestfailed", lambda r: pg.problems.append(f"request failed: {r.url}"))
    pg.on("request", lambda r: not r.url.startswith(("file:", "data:", "blob:", "about:"))
          and pg.problems.append(f"network request: {r.url}"))
    yield pg
    context.close()


def test_the_book_has_every_lesson():
    missing = [rel for rel in ORDER if not (SITE / rel).is_file()]
    assert not missing, f"pages missing from the book: {missing}"


@pytest.mark.parametrize("rel", PAGES)
def test_page(page, rel):
    page.goto(_url(rel), wait_until="load")
    info = page.evaluate(_JS_PAGE)
    stem = Path(rel).stem
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{stem}.png"))
    assert not page.problems, page.problems
    assert info["typeset"] == info["math"], f"{info['math'] - info['typeset']} formulas not typeset"
    assert not info["rawTex"], f"raw TeX in the text: {info['rawTex']}"
    assert not info["brokenImgs"], f"figures that do not load: {info['brokenImgs']}"
    assert info["emptyOutputs"] == 0 and info["widgetViews"] == 0, "empty output or widget box"
    if rel == "index.html":
        assert info["typeset"] > 0, "the landing page shows no typeset mathematics"
    lesson = ROOT / "lessons" / f"{stem}.ipynb"
    if rel.startswith("lessons/"):
        counts = _nb_counts(lesson)
        assert info["outputImgs"] == counts["images"] > 0, "the lesson's figures are not all on the page"
        assert info["widgetNotes"] == counts["widgets"], "each widget needs its live-kernel note"
        assert info["quizzes"] == counts["quizzes"] == 1, "the self-check quiz is not on the page"
        assert info["quizAnswers"] == counts["questions"] >= 3, "every quiz question needs its folded answer"
        if counts["tex"]:
            assert info["typeset"] > 0, "the lesson's mathematics is not typeset"
    if rel in ORDER:
        k = ORDER.index(rel)
        prev, nxt = (info[key] and _rel(info[key]) for key in ("prev", "next"))
        assert prev == (ORDER[k - 1] if k else None), f"previous link {prev}"
        assert nxt == (ORDER[k + 1] if k + 1 < len(ORDER) else None), f"next link {nxt}"
    for link in info["links"]:
        target = _rel(link)
        if target is None:
            continue
        path = SITE / target
        assert path.is_file(), f"broken link {link}"
        frag = urlsplit(link).fragment
        if frag and path.suffix == ".html":
            assert f'id="{frag}"' in path.read_text(encoding="utf-8"), f"broken anchor {link}"


def test_navigation_by_clicking(page):
    page.goto(_url("index.html"))
    first, second = LESSONS[0].stem, LESSONS[1].stem
    page.locator("nav.bd-docs-nav a", has_text=f"{first[:2]} ·").first.click()
    playwright.expect(page).to_have_url(re.compile(re.escape(f"lessons/{first}.html") + "$"))
    page.locator("a.right-next").click()
    playwright.expect(page).to_have_url(re.compile(re.escape(f"lessons/{second}.html") + "$"))
    playwright.expect(page).to_have_title(re.compile(f"^{second[:2]} "))
    page.locator("a.left-prev").click()
    playwright.expect(page).to_have_title(re.compile(f"^{first[:2]} "))
    assert not page.problems, page.problems
