import re
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

import perturbkit.data as data

ROOT = Path(__file__).resolve().parent.parent


def test_bundled_sets_load_with_expected_shapes():
    x, y = data.load_digits()
    assert x.shape == (1797, 1, 8, 8) and x.dtype == torch.float32 and y.dtype == torch.int64
    assert float(x.min()) == 0.0 and float(x.max()) == 1.0
    # digits have 17 grey levels, k/16
    assert torch.equal(data.quantize(x, 17), x)
    x, y = data.load_mnist()
    assert x.shape == (5000, 1, 28, 28)
    assert torch.bincount(y).tolist() == [500] * 10
    x, names = data.load_photos()
    assert x.shape == (7, 3, 128, 128) and "camera" in names
    assert data.load_photos(channels=1)[0].shape == (7, 1, 128, 128)


def test_readme_lists_the_checksums_the_loader_checks():
    readme = (ROOT / "data" / "README.md").read_text()
    for name, digest in data.SHA256.items():
        assert re.search(rf"`{re.escape(name)}`.*`{digest}`", readme), name


def test_missing_and_corrupt_files_give_clear_errors(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "DATA_DIR", tmp_path)
    with pytest.raises(FileNotFoundError, match="digits.npz is missing.*build_data.py"):
        data.load_digits()
    (tmp_path / "digits.npz").write_bytes(b"not the data")
    with pytest.raises(OSError, match="corrupt or changed.*build_data.py"):
        data.load_digits()


def test_resize_and_quantize():
    x = torch.rand(3, 1, 28, 28, generator=torch.Generator().manual_seed(0))
    r = data.resize(x, 8)
    assert r.shape == (3, 1, 8, 8) and float(r.min()) >= 0 and float(r.max()) <= 1
    # a constant image stays constant under resizing
    assert torch.allclose(data.resize(torch.full((1, 1, 16, 16), 0.3), 5), torch.full((1, 1, 5, 5), 0.3))
    q = data.quantize(x, 4)
    assert torch.unique(torch.round(q * 3)).tolist() == [0.0, 1.0, 2.0, 3.0]
    assert torch.allclose(q * 3, torch.round(q * 3))
    assert (q - x).abs().max() <= 1 / 6 + 1e-6  # nearest level: at most half a step away
    with pytest.raises(ValueError, match="levels must be an integer >= 2, got 1"):
        data.quantize(x, 1)
    with pytest.raises(ValueError, match=r"values in \[0, 1\]"):
        data.quantize(x + 1, 4)
    with pytest.raises(ValueError, match="n must be an integer >= 1, got 0"):
        data.resize(x, 0)


def test_image_folder_reads_classes_and_never_writes(tmp_path):
    rng = np.random.default_rng(0)
    for cls, count in (("dog", 3), ("cat", 2)):
        (tmp_path / cls).mkdir()
        for i in range(count):
            Image.fromarray(rng.integers(0, 256, (40, 60, 3), dtype=np.uint8)).save(tmp_path / cls / f"{i}.png")
    (tmp_path / "cat" / "notes.txt").write_text("not an image")
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")}
    x, y, classes = data.load_image_folder(tmp_path, n=16, channels=3, levels=4)
    assert classes == ["cat", "dog"]
    assert x.shape == (5, 3, 16, 16) and y.tolist() == [0, 0, 1, 1, 1]
    assert torch.equal(data.quantize(x, 4), x)
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")} == before
    g, _, _ = data.load_image_folder(tmp_path, n=8, channels=1, limit_per_class=1)
    assert g.shape == (2, 1, 8, 8)


def test_image_folder_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="is not a folder"):
        data.load_image_folder(tmp_path / "nope", n=8)
    with pytest.raises(ValueError, match="no class subfolders"):
        data.load_image_folder(tmp_path, n=8)
    (tmp_path / "a").mkdir()
    with pytest.raises(ValueError, match="no images"):
        data.load_image_folder(tmp_path, n=8)
    with pytest.raises(ValueError, match="channels must be 1 or 3, got 2"):
        data.load_image_folder(tmp_path, n=8, channels=2)
