"""Lesson 08's 1-nearest-neighbour explorer: the certificate against brute force, and the widget's update."""

import math

import pytest
import torch

from perturbkit.natural import nn_margin
from perturbkit.neighbours import pairwise
from perturbkit.widgets.natural import nn_certificate, nn_explorer, nn_view


def _data(seed=0):
    g = torch.Generator().manual_seed(seed)
    refs = torch.randint(0, 2, (40, 1, 5, 5), generator=g).float()
    labels = torch.randint(0, 3, (40,), generator=g)
    tests = torch.randint(0, 2, (6, 1, 5, 5), generator=g).float()
    noise = torch.randint(0, 2, (6, 1, 5, 5), generator=g).float()
    return tests, noise, refs, labels


@pytest.mark.parametrize("p", [0.0, 2.0])
def test_certificate_matches_brute_force_and_nn_margin(p):
    tests, _, refs, labels = _data()
    for q in tests:
        c = nn_certificate(q, refs, labels, p)
        d = pairwise(q[None], refs, p)[0]
        per_class = {int(k): float(d[labels == k].min()) for k in labels.unique()}
        assert c.a == per_class[c.label] == min(per_class.values())
        assert c.b == min(v for k, v in per_class.items() if k != c.label)
        assert float(d[c.same_index]) == c.a and float(d[c.other_index]) == c.b
        assert labels[c.same_index] == c.label and labels[c.other_index] == c.other_label != c.label
        _, r = nn_margin(q[None], refs, labels, p)
        assert c.radius == pytest.approx(float(r[0])) == pytest.approx((c.b - c.a) / 2)


def test_the_certified_radius_is_certified():
    # every reference image within distance < radius of the query gets the query's 1-NN label
    tests, _, refs, labels = _data(1)
    for q in tests:
        c = nn_certificate(q, refs, labels, 0.0)
        d = pairwise(q[None], refs, 0.0)[0]
        close = refs[d < c.radius]
        if close.shape[0]:
            lab, _ = nn_margin(close, refs, labels, 0.0)
            assert (lab == c.label).all()


def test_view_and_widget():
    tests, noise, refs, labels = _data()
    text, fig = nn_view(0, "test digit", 0.0, tests, noise, refs, labels)
    assert "certified radius" in text and "budget (c = 1, 5 changed entries): 5.00" in text and len(fig.axes) == 3
    text2, fig2 = nn_view(0, "random image", 2.0, tests, noise, refs, labels)
    assert text2 != text and f"{math.sqrt(5):.2f}" in text2
    with pytest.raises(ValueError, match="source"):
        nn_view(0, "photo", 0.0, tests, noise, refs, labels)
    with pytest.raises(ValueError, match="index"):
        nn_view(6, "test digit", 0.0, tests, noise, refs, labels)
    w = nn_explorer(tests, noise, refs, labels)
    before = (w.text.value, w.image.value)
    w.controls["index"].value = 1
    assert w.text.value != before[0] and "test digit 1" in w.text.value
    w.controls["source"].value = "random image"
    assert "random image 1" in w.text.value
