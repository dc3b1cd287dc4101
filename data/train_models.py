"""Train the course's networks (perturbkit.pretrained.RECIPES) and write data/models/<name>.pt and manifest.json.

    python data/train_models.py                    # trains every network (about 5 minutes on a 2-core CPU)
    python data/train_models.py --only mnist_cnn   # only some; the other manifest entries are kept

Each network is trained from scratch on the CPU by ``perturbkit.pretrained.train_recipe`` (the same function the
tests call), with a fixed number of torch threads, from the bundled data sets in data/. Its accuracy on its
evaluation set is measured and stored with the recipe, architecture, parameter count, file size, sha256, torch
version, date and this command in data/models/manifest.json.

An existing weights file is never replaced by different weights unless --force is given (the newly trained weights
are compared tensor by tensor), so edited or differently trained weights are not lost by accident; identical
weights leave the file and its manifest entry alone.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import io
import json
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout without installing

from perturbkit import pretrained  # noqa: E402
from perturbkit.robust_training import robust_accuracy  # noqa: E402

OUT = Path(__file__).resolve().parent / "models"
ROBUST_EPS = (0.1, 0.2, 0.3)  # l_inf radii at which adversarially trained networks are also evaluated
ROBUST_IMAGES, ROBUST_STEPS = 500, 20


def encode(model: torch.nn.Module) -> bytes:
    buf = io.BytesIO()  # through memory: the archive's inner name does not depend on a file name
    torch.save(model.state_dict(), buf)
    return buf.getvalue()


def same_weights(path: Path, model: torch.nn.Module) -> bool:
    old = torch.load(path, map_location="cpu", weights_only=True)
    new = model.state_dict()
    return old.keys() == new.keys() and all(torch.equal(old[k], new[k]) for k in new)


def entry(name: str, model: torch.nn.Module, blob: bytes, seconds: float) -> dict:
    r = pretrained.recipe(name)
    e = {
        "file": f"{name}.pt",
        "lessons": list(r.lessons),
        "architecture": {"class": r.architecture, "kwargs": r.kwargs},
        "recipe": {k: v for k, v in r.as_json().items() if k not in ("lessons", "architecture", "kwargs")},
        "test_accuracy": round(pretrained.evaluate(model, name), 6),
        "evaluated_on": ("test split" if r.test_fraction is not None else "training set (the recipe has no "
                         "held-out images)") + f", {pretrained.dataset(name)[1][1].shape[0]} images",
        "parameters": sum(p.numel() for p in model.parameters()),
        "bytes": len(blob),
        "sha256": hashlib.sha256(blob).hexdigest(),
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "training_seconds": round(seconds, 1),
        "date": datetime.date.today().isoformat(),
        "command": pretrained.rebuild_command(name),
    }
    if r.fgsm_rs_eps is not None:
        _, (x, y) = pretrained.dataset(name)
        x, y = x[:ROBUST_IMAGES], y[:ROBUST_IMAGES]
        e["robust_accuracy"] = {
            "attack": f"l_inf PGD, {ROBUST_STEPS} steps, random start, seed 0, first {ROBUST_IMAGES} test images",
            **{str(eps): round(robust_accuracy(model, x, y, eps, steps=ROBUST_STEPS), 6) for eps in ROBUST_EPS}}
    return e


def describe(name: str) -> tuple[str, str, str]:
    """The network, data and training of ``name``'s recipe in words (the columns of data/README.md's table)."""
    r = pretrained.recipe(name)
    net = f"`{r.architecture}(" + ", ".join(f"{k}={v}" for k, v in r.kwargs.items()) + ")`"
    data = ["8x8 digits" if r.dataset == "digits" else "MNIST subset"]
    data += [f"labels {' and '.join(map(str, r.labels))}"] if r.labels else []
    data += [f"resized to {r.resize}x{r.resize}"] if r.resize else []
    data += [f"quantised to {r.levels} levels"] if r.levels else []
    data += ["no split: trained and evaluated on all" if r.test_fraction is None
             else f"split {r.test_fraction} seed {r.split_seed}"]
    data += [f"first {r.train_images} training images"] if r.train_images else []
    fit = f"{r.epochs} epoch{'s' * (r.epochs != 1)}, batch {r.batch_size}, lr {r.lr:g}, seed {r.seed}"
    fit = (f"`{r.start_from}` then " if r.start_from else "") + (f"FGSM-RS eps {r.fgsm_rs_eps}, " if r.fgsm_rs_eps
                                                                  else "") + fit
    return net, ", ".join(data), fit


def table() -> str:
    """The Markdown table of data/README.md, from the manifest."""
    rows = ["| name | lessons | network | data | training | accuracy | bytes | sha256 |", "|---" * 8 + "|"]
    for name, e in json.loads((OUT / pretrained.MANIFEST).read_text())["models"].items():
        acc = f"{e['test_accuracy']:.3f}" + (" (train)" if "training set" in e["evaluated_on"] else "")
        rows.append(f"| `{name}` | {', '.join(e['lessons'])} | " + " | ".join(describe(name)) +
                    f" | {acc} | {e['bytes']} | `{e['sha256']}` |")
    return "\n".join(rows)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", nargs="+", metavar="NAME", choices=pretrained.names(),
                    help="train only these networks (default: all)")
    ap.add_argument("--force", action="store_true", help="replace existing weights files that differ")
    ap.add_argument("--table", action="store_true", help="print data/README.md's table from the manifest and stop")
    args = ap.parse_args(argv)
    if args.table:
        print(table())
        return 0
    torch.set_num_threads(pretrained.TRAINING_THREADS)
    OUT.mkdir(exist_ok=True)
    path = OUT / pretrained.MANIFEST
    entries = json.loads(path.read_text())["models"] if path.exists() else {}
    status = 0
    for name in args.only or pretrained.names():
        start = time.perf_counter()
        model = pretrained.train_recipe(name)
        seconds = time.perf_counter() - start
        target = OUT / f"{name}.pt"
        if target.exists() and same_weights(target, model):
            blob = target.read_bytes()  # the same weights: keep the file as it is
            if entries.get(name, {}).get("sha256") == hashlib.sha256(blob).hexdigest():
                print(f"{name}: unchanged  sha256 {entries[name]['sha256']}  ({seconds:.0f} s)")
                continue
        elif target.exists() and not args.force:
            print(f"{name}: {target} exists with different weights; not replaced (use --force)", file=sys.stderr)
            status = 1
            continue
        else:
            blob = encode(model)
            tmp = target.with_suffix(".tmp")
            tmp.write_bytes(blob)
            tmp.replace(target)
        entries[name] = entry(name, model, blob, seconds)
        e = entries[name]
        print(f"{name}: accuracy {e['test_accuracy']:.4f}  {e['bytes']} bytes  sha256 {e['sha256']}  "
              f"({seconds:.0f} s)", flush=True)
        # after every network, so an interrupted run keeps what it made
        ordered = {k: entries[k] for k in pretrained.names() if k in entries}
        path.write_text(json.dumps({"format": 1, "models": ordered}, indent=2) + "\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
