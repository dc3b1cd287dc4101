"""Reference classifiers: definitions checked on enumerated spaces, determinism, devices and errors."""

import functools

import numpy as np
import pytest
import torch

from perturbkit import classifiers
from perturbkit.census import Labeller, bitset_census, label_space
from perturbkit.spaces import ImageSpace


def all_images(space):
    return space.images(torch.arange(space.size))


@pytest.mark.parametrize("space", [ImageSpace(2), ImageSpace(3), ImageSpace(2, 3), ImageSpace(1, 4, 3)], ids=repr)
def test_definitions(space):
    x = all_images(space)
    d = space.digits(torch.arange(space.size)).reshape(space.size, -1)
    L, N = space.levels, space.num_entries
    s = d.sum(dim=1)
    assert torch.equal(classifiers.sum_threshold(x), (2 * s >= N * (L - 1)).long())
    up, down = (2 * d > L - 1).sum(dim=1), (2 * d < L - 1).sum(dim=1)
    assert torch.equal(classifiers.majority(x), (up > down).long())
    assert torch.equal(classifiers.parity(x), (up % 2).long())
    assert torch.equal(classifiers.first_pixel(x), (2 * d[:, 0] >= L - 1).long())


def test_majority_is_a_ball_of_at_most_half():
    for n in (2, 3):
        space = ImageSpace(n)
        labels = label_space(classifiers.majority, space, progress=False)
        assert int(labels.sum()) <= space.size // 2


def test_random_labels_deterministic_and_balanced():
    space = ImageSpace(3)
    x = all_images(space)
    f = classifiers.random_labels(4, seed=3)
    y = f(x)
    assert y.dtype == torch.int64 and int(y.min()) >= 0 and int(y.max()) <= 3
    assert torch.equal(y[100:200], f(x[100:200]))  # depends on the image, not on the batch
    assert torch.equal(y, classifiers.random_labels(4, seed=3)(x))
    assert not torch.equal(y, classifiers.random_labels(4, seed=4)(x))
    counts = torch.bincount(y, minlength=4).double() / space.size
    assert (counts - 0.25).abs().max() < 0.05
    # neighbours (one flipped entry) disagree about 3/4 of the time, like independent labels
    flipped = x.clone()
    flipped[:, 0, 0, 0] = 1 - flipped[:, 0, 0, 0]
    assert abs(float((f(flipped) != y).double().mean()) - 0.75) < 0.05
    with pytest.raises(ValueError, match="k must be an integer >= 1"):
        classifiers.random_labels(0)


def test_from_model_argmax():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(9, 3))
    x = all_images(ImageSpace(3))
    f = classifiers.from_model(model, batch_size=100)
    with torch.no_grad():
        assert torch.equal(f(x), model(x).argmax(dim=1))
    with pytest.raises(TypeError, match="torch.nn.Module"):
        classifiers.from_model(lambda x: x)


def test_bad_images():
    with pytest.raises(ValueError, match=r"shape \(k, channels, n, n\)"):
        classifiers.parity(torch.zeros(4, 4))
    with pytest.raises(TypeError, match="floating-point"):
        classifiers.majority(torch.zeros(1, 1, 2, 2, dtype=torch.int64))


@pytest.mark.gpu
def test_cuda_labels_match_cpu():
    x = all_images(ImageSpace(3))
    for f in classifiers.REFERENCE.values():
        assert torch.equal(f(x.cuda()).cpu(), f(x))


@pytest.mark.parametrize("space", [ImageSpace(2), ImageSpace(3), ImageSpace(2, 3), ImageSpace(1, 4, 3),
                                   ImageSpace(1, 5, 4)], ids=repr)
def test_whole_space_labels_equal_image_labels(space):
    x = all_images(space)
    for f in list(classifiers.REFERENCE.values()) + [classifiers.random_labels(5, seed=9)]:
        assert torch.equal(f.whole_space(space), f(x).to(torch.uint8)), f.__name__


def test_from_model_whole_space_equals_images():
    from perturbkit.models import MLP
    for space in (ImageSpace(3), ImageSpace(2, 3), ImageSpace(1, 2, 12)):
        model = MLP(space.n, channels=space.channels, classes=3, hidden=7, depth=2, seed=1)
        f = classifiers.from_model(model, batch_size=64)
        assert isinstance(f, Labeller)
        with torch.no_grad():
            want = model(all_images(space)).argmax(dim=1).to(torch.uint8)
        got = f.whole_space(space)
        # float sums in another order may flip a label whose two scores tie to within rounding: allow none here
        assert torch.equal(got, want)


def wrapped(f):
    """The same classifier behind two wrappers that hide any declaration: functools.partial and a lambda."""
    return {"partial": functools.partial(f), "lambda": lambda x: f(x)}


def declared(space):
    from perturbkit.models import MLP

    net = MLP(space.n, channels=space.channels, classes=3, hidden=5, depth=1, seed=4)
    return {**classifiers.REFERENCE, "random (5 classes)": classifiers.random_labels(5, seed=2),
            "network": classifiers.from_model(net, batch_size=64)}


@pytest.mark.parametrize("space", [ImageSpace(1, 2, 7), ImageSpace(2, 3), ImageSpace(1, 4, 3)], ids=repr)
def test_declared_labellers_label_a_space_without_images(space, monkeypatch):
    """Every reference classifier and a network with a linear first layer declare how they label a space: no image
    is built (catches a declaration lost on the way, e.g. a classifier silently taking the image path)."""
    for name, f in declared(space).items():
        assert isinstance(f, Labeller), name
        want = label_space(f, space)
        with monkeypatch.context() as m:
            m.setattr(ImageSpace, "chunks", lambda *a, name=name, **k: pytest.fail(f"{name}: images were built"))
            assert torch.equal(label_space(f, space), want), name
            if space.levels == 2:
                bitset_census(f, space)


@pytest.mark.parametrize("space", [ImageSpace(1, 2, 7), ImageSpace(2, 3), ImageSpace(1, 4, 3)], ids=repr)
def test_a_wrapped_classifier_gets_the_same_labels_in_both_censuses(space):
    """Wrapped, a classifier is a plain callable and takes the image path: its labels, its robustness and its
    bit-packed census stay those of its declaration (catches a declaration that labels differently from the
    images, and a census that picks its rule by which function object it was given)."""
    for name, f in declared(space).items():
        labels = label_space(f, space)
        assert torch.equal(labels, f(all_images(space)).to(torch.uint8)), name
        for how, g in wrapped(f).items():
            assert not isinstance(g, Labeller)
            assert torch.equal(label_space(g, space, batch_size=32), labels), (name, how)
            if space.levels == 2:
                a, b = bitset_census(f, space), bitset_census(g, space)
                assert np.array_equal(a.histogram, b.histogram) and np.array_equal(a.classes, b.classes), (name, how)
