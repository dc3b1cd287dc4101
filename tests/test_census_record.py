"""Stored census results (perturbkit.census.records) and the script that makes lesson 04's (data/census_6x6.py)."""

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest
import torch

from perturbkit import classifiers, models
from perturbkit.census import bitset_census, fused, records, tuning
from perturbkit.spaces import ImageSpace
from perturbkit.sum_classifier import binary_histogram

ROOT = Path(__file__).resolve().parent.parent
FIELDS = ("classes", "size", "space_share", "t", "robust", "histogram", "max_robustness")


def tool():
    spec = importlib.util.spec_from_file_location("census_6x6", ROOT / "data" / "census_6x6.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def small_net():
    torch.manual_seed(0)
    return models.MLP(n=4, classes=2, hidden=8, depth=1, seed=3).eval()


def test_the_script_writes_what_the_censuses_give(tmp_path, small_net, monkeypatch):
    monkeypatch.setattr(tuning, "CPU_MIN_ENTRIES", 0)  # the fused kernels on 2^16 images, checked by the torch-only
    out = tmp_path / "binary_4x4.json"
    tool().run(4, "cpu", out, network=small_net)
    space, stored, prov = records.load(out)
    assert space == ImageSpace(4)
    assert [r.name for r in stored] == ["sum threshold (Algorithm 1)", "network MLP"]
    want = [bitset_census(classifiers.sum_threshold, space), bitset_census(classifiers.from_model(small_net), space)]
    for r, w in zip(stored, want):
        for field in FIELDS:  # the integers are stored, the shares recomputed: equal to the last bit
            assert np.array_equal(getattr(r.census, field), getattr(w, field)), (r.name, field)
    assert np.array_equal(stored[0].census.histogram, binary_histogram(16))
    assert prov["device"] == "cpu" and prov["torch"] == torch.__version__
    assert prov["command"].startswith("python data/census_6x6.py")
    assert set(prov) >= {"device_name", "commit", "date", "cpu_threads", "checks"}
    if fused.available("cpu"):  # the fused dilation ran, and the torch-only one checked it
        assert prov["checks"]["sum threshold: torch-only dilation gives the same curves"] is True


def test_an_existing_file_is_kept(tmp_path, small_net):
    out = tmp_path / "mine.json"
    out.write_text("a student's notes")
    with pytest.raises(FileExistsError, match="pass --force"):
        tool().run(4, "cpu", out, network=small_net)
    assert out.read_text() == "a student's notes"
    c = bitset_census(classifiers.sum_threshold, ImageSpace(3))
    record = records.CensusRecord("sum", c, "exact")
    with pytest.raises(FileExistsError, match="overwrite=True"):
        records.save([record], ImageSpace(3), out, {})
    with pytest.raises(TypeError, match="overwrite"):
        records.save([record], ImageSpace(3), out, {}, overwrite="yes")
    records.save([record], ImageSpace(3), out, {}, overwrite=True)
    assert records.load(out)[1][0].census.max_robustness.tolist() == c.max_robustness.tolist()


def test_bad_files_are_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="nothing.json.*census_6x6.py"):
        records.load(tmp_path / "nothing.json")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": 1, "space": {"n": 3, "levels": 2, "channels": 1}, "provenance": {},
                               "records": [{"name": "x", "labels_from": "y", "classes": [0, 1], "size": [1, 2],
                                            "histogram": [[0] * 10, [0] * 10], "max_robustness": [1, 1],
                                            "device": "cpu", "seconds": 0}]}))
    with pytest.raises(ValueError, match="bad.json.*does not fit"):
        records.load(bad)
    bad.write_text(json.dumps({"format": 99}))
    with pytest.raises(ValueError, match="bad.json.*format 99"):
        records.load(bad)
