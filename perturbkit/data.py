"""Bundled data sets, resizing, quantisation to L levels, and a loader for a folder of the user's own images.

Everything here runs offline: the data live in ``data/*.npz`` (see ``data/README.md`` for provenance, licence and
checksums; ``python data/build_data.py`` rebuilds them). Images come back as float32 tensors of shape
(k, channels, n, n) with values in [0, 1], on the CPU unless a ``device`` is given; labels as int64 tensors.

Where the data are found (``DATA_DIR``, decided once at import): the folder named by the environment variable
``PERTURBKIT_DATA`` if it is set; else the copy an installed wheel carries as package data (``perturbkit/_data``,
located with ``importlib.resources``); else ``data/`` next to the package, the checkout's own folder (an editable
install or a run from the checkout; the build copies it into the wheel, see ``setup.py``).
"""

from __future__ import annotations

import hashlib
import importlib.resources
import os
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from .checks import check_device, check_finite, check_images, check_int, check_unit
from .spaces import lattice_digits


def _find_data_dir() -> Path:
    """``PERTURBKIT_DATA``, else the wheel's ``perturbkit/_data``, else the checkout's ``data/`` (see the docstring)."""
    override = os.environ.get("PERTURBKIT_DATA", "")
    if override:
        return Path(override)
    # The wheel's copy first: next to an installed package, "../data" is site-packages/data, which is not ours.
    # A wheel is installed as files, so the resource is a real folder (a zipped install would not be one).
    bundled = importlib.resources.files(__package__) / "_data"
    if isinstance(bundled, Path) and bundled.is_dir():
        return bundled
    return Path(__file__).resolve().parent.parent / "data"


DATA_DIR = _find_data_dir()

SHA256 = {
    "digits.npz": "b2dab7b501728c22e9119ad76740b2e17c77a231e42d1e592380d90886f1a05e",
    "mnist_subset.npz": "246e0c30eeea57c8d0037d3f38c8e00651ec204cc61b8022563e9aeeb9d756f4",
    "photos.npz": "1aaee47b00117a656711a77f44645c7c8d2100094d233c611c1285012edc3ff3",
}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp"}


def _rebuild_hint() -> str:
    """How to get the bundled files back: in a checkout rebuild or restore them; an installed wheel is reinstalled."""
    if DATA_DIR.name == "_data" and DATA_DIR.parent.name == "perturbkit":
        return "reinstall the course: the pip command you installed it with, adding --force-reinstall"
    return "rebuild it with `pip install -e '.[data]' && python data/build_data.py` (or restore it with git)"


def _load(name: str) -> dict:
    path = DATA_DIR / name
    hint = _rebuild_hint()
    if not path.is_file():
        raise FileNotFoundError(f"bundled data file {path} is missing; {hint}")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != SHA256[name]:
        raise OSError(f"bundled data file {path} is corrupt or changed: sha256 {digest}, expected {SHA256[name]}; "
                      f"{hint}")
    with np.load(path) as z:
        return {k: z[k] for k in z.files}


def _out(images: np.ndarray, scale: float, device) -> torch.Tensor:
    return (torch.from_numpy(images.astype(np.float32)) / scale).to(device or "cpu")


def load_digits(device=None) -> tuple[torch.Tensor, torch.Tensor]:
    """scikit-learn's 1797 handwritten digits: images (1797, 1, 8, 8) in [0, 1] (17 grey levels), labels 0-9."""
    device = check_device(device)
    z = _load("digits.npz")
    return _out(z["images"][:, None], 16.0, device), torch.from_numpy(z["labels"].astype(np.int64)).to(device or "cpu")


def load_mnist(device=None) -> tuple[torch.Tensor, torch.Tensor]:
    """The 5000-image MNIST subset (500 per class): images (5000, 1, 28, 28) in [0, 1], labels 0-9."""
    device = check_device(device)
    z = _load("mnist_subset.npz")
    return _out(z["images"][:, None], 255.0, device), torch.from_numpy(z["labels"].astype(np.int64)).to(device or "cpu")


def load_photos(channels: int = 3, device=None) -> tuple[torch.Tensor, list[str]]:
    """Seven public-domain / CC0 photographs (128 x 128): images (7, channels, 128, 128) in [0, 1], and names.

    ``channels=1`` converts to grey with the ITU-R BT.601 luma weights.
    """
    if isinstance(channels, bool) or channels not in (1, 3):
        raise ValueError(f"channels must be 1 or 3, got {channels!r}")
    device = check_device(device)
    z = _load("photos.npz")
    x = _out(z["images"], 255.0, device)
    if channels == 1:
        x = to_grey(x)
    return x, [str(s) for s in z["names"]]


