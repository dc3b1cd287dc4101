"""Every lesson in JupyterLab in headless Chromium, as a student meets it (`make test-browser`, BROWSER_TEST=1).

One test per lesson, on a copy stripped of outputs (the lessons are never modified): Run All must leave no error
output, no browser console error and no cell unexecuted; every widget the run produced must be drawn; the first
control of each widget (slider, dropdown, button, text box ...) is operated and the output it drives must change,
without an error. Every question of a lesson's self-check quiz is answered wrongly, then rightly, and must say so
("Not quite." then "Correct.", each with the explanation of the choice clicked). A screenshot of each lesson goes to
artifacts/browser/. The checker checks itself on small notebooks: one with working widgets must pass, and each
deliberately broken one is a strict expected failure.
"""

from __future__ import annotations

import json
import os
import shutil
import string
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parents[2]
LESSONS = Path(os.environ.get("BROWSER_LESSONS", ROOT / "lessons"))
SHOTS = ROOT / "artifacts" / "browser"
WIDGET = "application/vnd.jupyter.widget-view+json"
IGNORED_CONSOLE = ("favicon.ico",)  # the browser asks for a site icon that the lab does not serve
RUN_TIMEOUT, CHANGE_TIMEOUT = 600, 30  # seconds (a shared machine can be slow)

pytestmark = pytest.mark.skipif(os.environ.get("BROWSER_TEST") != "1",
                                reason="runs in a real browser: `make test-browser` (BROWSER_TEST=1)")

# The self-test notebooks: each cell uses its own names (a callback that reads a global redefined by a later cell
# writes into that cell's Output, a mistake the checker catches).
GOOD = {
    "slider": "out1 = w.Output()\nslider1 = w.IntSlider(value=3, min=0, max=10)\n"
              "def show1(change=None):\n    out1.clear_output(wait=True)\n"
              "    with out1:\n        print('square', slider1.value ** 2)\n"
              "slider1.observe(show1, 'value'); show1()\nw.VBox([slider1, out1])",
    "dropdown": "def f(name):\n    print('hello', name)\nw.interactive(f, name=w.Dropdown(options=['Ada', 'Alan']))",
    "button": "out2 = w.Output(); clicks = [0]\nbutton = w.Button(description='count')\n"
              "def on_click(_):\n    clicks[0] += 1\n    out2.clear_output(wait=True)\n"
              "    with out2:\n        print('clicks', clicks[0])\n"
              "button.on_click(on_click)\ndisplay(w.VBox([button, out2]))",
    "text": "def f(word):\n    print(word.upper())\n"
            "w.interactive(f, word=w.Text(value='abc', continuous_update=False))",
    "html and image": "import io\nimport matplotlib.pyplot as plt\n"
                      "panel = w.HTML(); picture = w.Image(format='png')\n"
                      "levels = w.Dropdown(options=[2, 4, 8], value=2, description='levels')\n"
                      "def redraw(change=None):\n    panel.value = f'<b>{levels.value ** 2}</b> images'\n"
                      "    fig = plt.figure(figsize=(1, 1)); plt.imshow([[0, levels.value]]); buf = io.BytesIO()\n"
                      "    fig.savefig(buf, format='png'); plt.close(fig); picture.value = buf.getvalue()\n"
                      "levels.observe(redraw, 'value'); redraw()\nw.VBox([levels, panel, picture])",
    "matplotlib slider": "import matplotlib.pyplot as plt\nimport numpy as np\n"
                         "def f(k=2):\n    plt.plot(np.sin(k * np.linspace(0, 6, 50)));\n    plt.show()\n"
                         "w.interactive(f, k=w.IntSlider(value=2, min=1, max=5))",
}
# Broken on purpose: the source and the words the checker's report must contain.
BROKEN = {
    "dead_slider": ("out = w.Output()\nwith out:\n    print('never changes')\n"
                    "w.VBox([w.IntSlider(value=1, max=5), out])", ["did not change"]),
    "raises": ("def f(x):\n    print(1 / (x - 4))\nw.interactive(f, x=w.IntSlider(value=3, max=9))",
               ["ZeroDivisionError"]),
    "cell_error": ("raise ValueError('broken lesson cell')", ["error output", "ValueError"]),
    "unknown_view": ("import traitlets\nclass Ghost(w.DOMWidget):\n"
                     + "".join(f"    _{k} = traitlets.Unicode({v!r}).tag(sync=True)\n" for k, v in [
                         ("view_name", "GhostView"), ("view_module", "no-such-widget-module"),
                         ("view_module_version", "1.0.0"), ("model_name", "GhostModel"),
                         ("model_module", "no-such-widget-module"), ("model_module_version", "1.0.0")])
                     + "Ghost()", ["not rendered"]),
    # a quiz whose widget shows the opposite verdict (the quiz check reads the lesson number from the file name)
    "03_quiz_verdicts_swapped": ("import perturbkit.widgets.quiz as wq\n"
                                 "from perturbkit.exercises.quiz import feedback\n"
                                 "def swapped(q, i):\n    text = feedback(q, i)\n"
                                 "    a, b = ('Correct.', 'Not quite.') if text.startswith('Correct.') "
                                 "else ('Not quite.', 'Correct.')\n"
                                 "    return text.replace(a, b, 1)\n"
                                 "wq.feedback = swapped\nwq.quiz('03')", ["question 1: choice", "'Not quite.'"]),
    "console_error": ("from IPython.display import Javascript\n"
                      "Javascript(\"console.error('deliberate console error')\")", ["console error", "deliberate"]),
}


