"""Shipped networks: checksums verified before loading, stored accuracies reproduced, clear errors, retrainable.

Loading. Evaluating the stored weights only reorders the sums of one forward pass, which can flip a prediction right
at a decision boundary but hardly more: LOAD_TOL = 0.003 (three images in a thousand).

Retraining. Each recipe is seeded, so one machine with one torch version and thread count gives the same weights
every time; but another thread count, another CPU (other vector instructions) or another torch version adds
floating-point sums in another order, and the differences grow over thousands of optimiser steps. The retrained
network is then a nearby or, at worst, a wholly different draw of the same recipe. So the check compares two
statistics with the shipped network's, each within a tolerance set from measurements:

- the test accuracy (pretrained.evaluate) within ACC_TOL[name] of the stored one;
- the training loss (pretrained.training_loss) within a factor LOSS_FACTOR[name] of the shipped network's.

The loss is what catches a recipe with half the epochs when the accuracy is as good (most networks here reach their
accuracy early); the accuracy catches what the loss cannot (a wrong recipe that fits the training set as well).

Measured on this repository's 2-core AMD EPYC (torch 2.13.0, AVX512 kernels): each network retrained by
pretrained.train_recipe on four float paths, at 1, 2 and 4 torch threads (OMP_NUM_THREADS alike) and on ATen's
default (non-vectorised) kernels at 1 thread, and, to see what a wholly diverged run looks like, at 1 thread with the
shuffling seeds 1 and 2 instead of 0 (another draw of the same recipe). The last two columns are wrong recipes, at 1
thread: half the epochs, and a tenth of the learning rate.

Test accuracy minus the stored accuracy (ACC_TOL: the tolerance; '-': not measured):

    network                 1 thr  2 thr  4 thr   ATen  seed1  seed2  ACC_TOL  half ep.  lr / 10
    digits_cnn             +0.000 +0.000 +0.000 +0.000 +0.000 -0.003    0.010    -0.003   -0.067
    digits_mlp             +0.000 +0.000 +0.000 +0.000 -0.003 +0.000    0.010    -0.022   -0.045
    mnist_cnn              +0.003 +0.003 +0.003 +0.000 +0.012 +0.001    0.020    -0.051   -0.093
    digits_0v1_mlp_5x5     +0.000 +0.000 +0.000 +0.000 -0.008 -0.006    0.015    -0.158   -0.433
    digits_0v1_mlp_6x6     +0.000 +0.000 +0.000 +0.000 +0.000 +0.000    0.010    -0.056   -0.469
    scaling_cnn_8          +0.000 +0.000 +0.000 +0.000 +0.003 +0.008    0.015    -0.017   -0.086
    scaling_cnn_16         +0.000 -0.003 -0.003 -0.003 +0.006 +0.008    0.015    -0.014   -0.075
    scaling_cnn_32         +0.003 +0.000 -0.008 +0.006 +0.011 +0.003    0.035    -0.008   -0.011  (*)
    scaling_cnn_64         +0.000 +0.003 +0.003 +0.000 -0.014 +0.006    0.010    +0.003   +0.003
    mnist_cnn_small        +0.002 +0.003 +0.004 +0.003 -0.005 +0.010    0.015    -0.015   -0.060
    mnist_cnn_standard     +0.000 -0.002 -0.002 +0.001 +0.005 +0.002    0.010    -0.047   -0.165
    binary_mnist_cnn       -0.001 -0.001 -0.001 -0.001 -0.005 -0.003    0.010    -0.037   -0.158
    binary_mnist_mlp       +0.000 +0.000 +0.000 +0.000 -0.008 +0.012    0.020    -0.768   -0.134
    mnist_cnn_fgsm_rs      +0.003 +0.000 +0.003 +0.003 +0.002 +0.002    0.010    -0.006   -0.022
    mnist_cnn_standard_22  +0.000 +0.006 +0.001 +0.001 +0.006 +0.005    0.010    -0.003   -0.004

(*) and -0.022 at 2 threads on another machine (reported in an issue).

Training loss of the retrained network divided by the shipped network's (LOSS_FACTOR: the tolerance):

    network                 1 thr  2 thr  4 thr   ATen  seed1  seed2   FACTOR  half ep.  lr / 10
    digits_cnn               0.98   0.96   0.98   0.96   1.22   1.49     2.25      5.25    23.59
    digits_mlp               1.00   1.00   1.00   1.00   1.11   1.10     1.70      3.18    11.42
    mnist_cnn                0.99   0.99   0.99   1.01   0.71   0.79     2.15      2.53     3.89
    digits_0v1_mlp_5x5       1.00   1.00   1.00   1.00   1.00   1.01     1.55      1.42     1.67
    digits_0v1_mlp_6x6       1.00   1.00   1.00   1.00   0.99   1.00     1.55      1.71     2.08
    scaling_cnn_8            1.00   1.00   1.00   1.00   0.90   0.96     1.70      2.89    12.48
    scaling_cnn_16           0.95   0.99   0.99   0.98   0.70   0.68     2.20      3.67    16.31
    scaling_cnn_32           1.06   1.00   1.92   0.90   2.98   1.65     4.50      7.71    22.46
    scaling_cnn_64           0.99   2.74  14.41  13.61  67.49   1.29     1.55     14.08   125.34
    mnist_cnn_small          0.99   0.99   0.99   0.99   1.16   0.76     2.00      2.46     5.68
    mnist_cnn_standard       1.00   1.03   1.03   0.99   1.05   1.14     1.75      1.97     6.03
    binary_mnist_cnn         1.00   1.00   1.00   1.00   1.15   1.16     1.75      1.90     5.25
    binary_mnist_mlp         1.00   1.00   1.00   1.00   0.98   0.98     1.55      6.31     4.44
    mnist_cnn_fgsm_rs        0.98   0.98   1.12   1.13   0.86   1.03     1.80      2.12     4.55
    mnist_cnn_standard_22    1.00   1.00   0.96   0.99   0.89   0.96     1.70     33.98   176.33

Tolerances: ACC_TOL is 1.5 times the largest accuracy difference in its row (the float paths and the seeds), rounded
up to 0.005 and at least 0.01; LOSS_FACTOR is 1.5 times the largest loss factor in its row (or its inverse), rounded
up to 0.05 and at least 1.25. For scaling_cnn_32 the row also holds a report from another machine, 0.950 against the
stored 0.972 at 2 threads (-0.022), which the old tolerance of 0.02 failed. Every "half the epochs" and "a tenth of
the learning rate" network (last columns) falls outside at least one tolerance; the tests below retrain the cheap
networks that way every time, and every other network with half the epochs under `-m slow`.

Pinned: scaling_cnn_64. Its training loss is about 5e-4, so the few training digits it gets almost wrong decide it:
at 4 threads it came out 14.4 times the shipped one and on ATen's default kernels 13.6 times, as far as with half the
epochs (14.1), with the same test accuracy (0.969 at 4 threads and with half the epochs) and weights as far from the
shipped ones (relative distance 0.24 on both paths, 0.20 with half the epochs). No tolerance holds across float
paths and still catches half the epochs. So this network is retrained at pretrained.TRAINING_THREADS (1) thread, the
count it was made with, whatever OMP_NUM_THREADS says, and its tolerances come from the 1-thread path of this
machine's AVX512 kernels only, which reproduces the shipped network (loss factor 0.99). On a CPU whose kernels differ
(ATen's default kernels stand for one) this one test can fail although nothing is wrong; loosening it would let half
the epochs pass.
"""

