"""Shipped networks: checksums verified before loading, stored accuracies reproduced, clear errors, retrainable.

Retraining tolerance. Each recipe is seeded, so one machine with one torch version and thread count gives the same
weights every time; but another CPU (other vector instructions), another thread count or another torch version
adds floating-point sums in another order, and those differences grow over thousands of optimiser steps. The
retrained network is then a different draw of the same recipe, and its accuracy varies by about the sampling error
of the evaluation set (sqrt(a(1-a)/k): 0.007 for MNIST's 1000 test images and 0.011 for the 359 test digits at
a = 0.95). So retrained accuracies must match the stored ones within RETRAIN_TOL = 0.02, about two standard errors.
Evaluating the stored weights themselves only reorders the sums of one forward pass, which can flip a prediction
right at a decision boundary but hardly more: LOAD_TOL = 0.003 (three images in a thousand).
"""

import json
import shutil

import pytest
import torch

from perturbkit import pretrained
from perturbkit.network_scaling import cnn_scaling

RETRAIN_TOL = 0.02
LOAD_TOL = 0.003
# per-network retraining tolerances, from the accuracies measured when the network was retrained on other float paths
RETRAIN_TOL_OF = {
    # stored 0.969 (1 thread); retrained with 2 threads 0.975, 4 threads 0.970, ATEN_CPU_CAPABILITY=default 1 thread
    # 0.970: at most 0.006 off, about one standard error (0.0054 at a = 0.97 on 1000 images). 0.015 fails the recipe
    # without its 20 extra epochs (0.938)
    "mnist_cnn_standard_22": 0.015,
}
CHEAP = {"digits_mlp", "digits_0v1_mlp_5x5", "digits_0v1_mlp_6x6"}  # retrained in a second or two: always tested


@pytest.fixture
def training_threads():
    # the thread count the shipped files were trained with (it changes the order of float sums)
    before = torch.get_num_threads()
    torch.set_num_threads(pretrained.TRAINING_THREADS)
    yield
    torch.set_num_threads(before)


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


@pytest.mark.parametrize("name", _retrain_params())
def test_retraining_reproduces_the_stored_accuracy(name, training_threads):
    model = pretrained.train_recipe(name)
    assert pretrained.evaluate(model, name) == pytest.approx(pretrained.stored_accuracy(name),
                                                             abs=RETRAIN_TOL_OF.get(name, RETRAIN_TOL))
