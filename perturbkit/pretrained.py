"""The course's trained networks, shipped as checked weight files, and the recipes that made them.

Training a network inside a lesson gives slightly different weights on every CPU and GPU (floating-point sums are
done in different orders), so the lessons' printed numbers would not reproduce. Instead each named network below
is trained once, offline, by ``python data/train_models.py``, and stored as ``data/models/<name>.pt`` with its
sha256, test accuracy and recipe in ``data/models/manifest.json``. A lesson writes::

    model = pretrained.load("mnist_cnn", device=dev)

and gets the network in eval mode on ``dev``, after the file's checksum has been verified. Every recipe is exact
(data, preprocessing, split, architecture, seeds, epochs, batch size, learning rate, adversarial training), and
:func:`train_recipe` retrains it from scratch with the same code the script uses.

Images are float32 (k, channels, n, n) with values in [0, 1] (intensity units); labels are int64.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import torch
from torch import nn

from . import data as _data
from .checks import check_bool, check_device, check_int, check_model, model_device
from .models import MLP, SmallCNN, accuracy, split, train

MODELS_DIR = _data.DATA_DIR / "models"
MANIFEST = "manifest.json"
TRAINING_THREADS = 1  # torch threads used by data/train_models.py (the float trajectory depends on it)
ARCHITECTURES = {"SmallCNN": SmallCNN, "MLP": MLP}
DATASETS = {"digits": _data.load_digits, "mnist": _data.load_mnist}


@dataclass(frozen=True)
class Recipe:
    """Everything needed to retrain one named network from scratch, in the order it is applied.

    Data: load ``dataset`` (``"digits"``: scikit-learn's 8x8 digits; ``"mnist"``: the 28x28 MNIST subset), keep
    only the images whose label is in ``labels`` (all when None), resize them to ``resize`` x ``resize``
    (``data.resize``), quantise them to ``levels`` levels (``data.quantize``), then split with
    ``models.split(x, y, test_fraction, seed=split_seed)`` and keep the first ``train_images`` training images
    (all when None). With ``test_fraction=None`` there is no held-out set: the network is trained and evaluated on
    all the images. Network: ``architecture(**kwargs)`` from perturbkit.models (kwargs include the initialisation
    seed), or a copy of the trained ``start_from`` network (retrained from its own recipe). Training:
    ``models.train`` with Adam and cross-entropy for ``epochs`` passes, batches of ``batch_size``, learning rate
    ``lr``, shuffling seed ``seed``; with ``fgsm_rs_eps`` it is ``robust_training.fgsm_rs_train`` instead
    (FGSM with a random start, l_inf radius ``fgsm_rs_eps`` in intensity units, step 1.25 * eps).
    """

    lessons: tuple[str, ...]
    architecture: str
    kwargs: dict
    dataset: str
    epochs: int
    seed: int = 0
    batch_size: int = 64
    lr: float = 2e-3
    labels: tuple[int, ...] | None = None
    resize: int | None = None
    levels: int | None = None
    test_fraction: float | None = 0.2
    split_seed: int = 0
    train_images: int | None = None
    start_from: str | None = None
    fgsm_rs_eps: float | None = None

    def as_json(self) -> dict:
        """The recipe as a JSON-ready dict (what the manifest stores)."""
        d = asdict(self)
        return {k: list(v) if isinstance(v, tuple) else v for k, v in d.items()}


_MNIST16 = dict(architecture="SmallCNN", kwargs=dict(n=28, width=16, hidden=64, seed=0), dataset="mnist")
_SCALING = dict(architecture="SmallCNN", dataset="digits", epochs=30, batch_size=64, lr=2e-3)

RECIPES: dict[str, Recipe] = {
    "digits_cnn": Recipe(("02",), "SmallCNN", dict(n=8, seed=0), "digits", epochs=10),
    "digits_mlp": Recipe(("02",), "MLP", dict(n=8, seed=0), "digits", epochs=10),
    "mnist_cnn": Recipe(("02",), "SmallCNN", dict(n=28, width=16, seed=0), "mnist", epochs=3),
    "digits_0v1_mlp_5x5": Recipe(("04",), "MLP", dict(n=5, classes=2, hidden=8, depth=1, seed=0), "digits",
                                 epochs=10, labels=(0, 1), resize=5, levels=2, test_fraction=None),
    # the same at 6x6: its census over all 2^36 images needs a GPU (data/census_6x6.py writes the stored result)
    "digits_0v1_mlp_6x6": Recipe(("04",), "MLP", dict(n=6, classes=2, hidden=8, depth=1, seed=0), "digits",
                                 epochs=10, labels=(0, 1), resize=6, levels=2, test_fraction=None),
    # lesson 05 compares n = 8..64 fairly: every network trained to >= 0.95 test accuracy on all training digits
    **{f"scaling_cnn_{n}": Recipe(("05",), kwargs=dict(n=n, width=8, hidden=32, seed=0), resize=n, **_SCALING)
       for n in (8, 16, 32, 64)},
    # lesson 07's small CNN, trained on the whole training split to >= 0.95 (it used to see 1500 images twice)
    "mnist_cnn_small": Recipe(("07",), "SmallCNN", dict(n=28, width=8, hidden=32, seed=0), "mnist", epochs=8,
                              batch_size=32),
    "mnist_cnn_standard": Recipe(("08", "10"), epochs=2, **_MNIST16),
    "binary_mnist_cnn": Recipe(("09",), epochs=2, levels=2, **_MNIST16),
    "binary_mnist_mlp": Recipe(("09",), "MLP", dict(n=28, hidden=128, depth=1, seed=1), "mnist", epochs=1,
                               levels=2),
    # lesson 10's control: the standard network trained 20 more epochs the standard way, so that it has the same
    # schedule as mnist_cnn_fgsm_rs (2 + 20 epochs, the optimiser restarted after 2) and differs only in the loss
    "mnist_cnn_standard_22": Recipe(("10",), epochs=20, start_from="mnist_cnn_standard", **_MNIST16),
    # lesson 10: the standard network fine-tuned adversarially for 20 epochs (2 were too few for a clear effect)
    "mnist_cnn_fgsm_rs": Recipe(("10",), epochs=20, start_from="mnist_cnn_standard", fgsm_rs_eps=0.3, **_MNIST16),
}


def names() -> list[str]:
    """The registered network names, in registry order."""
    return list(RECIPES)


def recipe(name: str) -> Recipe:
    """The Recipe of network ``name``; ValueError listing the known names if there is none."""
    if not isinstance(name, str):
        raise TypeError(f"name must be the str name of a network, one of {', '.join(RECIPES)}; got {name!r:.60} "
                        f"({type(name).__name__})")
    if name not in RECIPES:
        raise ValueError(f"name must be a registered network; unknown network {name!r}; known networks: "
                         f"{', '.join(RECIPES)}")
    return RECIPES[name]


def rebuild_command(name: str, force: bool = False) -> str:
    """The shell command (run in the course folder) that retrains ``name`` and rewrites its file."""
    recipe(name)
    force = check_bool("force", force)
    return f"python data/train_models.py --only {name}" + (" --force" if force else "")


def build(name: str) -> nn.Module:
    """A freshly initialised (untrained) network of ``name``'s architecture, on the CPU."""
    r = recipe(name)
    return ARCHITECTURES[r.architecture](**r.kwargs)


def dataset(name: str, device=None) -> tuple[tuple[torch.Tensor, torch.Tensor], tuple[torch.Tensor, torch.Tensor]]:
    """``name``'s data after its preprocessing: ((x_train, y_train), (x_eval, y_eval)) on ``device`` (CPU).

    The evaluation set is the held-out test split, or the training set itself for a recipe without one
    (``test_fraction=None``).
    """
    r = recipe(name)
    device = check_device(device)
    x, y = DATASETS[r.dataset](device=device)
    if r.labels is not None:
        keep = torch.isin(y, torch.tensor(r.labels, device=y.device))
        x, y = x[keep], y[keep]
    if r.resize is not None:
        x = _data.resize(x, r.resize)
    if r.levels is not None:
        x = _data.quantize(x, r.levels)
    if r.test_fraction is None:
        (xtr, ytr), (xte, yte) = (x, y), (x, y)
    else:
        (xtr, ytr), (xte, yte) = split(x, y, test_fraction=r.test_fraction, seed=r.split_seed)
    if r.train_images is not None:
        xtr, ytr = xtr[:r.train_images], ytr[:r.train_images]
    return (xtr, ytr), (xte, yte)


def train_recipe(name: str, device=None, progress: bool = False, **changes) -> nn.Module:
    """Train network ``name`` from scratch by its recipe on ``device`` (default CPU); returns it in eval mode.

    Seeded throughout, so the same machine, torch version and thread count give the same weights (the shipped
    files were made with ``torch.set_num_threads(TRAINING_THREADS)`` on a CPU). ``start_from`` recipes retrain
    their starting network first, by its own recipe.

    ``changes`` replace fields of the recipe's training, e.g. ``train_recipe("digits_mlp", epochs=5)`` or
    ``lr=2e-4``: a deliberately wrong recipe, which the tests use to show that the retraining check catches it.
    Only ``epochs``, ``lr``, ``batch_size`` and ``seed`` can be changed (the data and the network stay the recipe's).
    """
    from .robust_training import fgsm_rs_train  # imports the attacks; only needed here

    r = recipe(name)
    wrong = set(changes) - {"epochs", "lr", "batch_size", "seed"}
    if wrong:
        raise ValueError(f"only epochs, lr, batch_size and seed of a recipe can be changed, got {sorted(wrong)}")
    r = replace(r, **changes)
    device = check_device(device) or torch.device("cpu")
    progress = check_bool("progress", progress)
    model = train_recipe(r.start_from, device) if r.start_from else build(name).to(device)
    train_data, _ = dataset(name, device=device)
    kw = dict(epochs=r.epochs, seed=r.seed, batch_size=r.batch_size, lr=r.lr, progress=progress)
    if r.fgsm_rs_eps is None:
        train(model, train_data, desc=name, **kw)
    else:
        fgsm_rs_train(model, train_data, eps=r.fgsm_rs_eps, **kw)
    return model.eval()


def evaluate(model: nn.Module, name: str) -> float:
    """Accuracy in [0, 1] of ``model`` on ``name``'s evaluation set (see :func:`dataset`), on the model's device."""
    _module(model)
    _, (x, y) = dataset(name, device=model_device(model))
    return accuracy(model, x, y)


@torch.no_grad()
def training_loss(model: nn.Module, name: str, batch_size: int = 1024) -> float:
    """Mean cross-entropy of ``model`` (in eval mode) on ``name``'s training images, on the model's device.

    A fingerprint of how far training went: half the epochs or a learning rate ten times too small leave it several
    times larger, while another float path changes it much less (tests/test_pretrained.py has the measurements).
    """
    _module(model)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    (x, y), _ = dataset(name, device=model_device(model))
    check_model(model, x)  # the network must take name's images: a clear error, not a shape mismatch in torch
    model.eval()
    total = sum(float(nn.functional.cross_entropy(model(x[s:s + batch_size]), y[s:s + batch_size], reduction="sum"))
                for s in range(0, x.shape[0], batch_size))
    return total / x.shape[0]


def _module(model) -> nn.Module:
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    return model


def sha256_file(path) -> str:
    """The hex sha256 of a file's bytes."""
    if not isinstance(path, (str, Path)) or not str(path):
        raise TypeError(f"path must be a file name (str or pathlib.Path), got {path!r:.60} ({type(path).__name__})")
    if not Path(path).is_file():
        raise FileNotFoundError(f"path {str(path)!r} is not a file")
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def manifest(root=None) -> dict:
    """The manifest's per-network entries, {name: entry}, from ``root`` (default data/models/)."""
    path = _root(root) / MANIFEST
    if not path.is_file():
        raise FileNotFoundError(f"model manifest {path} is missing; rebuild it with `python data/train_models.py` "
                                "(or restore data/models/ with git)")
    try:
        doc = json.loads(path.read_text())
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"model manifest {path} is not valid JSON ({e}); restore data/models/ with git or rebuild "
                         f"it with `python data/train_models.py`") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("models"), dict):
        raise ValueError(f"model manifest {path} has no 'models' object (name -> entry); restore data/models/ with "
                         f"git or rebuild it with `python data/train_models.py`")
    return doc["models"]


