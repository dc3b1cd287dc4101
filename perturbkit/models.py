"""Small image classifiers (a CNN and an MLP for any n and channel count) and a deterministic training loop.

Models take images (k, channels, n, n) with values in [0, 1] and return logits (k, classes). Weights are never
written to disk here; save them yourself with ``torch.save(model.state_dict(), path)`` if you want to.
"""

from __future__ import annotations

import contextlib

import torch
from torch import nn
from tqdm.auto import tqdm

from .checks import check_bool, check_data, check_finite, check_int, check_model, check_real, model_device


@contextlib.contextmanager
def _seeded(seed: int | None):
    # Build layers under a forked RNG so that a seeded model is reproducible without touching the global RNG state;
    # seed=None draws from (and advances) the global RNG like any torch layer.
    if seed is None:
        yield
        return
    seed = check_int("seed", seed, minimum=0)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        yield


class _ImageModel(nn.Module):
    """What every course network records: the image side ``n``, the ``channels`` and the number of ``classes``."""

    def __init__(self, n: int, channels: int, classes: int, min_n: int):
        super().__init__()
        self.n = check_int("n", n, minimum=min_n)
        self.channels = check_int("channels", channels, minimum=1)
        self.classes = check_int("classes", classes, minimum=2)


class SmallCNN(_ImageModel):
    """Two 3x3 convolution blocks and two linear layers, for images (k, channels, n, n) with n >= 2.

    Each block halves the image side with a 2x2 max-pool while the side is at least 8 (so 8x8 digits keep 4x4
    maps and 28x28 MNIST 7x7). ``width`` is the number of channels of the first block (the second has twice that).
    """

    def __init__(self, n: int, channels: int = 1, classes: int = 10, width: int = 32, hidden: int = 128,
                 seed: int | None = 0):
        super().__init__(n, channels, classes, min_n=2)
        width = check_int("width", width, minimum=1)
        hidden = check_int("hidden", hidden, minimum=1)
        layers: list[nn.Module] = []
        side, cin = self.n, self.channels
        with _seeded(seed):
            for cout in (width, 2 * width):
                layers += [nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU()]
                if side >= 8:
                    layers.append(nn.MaxPool2d(2))
                    side //= 2
                cin = cout
            self.features = nn.Sequential(*layers)
            self.head = nn.Sequential(nn.Flatten(), nn.Linear(cin * side * side, hidden), nn.ReLU(),
                                      nn.Linear(hidden, self.classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))


class MLP(_ImageModel):
    """A multilayer perceptron on the flattened image: ``depth`` hidden layers of ``hidden`` units with ReLU."""

    def __init__(self, n: int, channels: int = 1, classes: int = 10, hidden: int = 256, depth: int = 2,
                 seed: int | None = 0):
        super().__init__(n, channels, classes, min_n=1)
        hidden = check_int("hidden", hidden, minimum=1)
        depth = check_int("depth", depth, minimum=0)
        layers: list[nn.Module] = [nn.Flatten()]
        width = self.channels * self.n * self.n
        with _seeded(seed):
            for _ in range(depth):
                layers += [nn.Linear(width, hidden), nn.ReLU()]
                width = hidden
            layers.append(nn.Linear(width, self.classes))
        self.net = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


def split(x: torch.Tensor, y: torch.Tensor, test_fraction: float = 0.2,
          seed: int = 0) -> tuple[tuple[torch.Tensor, torch.Tensor], tuple[torch.Tensor, torch.Tensor]]:
    """Shuffle with a local generator and split into ((x_train, y_train), (x_test, y_test)); global RNG untouched."""
    check_data(x, y)
    test_fraction = check_real("test_fraction", test_fraction, 0, 1, min_open=True, max_open=True)
    seed = check_int("seed", seed, minimum=0)
    k = int(round(x.shape[0] * test_fraction))
    if k == 0 or k == x.shape[0]:
        raise ValueError(f"test_fraction={test_fraction:g} of {x.shape[0]} images leaves an empty "
                         f"{'test' if k == 0 else 'training'} set; use more images or another test_fraction")
    perm = torch.randperm(x.shape[0], generator=torch.Generator().manual_seed(seed)).to(x.device)
    test, train_ = perm[:k], perm[k:]
    return (x[train_], y[train_]), (x[test], y[test])


