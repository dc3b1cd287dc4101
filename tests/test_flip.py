import json

import pytest
import torch

from perturbkit.flip import FlipExperiment, classifier_flip, hamming_path
from perturbkit.norms import distance
from perturbkit.spaces import ImageSpace


@pytest.mark.parametrize("levels", [2, 3, 5])
@pytest.mark.parametrize("order", ["random", "raster"])
def test_path_is_a_shortest_hamming_path(levels, order):
    space = ImageSpace(5, levels=levels, channels=2)
    g = torch.Generator().manual_seed(levels)
    x, y = space.sample(2, generator=g)
    path = hamming_path(x, y, order=order, generator=g)
    d = int(distance(x[None], y[None], 0))
    assert path.shape == (d + 1, *x.shape)
    assert torch.equal(path[0], x) and torch.equal(path[-1], y)
    steps = distance(path[:-1], path[1:], 0)
    assert torch.equal(steps, torch.ones(d))
    # stays on the lattice, and every step moves one entry straight to its final value
    space.check_images(path)
    assert torch.equal(distance(path, y.expand_as(path), 0), torch.arange(d, -1, -1).float())


def test_raster_order_changes_entries_in_index_order():
    x = torch.zeros(1, 3, 3)
    y = torch.ones(1, 3, 3)
    path = hamming_path(x, y, order="raster")
    changed = [int(torch.nonzero((path[k + 1] != path[k]).reshape(-1))) for k in range(9)]
    assert changed == list(range(9))


def test_identical_images_give_a_one_image_path():
    x = torch.zeros(1, 4, 4)
    assert hamming_path(x, x.clone()).shape == (1, 1, 4, 4)


def test_classifier_flip_on_a_sum_threshold():
    # The sum classifier flips exactly when more than half of the entries are 1: brute-force truth on a path.
    x, y = torch.zeros(1, 4, 4), torch.ones(1, 4, 4)
    path = hamming_path(x, y, generator=torch.Generator().manual_seed(0))
    def model(im):
        return (im.flatten(1).sum(1) > 8).long()
    k, labels = classifier_flip(model, path, start_label=0, batch_size=5)
    assert k == 9 and labels.tolist() == [0] * 9 + [1] * 8
    def logits(im):
        return torch.stack([8 - im.flatten(1).sum(1), im.flatten(1).sum(1) - 8.5], 1)
    assert classifier_flip(logits, path, 0)[0] == 9
    assert classifier_flip(lambda im: torch.zeros(im.shape[0]), path, 0)[0] is None


def _exp(step=4):
    return FlipExperiment(hamming_path(torch.zeros(1, 3, 3), torch.ones(1, 3, 3), order="raster"), ("0", "1"), step)


def test_experiment_state_machine(tmp_path):
    exp = _exp()
    assert exp.length == 9 and exp.stops() == [0, 4, 8, 9]
    answers = [0, None, 1, 1]
    for stop, a in zip(exp.stops(), answers):
        assert exp.position == stop and not exp.done
        assert torch.equal(exp.image(), exp.path[stop])
        exp.record(a)
    assert exp.done and exp.flip_point() == 8
    with pytest.raises(RuntimeError, match="finished"):
        exp.record(0)
    f = tmp_path / "flips.json"
    exp.save(f)
    saved = json.loads(f.read_text())
    assert saved["flip_point"] == 8 and saved["answers"] == {"0": 0, "4": None, "8": 1, "9": 1}
    with pytest.raises(FileExistsError, match="overwrite=True"):
        exp.save(f)
    assert json.loads(f.read_text()) == saved        # untouched
    exp.restart()
    assert exp.position == 0 and exp.answers == {} and exp.flip_point() is None
    exp.record(1)
    exp.save(f, overwrite=True)
    assert json.loads(f.read_text())["flip_point"] == 0
    with pytest.raises(IsADirectoryError):
        exp.save(tmp_path)


def test_bad_input():
    x = torch.zeros(1, 3, 3)
    with pytest.raises(ValueError, match="order must be one of"):
        hamming_path(x, x, order="spiral")
    with pytest.raises(ValueError, match="same shape"):
        hamming_path(x, torch.zeros(1, 4, 4))
    with pytest.raises(ValueError, match="answer must be"):
        _exp().record(2)
    with pytest.raises(ValueError, match="step must be"):
        _exp(step=0)
    with pytest.raises(ValueError, match="classes must be two"):
        FlipExperiment(hamming_path(x, x + 1), ("a", "b", "c"))
    with pytest.raises(TypeError, match="path must be a non-empty"):
        _exp().save("")


def test_widget_advances_and_reveals_network_only_at_the_end():
    import html

    from perturbkit.widgets.flip import flip_report, flip_widget
    exp = _exp()
    _, labels = classifier_flip(lambda im: (im.flatten(1).sum(1) > 4).long(), exp.path, 0)
    w = flip_widget(exp, labels, model_flip=5, n=3)
    assert [b.description for b in w.buttons] == ["I see a 0", "not sure", "I see a 1", "start again"]
    before = (w.text.value, w.image.value)
    w.buttons[0].click()
    assert exp.position == 4 and w.image.value != before[1] and w.text.value != before[0]
    assert "network" not in w.text.value
    for _ in range(3):
        w.buttons[2].click()
    assert exp.done and "after 5 changed pixels = 1.67 n" in w.text.value
    assert w.text.value == f"<pre style='margin:0'>{html.escape(flip_report(exp, 5, 3))}</pre>"
    w.buttons[2].click()  # finished: a further answer changes nothing
    assert exp.done and len(exp.answers) == 4
    w.buttons[3].click()
    assert exp.position == 0 and not exp.answers and "what do you see?" in w.text.value


@pytest.mark.gpu
def test_path_on_cuda():
    x, y = torch.zeros(1, 4, 4, device="cuda"), torch.ones(1, 4, 4, device="cuda")
    p = hamming_path(x, y, generator=torch.Generator().manual_seed(0))
    assert p.device.type == "cuda"
    assert torch.equal(p.cpu(), hamming_path(x.cpu(), y.cpu(), generator=torch.Generator().manual_seed(0)))