import contextlib
import json
import shutil

import pytest
import torch

from perturbkit import pretrained
from perturbkit.network_scaling import cnn_scaling

LOAD_TOL = 0.003
CHEAP = {"digits_mlp", "digits_0v1_mlp_5x5", "digits_0v1_mlp_6x6"}  # retrained in a second or two: always tested
# The retraining check's tolerances, from the measurements in the module docstring.
ACC_TOL = {
    "digits_cnn": 0.01, "digits_mlp": 0.01, "mnist_cnn": 0.02, "digits_0v1_mlp_5x5": 0.015,
    "digits_0v1_mlp_6x6": 0.01, "scaling_cnn_8": 0.015, "scaling_cnn_16": 0.015, "scaling_cnn_32": 0.035,
    "scaling_cnn_64": 0.01, "mnist_cnn_small": 0.015, "mnist_cnn_standard": 0.01, "binary_mnist_cnn": 0.01,
    "binary_mnist_mlp": 0.02, "mnist_cnn_fgsm_rs": 0.01, "mnist_cnn_standard_22": 0.01,
}
LOSS_FACTOR = {
    "digits_cnn": 2.25, "digits_mlp": 1.7, "mnist_cnn": 2.15, "digits_0v1_mlp_5x5": 1.55, "digits_0v1_mlp_6x6": 1.55,
    "scaling_cnn_8": 1.7, "scaling_cnn_16": 2.2, "scaling_cnn_32": 4.5, "scaling_cnn_64": 1.55,
    "mnist_cnn_small": 2.0, "mnist_cnn_standard": 1.75, "binary_mnist_cnn": 1.75, "binary_mnist_mlp": 1.55,
    "mnist_cnn_fgsm_rs": 1.8, "mnist_cnn_standard_22": 1.7,
}
PINNED = {"scaling_cnn_64"}  # retrained at pretrained.TRAINING_THREADS threads only (see the module docstring)
WRONG = {  # wrong recipes the check must catch
    "half the epochs": lambda r: {"epochs": r.epochs // 2},
    "a tenth of the learning rate": lambda r: {"lr": r.lr / 10},
}


@contextlib.contextmanager
def _threads_for(name):
    """The ambient torch thread count, or TRAINING_THREADS for a pinned network."""
    before = torch.get_num_threads()
    if name in PINNED:
        torch.set_num_threads(pretrained.TRAINING_THREADS)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _retrain(name, **changes):
    with _threads_for(name):
        return pretrained.train_recipe(name, **changes)


def retraining_differences(name, model) -> list[str]:
    """How a retrained network differs from the shipped one beyond the tolerances ([] when it does not)."""
    out = []
    acc, stored = pretrained.evaluate(model, name), pretrained.stored_accuracy(name)
    if abs(acc - stored) > ACC_TOL[name]:
        out.append(f"test accuracy {acc:.4f}, stored {stored:.4f} +/- {ACC_TOL[name]}")
    loss, shipped = pretrained.training_loss(model, name), pretrained.training_loss(pretrained.load(name), name)
    factor = LOSS_FACTOR[name]
    if not shipped / factor <= loss <= shipped * factor:
        out.append(f"training loss {loss:.3g}, {loss / shipped:.2f} times the shipped network's (allowed: a factor "
                   f"{factor})")
    return out


def test_every_registered_network_is_shipped_and_described():
    entries = pretrained.manifest()
    assert list(entries) == pretrained.names()
    for name, e in entries.items():
        r = pretrained.recipe(name)
        path = pretrained.MODELS_DIR / e["file"]
        assert path.stat().st_size == e["bytes"]
        assert e["architecture"] == {"class": r.architecture, "kwargs": r.kwargs}
        recipe = {k: v for k, v in r.as_json().items() if k not in ("lessons", "architecture", "kwargs")}
        assert e["recipe"] == recipe, f"{name}: recipe changed since training; run {pretrained.rebuild_command(name)}"
        assert e["parameters"] == sum(p.numel() for p in pretrained.build(name).parameters())
        assert e["command"] == pretrained.rebuild_command(name)
        assert 0.5 < e["test_accuracy"] <= 1
    assert sum(e["bytes"] for e in entries.values()) < 8_000_000  # small enough to ship in the repository


def test_start_from_recipes_share_the_architecture():
    for r in pretrained.RECIPES.values():
        if r.start_from:
            base = pretrained.recipe(r.start_from)
            assert (base.architecture, base.kwargs) == (r.architecture, r.kwargs)


@pytest.mark.parametrize("name", pretrained.names())
def test_load_gives_the_stored_accuracy(name):
    model = pretrained.load(name)
    assert not model.training
    assert all(p.device.type == "cpu" for p in model.parameters())
    assert pretrained.evaluate(model, name) == pytest.approx(pretrained.stored_accuracy(name), abs=LOAD_TOL)


def test_stored_accuracies_meet_the_lessons_needs():
    acc = pretrained.stored_accuracy
    assert all(acc(f"scaling_cnn_{n}") >= 0.95 for n in (8, 16, 32, 64))  # lesson 05 compares n fairly
    assert acc("mnist_cnn_small") >= 0.95
    robust = pretrained.info("mnist_cnn_fgsm_rs")["robust_accuracy"]
    standard = pretrained.info("mnist_cnn_standard")
    assert robust["0.1"] > 0.8 and robust["0.2"] > 0.5  # adversarial training clearly helps
    assert acc("mnist_cnn_fgsm_rs") >= standard["test_accuracy"] - 0.02


def _copy(tmp_path, name):
    shutil.copy(pretrained.MODELS_DIR / "manifest.json", tmp_path / "manifest.json")
    shutil.copy(pretrained.MODELS_DIR / f"{name}.pt", tmp_path / f"{name}.pt")
    return tmp_path / f"{name}.pt"


def test_load_from_another_root(tmp_path):
    _copy(tmp_path, "digits_mlp")
    model = pretrained.load("digits_mlp", root=tmp_path)
    assert pretrained.evaluate(model, "digits_mlp") == pytest.approx(pretrained.stored_accuracy("digits_mlp"),
                                                                     abs=LOAD_TOL)


def test_corrupt_file_is_refused_before_loading(tmp_path):
    path = _copy(tmp_path, "digits_mlp")
    blob = bytearray(path.read_bytes())
    blob[-100] ^= 0xFF  # one flipped byte inside the weights
    path.write_bytes(bytes(blob))
    expected = pretrained.info("digits_mlp")["sha256"]
    with pytest.raises(ValueError) as err:
        pretrained.load("digits_mlp", root=tmp_path)
    msg = str(err.value)
    assert str(path) in msg and expected in msg and pretrained.sha256_file(path) in msg
    assert "python data/train_models.py --only digits_mlp --force" in msg


def test_missing_file(tmp_path):
    path = _copy(tmp_path, "digits_mlp")
    path.unlink()
    with pytest.raises(FileNotFoundError) as err:
        pretrained.load("digits_mlp", root=tmp_path)
    msg = str(err.value)
    assert str(path) in msg and pretrained.info("digits_mlp")["sha256"] in msg
    assert "python data/train_models.py --only digits_mlp" in msg


def test_missing_manifest_and_entry(tmp_path):
    with pytest.raises(FileNotFoundError, match="manifest.json is missing"):
        pretrained.load("digits_mlp", root=tmp_path)
    (tmp_path / "manifest.json").write_text(json.dumps({"format": 1, "models": {}}))
    with pytest.raises(ValueError, match="not in .*--only digits_mlp"):
        pretrained.load("digits_mlp", root=tmp_path)


def test_stale_manifest_architecture(tmp_path):
    _copy(tmp_path, "digits_mlp")
    m = json.loads((tmp_path / "manifest.json").read_text())
    m["models"]["digits_mlp"]["architecture"]["kwargs"]["hidden"] = 7
    (tmp_path / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(ValueError, match="registry says"):
        pretrained.load("digits_mlp", root=tmp_path)


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(ValueError) as err:
        pretrained.load("resnet50")
    msg = str(err.value)
    assert "'resnet50'" in msg and all(name in msg for name in pretrained.names())


def test_dataset_follows_the_recipe():
    (xtr, ytr), (xte, yte) = pretrained.dataset("digits_0v1_mlp_5x5")
    assert xtr.shape[1:] == (1, 5, 5) and set(xtr.unique().tolist()) <= {0.0, 1.0}
    assert set(ytr.tolist()) == {0, 1} and torch.equal(xtr, xte)  # no held-out set in this recipe
    (xtr, _), (xte, _) = pretrained.dataset("binary_mnist_cnn")
    assert (xtr.shape[0], xte.shape[0]) == (4000, 1000) and set(xte.unique().tolist()) == {0.0, 1.0}
    (xtr, _), _ = pretrained.dataset("scaling_cnn_32")
    assert xtr.shape == (1438, 1, 32, 32)  # 1797 digits less 359 held out


def test_cnn_scaling_takes_the_shipped_networks():
    nets = {n: pretrained.load(f"scaling_cnn_{n}") for n in (8, 16)}
    r = cnn_scaling(ns=(8, 16), images=4, steps=5, models=nets)
    assert r.accuracy == pytest.approx({n: pretrained.stored_accuracy(f"scaling_cnn_{n}") for n in (8, 16)},
                                       abs=LOAD_TOL)
    with pytest.raises(ValueError, match="models has networks for n in"):
        cnn_scaling(ns=(8, 32), images=4, models=nets)


def _retrain_params():
    return [pytest.param(name, marks=() if name in CHEAP else pytest.mark.slow) for name in pretrained.names()]


def test_every_network_has_measured_retraining_tolerances():
    missing = [n for n in pretrained.names() if n not in ACC_TOL or n not in LOSS_FACTOR]
    assert not missing, (f"measure how {missing} retrain on several float paths (thread counts 1, 2, 4 and "
                         "ATEN_CPU_CAPABILITY=default) and set their tolerances as the module docstring says")
    assert PINNED <= set(pretrained.names())


@pytest.mark.parametrize("name", _retrain_params())
def test_retraining_reproduces_the_shipped_network(name):
    model = _retrain(name)
    assert retraining_differences(name, model) == []


def _wrong_params():
    return [pytest.param(name, wrong, marks=() if name in CHEAP else pytest.mark.slow)
            for name in pretrained.names() for wrong in WRONG if name in CHEAP or wrong == "half the epochs"]


@pytest.mark.parametrize(("name", "wrong"), _wrong_params())
def test_a_wrong_recipe_fails_the_retraining_check(name, wrong):
    model = _retrain(name, **WRONG[wrong](pretrained.recipe(name)))
    assert retraining_differences(name, model), f"{name} trained with {wrong} passed the retraining check"


def test_training_loss_and_recipe_changes():
    model = pretrained.load("digits_0v1_mlp_5x5")
    (x, y), _ = pretrained.dataset("digits_0v1_mlp_5x5")
    with torch.no_grad():
        expected = float(torch.nn.functional.cross_entropy(model(x), y))
    assert pretrained.training_loss(model, "digits_0v1_mlp_5x5", batch_size=7) == pytest.approx(expected, rel=1e-5)
    with pytest.raises(ValueError, match="only epochs, lr, batch_size and seed"):
        pretrained.train_recipe("digits_0v1_mlp_5x5", levels=3)
    untouched = pretrained.train_recipe("digits_0v1_mlp_5x5", epochs=0)  # no training: the initial weights
    assert all(torch.equal(a, b) for a, b in zip(untouched.state_dict().values(),
                                                  pretrained.build("digits_0v1_mlp_5x5").state_dict().values()))