def train(model: nn.Module, data, epochs: int = 10, seed: int = 0, batch_size: int = 64, lr: float = 2e-3,
          weight_decay: float = 0.0, progress: bool = True, perturb=None, desc: str = "training") -> list[float]:
    """Train ``model`` in place with Adam and cross-entropy on ``data = (x, y)``; returns the mean loss per epoch.

    Batches are shuffled by a local ``torch.Generator`` seeded with ``seed`` (the global RNG is not touched), so
    the same model, data and seed give the same weights on the same machine. ``progress=False`` hides the tqdm
    bar. The model must be on the device of x; it is left in eval mode.

    ``perturb(model, xb, yb, step)``, when given, replaces each batch by the images it returns before the update
    (adversarial training: see perturbkit.robust_training); ``step`` counts batches from 0.
    """
    if not isinstance(data, (tuple, list)) or len(data) != 2:
        raise TypeError(f"data must be a pair (x, y) of images and labels, got {type(data).__name__}")
    x, y = data
    check_data(x, y)
    if x.shape[0] == 0:
        raise ValueError("x is empty: there is nothing to train on")
    classes = check_model(model, x)
    check_data(x, y, classes)
    epochs = check_int("epochs", epochs, minimum=0)
    seed = check_int("seed", seed, minimum=0)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    lr = check_real("lr", lr, minimum=0, min_open=True)
    weight_decay = check_real("weight_decay", weight_decay, minimum=0)
    progress = check_bool("progress", progress)
    if perturb is not None and not callable(perturb):
        raise TypeError(f"perturb must be None or a callable (model, xb, yb, step) -> images, got {perturb!r}")
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    losses = []
    step = 0
    # leave=True: in a notebook the finished bar stays drawn (a closed bar widget leaves an empty output behind)
    bar = tqdm(range(epochs), desc=desc, disable=not progress, leave=True)
    for _ in bar:
        perm = torch.randperm(x.shape[0], generator=gen).to(x.device)
        total = 0.0
        for start in range(0, x.shape[0], batch_size):
            idx = perm[start:start + batch_size]
            xb = x[idx] if perturb is None else perturb(model, x[idx], y[idx], step)
            step += 1
            model.train()  # set per batch: a perturb hook may run the model in eval mode
            loss = nn.functional.cross_entropy(model(xb), y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += float(loss.detach()) * idx.shape[0]
        losses.append(total / max(x.shape[0], 1))
        bar.set_postfix(loss=f"{losses[-1]:.3f}")
    model.eval()
    return losses


@torch.no_grad()
def predict(model: nn.Module, x: torch.Tensor, batch_size: int = 1024) -> torch.Tensor:
    """Predicted labels (k,) int64 of ``model`` on images x, in eval mode, on x's device."""
    check_finite("x", x)
    if x.dim() < 2:
        raise ValueError(f"x must have shape (k, ...) (a batch of images), got {tuple(x.shape)}")
    check_model(model, x)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    return _predict(model, x, batch_size)


@torch.no_grad()
def _predict(model, x: torch.Tensor, batch_size: int = 1024) -> torch.Tensor:
    """predict without the argument checks (for callers that made them already): the one batched arg-max.

    ``model`` is a module (put in eval mode; batches go to its device, labels come back to x's) or a callable;
    outputs (k, classes) give their arg-max, outputs (k,) are taken as labels.
    """
    if isinstance(model, nn.Module):
        model.eval()
    dev = model_device(model, x.device)
    out = []
    for s in range(0, x.shape[0], batch_size):
        o = model(x[s:s + batch_size].to(dev))
        out.append(o.argmax(dim=1) if o.dim() == 2 else o.long())
    return torch.cat(out).to(x.device) if out else torch.empty(0, dtype=torch.int64, device=x.device)


def accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor, batch_size: int = 1024) -> float:
    """Share of images whose predicted label equals y, as a Python float in [0, 1]."""
    check_data(x, y)
    if x.shape[0] == 0:
        raise ValueError("x is empty: accuracy of no images is undefined")
    check_data(x, y, check_model(model, x))
    batch_size = check_int("batch_size", batch_size, minimum=1)
    return float((_predict(model, x, batch_size) == y).double().mean())
