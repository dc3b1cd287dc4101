"""The browser checker's helpers (tools/browsercheck): pure notebook functions, config, copies, server lifecycle.

None of these needs a browser; `make test-browser BROWSER_ARGS=--self-test` checks the browser side itself.
"""

from __future__ import annotations

import copy
import hashlib
import json
import socket
import sys
from pathlib import Path

import nbformat
import pytest

TOOLS = Path(__file__).resolve().parents[1] / "tools"
sys.path.insert(0, str(TOOLS))

from browsercheck import chromium, fixtures, notebooks  # noqa: E402
from browsercheck.page import _changed_text, is_ignored_console  # noqa: E402
from browsercheck.runner import parse_args  # noqa: E402
from browsercheck.server import (DISABLED_EXTENSIONS, LabServer, copy_lessons, free_port,  # noqa: E402
                                 new_token, write_config)

WIDGET = notebooks.WIDGET_MIME


def _nb(*cells):
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {"widgets": {"state": {}}}, "cells": list(cells)}


def _code(source="x = 1", outputs=(), count=1):
    return {"cell_type": "code", "source": source, "metadata": {}, "outputs": list(outputs), "execution_count": count}


def _widget_out():
    return {"output_type": "execute_result", "execution_count": 1, "metadata": {},
            "data": {WIDGET: {"model_id": "abc", "version_major": 2, "version_minor": 0}, "text/plain": "VBox()"}}


def _error_out(name="ValueError", value="bad"):
    return {"output_type": "error", "ename": name, "evalue": value, "traceback": []}


# -- notebook JSON ------------------------------------------------------------------------------------------------
def test_widget_outputs_lists_one_cell_index_per_widget_output():
    md = {"cell_type": "markdown", "source": "# t", "metadata": {}}
    stream = {"output_type": "stream", "name": "stdout", "text": "hi"}
    nb = _nb(md, _code(outputs=[stream]), _code(outputs=[_widget_out(), _widget_out()]), _code(outputs=[_widget_out()]))
    assert notebooks.widget_outputs(nb) == [2, 2, 3]
    assert notebooks.widget_outputs(_nb(md, _code())) == []


def test_error_outputs_name_cell_exception_and_message():
    nb = _nb(_code(), _code(outputs=[_error_out("ZeroDivisionError", "division by zero")]))
    assert notebooks.error_outputs(nb) == ["cell 1: ZeroDivisionError: division by zero"]
    assert notebooks.error_outputs(_nb(_code())) == []


def test_unexecuted_cells_ignores_empty_cells():
    nb = _nb(_code(count=1), _code(count=None), _code(source="   \n", count=None), _code(source=["a", "b"], count=None))
    assert notebooks.unexecuted_cells(nb) == [1, 3]


def test_stripped_removes_outputs_counts_and_widget_state_without_touching_the_original():
    nb = _nb(_code(outputs=[_widget_out()], count=7))
    before = copy.deepcopy(nb)
    clean = notebooks.stripped(nb)
    assert nb == before
    assert clean["cells"][0]["outputs"] == [] and clean["cells"][0]["execution_count"] is None
    assert "widgets" not in clean["metadata"]
    assert notebooks.widget_outputs(clean) == []


def test_discover_finds_notebooks_sorted_and_skips_hidden_and_other_files(tmp_path):
    for name in ["02_b.ipynb", "00_a.ipynb", ".hidden.ipynb", "notes.md", "10_c.ipynb"]:
        (tmp_path / name).write_text("{}")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "00_a-checkpoint.ipynb").write_text("{}")
    assert [p.name for p in notebooks.discover(tmp_path)] == ["00_a.ipynb", "02_b.ipynb", "10_c.ipynb"]


def test_discover_names_a_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere"):
        notebooks.discover(tmp_path / "nowhere")


def test_widget_outputs_counts_what_a_real_kernel_run_produces(tmp_path):
    # The good self-test notebook displays one widget per control cell; executing it must produce exactly that.
    from nbclient import NotebookClient

    fixtures.write(tmp_path)
    nb = nbformat.read(tmp_path / "good_widgets.ipynb", as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    nb = json.loads(nbformat.writes(nb))
    first = 2  # title and imports come first
    assert notebooks.widget_outputs(nb) == list(range(first, first + len(fixtures.GOOD)))
    assert notebooks.error_outputs(nb) == [] and notebooks.unexecuted_cells(nb) == []


# -- fixtures -----------------------------------------------------------------------------------------------------
def test_fixtures_are_valid_notebooks_and_only_the_good_one_expects_to_pass(tmp_path):
    expected = fixtures.write(tmp_path)
    assert json.loads((tmp_path / "expected.json").read_text()) == expected
    assert expected.pop("good_widgets.ipynb") == []
    assert len(expected) == len(fixtures.BROKEN) and all(expected.values())
    for path in tmp_path.glob("*.ipynb"):
        nbformat.validate(nbformat.read(path, as_version=4))


# -- server set-up ------------------------------------------------------------------------------------------------
def test_free_port_can_be_bound_and_tokens_are_long_and_random():
    port = free_port()
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))
    tokens = {new_token() for _ in range(20)}
    assert len(tokens) == 20 and min(len(t) for t in tokens) >= 40