def _root(root) -> Path:
    """The folder of the weight files: ``root`` (a str or pathlib.Path) or data/models/ when None."""
    if root is None:
        return Path(MODELS_DIR)
    if not isinstance(root, (str, Path)) or not str(root):
        raise TypeError(f"root must be a folder (str or pathlib.Path) or None, got {root!r:.60} "
                        f"({type(root).__name__})")
    return Path(root)


def info(name: str, root=None) -> dict:
    """``name``'s manifest entry: architecture, recipe, test accuracy, parameter count, bytes, sha256, torch
    version, date and the command that made it."""
    recipe(name)
    entries = manifest(root)
    if name not in entries:
        raise ValueError(f"network {name!r} is registered but not in {_root(root) / MANIFEST}; "
                         f"build it with `{rebuild_command(name)}`")
    if not isinstance(entries[name], dict):
        raise ValueError(f"the entry of {name!r} in {_root(root) / MANIFEST} is not an object; rebuild it with "
                         f"`{rebuild_command(name, force=True)}`")
    return entries[name]


def stored_accuracy(name: str, root=None) -> float:
    """The stored accuracy of ``name`` on its evaluation set (the test split; the training set for a recipe
    without one), a float in [0, 1], as measured on the CPU when the file was made."""
    value = info(name, root).get("test_accuracy")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ValueError(f"the manifest {_root(root) / MANIFEST} records test_accuracy {value!r} for {name!r}, not an "
                         f"accuracy in [0, 1]; restore data/models/ with git or rebuild it with "
                         f"`{rebuild_command(name, force=True)}`")
    return float(value)


