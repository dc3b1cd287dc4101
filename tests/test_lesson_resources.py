"""tools/lesson_resources.py (a lesson's peak kernel memory and time) and the README's hub table it feeds."""

import importlib.util
import re
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent


def _tool():
    spec = importlib.util.spec_from_file_location("lesson_resources", ROOT / "tools" / "lesson_resources.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_peak_is_the_kernels_and_names_the_cell_that_made_it(tmp_path):
    tool = _tool()
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("a notebook that holds 256 MiB for one cell"),
        nbformat.v4.new_code_cell("import numpy as np\nx = np.ones(2**25)  # 256 MiB, every page touched"),
        nbformat.v4.new_code_cell("del x\nopen('written.txt', 'w').write('the kernel runs in a temporary folder')"),
    ])
    path = tmp_path / "99_memory.ipynb"
    nbformat.write(nb, path)
    r = tool.measure(path)
    assert [index for index, _, _ in r["cells"]] == [1, 2]  # code cells, counted among all cells from 0
    (_, rss1, hwm1), (_, rss2, hwm2) = r["cells"]
    # freed memory leaves the high-water mark (give or take Linux's lazily synced RSS counters)
    assert hwm1 >= 2**28 and rss2 < rss1 - 2**27 and hwm2 >= hwm1 - 2**20
    assert r["peak_bytes"] == max(hwm1, hwm2) and 0 < r["cpu_seconds"] and 0 < r["seconds"] < 120
    assert re.match(r"  cell 1: \+\d+ MiB", tool.cell_steps(r))
    assert not (tmp_path / "written.txt").exists() and nbformat.read(path, as_version=4) == nb  # nothing written
    table = tool.table([r])
    assert re.search(r"^\| 99 \| 0\.\d\d GiB \| \d+ s \| \d+ s \|$", table, re.M)


def test_the_readme_hub_table_has_every_lesson_and_explains_the_big_ones():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("**Sizing a hub.**", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (\d\d) \| (\d+\.\d\d) GiB \| (\d+) s \|$", section, re.M)
    lessons = sorted(p.name[:2] for p in (ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
    assert [lesson for lesson, _, _ in rows] == lessons
    notes = section.rsplit("|", 1)[1]
    for lesson, gib, _ in rows:
        if float(gib) > 1.0:  # the issue: a lesson that needs more than 1 GB says why
            assert re.search(rf"\b{lesson}\b", notes), f"lesson {lesson} needs {gib} GiB: the README must say why"