def fixture_notebook(title: str, sources: list[str]) -> nbformat.NotebookNode:
    """A notebook of the self-test: a title, the widget imports, then one code cell per source."""
    nb = new_notebook(cells=[new_markdown_cell(f"# {title}"),
                             new_code_cell("import ipywidgets as w\nfrom IPython.display import display")]
                      + [new_code_cell(src) for src in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def stripped(nb: dict) -> dict:
    """``nb`` without outputs, execution counts and saved widget state (the page shows only this run's widgets)."""
    nb = json.loads(json.dumps(nb))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
    nb.get("metadata", {}).pop("widgets", None)
    return nb


def _outputs(nb: dict):
    for i, cell in enumerate(nb.get("cells", [])):
        for out in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            yield i, out


def widget_outputs(nb: dict) -> list[int]:
    """The cell index of each widget view output of ``nb``, in order."""
    return [i for i, out in _outputs(nb) if WIDGET in out.get("data", {})]


def error_outputs(nb: dict) -> list[str]:
    """One line per error output: cell index, exception name and message."""
    return [f"cell {i}: {out.get('ename')}: {out.get('evalue')}" for i, out in _outputs(nb)
            if out.get("output_type") == "error"]


def unexecuted_cells(nb: dict) -> list[int]:
    """Non-empty code cells without an execution count (Run All stopped before them)."""
    return [i for i, c in enumerate(nb.get("cells", [])) if c.get("cell_type") == "code"
            and "".join(c.get("source", "")).strip() and c.get("execution_count") is None]


def changed_text(value: str) -> str:
    """A different value for a text box: a number goes up by one, other text gets one more character."""
    try:
        number = float(value)
    except ValueError:
        return value + "x"
    return str(int(number) + 1) if number.is_integer() and "." not in value else repr(number + 1)


def wait(page: Page, path: str, what: str, seconds: float) -> dict:
    """Wait for ``what`` (see pk.until in lesson_page.js); a dialog or a dead kernel ends the wait as a failure."""
    page.evaluate("() => { pk.idleSince = null; }")
    try:
        st = page.wait_for_function("([p, w]) => pk.until(p, w)", arg=[path, what], polling=250,
                                    timeout=seconds * 1000).json_value()
    except PlaywrightTimeout:
        state = page.evaluate("p => pk.state(p)", path)
        raise TimeoutError(f"{what!r} not reached in {seconds} s (state {state})") from None
    if st["dialog"] or st["status"] in ("dead", "restarting", "autorestarting"):
        raise RuntimeError(f"waiting for {what!r}: the kernel is {st['status']}, dialog {st['dialog']!r}")
    return st


def operate(page: Page, path: str, view: dict, change_timeout: float) -> list[str]:
    """Operate the first control of a widget view; the problems found (its output did not change or shows an error)."""
    k, control = view["k"], page.evaluate("k => pk.firstControl(k)", view["k"])
    if control is None:
        return []  # a display-only view (an Output shown on its own): drawn, nothing to operate
    where = f"widget in cell {view['cell']} ({control['kind']} {control['label']!r})"
    before = page.evaluate("k => pk.snapshot(k)", k)
    if before["n"] == 0 or control["disabled"]:
        return [f"{where}: " + ("its first control is disabled" if before["n"] else "no output widget to watch")]
    loc, kind = page.locator(f'[data-pk-control="{k}"]'), control["kind"]
    loc.scroll_into_view_if_needed()
    if kind == "slider":
        loc.press("ArrowLeft" if control["atMax"] else "ArrowRight")
    elif kind == "dropdown":
        n, selected = loc.evaluate("s => [s.options.length, s.selectedIndex]")
        if n < 2:
            return [f"{where}: fewer than two options"]
        loc.select_option(index=(max(selected, 0) + 1) % n)
    elif kind in ("toggle-buttons", "radio"):
        group = loc.locator("xpath=ancestor::*[contains(@class,'widget-toggle-buttons') or "
                            "contains(@class,'widget-radio-box')][1]")
        group.locator("button:not(.mod-active), input:not(:checked)").first.click()
    elif kind in ("button", "checkbox"):
        loc.click()
    else:  # text, number
        loc.fill(changed_text(loc.input_value()))
        loc.press("Enter")
    changed = "([k, old]) => pk.snapshot(k).content !== old"
    try:  # changed, then (interactive clears before it redraws) changed once the kernel is idle again
        page.wait_for_function(changed, arg=[k, before["content"]], polling=250, timeout=change_timeout * 1000)
        wait(page, path, "idle", RUN_TIMEOUT)
        page.wait_for_function(changed, arg=[k, before["content"]], polling=250, timeout=change_timeout * 1000)
    except PlaywrightTimeout:
        return [f"{where}: its output did not change within {change_timeout} s of operating the control"]
    return [f"{where}: error in its output: {e}" for e in page.evaluate("k => pk.snapshot(k)", k)["errors"]]


# The feedback a question of a quiz shows (whitespace removed): the HTML panel of the LiveView that holds the
# question's toggle buttons (perturbkit.widgets.quiz: one LiveView per question).
QUIZ_FEEDBACK = """([k, i]) => {
  const view = document.querySelector(`[data-pk-view="${k}"]`);
  const group = view && view.querySelectorAll('.widget-toggle-buttons')[i];
  const panel = group && group.closest('.widget-vbox') && group.closest('.widget-vbox').querySelector('.widget-html');
  return panel ? panel.innerText.replace(/\\s+/g, '') : null;
}"""


def answer_quiz(page: Page, view: dict, change_timeout: float, lesson: str) -> list[str]:
    """Answer every question of lesson ``lesson``'s self-check quiz twice, as a student who first errs: a wrong
    choice must show "Not quite." and that choice's explanation, then the right choice "Correct." and its own.
    The right and wrong choices come from ``perturbkit.exercises.quiz_questions``, the expected text from
    ``perturbkit.exercises.feedback``; the page must show them under the question, after clicking its lettered
    button."""
    from perturbkit.exercises import feedback, quiz_questions

    questions = quiz_questions(lesson)
    groups = page.locator(f'[data-pk-view="{view["k"]}"] .widget-toggle-buttons')
    n, where = groups.count(), f"quiz in cell {view['cell']}"
    if n != len(questions):
        return [f"{where}: {n} questions in the page but {len(questions)} in quiz_questions({lesson!r})"]
    problems = [] if n >= 3 else [f"{where}: {n} questions, want 3-5"]
    for i, q in enumerate(questions):
        right = next(j for j, c in enumerate(q.choices) if c.correct)
        wrong = next(j for j, c in enumerate(q.choices) if not c.correct)
        for pick, verdict in ((wrong, "Not quite."), (right, "Correct.")):
            button = groups.nth(i).locator("button").nth(pick)
            letter = string.ascii_uppercase[pick]
            if button.inner_text().strip() != letter:
                problems.append(f"{where}, question {i + 1}: button {pick + 1} reads "
                                f"{button.inner_text().strip()!r}, want {letter!r}")
                break
            button.scroll_into_view_if_needed()
            button.click()
            text = feedback(q, pick)
            assert text.startswith(verdict + " "), text  # the quiz data say which choice is right
            want = "".join(text.split())
            try:
                page.wait_for_function(f"([k, i, want]) => ({QUIZ_FEEDBACK})([k, i]) === want",
                                       arg=[view["k"], i, want], polling=250, timeout=change_timeout * 1000)
            except PlaywrightTimeout:
                shown = page.evaluate(QUIZ_FEEDBACK, [view["k"], i])
                problems.append(f"{where}, question {i + 1}: choice {letter} should show {verdict!r} with its "
                                f"explanation within {change_timeout} s; the page shows {shown!r}")
                break
    return problems


def check(page: Page, lab, path: str, change_timeout: float = CHANGE_TIMEOUT) -> list[str]:
    """Run the notebook at ``path`` (relative to the lab's root) in the page; the problems found."""
    console = []
    page.on("console", lambda m: m.type == "error" and not any(s in m.text for s in IGNORED_CONSOLE)
            and console.append(f"console error: {m.text} ({m.location.get('url')}:{m.location.get('lineNumber')})"))
    page.on("pageerror", lambda e: console.append(f"page error: {e}"))
    page.add_init_script(path=str(Path(__file__).with_name("lesson_page.js")))
    page.goto(lab.url(path))
    problems = []
    try:
        wait(page, path, "open", 180)
        page.evaluate("() => jupyterapp.commands.execute('notebook:run-all-cells')")
        wait(page, path, "started", 30)
        wait(page, path, "idle", RUN_TIMEOUT)
        page.evaluate("() => jupyterapp.commands.execute('docmanager:save')")
        wait(page, path, "saved", 30)
        nb = json.loads((lab.root / path).read_text(encoding="utf-8"))  # what the run produced, as saved
        problems += [f"error output in {e}" for e in error_outputs(nb)]
        if unexecuted_cells(nb):
            problems.append(f"code cells never executed (Run All stopped?): {unexecuted_cells(nb)}")
        expected = widget_outputs(nb)
        try:
            page.wait_for_function("n => { const v = pk.views(); return v.length >= n && "
                                   "!v.some(x => x.text.startsWith('Loading widget')); }", arg=len(expected),
                                   polling=250, timeout=30_000)
        except PlaywrightTimeout:
            pass  # reported below
        views = page.evaluate("() => pk.views()")
        if len(views) != len(expected):
            problems.append(f"{len(expected)} widget outputs in the run (cells {expected}) but {len(views)} "
                            "widget areas in the page")
        problems += [f"widget in cell {v['cell']} not rendered: {v['text']!r}" for v in views if not v["rendered"]]
        for view in views:
            if view["rendered"]:
                problems += operate(page, path, view, change_timeout)
                if view["text"].startswith("Self-check"):
                    problems += answer_quiz(page, view, change_timeout, Path(path).stem[:2])
    finally:
        if page.locator('[data-pk-view="0"]').count():
            page.locator('[data-pk-view="0"]').scroll_into_view_if_needed(timeout=2000)
        shots = SHOTS if path.startswith("lessons/") else SHOTS / "self-test"
        page.screenshot(path=str(shots / f"{Path(path).stem}.png"))
        lab.shutdown_kernels()  # each lesson starts with the machine's memory free
    return problems + console


@pytest.fixture(scope="session")
def served(lab) -> None:
    """Copies of the lessons, stripped of outputs, and the self-test notebooks in the lab's folder."""
    shutil.copytree(LESSONS, lab.root / "lessons", ignore=shutil.ignore_patterns(".*", "__pycache__"))
    for copy in (lab.root / "lessons").glob("*.ipynb"):
        copy.write_text(json.dumps(stripped(json.loads(copy.read_text(encoding="utf-8")))), encoding="utf-8")
    (lab.root / "selftest").mkdir()
    nbformat.write(fixture_notebook("Working widgets", list(GOOD.values())), lab.root / "selftest" / "good.ipynb")
    for name, (source, _) in BROKEN.items():
        nb = fixture_notebook(f"Broken on purpose: {name}", [source])
        nbformat.write(nb, lab.root / "selftest" / f"{name}.ipynb")


@pytest.mark.parametrize("lesson", sorted(p.name for p in LESSONS.glob("*.ipynb")))
def test_lesson(page: Page, lab, served, lesson: str) -> None:
    problems = check(page, lab, f"lessons/{lesson}")
    assert not problems, "\n".join(problems)


def test_checker_passes_working_widgets(page: Page, lab, served) -> None:
    problems = check(page, lab, "selftest/good.ipynb")
    assert not problems, "\n".join(problems)


@pytest.mark.xfail(strict=True, raises=AssertionError, reason="broken on purpose: the checker must reject it")
@pytest.mark.parametrize("broken", BROKEN)
def test_checker_rejects_broken_widgets(page: Page, lab, served, broken: str) -> None:
    problems = check(page, lab, f"selftest/{broken}.ipynb", change_timeout=10)
    if problems and not all(word in "\n".join(problems) for word in BROKEN[broken][1]):
        pytest.fail(f"rejected for another reason than {BROKEN[broken][1]}: {problems}")
    assert not problems, "\n".join(problems)
