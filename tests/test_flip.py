import json

import pytest
import torch

from perturbkit.flip import FlipExperiment, classifier_flip, hamming_path, pair_flips, typical_pair
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


def _sum_model(im):
    # labels binary 3x3 images by their number of ones: 0 (at most 4 ones) or 1
    return (im.flatten(1).sum(1) > 4).long()


def _all_3x3():
    x = ImageSpace(3).images(torch.arange(512)).reshape(512, 1, 3, 3)
    return x, _sum_model(x)


def test_pair_flips_follows_the_lessons_loop():
    # the loop lesson 09 used to run, written out once more with its draws in the same order
    x, y = _all_3x3()
    wrong = torch.tensor([5, 17, 300])  # three images the "network" gets wrong: those pairs must be skipped
    y[wrong] = 1 - y[wrong]
    g = torch.Generator().manual_seed(3)
    flips, lengths, tries = [], [], 0
    while len(flips) < 12 and tries < 1000:
        tries += 1
        i, j = torch.randint(0, 512, (2,), generator=g).tolist()
        if y[i] == y[j] or _sum_model(x[[i, j]]).tolist() != [int(y[i]), int(y[j])]:
            continue
        path = hamming_path(x[i], x[j], generator=g)
        flips.append(classifier_flip(_sum_model, path, int(y[i]))[0])
        lengths.append(path.shape[0] - 1)
    f, d = pair_flips(_sum_model, x, y, pairs=12, generator=torch.Generator().manual_seed(3))
    assert f.tolist() == flips and d.tolist() == lengths and f.dtype == torch.float32
    assert all(1 <= a <= b for a, b in zip(flips, lengths))


def test_pair_flips_and_typical_pair_stop_with_a_clear_error():
    x, y = _all_3x3()
    with pytest.raises(RuntimeError, match=r"labels 256 of the 512 images \(50.0%\).*all of them in class 0\. "
                                           r"Is the network trained"):
        pair_flips(lambda im: torch.zeros(im.shape[0], dtype=torch.long), x, y)
    with pytest.raises(RuntimeError, match="no image of class 1 is labelled 1"):
        typical_pair(lambda im: torch.zeros(im.shape[0], dtype=torch.long), x, y, 0, 1)
    # right on only 2 images of each class: the bounded search gives up after max_tries draws
    y2 = torch.where(torch.isin(torch.arange(512), torch.tensor([0, 1, 510, 511])), y, 1 - y)
    with pytest.raises(RuntimeError, match=r"found \d+ of 40 correctly labelled pairs .* in 1000 tries .*"
                                           r"is the network trained\?"):
        pair_flips(_sum_model, x, y2, pairs=40, generator=torch.Generator().manual_seed(0))
    with pytest.raises(ValueError, match="max_tries must be"):
        pair_flips(_sum_model, x, y, pairs=5, max_tries=4)
    with pytest.raises(ValueError, match="y must be a tensor of 512 labels"):
        pair_flips(_sum_model, x, y[:5])


def test_typical_pair_is_the_median_nearest_pair():
    x, y = _all_3x3()
    start, end, d, count = typical_pair(_sum_model, x, y, 0, 1)
    assert count == 256 and _sum_model(start[None]).item() == 0 and _sum_model(end[None]).item() == 1
    # the nearest image of class 1 of an image with s ones is 5 - s changes away; sorted, the 256 distances are
    # 126 ones (s = 4), then 84 twos (s = 3), ...: entry 256 // 2 = 128 is a 2
    assert d == int(distance(start[None], end[None], 0)) == 2


@pytest.mark.parametrize("name", ["binary_mnist_cnn", "binary_mnist_mlp"])
def test_lesson_09_with_an_untrained_network_fails_in_seconds(name):
    # lesson 09's setup (binarised MNIST test split) with an untrained network of the lesson's architecture
    import time

    from perturbkit import pretrained
    from perturbkit.data import load_mnist, quantize
    from perturbkit.models import split
    x, y = load_mnist()
    _, (x_test, y_test) = split(quantize(x, 2), y, test_fraction=0.2, seed=0)
    untrained = pretrained.build(name)
    start = time.perf_counter()
    with pytest.raises(RuntimeError, match="(?i)is the network trained"):
        typical_pair(untrained, x_test, y_test, 4, 9)
    with pytest.raises(RuntimeError, match="(?i)is the network trained"):
        pair_flips(untrained, x_test, y_test, pairs=40, generator=torch.Generator().manual_seed(1), max_tries=1000)
    assert time.perf_counter() - start < 20  # fails fast; the lesson used to loop forever here


def test_answer_with_answers_every_stop_once():
    exp = _exp(step=4)
    seen = []
    exp.answer_with(lambda im: seen.append(int(im.sum())) or (1 if im.sum() > 4 else 0))
    assert exp.done and seen == [0, 4, 8, 9] and exp.flip_point() == 8
    exp.answer_with(lambda im: 0)  # finished: nothing more is asked
    assert seen == [0, 4, 8, 9]


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
