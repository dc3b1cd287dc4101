"""Every bad input gets a clear error: one table per module of (call, exception type, words the message must contain).

Each call is a zero-argument lambda; the words are checked case-insensitively in the message, and at least one of
them names the argument. The table doubles as a probe: ``python tests/test_bad_input.py`` prints how many calls
raise a clear error, how many fail inside a library, and how many return silently.
"""

from __future__ import annotations

import json
import math
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pytest
import torch

from perturbkit import (
    attacks,
    bitdepth,
    bounds,
    budgets,
    census,
    checks,
    claims,
    classifiers,
    data,
    drawing,
    flip,
    guarantees,
    hamming,
    isoperimetry,
    models,
    natural,
    neighbours,
    norm_share,
    norms,
    optimality,
    pretrained,
    robust_training,
    scaling,
    spaces,
    sum_classifier,
    threat,
)
from perturbkit.census import bitset, fused, records
from perturbkit.exercises import quiz
from perturbkit.plotting import attacks as p_attacks
from perturbkit.plotting import flip as p_flip
from perturbkit.plotting import images as p_images
from perturbkit.plotting import norms as p_norms
from perturbkit.plotting import optimality as p_optimality
from perturbkit.plotting import perturbations as p_perturbations
from perturbkit.plotting import scaling as p_scaling
from perturbkit.widgets import attacks as w_attacks
from perturbkit.widgets import census as w_census
from perturbkit.widgets import hamming as w_hamming
from perturbkit.widgets import spaces as w_spaces

torch.manual_seed(0)
S = spaces.ImageSpace(2)
X = torch.rand(6, 1, 4, 4)
Y = torch.tensor([0, 1, 2, 0, 1, 2])
MLP = models.MLP(4, classes=3, hidden=8, depth=1)
D = torch.rand(3, 5) - 0.5
LAB = torch.randint(0, 2, (S.size,), dtype=torch.uint8)
R = census.robustness(LAB, S, 0)
PATH = flip.hamming_path(torch.zeros(1, 4, 4), torch.ones(1, 4, 4), "raster")
NO_CUDA = "cuda" if not torch.cuda.is_available() else "cuda:99"
Q = torch.rand(4, 1, 2, 2)


META = torch.empty(2, 2, device="meta")


def _census_file(change=None, text=None) -> Path:
    """A census record of the 2x2 space (two classes) as JSON, with ``change`` applied to its first record, or the
    raw ``text``."""
    f = Path(tempfile.mkdtemp()) / "census.json"
    c = bitset.bitset_census(LAB, S)
    records.save([records.CensusRecord("x", c, "exact")], S, f, {})
    if text is not None:
        f.write_text(text)
    elif change is not None:
        doc = json.loads(f.read_text())
        change(doc["records"][0])
        f.write_text(json.dumps(doc))
    return f


def _models_root(accuracy=None, manifest=None, weights=None) -> Path:
    """A copy of data/models/manifest.json and digits_mlp.pt in a new folder, with a tampered accuracy, manifest
    text, or weights file (whose sha256 the manifest then records, so that only its content is wrong)."""
    root = Path(tempfile.mkdtemp())
    shutil.copy(pretrained.MODELS_DIR / "manifest.json", root / "manifest.json")
    shutil.copy(pretrained.MODELS_DIR / "digits_mlp.pt", root / "digits_mlp.pt")
    m = json.loads((root / "manifest.json").read_text())
    if weights is not None:
        (root / "digits_mlp.pt").write_bytes(weights)
        m["models"]["digits_mlp"]["sha256"] = pretrained.sha256_file(root / "digits_mlp.pt")
    if accuracy is not None:
        m["models"]["digits_mlp"]["test_accuracy"] = accuracy
    (root / "manifest.json").write_text(json.dumps(m) if manifest is None else manifest)
    return root


def _corrupt_image_folder() -> Path:
    root = Path(tempfile.mkdtemp())
    (root / "cat").mkdir()
    (root / "cat" / "broken.png").write_bytes(b"not a png")
    return root


def _record():
    return records.CensusRecord("x", bitset.bitset_census(LAB, S), "exact")


def _neg_size(r):
    r["size"] = [-r["size"][0], r["size"][1] + 2 * r["size"][0]]


def _rows_off(r):
    r["histogram"][0][1] += 1
    r["histogram"][1][1] -= 1


def _empty_class(r):
    r.update(classes=r["classes"] + [2], size=r["size"] + [0], histogram=r["histogram"] + [[0] * 5],
             max_robustness=r["max_robustness"] + [-1])


def _existing_file() -> Path:
    f = Path(tempfile.mkdtemp()) / "mine.json"
    f.write_text("the student's own answers")
    return f


