"""Build the course book: a static HTML site of the committed, executed lessons (`make book`).

Stages into build/book/src: book/ (conf.py, the teacher's kit, the API reference, CSS), README.md (for {include}),
a landing page made from the README's title, course description and syllabus, the lessons (copies; widget views
become a note that the widget needs a live kernel, solution cells fold away) and MathJax from the `mathjax` npm
package. Then runs Sphinx with warnings as errors (a broken cross-reference fails the build) into build/book/html.
No notebook is executed and nothing is fetched from the network.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat

from perturbkit.exercises.quiz import quiz_html

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
BUILD = ROOT / "build" / "book"
SRC, HTML = BUILD / "src", BUILD / "html"
MATHJAX = ROOT / "build" / "book-vendor" / "node_modules" / "mathjax"
# What tex-chtml.js loads at view time: TeX extensions (autoload), the CHTML fonts, the menu and accessibility parts.
MATHJAX_PARTS = ["tex-chtml.js", "input", "output/chtml", "a11y", "ui", "sre"]
README_SECTIONS = ["What this course teaches, and for whom", "Syllabus"]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = (
    '<div class="admonition note pk-live-widget"><p class="admonition-title">Interactive widget: '
    "needs a live kernel</p><p>This output is an interactive widget. It needs a running Python kernel, so the "
    "book cannot show it. Open the lesson in JupyterLab with <code>make lab</code>, then open "
    "<code>{path}</code> and run its cells (<em>Run &rarr; Run All Cells</em>).</p></div>")


def readme_parts(text: str) -> tuple[str, str, dict[str, str]]:
    """(title, text before the first section, {section title: section text}) of README.md."""
    first, *sections = re.split(r"(?m)^## ", text)
    title, _, preamble = first.partition("\n")
    return title.lstrip("# ").strip(), preamble.strip(), {s.partition("\n")[0].strip(): "## " + s.strip()
                                                          for s in sections}


def typeset(text: str) -> str:
    """The README's plain-text powers, e.g. O(n^{1/max(p,1)}) or n^{1/max(p,1)}, as TeX for MathJax."""
    def tex(m: re.Match) -> str:
        return "$" + m.group(0).replace("max(", r"\max(").replace("Θ", r"\Theta") + "$"
    return re.sub(r"(?:([OΘ])\()?\w\^\{[^{}`$]*\}(?(1)\))", tex, text)


def landing_page(readme: str, lessons: list[Path]) -> str:
    title, preamble, sections = readme_parts(readme)
    sections = {k: typeset(v) for k, v in sections.items()}
    missing = [s for s in README_SECTIONS if s not in sections]
    if missing:
        raise SystemExit(f"book/build.py: README.md has no section {missing} for the landing page")
    toc = "\n".join(f"lessons/{p.stem}" for p in lessons)
    return "\n\n".join([f"# {title}", preamble, *(sections[s] for s in README_SECTIONS),
                        "The [teacher's kit](teachers.md) says how to run the course in a class and how to "
                        "publish this book.",
                        f"```{{toctree}}\n:hidden:\n:caption: Lessons\n\n{toc}\n```",
                        "The [API reference](api.rst) lists the functions and classes of `perturbkit` that the "
                        "lessons use, with their docstrings and examples.",
                        "```{toctree}\n:hidden:\n:caption: For teachers\n\nteachers\n```",
                        "```{toctree}\n:hidden:\n:caption: Reference\n\napi\n```"]) + "\n"


def blocks(md: str) -> str:
    """Blank lines around display maths and <details> tags. Jupyter renders them inside a paragraph; MyST, like
    CommonMark, reads $$ as display maths and the markdown inside <details> only when they stand as blocks."""
    out, in_math = [], False
    for line in md.split("\n"):
        s = line.strip()
        if not in_math and s.startswith("$$"):
            in_math = not (len(s) > 4 and s.endswith("$$"))  # a one-line $$...$$ opens and closes
            out += ["", line] + ([] if in_math else [""])
        elif in_math and s.endswith("$$"):
            in_math = False
            out += [line, ""]
        elif re.match(r"</?details>|<summary>", s):
            out += ["", line, ""]
        else:
            out.append(line)
    return "\n".join(out)


def merged_streams(outputs: list) -> list:
    """Consecutive prints to the same stream as one output (a kernel may split them, even into a lone newline,
    which would show as an empty box)."""
    out = []
    for o in outputs:
        if o.get("output_type") == "stream" and out and out[-1].get("output_type") == "stream" \
                and out[-1].get("name") == o.get("name"):
            out[-1]["text"] += o["text"]
        else:
            out.append(o)
    return [o for o in out if o.get("output_type") != "stream" or o["text"].strip()]


def stage_lesson(src: Path, dst: Path) -> None:
    """Copy one executed lesson, replacing widget views (which need a kernel) by a note and folding solutions."""
    nb = nbformat.read(src, as_version=4)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = blocks(cell.source)
        if cell.cell_type != "code":
            continue
        if cell.metadata.get("jupyter", {}).get("source_hidden"):
            cell.metadata.setdefault("tags", []).append("hide-cell")
            cell.metadata["mystnb"] = {"code_prompt_show": "Show the solution", "code_prompt_hide": "Hide"}
        cell.outputs = merged_streams(cell.get("outputs", []))
        quiz = re.search(r'^quiz\("(\d\d)"\)$', cell.source, re.M)
        for out in cell.outputs:
            if WIDGET_VIEW in out.get("data", {}) and quiz:  # the self-check quiz works on paper too
                out["data"] = {"text/html": quiz_html(quiz.group(1))}
            elif WIDGET_VIEW in out.get("data", {}):
                out["data"] = {"text/html": WIDGET_NOTE.format(path=html.escape(f"lessons/{src.name}"))}
                out["metadata"] = {}
    nbformat.write(nb, dst)


def copy_mathjax(dst: Path) -> None:
    if not (MATHJAX / "es5" / "tex-chtml.js").is_file():
        raise SystemExit(f"book/build.py: MathJax not found in {MATHJAX} (make book installs it with npm)")
    for part in MATHJAX_PARTS:
        s, d = MATHJAX / "es5" / part, dst / part
        d.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(s, d) if s.is_dir() else shutil.copy2(s, d)
    shutil.copy2(MATHJAX / "LICENSE", dst / "LICENSE")


def main() -> int:
    start = time.perf_counter()
    shutil.rmtree(BUILD, ignore_errors=True)
    shutil.copytree(BOOK, SRC, ignore=shutil.ignore_patterns("build.py", "__pycache__", "_build"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (SRC / "README.md").write_text(readme, encoding="utf-8")
    lessons = sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
    if not lessons:
        raise SystemExit("book/build.py: no lessons in lessons/")
    (SRC / "lessons").mkdir()
    for lesson in lessons:
        stage_lesson(lesson, SRC / "lessons" / lesson.name)
    (SRC / "index.md").write_text(landing_page(readme, lessons), encoding="utf-8")
    copy_mathjax(SRC / "_static" / "mathjax")
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-n", "-q", "-j", "auto",
           "-d", str(BUILD / "doctrees"), str(SRC), str(HTML)]
    if subprocess.run(cmd).returncode:
        print("book/build.py: the book did not build (see the warnings above)", file=sys.stderr)
        return 1
    print(f"book: {len(lessons)} lessons in {time.perf_counter() - start:.0f} s; open {HTML / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
