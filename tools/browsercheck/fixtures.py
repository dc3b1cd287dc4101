"""Small notebooks for ``--self-test``: one whose widgets all work, and broken ones the checker must reject.

They are built here at run time (never stored as ``.ipynb``, so nbval does not collect them). Each broken
notebook names the words that the checker's report must contain for it.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

_IMPORTS = "import ipywidgets as w\nfrom IPython.display import display"

GOOD = {
    # Each cell uses its own names: a callback that reads a global redefined by a later cell would write into
    # that cell's Output (the checker catches exactly this mistake).
    "slider": "out1 = w.Output()\nslider1 = w.IntSlider(value=3, min=0, max=10)\n"
              "def show1(change=None):\n    out1.clear_output(wait=True)\n"
              "    with out1:\n        print('square', slider1.value ** 2)\n"
              "slider1.observe(show1, 'value'); show1()\nw.VBox([slider1, out1])",
    "dropdown": "def f(name):\n    print('hello', name)\n"
                "w.interactive(f, name=w.Dropdown(options=['Ada', 'Alan', 'Grace']))",
    "button": "out2 = w.Output(); clicks = [0]\nbutton = w.Button(description='count')\n"
              "def on_click(_):\n    clicks[0] += 1\n    out2.clear_output(wait=True)\n"
              "    with out2:\n        print('clicks', clicks[0])\n"
              "button.on_click(on_click)\ndisplay(w.VBox([button, out2]))",
    "text": "def f(word):\n    print(word.upper())\n"
            "w.interactive(f, word=w.Text(value='abc', continuous_update=False))",
    "html and image panel": "import io\nimport matplotlib\nimport matplotlib.pyplot as plt\n"
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

BROKEN = {
    "dead-slider": ("out = w.Output()\nwith out:\n    print('never changes')\n"
                    "w.VBox([w.IntSlider(value=1, max=5), out])", ["did not change"]),
    "raises": ("def f(x):\n    print(1 / (x - 4))\nw.interactive(f, x=w.IntSlider(value=3, max=9))",
               ["ZeroDivisionError"]),
    "cell-error": ("raise ValueError('broken lesson cell')", ["error output", "ValueError"]),
    "unknown-view": ("import traitlets\nclass Ghost(w.DOMWidget):\n"
                     "    _view_name = traitlets.Unicode('GhostView').tag(sync=True)\n"
                     "    _view_module = traitlets.Unicode('no-such-widget-module').tag(sync=True)\n"
                     "    _view_module_version = traitlets.Unicode('1.0.0').tag(sync=True)\n"
                     "    _model_name = traitlets.Unicode('GhostModel').tag(sync=True)\n"
                     "    _model_module = traitlets.Unicode('no-such-widget-module').tag(sync=True)\n"
                     "    _model_module_version = traitlets.Unicode('1.0.0').tag(sync=True)\n"
                     "Ghost()", ["not rendered"]),
    "js-console-error": ("from IPython.display import Javascript\n"
                         "Javascript(\"console.error('deliberate console error')\")",
                         ["console error", "deliberate"]),
}


def _notebook(title: str, cells: list[str]) -> nbformat.NotebookNode:
    nb = new_notebook(cells=[new_markdown_cell(f"# {title}"), new_code_cell(_IMPORTS)]
                      + [new_code_cell(src) for src in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def write(folder: Path) -> dict[str, list[str]]:
    """Write the self-test notebooks into ``folder``; return {file name: words its report must contain}
    (an empty list for the notebook that must pass)."""
    folder.mkdir(parents=True, exist_ok=True)
    expected = {"good_widgets.ipynb": []}
    nbformat.write(_notebook("Working widgets", list(GOOD.values())), folder / "good_widgets.ipynb")
    for name, (src, words) in BROKEN.items():
        file = f"broken_{name.replace('-', '_')}.ipynb"
        nbformat.write(_notebook(f"Broken on purpose: {name}", [src]), folder / file)
        expected[file] = words
    (folder / "expected.json").write_text(json.dumps(expected, indent=1))
    return expected