def test_write_config_stays_inside_its_folder_and_disables_the_news_popup(tmp_path):
    env = write_config(tmp_path)
    assert set(env) >= {"JUPYTER_CONFIG_DIR", "JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR",
                        "JUPYTER_RUNTIME_DIR"}
    assert all(Path(v).is_relative_to(tmp_path) for v in env.values())
    page = json.loads((Path(env["JUPYTER_CONFIG_DIR"]) / "labconfig" / "page_config.json").read_text())
    assert page["disabledExtensions"] == DISABLED_EXTENSIONS
    tracker = Path(env["JUPYTERLAB_SETTINGS_DIR"]) / "@jupyterlab/notebook-extension/tracker.jupyterlab-settings"
    assert json.loads(tracker.read_text())["windowingMode"] == "none"


def _digest(folder: Path) -> dict:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_copy_lessons_strips_the_copies_and_leaves_the_originals_alone(tmp_path):
    src, dest = tmp_path / "lessons", tmp_path / "copy"
    src.mkdir()
    (src / "00_x.ipynb").write_text(json.dumps(_nb(_code(outputs=[_widget_out()]))))
    (src / "sanitize.cfg").write_text("[x]\n")
    (src / "pictures").mkdir()
    (src / "pictures" / "a.txt").write_text("pixels")
    before = _digest(src)
    copies = copy_lessons(sorted(src.glob("*.ipynb")), dest)
    assert _digest(src) == before
    assert copies == [dest / "00_x.ipynb"]
    assert notebooks.widget_outputs(json.loads(copies[0].read_text())) == []
    assert (dest / "sanitize.cfg").read_text() == "[x]\n" and (dest / "pictures" / "a.txt").exists()


def test_lab_server_serves_the_copy_and_cleans_up_even_after_an_error(tmp_path):
    src = tmp_path / "lessons"
    src.mkdir()
    (src / "00_x.ipynb").write_text(json.dumps(_nb(_code())))
    lab = LabServer(sorted(src.glob("*.ipynb")))
    with pytest.raises(RuntimeError, match="on purpose"):
        with lab:
            home, proc = lab.home, lab.proc
            assert home.exists() and lab.root.is_relative_to(home)
            names = [c["name"] for c in lab.api("GET", "/api/contents")["content"]]
            assert "00_x.ipynb" in names
            assert lab.notebook_json("00_x.ipynb")["cells"][0]["outputs"] == []
            raise RuntimeError("failure on purpose")
    assert proc.poll() is not None, "the server must be stopped"
    assert not home.exists(), "the temporary copy must be removed"
    assert (src / "00_x.ipynb").exists()


# -- browser side: pure parts -------------------------------------------------------------------------------------
@pytest.mark.parametrize("value, new", [("3", "4"), ("-1", "0"), ("2.5", "3.5"), ("1.0", "2.0"), ("abc", "abcx"),
                                        ("", "x")])
def test_changed_text_always_differs(value, new):
    assert _changed_text(value) == new != value


def test_only_listed_console_messages_are_ignored():
    assert is_ignored_console("GET http://127.0.0.1/favicon.ico 404")
    assert not is_ignored_console("Error: No version of module x is registered")


def test_install_plan_uses_installs_or_explains():
    assert chromium.install_plan("/usr/bin/chromium", 1000, True) == ("use", "/usr/bin/chromium")
    action, cmds = chromium.install_plan(None, 0, True)
    assert action == "install" and cmds[-1] == ["apt-get", "install", "-y", "chromium"]
    action, message = chromium.install_plan(None, 1000, True)
    assert action == "fail" and "apt-get install chromium" in message
    action, message = chromium.install_plan(None, 0, False)
    assert action == "fail" and "package manager" in message


def test_command_line_defaults_to_the_repository_lessons():
    args = parse_args([])
    assert args.lessons.name == "lessons" and args.lessons.parent == TOOLS.parent
    assert args.artifacts.parts[-2:] == ("artifacts", "browser")
    assert parse_args(["--lessons", "/x", "--only", "03", "05"]).only == ["03", "05"]