def to_grey(x: torch.Tensor) -> torch.Tensor:
    """RGB images (k, 3, h, w) to grey (k, 1, h, w) with the BT.601 weights 0.299, 0.587, 0.114."""
    check_images("x", x)  # float (uint8 images would meet integer weights) and finite, in [0, 1]
    if x.shape[1] != 3:
        raise ValueError(f"x must have shape (k, 3, h, w), got {tuple(x.shape)}")
    w = torch.tensor([0.299, 0.587, 0.114], dtype=x.dtype, device=x.device)
    return (x * w[None, :, None, None]).sum(dim=1, keepdim=True)


def resize(x: torch.Tensor, n: int) -> torch.Tensor:
    """Resize images (k, c, h, w) to (k, c, n, n) with antialiased bilinear interpolation, clamped to [0, 1]."""
    n = check_int("n", n, minimum=1)
    check_finite("x", x)
    if x.dim() != 4:
        raise ValueError(f"x must have shape (k, channels, h, w), got {tuple(x.shape)}")
    if 0 in x.shape[1:]:
        raise ValueError(f"x must have at least one channel and one pixel, got shape {tuple(x.shape)}")
    if tuple(x.shape[-2:]) == (n, n):
        return x.clone()
    antialias = n < min(x.shape[-2:])
    return F.interpolate(x, size=(n, n), mode="bilinear", align_corners=False, antialias=antialias).clamp(0, 1)


def quantize(x: torch.Tensor, levels: int) -> torch.Tensor:
    """Round every entry of ``x`` (values in [0, 1]) to the nearest of the ``levels`` values k/(levels-1)."""
    levels = check_int("levels", levels, minimum=2)
    check_unit("x", x)
    return lattice_digits(x, levels) / (levels - 1)


def load_image_folder(path, n: int, levels: int | None = None, channels: int = 1, limit_per_class: int | None = None,
                      device=None) -> tuple[torch.Tensor, torch.Tensor, list[str]]:
    """Load a folder of the user's images with one subfolder per class (the layout of Imagenette and ImageFolder).

    Each image is centre-cropped to a square, resized to n x n, converted to ``channels`` (1 or 3) and, with
    ``levels``, quantised. Returns images (k, channels, n, n) in [0, 1], int64 labels and the class names (sorted
    subfolder names). Reads only; never writes into ``path``.
    """
    from PIL import Image

    if not isinstance(path, (str, os.PathLike)) or not str(path):
        raise TypeError(f"path must be a folder name (str or pathlib.Path), got {path!r}")
    root = Path(path)
    if not root.is_dir():
        raise FileNotFoundError(f"path {str(root)!r} is not a folder; expected one subfolder per class")
    n = check_int("n", n, minimum=1)
    if isinstance(channels, bool) or channels not in (1, 3):
        raise ValueError(f"channels must be 1 or 3, got {channels!r}")
    if levels is not None:
        levels = check_int("levels", levels, minimum=2)
    if limit_per_class is not None:
        limit_per_class = check_int("limit_per_class", limit_per_class, minimum=1)
    device = check_device(device)
    classes = sorted(d.name for d in root.iterdir() if d.is_dir() and not d.name.startswith("."))
    if not classes:
        raise ValueError(f"path {str(root)!r} has no class subfolders; expected e.g. {root}/cat/*.jpg, "
                         f"{root}/dog/*.jpg")
    images, labels = [], []
    for label, cls in enumerate(classes):
        files = sorted(f for f in (root / cls).iterdir() if f.suffix.lower() in IMAGE_SUFFIXES)
        if limit_per_class is not None:
            files = files[:limit_per_class]
        for f in files:
            try:
                with Image.open(f) as im:
                    im = im.convert("L" if channels == 1 else "RGB")
                    w, h = im.size
                    s = min(w, h)
                    im = im.crop(((w - s) // 2, (h - s) // 2, (w - s) // 2 + s, (h - s) // 2 + s))
                    im = im.resize((n, n), Image.LANCZOS)
                    a = np.asarray(im, dtype=np.uint8)
            except (OSError, ValueError, SyntaxError) as e:  # PIL's errors for a corrupt or truncated file
                raise ValueError(f"image file {str(f)!r} in path {str(root)!r} can not be read as an image "
                                 f"({type(e).__name__}: {e}); remove or replace it") from None
            images.append(a[None] if channels == 1 else a.transpose(2, 0, 1))
            labels.append(label)
    if not images:
        raise ValueError(f"path {str(root)!r} has class subfolders {classes} but no images with suffixes "
                         f"{sorted(IMAGE_SUFFIXES)}")
    x = torch.from_numpy(np.stack(images).astype(np.float32) / 255.0)
    if levels is not None:
        x = quantize(x, levels)
    return x.to(device or "cpu"), torch.tensor(labels, dtype=torch.int64, device=device or "cpu"), classes
