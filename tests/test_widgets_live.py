"""The one widget mechanism, LiveView: a control change or a button redraws the view's text and image."""

import math

import ipywidgets as W
import pytest
import torch

from perturbkit.plotting import image_grid
from perturbkit.widgets import P_OPTIONS, LiveView, figure_png, p_dropdown


def _view(k: int, shade: float):
    """k grey squares of brightness ``shade``: a text that names both and a figure that depends on both."""
    return f"{k} squares at {shade:.1f} & more", image_grid(torch.full((k, 1, 3, 3), shade), ncols=4)


def _widget(**kw):
    controls = {"k": W.IntSlider(value=2, min=1, max=4), "shade": W.FloatSlider(value=0.5, min=0, max=1)}
    return LiveView(_view, controls, **kw)


def test_a_control_change_redraws_text_and_image():
    w = _widget()
    assert w.text.value == "<pre style='margin:0'>2 squares at 0.5 &amp; more</pre>"
    assert w.image.value == figure_png(_view(2, 0.5)[1], dpi=90) and bytes(w.image.value).startswith(b"\x89PNG")
    before = w.image.value
    w.controls["k"].value = 3
    assert "3 squares at 0.5" in w.text.value and w.image.value != before
    before = w.image.value
    w.controls["shade"].value = 0.9
    assert "3 squares at 0.9" in w.text.value and w.image.value != before
    assert w.values() == {"k": 3, "shade": 0.9}
    assert repr(w) == "LiveView(k=3, shade=0.9)"


def test_layout_controls_in_rows_then_buttons_text_image():
    w = _widget(per_row=1, actions={"go": lambda: None})
    rows, buttons, text, image = w.children[:2], w.children[2], w.children[3], w.children[4]
    assert [r.children for r in rows] == [(w.controls["k"],), (w.controls["shade"],)]
    assert buttons.children == tuple(w.buttons) and text is w.text and image is w.image
    assert [type(c).__name__ for c in _widget().children] == ["HBox", "HTML", "Image"]  # no empty button row


def test_a_button_runs_its_action_then_redraws():
    clicks = []

    def view():
        return f"{len(clicks)} clicks", None

    w = LiveView(view, {}, actions={"count": lambda: clicks.append(1), "reset": clicks.clear})
    assert w.text.value.endswith("0 clicks</pre>") and w.image.layout.display == "none"
    w.buttons[0].click()
    w.buttons[0].click()
    assert clicks == [1, 1] and w.text.value.endswith("2 clicks</pre>")
    w.buttons[1].click()
    assert w.text.value.endswith("0 clicks</pre>")
    assert repr(w) == "LiveView('count', 'reset')"


def test_no_figure_hides_the_image_and_a_figure_shows_it_again():
    w = LiveView(lambda k: (None, None if k == 0 else image_grid(torch.zeros(k, 1, 2, 2))),
                 {"k": W.IntSlider(value=0, max=2)})
    assert w.text.value == "" and w.image.layout.display == "none"
    w.controls["k"].value = 1
    assert w.image.layout.display is None and bytes(w.image.value).startswith(b"\x89PNG")


def test_p_dropdown_offers_the_shared_options():
    assert p_dropdown().options == tuple(P_OPTIONS) and p_dropdown().value == 2.0
    d = p_dropdown(math.inf, ps=(0.0, 2.0, math.inf), description="norm p")
    assert [v for _, v in d.options] == [0.0, 2.0, math.inf] and d.value == math.inf and d.description == "norm p"
    with pytest.raises(ValueError, match="value must be one of the offered p"):
        p_dropdown(1.0, ps=(0.0, 2.0))


def test_bad_arguments_are_named():
    with pytest.raises(TypeError, match="view must be a callable"):
        LiveView("view", {})
    with pytest.raises(TypeError, match="controls must be a dict"):
        LiveView(_view, [W.IntSlider()])
    with pytest.raises(TypeError, match="actions must map a button label to a callable"):
        LiveView(lambda: (None, None), {}, actions={"go": 1})
    with pytest.raises(ValueError, match="per_row"):
        _widget(per_row=0)
    with pytest.raises(TypeError, match="fig must be a matplotlib Figure"):
        figure_png("figure")
