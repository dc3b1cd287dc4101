"""The browser test's notebook helpers (tests/browser/test_lessons.py): no browser needed.

`make test-browser` runs the browser side, including its self-test on deliberately broken notebooks.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "browser"))
import test_lessons as check  # noqa: E402

WIDGET = check.WIDGET


def _nb(*cells):
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {"widgets": {"state": {}}}, "cells": list(cells)}


def _code(source="x = 1", outputs=(), count=1):
    return {"cell_type": "code", "source": source, "metadata": {}, "outputs": list(outputs), "execution_count": count}


def _widget_out():
    return {"output_type": "execute_result", "execution_count": 1, "metadata": {},
            "data": {WIDGET: {"model_id": "abc", "version_major": 2, "version_minor": 0}, "text/plain": "VBox()"}}


def test_widget_outputs_lists_one_cell_index_per_widget_output():
    md = {"cell_type": "markdown", "source": "# t", "metadata": {}}
    stream = {"output_type": "stream", "name": "stdout", "text": "hi"}
    nb = _nb(md, _code(outputs=[stream]), _code(outputs=[_widget_out(), _widget_out()]), _code(outputs=[_widget_out()]))
    assert check.widget_outputs(nb) == [2, 2, 3]
    assert check.widget_outputs(_nb(md, _code())) == []


def test_error_outputs_name_cell_exception_and_message():
    error = {"output_type": "error", "ename": "ZeroDivisionError", "evalue": "division by zero", "traceback": []}
    assert check.error_outputs(_nb(_code(), _code(outputs=[error]))) == ["cell 1: ZeroDivisionError: division by zero"]
    assert check.error_outputs(_nb(_code())) == []


def test_unexecuted_cells_ignores_empty_cells():
    nb = _nb(_code(count=1), _code(count=None), _code(source="   \n", count=None), _code(source=["a", "b"], count=None))
    assert check.unexecuted_cells(nb) == [1, 3]


def test_stripped_removes_outputs_counts_and_widget_state_without_touching_the_original():
    nb = _nb(_code(outputs=[_widget_out()], count=7))
    before = copy.deepcopy(nb)
    clean = check.stripped(nb)
    assert nb == before
    assert clean["cells"][0]["outputs"] == [] and clean["cells"][0]["execution_count"] is None
    assert "widgets" not in clean["metadata"] and check.widget_outputs(clean) == []


def test_the_self_test_notebooks_are_valid():
    for sources in [list(check.GOOD.values())] + [[src] for src, _ in check.BROKEN.values()]:
        nbformat.validate(check.fixture_notebook("t", sources))
    assert all(words for _, words in check.BROKEN.values())


def test_widget_outputs_counts_what_a_real_kernel_run_produces():
    # The working self-test notebook shows one widget per control cell; executing it must produce exactly that.
    from nbclient import NotebookClient

    nb = check.fixture_notebook("Working widgets", list(check.GOOD.values()))
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    nb = json.loads(nbformat.writes(nb))
    first = 2  # title and imports come first
    assert check.widget_outputs(nb) == list(range(first, first + len(check.GOOD)))
    assert check.error_outputs(nb) == [] and check.unexecuted_cells(nb) == []


@pytest.mark.parametrize("value, new", [("3", "4"), ("-1", "0"), ("2.5", "3.5"), ("1.0", "2.0"), ("abc", "abcx"),
                                        ("", "x")])
def test_changed_text_always_differs(value, new):
    assert check.changed_text(value) == new != value