TABLE = {
    "checks": [
        (lambda: checks.check_eps([0.1, 0.2], number=True), TypeError, ["eps", "a number"]),
        (lambda: checks.check_eps(0.0, positive=True, maximum=1), ValueError, ["eps", "(0, 1]"]),
        (lambda: checks.check_eps([0.5, 2.0], name="t", maximum=1), ValueError, ["t", "[0, 1]"]),
        (lambda: checks.check_eps(1.5, name="t", integer=True), ValueError, ["t", "whole"]),
        (lambda: checks.check_eps(torch.ones(3), torch.zeros(2, 4)), ValueError, ["eps", "per sample"]),
        (lambda: checks.check_eps(math.inf, torch.zeros(2, 4)), ValueError, ["eps", "finite"]),
        (lambda: checks.check_eps(True, torch.zeros(2, 4)), TypeError, ["eps must be a number", "true (bool)"]),
        (lambda: checks.check_real("eps", "0.1"), TypeError, ["eps", "real"]),
        (lambda: checks.check_real("eps", None), TypeError, ["eps must be a real number", "none"]),
        (lambda: checks.check_real("eps", True), TypeError, ["eps must be a real number", "true (bool)"]),
        (lambda: checks.check_real("eps", math.nan), ValueError, ["eps must be a real number", "nan"]),
        (lambda: checks.check_int("n", 2.5), TypeError, ["n", "integer"]),
        (lambda: checks.check_bool("overwrite", "no"), TypeError, ["overwrite"]),
        (lambda: checks.check_device("tpu"), ValueError, ["device"]),
        (lambda: checks.check_device(NO_CUDA), RuntimeError, ["device", "cuda"]),
        (lambda: checks.check_lattice("x", torch.full((1, 1, 2, 2), 0.4), 2), ValueError, ["x", "lattice"]),
        (lambda: checks.check_model(MLP, torch.rand(1, 1, 3, 3)), ValueError, ["model", "shape", "(1, 3, 3)"]),
        (lambda: checks.check_memory(10**30, "cpu", "a test"), MemoryError, ["bytes", "available"]),
        # no silent bad input (the list): memory checks of nonsense sizes, devices, meta tensors, huge ints
        (lambda: checks.check_memory(-1, "cpu", "a test"), ValueError, ["needed must be an integer >= 0", "-1"]),
        (lambda: checks.check_memory(math.nan, "cpu", "a test"), TypeError, ["needed must be an integer", "nan"]),
        (lambda: checks.check_space_memory(S, -5, "cpu", "a test"), ValueError,
         ["bytes_per_image must be a number in [0, inf)", "-5"]),
        (lambda: checks.check_memory(10, "gpu", "a test"), ValueError, ["device must be 'cpu', 'cuda'", "'gpu'"]),
        (lambda: checks.check_finite("x", META), ValueError, ["x is a tensor on the meta device"]),
        (lambda: checks.check_labels("y", torch.empty(3, dtype=torch.int64, device="meta")), ValueError,
         ["y is a tensor on the meta device"]),
        (lambda: checks.check_real("eps", 10**400), ValueError, ["eps must be a number a float can hold", "bits"]),
        (lambda: checks.check_p(10**400), ValueError, ["p must be a real number in [0, inf]", "too large"]),
        (lambda: checks.check_radii("t", [10**400]), ValueError, ["t must hold numbers a float can hold"]),
        (lambda: checks.check_sequence("ns", 8, checks.check_int), TypeError, ["ns must be a sequence", "8 (int)"]),
        (lambda: checks.check_sequence("ns", [], checks.check_int), ValueError, ["ns must hold at least one"]),
        (lambda: checks.check_sequence("ns", [4, 2.5], checks.check_int), TypeError, ["ns[1] must be an integer"]),
    ],
    "guarantees": [
        (lambda: guarantees.guarantee_table(shares=()), ValueError, ["shares must hold at least one value"]),
        (lambda: guarantees.guarantee_table(shares=0.1), TypeError, ["shares must be a sequence", "0.1 (float)"]),
        (lambda: guarantees.guarantee_table(Ns=[]), ValueError, ["ns must hold at least one value"]),
        (lambda: guarantees.dataset_table(datasets={"a": 4}), ValueError,
         ["datasets['a'] must be a tuple (n, levels, channels)"]),
        (lambda: guarantees.shares_at_c(4, 10**400), ValueError, ["c must be a number a float can hold"]),
    ],
    "threat": [
        (lambda: threat.lattice_l2_share(784, 256, -1.0), ValueError, ["eps must be >= 0", "-1.0"]),
        (lambda: threat.lattice_l2_share(784, 256, math.nan), ValueError, ["eps must be >= 0 (and not nan)", "nan"]),
        (lambda: threat.entries_within(10**400, 2, 4), ValueError, ["eps must be a number a float can hold"]),
    ],
    "census.bitset": [
        (lambda: bitset.bitset_bytes(S, classes=-3), ValueError, ["classes must be an integer >= 1", "-3"]),
        (lambda: bitset.bitset_bytes(S, device="gpu"), ValueError, ["device must be", "'gpu'"]),
        (lambda: bitset.pack_bits(torch.tensor([0.5, 1.0])), TypeError, ["mask must be a bool", "float32"]),
        (lambda: bitset.pack_bits(torch.tensor([0, 2], dtype=torch.uint8)), ValueError,
         ["mask must hold only 0 and 1", "up to 2"]),
        (lambda: bitset.pack_bits(torch.zeros(3, dtype=torch.bool, device="meta")), ValueError,
         ["mask is a tensor on the meta device"]),
        (lambda: bitset.popcount(torch.tensor([1.5])), TypeError, ["words must be an int64 tensor", "float32"]),
        (lambda: bitset.bitset_census(LAB.to("meta"), S), ValueError, ["labels is a tensor on the meta device"]),
        (lambda: bitset.bitset_census(classifiers.sum_threshold, spaces.ImageSpace(8)), MemoryError,
         ["bit-packed census", "bytes", "available"]),
    ],
    "census.records": [
        (lambda: records.save([_record()], spaces.ImageSpace(3), Path(tempfile.mkdtemp()) / "c.json", {}),
         ValueError, ["records[0]", "does not fit imagespace(n=3"]),
        (lambda: records.save([_record()], S, Path(tempfile.mkdtemp()) / "no" / "c.json", {}),
         FileNotFoundError, ["the folder", "does not exist"]),
        (lambda: records.load(_census_file(_neg_size)), ValueError,
         ["census file", "every class size must be positive"]),
        (lambda: records.load(_census_file(_rows_off)), ValueError,
         ["census file", "must add up to its class size"]),
        (lambda: records.load(_census_file(_empty_class)), ValueError,
         ["census file", "every class size must be positive", "0 images"]),
        (lambda: records.load(_census_file(text="[]")), ValueError, ["census file", "json list"]),
        (lambda: records.load(_census_file(text="{not json")), ValueError, ["census file", "not valid json"]),
        (lambda: records.provenance("gpu", "python x.py"), ValueError, ["device must be", "'gpu'"]),
    ],
    "pretrained": [
        (lambda: pretrained.stored_accuracy("digits_mlp", _models_root(accuracy=1.7)), ValueError,
         ["test_accuracy 1.7", "not an accuracy in [0, 1]"]),
        (lambda: pretrained.rebuild_command("nosuch"), ValueError, ["name must be a registered network", "'nosuch'"]),
        (lambda: pretrained.rebuild_command("digits_mlp", force="no"), TypeError,
         ["force must be true or false", "'no'"]),
        (lambda: pretrained.load(["digits_mlp"]), TypeError, ["name must be the str name of a network", "list"]),
        (lambda: pretrained.load("digits_mlp", device="gpu"), ValueError, ["device must be", "'gpu'"]),
        (lambda: pretrained.load("digits_mlp", device="meta"), ValueError, ["device must be a cpu or cuda device"]),
        (lambda: pretrained.manifest(_models_root(manifest="{}")), ValueError,
         ["model manifest", "has no 'models' object"]),
        (lambda: pretrained.manifest(_models_root(manifest="{bad")), ValueError, ["model manifest", "not valid json"]),
        (lambda: pretrained.load("digits_mlp", root=_models_root(weights=b"garbage")), ValueError,
         ["weights file", "can not be read as saved weights"]),
        (lambda: pretrained.load("digits_mlp", root=_models_root(
            weights=(pretrained.MODELS_DIR / "digits_cnn.pt").read_bytes())), ValueError,
         ["weights file", "does not hold the weights of 'digits_mlp'"]),
    ],
    "exercises": [
        (lambda: quiz.feedback(quiz.quiz_questions("03")[0], True), TypeError,
         ["index must be none or a choice number", "true (bool)"]),
        (lambda: quiz.quiz_questions(["03"]), TypeError, ["lesson must be a str"]),
    ],
    "census.fused": [
        (lambda: fused.applies("gpu", 10), ValueError, ["device must be 'cpu', 'cuda'", "'gpu'"]),
        (lambda: fused.applies(None, 10), TypeError, ["device must be a str", "none"]),
        (lambda: fused.applies("cpu", "big"), TypeError, ["entries must be an integer", "'big'"]),
        (lambda: fused.transform(torch.empty(16, dtype=torch.uint8, device="meta"), 4), ValueError,
         ["g is a tensor on the meta device"]),
    ],
    "claims": [
        (lambda: claims.expect(0.5, low=True), TypeError, ["low must be a real number", "true (bool)"]),
        (lambda: claims.expect(torch.empty((), device="meta"), high=1.0), ValueError,
         ["value is a tensor on the meta device"]),
        (lambda: claims.expect_true(torch.empty((), dtype=torch.bool, device="meta"), "x"), ValueError,
         ["condition is a tensor on the meta device"]),
    ],
    "isoperimetry": [
        (lambda: isoperimetry.simplicial_order(spaces.ImageSpace(6)), MemoryError,
         ["simplicial order", "bytes", "available"]),
        (lambda: isoperimetry.bit_distance(-1, 0), ValueError, ["i must be image indices (integers >= 0)", "-1"]),
        (lambda: isoperimetry.bit_distance(2.5, 0), TypeError, ["i must be image indices", "float"]),
    ],
    "spaces": [
        (lambda: spaces.ImageSpace("4"), TypeError, ["n must be an integer", "'4'"]),
        (lambda: spaces.ImageSpace(4, levels=1), ValueError, ["levels"]),
        (lambda: S.budget(2, c="1"), TypeError, ["c must be a real number", "'1'"]),
        (lambda: S.images("3"), TypeError, ["indices"]),
        (lambda: S.sample(3, device=NO_CUDA), RuntimeError, ["device"]),
        (lambda: S.sample(3, device="gpu"), ValueError, ["device"]),
        (lambda: S.chunks(0).__next__(), ValueError, ["batch_size"]),
    ],
    "norms": [
        (lambda: norms.project(D, 0, "1"), TypeError, ["eps must be a number", "'1'"]),
        (lambda: norms.project(D, 2, None), TypeError, ["eps must be a number", "none"]),
        (lambda: norms.project(D, 2, -1.0), ValueError, ["eps must be >= 0", "-1.0"]),
        (lambda: norms.project(D, 2, torch.ones(2)), ValueError, ["eps", "per sample"]),
        (lambda: norms.size(D, "2"), TypeError, ["p must be a real number in [0, inf]", "'2'"]),
        (lambda: norms.distance(D, D[:2], 2), ValueError, ["x", "y", "shape"]),
    ],
    "census": [
        (lambda: census.robust_share(LAB, R.clone().index_fill_(0, torch.tensor([0]), math.nan), [0, 1]), ValueError,
         ["r contains 1 nan"]),
        (lambda: census.robust_share(LAB, R, "1"), TypeError, ["t must be a number or a 1-d sequence", "'1'"]),
        (lambda: census.robust_share(None, torch.empty(0), [0.5]), ValueError, ["r", "empty"]),
        (lambda: census.robust_share(None, torch.tensor([math.nan]), [0.5]), ValueError, ["r contains 1 nan"]),
        (lambda: census.robustness(LAB[:3], S, 0), ValueError, ["labels"]),
        (lambda: census.label_space(classifiers.sum_threshold, spaces.ImageSpace(8)), MemoryError,
         ["bytes", "available"]),
        (lambda: census.label_space(classifiers.sum_threshold, S, device=NO_CUDA), RuntimeError, ["device"]),
        (lambda: census.label_space(classifiers.sum_threshold, S, batch_size=0), ValueError, ["batch_size"]),
        (lambda: census.label_space(classifiers.sum_threshold, S, progress="no"), TypeError, ["progress"]),
        (lambda: census.label_space(lambda images: None, S), TypeError,
         ["classifier must return a tensor or array of integer labels", "nonetype"]),
        (lambda: census.census_bytes(4), TypeError, ["space must be a perturbkit.spaces.imagespace", "int"]),
    ],
    "hamming": [
        (lambda: hamming.ball_size(-1, 2), ValueError, ["N must be an integer >= 0", "-1"]),
        (lambda: hamming.ball_size(4, 2, levels=1), ValueError, ["levels"]),
        (lambda: hamming.ball_size(4, 2, levels=0), ValueError, ["levels"]),
        (lambda: hamming.ball_size(4, -1), ValueError, ["r must be an integer >= 0", "-1"]),
        (lambda: hamming.ball(S, -1, 1), ValueError, ["centre"]),
        (lambda: hamming.ball(S, S.size, 1), ValueError, ["centre"]),
        (lambda: hamming.layers(spaces.ImageSpace(12)), MemoryError, ["bytes", "available"]),
        (lambda: hamming.edges(spaces.ImageSpace(9)), MemoryError, ["bytes", "available"]),
        (lambda: hamming.layers(spaces.ImageSpace(7)), MemoryError, ["the layers", "bytes", "available"]),
        (lambda: hamming.families(S, 2, seed="0"), TypeError, ["seed"]),
        (lambda: hamming.neighbourhood(torch.zeros(3, dtype=torch.bool), S, 1), ValueError, ["member"]),
    ],
    "classifiers": [
        (lambda: classifiers.sum_threshold(X * 255), ValueError, ["images", "[0, 1]"]),
        (lambda: classifiers.majority(torch.full((1, 1, 2, 2), math.nan)), ValueError, ["images", "nan"]),
        (lambda: classifiers.random_labels(0), ValueError, ["k must be an integer >= 1", "got 0"]),
        (lambda: classifiers.from_model(MLP)(torch.rand(2, 1, 3, 3)), ValueError, ["model", "shape", "(1, 3, 3)"]),
        (lambda: classifiers.from_model(MLP, batch_size=0), ValueError, ["batch_size"]),
    ],
    "data": [
        (lambda: data.to_grey((torch.rand(2, 3, 4, 4) * 255).to(torch.uint8)), TypeError, ["x", "dtype"]),
        (lambda: data.to_grey(torch.full((1, 3, 2, 2), math.nan)), ValueError, ["x contains 12 nan"]),
        (lambda: data.load_image_folder(Path(tempfile.mkdtemp()), 8, limit_per_class=-1), ValueError,
         ["limit_per_class"]),
        (lambda: data.load_image_folder(Path(tempfile.mkdtemp()), 8, limit_per_class=2.5), TypeError,
         ["limit_per_class"]),
        (lambda: data.load_image_folder(Path(tempfile.mkdtemp()), 8, limit_per_class=0), ValueError,
         ["limit_per_class"]),
        (lambda: data.load_image_folder(None, 8), TypeError, ["path"]),
        (lambda: data.load_digits(device=NO_CUDA), RuntimeError, ["device"]),
        (lambda: data.quantize(X * 2, 4), ValueError, ["x", "[0, 1]"]),
        (lambda: data.quantize(X, "4"), TypeError, ["levels"]),
        (lambda: data.resize(X, 0), ValueError, ["n must be an integer >= 1", "got 0"]),
        (lambda: data.load_image_folder(_corrupt_image_folder(), 8), ValueError,
         ["image file", "broken.png", "can not be read as an image"]),
    ],
    "models": [
        (lambda: models.split(X[:4], Y[:4], test_fraction=0.1), ValueError, ["test_fraction", "empty"]),
        (lambda: models.split(X, Y, test_fraction="0.2"), TypeError, ["test_fraction"]),
        (lambda: models.split(X, Y[:4]), ValueError, ["x must have shape (k, ...)", "y shape (k,)", "(4,)"]),
        (lambda: models.train(MLP, (torch.rand(6, 1, 3, 3), Y), epochs=1, progress=False), ValueError,
         ["model", "shape"]),
        (lambda: models.train(MLP, (X, Y + 3), epochs=1, progress=False), ValueError, ["y", "labels"]),
        (lambda: models.train(MLP, (X, Y), epochs=1, batch_size=0, progress=False), ValueError, ["batch_size"]),
        (lambda: models.train(MLP, (X, Y), epochs=1, lr="fast", progress=False), TypeError,
         ["lr must be a real number", "'fast'"]),
        (lambda: models.train(MLP, (X, Y), epochs=1, progress="no"), TypeError, ["progress"]),
        (lambda: models.train(MLP, (X[:0], Y[:0]), epochs=1, progress=False), ValueError, ["x", "empty"]),
        (lambda: models.predict(MLP, torch.rand(2, 1, 3, 3)), ValueError, ["model", "shape"]),
        (lambda: models.predict(MLP, X, batch_size=0), ValueError, ["batch_size"]),
        (lambda: models.accuracy(MLP, X, Y.float()), TypeError, ["y", "int64"]),
        (lambda: models.SmallCNN(1), ValueError, ["n must be an integer >= 2", "got 1"]),
    ],
    "attacks": [
        (lambda: attacks.minimal_perturbation(MLP, X, Y, p=2, steps=5, alpha=-1.0), ValueError, ["alpha"]),
        (lambda: attacks.minimal_perturbation(MLP, X, Y, p=2, steps=5, gamma=2.0), ValueError, ["gamma"]),
        (lambda: attacks.minimal_perturbation(MLP, X, Y, p=2, steps=5, gamma=math.nan), ValueError, ["gamma"]),
        (lambda: attacks.to_lattice(MLP, X, Y, x_adv=X, levels=1, p=2), ValueError, ["levels"]),
        (lambda: attacks.to_lattice(MLP, X, Y, x_adv=X, levels=2.5, p=2), TypeError, ["levels"]),
        (lambda: attacks.pgd(MLP, X, Y, p=math.inf, eps="0.1"), TypeError, ["eps must be a number", "'0.1'"]),
        (lambda: attacks.pgd(MLP, X, Y, p=math.inf, eps=None), TypeError, ["eps must be a number", "none"]),
        (lambda: attacks.pgd(MLP, torch.rand(6, 1, 3, 3), Y, p=math.inf, eps=0.1), ValueError,
         ["model", "shape", "float32"]),
        (lambda: attacks.pgd(MLP, X, Y + 3, p=math.inf, eps=0.1), ValueError, ["y", "labels", "3 outputs"]),
        (lambda: attacks.pgd(MLP, X, Y[:3], p=math.inf, eps=0.1), ValueError, ["x must have shape (k, ...)", "(3,)"]),
        (lambda: attacks.pgd(MLP, X, Y, p=math.inf, eps=0.1, random_start="yes"), TypeError, ["random_start"]),
        (lambda: attacks.fgsm(MLP, X, Y, eps=0.1, p=3), ValueError, ["p must be one of 0, 1, 2 or inf", "p=3"]),
        (lambda: attacks.sparse_attack(MLP, X, Y, eps=4, per_step=0), ValueError, ["per_step"]),
        (lambda: attacks.sparse_attack(MLP, X, Y, eps=2.5), TypeError, ["eps", "integer", "2.5"]),
        (lambda: attacks.sparse_attack(MLP, X, Y, p=2, eps=3), ValueError, ["p", "0", "sparse_attack", "2"]),
        (lambda: attacks.pgd(MLP, X, Y, math.inf, 0.1), TypeError, ["positional"]),
        (lambda: attacks.minimal_perturbation(MLP, X, Y, p=2, seed=0), TypeError, ["seed"]),
        (lambda: attacks.pgd(MLP, X, Y, p=math.inf, eps=[]), ValueError, ["eps", "empty list"]),
        (lambda: attacks.pgd(MLP, X, Y, p=math.inf, eps=[0.1, -0.2]), ValueError, ["eps[1]", "-0.2"]),
        (lambda: attacks.fgsm(MLP, X, Y, p=2, eps=(0.1, "big")), TypeError, ["eps[1]", "real number", "big"]),
        (lambda: attacks.pgd(MLP, X, Y, p=math.inf, eps=[torch.full((6,), 0.1)]), TypeError, ["eps[0]"]),
        (lambda: attacks.pgd(MLP, X, Y, p=math.inf, eps=torch.full((3,), 0.1)), ValueError,
         ["eps", "per sample", "6 values", "got 3", "list"]),
        (lambda: attacks.to_lattice(MLP, X.round(), Y, x_adv=X[:2], levels=2, p=2), ValueError, ["x_adv", "shape"]),
    ],
    "sum_classifier": [
        (lambda: sum_classifier.minimal(X * 3, 2), ValueError, ["images", "[0, 1]"]),
        (lambda: sum_classifier.labels(X, levels=1), ValueError, ["levels"]),
        (lambda: sum_classifier.space_labels(4), TypeError, ["space"]),
        (lambda: sum_classifier.level_sum_pmf(0), ValueError, ["N must be an integer >= 1", "got 0"]),
        (lambda: sum_classifier.random_level_counts(4, device=NO_CUDA), RuntimeError, ["device"]),
        (lambda: sum_classifier.sum_robustness(4, 2, samples=0), ValueError, ["samples"]),
    ],
    "robust_training": [
        (lambda: robust_training.fgsm_rs_train(MLP, (X, Y), "0.1", epochs=1, progress=False), TypeError,
         ["eps must be a number", "'0.1'"]),
        (lambda: robust_training.fgsm_rs_train(MLP, (X, Y), 1.5, epochs=1, progress=False), ValueError,
         ["eps must be a number in (0, 1]", "1.5"]),
        (lambda: robust_training.robust_accuracy(MLP, X, Y, 0.1, steps=0), ValueError, ["steps"]),
    ],
    "flip": [
        (lambda: flip.hamming_path(X[0] * 255, X[1] * 255), ValueError, ["x", "[0, 1]"]),
        (lambda: flip.hamming_path(X[0], X[1], order="spiral"), ValueError, ["order"]),
        (lambda: flip.classifier_flip(MLP, PATH, start_label=7), ValueError, ["start_label"]),
        (lambda: flip.classifier_flip(MLP, PATH, 0, batch_size=0), ValueError, ["batch_size"]),
        (lambda: flip.classifier_flip(MLP, torch.rand(3, 1, 3, 3), 0), ValueError, ["model", "shape"]),
        (lambda: flip.FlipExperiment(PATH, ("a", "b")).save(_existing_file(), overwrite="no"), TypeError,
         ["overwrite"]),
        (lambda: flip.FlipExperiment(PATH, ("a", "b")).save(_existing_file()), FileExistsError, ["exists"]),
        (lambda: flip.FlipExperiment(PATH, "ab"), ValueError, ["classes"]),
        (lambda: flip.FlipExperiment(PATH, ("a", "b")).record(True), ValueError, ["answer"]),
    ],
    "drawing": [
        (lambda: drawing.draw_onto(torch.rand(1, 1, 16, 16), drawing.face(16), value="1"), TypeError, ["value"]),
        (lambda: drawing.polyline(16, [(0, 0), (2, 1)]), ValueError, ["points"]),
        (lambda: drawing.face(16, device=NO_CUDA), RuntimeError, ["device"]),
        (lambda: drawing.necker_cube(16, gap="0.1"), TypeError, ["gap must be a real number", "'0.1'"]),
    ],
    "natural": [
        (lambda: natural.label_shares(MLP, X, classes=2), ValueError, ["classes"]),
        (lambda: natural.label_shares(MLP, torch.rand(2, 1, 3, 3), 3), ValueError, ["model", "shape"]),
        (lambda: natural.nn_margin(torch.full((2, 1, 2, 2), math.nan), Q, torch.tensor([0, 1, 0, 1]), 2),
         ValueError, ["queries", "nan"]),
        (lambda: natural.nn_margin(Q, Q, torch.tensor([0, 1]), 2), ValueError, ["labels"]),
        (lambda: natural.nn_margin(Q, Q, torch.zeros(4, dtype=torch.int64), 2), ValueError, ["labels", "classes"]),
        (lambda: natural.share_of_space(0, S), ValueError, ["count"]),
        (lambda: natural.distance_rows("d", X, Y[:2], [4], [2], [2]), ValueError, ["labels"]),
    ],
    "neighbours": [
        (lambda: neighbours.pairwise(torch.full((2, 4), math.nan), torch.rand(3, 4), 2), ValueError,
         ["x contains 8 nan"]),
        (lambda: neighbours.nearest(Q, torch.rand(4, 1, 2, 2), 2, exclude_self=True), ValueError,
         ["exclude_self"]),
        (lambda: neighbours.nearest(Q, Q, 2, exclude_self="yes"), TypeError, ["exclude_self"]),
        (lambda: neighbours.nearest(Q, Q, 2, batch_size=0), ValueError, ["batch_size"]),
        (lambda: neighbours.within_between(Q, torch.tensor([0, 1]), 2), ValueError, ["labels"]),
    ],
    "optimality": [
        (lambda: optimality.near_boundary_share(4, t=math.nan), ValueError, ["t must be >= 0", "nan"]),
        (lambda: optimality.near_boundary_share(4, t="1"), TypeError, ["t must be a number", "'1'"]),
        (lambda: optimality.near_boundary_share(4, 1, levels=1), ValueError, ["levels"]),
        (lambda: optimality.hamming_ball(2, level=math.nan), ValueError, ["level"]),
        (lambda: optimality.hamming_ball(2)(X * 9), ValueError, ["images"]),
    ],
    "scaling": [
        (lambda: scaling.fit_slope([4, 8, 16], [1.0, math.inf, 3.0]), ValueError, ["values", "finite"]),
        (lambda: scaling.fit_slope([4, 8], [1.0]), ValueError, ["ns", "values"]),
        (lambda: scaling.fit_slope([4, 8], ["a", "b"]), TypeError, ["values"]),
        (lambda: scaling.scaling_curve([4, 8], [[1.0], []], 2), ValueError, ["values"]),
        (lambda: scaling.slope_table([1, 2]), TypeError, ["curves[0] must be a scalingcurve", "1 (int)"]),
        (lambda: scaling.scaling_curve(8, [[1.0]], 2), TypeError, ["ns must be a sequence", "8 (int)"]),
    ],
    "bitdepth": [
        (lambda: bitdepth.cube_sum_share(-1), ValueError, ["r must be >= 0", "-1"]),
        (lambda: bitdepth.cube_bound_two_classes("1"), TypeError, ["r must be a number", "'1'"]),
        (lambda: bitdepth.census_by_levels(2, [1], classifiers.sum_threshold), ValueError, ["levels"]),
    ],
    "bounds": [
        (lambda: bounds.harper_bound(4, "1"), TypeError, ["t must be a number", "'1'"]),
        (lambda: bounds.harper_bound(4, 1.5), ValueError, ["t counts changed entries", "whole number", "1.5"]),
        (lambda: bounds.concentration_bound(0, 1), ValueError, ["N must be an integer >= 1", "got 0"]),
    ],
    "budgets": [
        (lambda: budgets.space_numbers(4, c=-1), ValueError, ["c must be a number in (0, inf)", "-1"]),
        (lambda: budgets.space_numbers(4, p="2"), TypeError, ["p must be a real number in [0, inf]", "'2'"]),
        (lambda: budgets.budget_curves([], [2]), ValueError, ["ns is empty"]),
        (lambda: budgets.log10_size(4), TypeError, ["space"]),
    ],
    "norm_share": [
        (lambda: norm_share.top_share(D, 0), ValueError, ["k must be an integer >= 1", "got 0"]),
        (lambda: norm_share.top_share(D, 99), ValueError, ["k must be at most the number of entries 5", "99"]),
    ],
    "plotting": [
        (lambda: p_images.show_image(_ax(), torch.rand(2, 4, 4)), ValueError, ["img", "shape"]),
        (lambda: p_images.image_grid(X, ncols=0), ValueError, ["ncols"]),
        (lambda: p_images.image_grid(X, titles=["a"]), ValueError, ["titles"]),
        (lambda: p_flip.path_strip(PATH, stops=0), ValueError, ["stops"]),
        (lambda: p_attacks.robustness_curves({}), ValueError, ["curves"]),
        (lambda: p_scaling.plot_scaling([]), ValueError, ["curves"]),
        (lambda: p_optimality.plot_sum_concentration(ns=(), levels=2), ValueError, ["ns is empty"]),
        (lambda: p_perturbations.perturbation_rows(X[:2], {"m": X[:3]}), ValueError, ["results"]),
    ],
    "widgets": [
        (lambda: w_hamming.neighbourhood_view(-1), ValueError, ["t must be an integer >= 0", "-1"]),
        (lambda: w_spaces.explorer_view(4, 2, 1, 2, digit=torch.rand(2, 4, 4)), ValueError, ["digit"]),
        (lambda: w_attacks.attack_example(MLP, X, Y, 9, math.inf, 0.1), ValueError, ["index"]),
        (lambda: w_attacks.attack_example(MLP, X, Y, 0, math.inf, "0.1"), TypeError, ["fraction"]),
        (lambda: w_census.census_view("x", 1, {}, 4), ValueError, ["name"]),
    ],
}