def load(name: str, device=None, root=None) -> nn.Module:
    """Network ``name`` with its shipped weights, in eval mode on ``device`` (default CPU).

    The file ``<root>/<name>.pt`` (root: data/models/) must have the sha256 that the manifest records; this is
    checked before the file is read with ``torch.load(weights_only=True)``. A missing file raises
    FileNotFoundError and a changed one ValueError, both naming the file, the checksums and the rebuild command.
    """
    device = check_device(device)
    entry = info(name, root)
    r = recipe(name)
    if entry.get("architecture") != {"class": r.architecture, "kwargs": r.kwargs}:
        raise ValueError(f"the manifest describes {name!r} as {entry['architecture']}, but the registry says "
                         f"{r.architecture}({r.kwargs}); rebuild it with `{rebuild_command(name, force=True)}`")
    path = _root(root) / f"{name}.pt"
    expected = entry.get("sha256")
    if not path.is_file():
        raise FileNotFoundError(f"weights file {path} is missing (expected sha256 {expected}); rebuild it with "
                                f"`{rebuild_command(name)}` or restore it with git")
    actual = sha256_file(path)
    if actual != expected:
        raise ValueError(f"weights file {path} is corrupt or changed: sha256 {actual}, expected {expected}; "
                         f"rebuild it with `{rebuild_command(name, force=True)}` or restore it with git")
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as e:  # noqa: BLE001 - a file torch can not read, whatever torch raises
        raise ValueError(f"weights file {path} can not be read as saved weights (torch.load raised "
                         f"{type(e).__name__}); rebuild it with "
                         f"`{rebuild_command(name, force=True)}` or restore it with git") from None
    model = build(name)
    try:
        model.load_state_dict(state)
    except (RuntimeError, TypeError, AttributeError) as e:
        raise ValueError(f"weights file {path} does not hold the weights of {name!r} ({r.architecture}"
                         f"({r.kwargs})): {str(e).splitlines()[0][:160]}; rebuild it with "
                         f"`{rebuild_command(name, force=True)}` or restore it with git") from None
    return model.to(device or "cpu").eval()


__all__ = ["MODELS_DIR", "RECIPES", "Recipe", "TRAINING_THREADS", "build", "dataset", "evaluate", "info", "load",
           "manifest", "names", "rebuild_command", "recipe", "sha256_file", "stored_accuracy", "train_recipe",
           "training_loss"]
