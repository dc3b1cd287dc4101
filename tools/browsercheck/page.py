"""What the browser does with one lesson: open it, Run All, wait, count widget views, operate each widget.

Everything is read from the page the way a student would meet it (the DOM), except two things taken from the
JupyterLab application the server exposes as ``window.jupyterapp``: the Run All / Save commands (the same commands
the Run and File menus call) and the kernel and cell execution states used to know when the run is over.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import notebooks

# Console messages that are not faults of the lessons.  Each entry is a substring and the reason it is harmless.
IGNORED_CONSOLE = {
    "favicon.ico": "the browser asks for a site icon that the lab does not serve",
}

_JS_STATE = r"""(name) => {
  const app = window.jupyterapp;
  if (!app) return {phase: 'app'};
  const w = app.shell.currentWidget;
  if (!w || !w.context || !w.sessionContext || !w.content) return {phase: 'panel'};
  if (w.context.path !== name) return {phase: 'other:' + w.context.path};
  if (!w.context.isReady) return {phase: 'context'};
  const s = w.sessionContext;
  const kernel = s.session && s.session.kernel;
  if (!s.isReady || !kernel) return {phase: 'kernel'};
  let running = 0, executed = 0, code = 0;
  for (const cell of w.content.widgets) {
    if (cell.model.type !== 'code' || !cell.model.sharedModel.getSource().trim()) continue;  // as unexecuted_cells
    code += 1;
    const prompt = cell.node.querySelector('.jp-InputPrompt');
    const busy = cell.model.executionState === 'running' || (prompt && prompt.textContent.includes('*'));
    if (busy) running += 1;
    if (cell.model.executionCount !== null) executed += 1;
  }
  const dialog = document.querySelector('.jp-Dialog');
  return {phase: 'ready', status: kernel.status, running, executed, code, dirty: w.context.model.dirty,
          dialog: dialog ? dialog.innerText.slice(0, 300) : null};
}"""

_JS_VIEWS = r"""() => {
  // Top-level widget outputs of the notebook (not the ones shown inside an Output widget), in page order.
  // JupyterLab's own renderers tag their node with data-mime-type; the widget renderer does not, and marks
  // itself (or its view) with the class jupyter-widgets.
  const outs = [...document.querySelectorAll('.jp-Notebook .jp-OutputArea-output')]
    .filter(e => !e.parentElement.closest('.widget-output'))
    .filter(e => !e.hasAttribute('data-mime-type') || e.matches('.jupyter-widgets')
                 || !!e.querySelector('.jupyter-widgets'));
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
  return outs.map((e, k) => {
    const text = e.textContent.trim();
    const broken = !!e.querySelector('.jupyter-widgets-error-widget') || text.startsWith('Error displaying widget');
    const rendered = !broken && !text.startsWith('Loading widget') && !!e.querySelector('.jupyter-widgets');
    const cell = cells.findIndex(c => c.contains(e));
    e.setAttribute('data-pk-view', String(k));
    return {k, cell, rendered, broken, text: text.slice(0, 200)};
  });
}"""

_JS_FIRST_CONTROL = r"""(k) => {
  const view = document.querySelector(`[data-pk-view="${k}"]`);
  const inOutput = el => { const o = el.closest('.widget-output'); return o && view.contains(o); };
  const el = [...view.querySelectorAll('.noUi-handle, select, button, input, textarea')].find(e => !inOutput(e));
  if (!el) return null;
  el.setAttribute('data-pk-control', String(k));
  let kind = el.tagName.toLowerCase();
  if (el.classList.contains('noUi-handle')) kind = 'slider';
  else if (kind === 'select') kind = 'dropdown';
  else if (kind === 'input') kind = ['checkbox', 'radio'].includes(el.type) ? el.type
                                      : (el.type === 'number' ? 'number' : 'text');
  else if (kind === 'textarea') kind = 'text';
  if (kind === 'button' && el.closest('.widget-toggle-buttons')) kind = 'toggle-buttons';
  const box = el.closest('.widget-inline-hbox, .widget-inline-vbox');
  const described = box && box.querySelector('.widget-label');
  const label = (described && described.textContent) || el.getAttribute('aria-label') || el.textContent || '';
  return {kind, label: label.trim().slice(0, 60),
          value: el.getAttribute('aria-valuenow'), max: el.getAttribute('aria-valuemax'),
          disabled: !!el.disabled};
}"""

_JS_SNAPSHOT = r"""(k) => {
  // What a control drives: the output-like widgets shown in the same cell -- Output widgets, HTML / HTMLMath
  // panels and Image widgets -- else those of the whole notebook (controls displayed apart from their output).
  // The controls themselves (slider readouts, selected options) are not part of it: they always change.
  const OUT = '.widget-output, .widget-html, .widget-htmlmath, img.widget-image';
  const view = document.querySelector(`[data-pk-view="${k}"]`);
  const top = el => !el.parentElement.closest('.widget-output');
  let outs = [...view.closest('.jp-Cell').querySelectorAll(OUT)].filter(top);
  if (!outs.length) outs = [...document.querySelectorAll('.jp-Notebook ' + OUT)].filter(top);
  // JupyterLab renders an error output as stderr text; a traceback is what tells it from a warning.
  const errors = outs.flatMap(o => [...o.querySelectorAll('.jp-OutputArea-output')]
      .filter(e => e.getAttribute('data-mime-type') === 'application/vnd.jupyter.stderr'
                   && /Traceback \(most recent call last\)|^\w*(Error|Exception)\b/m.test(e.textContent))
      .map(e => e.textContent.trim().split('\n').slice(-1)[0].slice(0, 300)));
  const parts = outs.map(o => o.tagName === 'IMG' ? o.src
      : o.innerHTML.length + '|' + o.innerText + '|' + [...o.querySelectorAll('img')].map(i => i.src).join('|'));
  return {n: outs.length, content: parts.join('\n#\n'), errors};
}"""


@dataclass
class LessonResult:
    name: str
    seconds: float = 0.0
    widgets: int = 0
    rendered: int = 0
    operated: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    screenshot: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def is_ignored_console(text: str) -> bool:
    """True for console errors known to be harmless (see ``IGNORED_CONSOLE``)."""
    return any(s in text for s in IGNORED_CONSOLE)


def _digest(snapshot: dict) -> str:
    return hashlib.sha1(snapshot["content"].encode()).hexdigest()


class LessonPage:
    """Drives one notebook in one page; every failure is recorded in ``result.problems``."""

    def __init__(self, page, lab, name: str, timeout: float, shots: Path, change_timeout: float = 30.0):
        self.page, self.lab, self.name, self.timeout, self.shots = page, lab, name, timeout, shots
        self.change_timeout = change_timeout
        self.result = LessonResult(name)
        self.console: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda err: self.console.append(f"page error: {err}"))

    def _on_console(self, msg) -> None:
        if msg.type == "error" and not is_ignored_console(msg.text):
            loc = msg.location or {}
            self.console.append(f"console error: {msg.text} ({loc.get('url', '')}:{loc.get('lineNumber', '')})")

    def state(self) -> dict:
        return self.page.evaluate(_JS_STATE, self.name)

    def _wait(self, what: str, done, timeout: float, poll: float = 0.25) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            st = self.state()
            if st.get("dialog"):
                raise RuntimeError(f"a dialog opened while waiting for {what}: {st['dialog']!r}")
            if st.get("status") in ("dead", "restarting", "autorestarting"):
                raise RuntimeError(f"the kernel is {st['status']} (crashed or out of memory?) while waiting for {what}")
            if done(st):
                return st
            if time.monotonic() > deadline:
                raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what} (last state {st})")
            time.sleep(poll)

    def wait_idle(self, timeout: float) -> dict:
        """Wait until no cell is queued or running and the kernel has been idle for two polls in a row."""
        idle = lambda st: st["phase"] == "ready" and st["status"] == "idle" and st["running"] == 0
        self._wait("the kernel to be idle", idle, timeout)
        time.sleep(0.3)
        return self._wait("the kernel to be idle", idle, timeout)

    # -- the steps -------------------------------------------------------------------------------------------
    def run(self) -> LessonResult:
        start = time.monotonic()
        try:
            self.open_and_run()
            self.check_saved_notebook()
            views = self.check_views()
            for view in views:
                self.operate(view)
        except Exception as exc:  # one lesson's failure is recorded; the next lesson still runs
            self.result.problems.append(f"{type(exc).__name__}: {exc}")
        self.result.problems.extend(self.console)
        self.screenshot()
        self.result.seconds = time.monotonic() - start
        return self.result

    def open_and_run(self) -> None:
        self.page.goto(self.lab.url(self.name, workspace="pk-" + self.name.replace(".", "-")))
        self._wait(f"{self.name} to open with an idle kernel",
                   lambda st: st["phase"] == "ready" and st["status"] == "idle", 180, poll=0.5)
        self.page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        # Run All marks the cells as queued at once; a fast notebook may also be done (or stopped by an error)
        # before the first look: any execution count means it started (the copy was saved without any).
        started = lambda st: st["phase"] == "ready" and (st["running"] > 0 or st["executed"] > 0 or not st["code"])
        self._wait("Run All to start", started, 30, poll=0.1)
        self.wait_idle(self.timeout)

    def check_saved_notebook(self) -> None:
        """Save, then read the run's outputs from disk: error outputs, cells never run, widget outputs."""
        self.page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
        self._wait("the notebook to be saved", lambda st: st["phase"] == "ready" and not st["dirty"], 30)
        nb = self.lab.notebook_json(self.name)
        self.result.problems.extend(f"error output in {e}" for e in notebooks.error_outputs(nb))
        missing = notebooks.unexecuted_cells(nb)
        if missing:
            self.result.problems.append(f"code cells never executed (Run All stopped?): {missing}")
        self.expected_widgets = notebooks.widget_outputs(nb)
        self.result.widgets = len(self.expected_widgets)

    def check_views(self) -> list[dict]:
        """Every widget output of the run must be rendered as a live widget view in the page."""
        deadline = time.monotonic() + 30
        while True:
            views = self.page.evaluate(_JS_VIEWS)
            rendered = [v for v in views if v["rendered"]]
            settled = not any(v["text"].startswith("Loading widget") for v in views)
            if (len(views) >= len(self.expected_widgets) and settled) or time.monotonic() > deadline:
                break
            time.sleep(0.25)
        self.result.rendered = len(rendered)
        if len(views) != len(self.expected_widgets):
            self.result.problems.append(f"{len(self.expected_widgets)} widget outputs in the run (cells "
                                        f"{self.expected_widgets}) but {len(views)} widget areas in the page")
        for v in views:
            if not v["rendered"]:
                self.result.problems.append(f"widget in cell {v['cell']} not rendered: {v['text']!r}")
        return rendered

    def operate(self, view: dict) -> None:
        """Operate the view's first control and require the Output it drives to change."""
        k = view["k"]
        control = self.page.evaluate(_JS_FIRST_CONTROL, k)
        if control is None:
            return  # a display-only view (e.g. an Output widget shown on its own): counted, nothing to operate
        where = f"widget in cell {view['cell']} ({control['kind']} {control['label']!r})"
        before = self.page.evaluate(_JS_SNAPSHOT, k)
        if before["n"] == 0:
            self.result.problems.append(f"{where}: no output (Output, HTML or Image widget) to watch")
            return
        if control["disabled"]:
            self.result.problems.append(f"{where}: its first control is disabled")
            return
        loc = self.page.locator(f'[data-pk-control="{k}"]')
        loc.scroll_into_view_if_needed()
        kind = control["kind"]
        if kind == "slider":
            at_max = control["value"] is not None and control["value"] == control["max"]
            loc.focus()
            self.page.keyboard.press("ArrowLeft" if at_max else "ArrowRight")
        elif kind == "dropdown":
            options = loc.evaluate("s => [s.options.length, s.selectedIndex]")
            if options[0] < 2:
                self.result.problems.append(f"{where}: the dropdown has fewer than two options")
                return
            loc.select_option(index=(max(options[1], 0) + 1) % options[0])
        elif kind == "toggle-buttons":
            group = loc.locator("xpath=ancestor::*[contains(@class,'widget-toggle-buttons')][1]")
            group.locator("button:not(.mod-active)").first.click()
        elif kind == "radio":
            group = loc.locator("xpath=ancestor::*[contains(@class,'widget-radio-box')][1]")
            group.locator("input:not(:checked)").first.click()
        elif kind in ("button", "checkbox"):
            loc.click()
        elif kind in ("text", "number"):
            value = loc.input_value()
            loc.fill(_changed_text(value))
            loc.press("Enter")
        else:
            self.result.problems.append(f"{where}: do not know how to operate a {kind}")
            return
        self.result.operated.append(f"{kind} in cell {view['cell']}")
        try:
            self._wait_changed(k, before, self.change_timeout)
        except TimeoutError as exc:
            self.result.problems.append(f"{where}: {exc}")
            return
        after = self.page.evaluate(_JS_SNAPSHOT, k)
        self.result.problems.extend(f"{where}: error in its output: {e}" for e in after["errors"])

    def _wait_changed(self, k: int, before: dict, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        old = _digest(before)
        while time.monotonic() < deadline:
            time.sleep(0.25)
            if _digest(self.page.evaluate(_JS_SNAPSHOT, k)) != old:
                # Changed: let the callback finish (interactive clears, then redraws) before judging the result.
                self.wait_idle(self.timeout)
                if _digest(self.page.evaluate(_JS_SNAPSHOT, k)) != old:
                    return
        raise TimeoutError(f"its output did not change within {timeout:.0f} s of operating the control")

    def screenshot(self) -> None:
        self.shots.mkdir(parents=True, exist_ok=True)
        stem = Path(self.name).stem
        for old in (self.shots / f"{stem}.png", self.shots / f"{stem}-FAILED.png"):  # an earlier run's picture
            old.unlink(missing_ok=True)
        path = self.shots / (stem + ("" if self.result.ok else "-FAILED") + ".png")
        try:
            first = self.page.locator('[data-pk-view="0"]')
            if first.count():
                first.scroll_into_view_if_needed(timeout=2000)
            self.page.screenshot(path=str(path))
            self.result.screenshot = str(path)
        except Exception as exc:
            self.result.problems.append(f"screenshot failed: {exc}")


def _changed_text(value: str) -> str:
    """A different value for a text box: a number goes up by one, any other text gets one more character."""
    try:
        number = float(value)
    except ValueError:
        return value + "x"
    return str(int(number) + 1) if number.is_integer() and "." not in value else repr(number + 1)