def _ax():
    from matplotlib.figure import Figure

    return Figure().subplots()


def _run(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    message = str(info.value).lower()
    missing = [w for w in words if w.lower() not in message]
    assert not missing, f"message {str(info.value)!r} lacks {missing}"


@pytest.mark.parametrize("module", sorted(TABLE))
def test_bad_input(module):
    for i, (call, exc, words) in enumerate(TABLE[module]):
        try:
            _run(call, exc, words)
        except BaseException as e:  # name the row that failed
            raise AssertionError(f"{module} row {i}: {type(e).__name__}: {e}") from e


def test_every_row_expects_an_error_with_a_specific_message():
    # a one- or two-letter word is in almost any message: each row needs a phrase of at least 4 characters, such as
    # the argument's name with what it must be ("n must be an integer"), and an exception type (no row may pass by
    # returning)
    for module, rows in TABLE.items():
        for i, (_, exc, words) in enumerate(rows):
            assert isinstance(exc, type) and issubclass(exc, Exception), f"{module} row {i}"
            assert max((len(w) for w in words), default=0) >= 4, f"{module} row {i}: {words}"


def test_plots_that_accept_edge_arguments_draw():
    # one norm ball only, and a strip of one stop (the path's first image): allowed, and drawn
    fig = p_norms.plot_unit_balls(ps=(2,))
    assert [ax.get_title() for ax in fig.axes] == ["p = 2"]
    strip = p_flip.path_strip(PATH, stops=1)
    assert [ax.get_title() for ax in strip.axes] == ["0 changed"]


def test_project_l0_with_infinite_budget_keeps_everything():
    assert torch.equal(norms.project(D, 0, math.inf), D)
    assert torch.equal(norms.project(D, 0, np.float32(2.0)), norms.project(D, 0, 2.0))


def test_empty_batches_give_empty_results():
    assert norms.size(torch.empty(0, 1, 2, 2), 2).shape == (0,)
    assert norms.project(torch.empty(0, 4), 0, 1.0).shape == (0, 4)
    assert classifiers.sum_threshold(torch.empty(0, 1, 2, 2)).shape == (0,)
    d, i = neighbours.nearest(torch.empty(0, 1, 2, 2), Q, 2)
    assert d.shape == i.shape == (0,)
    assert attacks.pgd(MLP, X[:0], Y[:0], p=math.inf, eps=0.1).adversarial.shape == (0, 1, 4, 4)


def test_numpy_scalars_are_numbers():
    assert robust_training._check_eps("eps", np.float32(0.1)) == pytest.approx(0.1)
    assert checks.check_int("n", np.int64(3)) == 3
    assert checks.check_real("x", np.float64(0.5)) == 0.5


def test_overwrite_true_by_name_writes(tmp_path):
    f = tmp_path / "mine.json"
    f.write_text("old")
    flip.FlipExperiment(PATH, ("a", "b")).save(f, overwrite=True)
    assert "classes" in f.read_text()


def test_nearest_and_margin_break_ties_to_the_lowest_index():
    # references 1 and 2 are equally near every query; 0 is farther: ties must go to index 1, class 1
    refs = torch.tensor([[3.0, 3.0], [1.0, 0.0], [0.0, 1.0], [3.0, 3.0]])
    q = torch.tensor([[1.0, 1.0], [0.5, 0.5]])
    refs = torch.cat([refs, refs[1:3]])  # exact duplicates at indices 4 and 5
    d, i = neighbours.nearest(q[1:], refs, 2)
    assert i.tolist() == [1]
    d, i = neighbours.nearest(refs[4:5], refs, 0)
    assert i.tolist() == [1] and d.tolist() == [0.0]
    labels = torch.tensor([0, 2, 1, 3, 2, 1])
    lab, rad = natural.nn_margin(q[1:], refs, labels, 2)
    assert lab.tolist() == [1] and rad.tolist() == [0.0]  # classes 1 and 2 tie: the lower label wins


def _probe(table):
    """(clear, library, silent, wrong type) counts: clear = raised by perturbkit with every word in the message."""
    import traceback

    clear = library = silent = 0
    for rows in table.values():
        for call, exc, words in rows:
            if exc is None:
                continue
            try:
                call()
                silent += 1
            except Exception as e:  # noqa: BLE001
                frames = traceback.extract_tb(e.__traceback__)
                origin = frames[-1].filename if frames else ""
                ours = "perturbkit" in origin and all(w.lower() in str(e).lower() for w in words)
                clear += ours
                library += not ours
    return clear, library, silent


if __name__ == "__main__":
    c, lib, s = _probe(TABLE)
    print(f"{c + lib + s} bad calls: {c} clear errors, {lib} library/unclear errors, {s} silent results")


def test_check_eps_returns_per_sample_tensors_arrays_and_numbers():
    like = torch.zeros(3, 2, dtype=torch.float64)
    e = checks.check_eps(0.5, like)
    assert e.shape == (3,) and e.dtype == torch.float64 and bool((e == 0.5).all())
    assert bool(torch.isinf(checks.check_eps(math.inf, like, finite=False)).all())
    assert checks.check_eps([1, 2], name="t", integer=True).tolist() == [1.0, 2.0]
    assert checks.check_eps(np.float32(0.25), number=True) == 0.25


def test_a_checker_says_what_is_wrong_with_a_meta_tensor():
    # a verdict, not a traceback: the checkers never raise on a malformed answer
    from perturbkit.exercises import verdict

    v = verdict("03.2", torch.empty(1, device="meta"))
    assert not v.correct and "meta device" in v.message


def test_layers_of_the_5x5_space_refuse_where_their_memory_is_not_free(monkeypatch):
    # 2^25 images, each with its 25 digits twice as int64, the index, the comparison and the count: 449 bytes each
    monkeypatch.setattr(checks, "available_bytes", lambda device: 10 * 2**30)
    with pytest.raises(MemoryError) as info:
        hamming.layers(spaces.ImageSpace(5))
    assert f"{2**25 * 449:,} bytes" in str(info.value) and "10,737,418,240 bytes" in str(info.value)


def test_the_api_probe_finds_no_silent_result_and_no_unclear_error(monkeypatch):
    # tools/probe_api.py on the modules the issue named (the whole probe: `python tools/probe_api.py`, about 30 s)
    import importlib.util
    import io
    import sys

    spec = importlib.util.spec_from_file_location("probe_api", Path(__file__).parent.parent / "tools" / "probe_api.py")
    probe = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "probe_api", probe)  # its dataclasses look their module up
    spec.loader.exec_module(probe)
    out = io.StringIO()
    result = probe.run({"guarantees", "threat", "census.bitset", "census.records", "claims", "census.fused",
                        "exercises"}, verbose=True, out=out)
    assert not result["errors"], result["errors"]
    assert result["clear"] > 300 and result["unclear"] == 0 and result["silent"] == 0, out.getvalue()
