"""Robustness of trained networks against image size: train a CNN at several n, attack it, fit log-log slopes.

For each image side n the 8x8 digits are resized to n-by-n, a :class:`perturbkit.models.SmallCNN` is trained on
them (or a trained one is supplied, e.g. the shipped ``perturbkit.pretrained`` networks), and
:func:`perturbkit.attacks.minimal_perturbation` measures the smallest perturbation it finds, in d_p, for held-out
digits and for uniformly random binary images (the theorem's measure: all images equally likely), each labelled by
the network's own prediction. The sizes are upper bounds on the true minimal perturbations (an attack
finds *a* perturbation, maybe not the smallest). Everything runs on ``device``; training and attacks are seeded.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
from tqdm.auto import tqdm

from .attacks import minimal_perturbation
from .checks import check_bool, check_device, check_int, check_p, check_sequence
from .data import load_digits, resize
from .models import SmallCNN, accuracy, predict, split, train
from .scaling import scaling_curve
from .spaces import ImageSpace


@dataclass(frozen=True)
class NetworkScaling:
    """Per input kind ('digits', 'noise') and p, a ScalingCurve; plus test accuracy and success rates per n."""

    curves: dict  # {kind: {p: ScalingCurve}}
    accuracy: dict  # {n: test accuracy on resized digits}
    success: dict  # {(kind, p, n): share of images where the attack found an adversarial example}
    biggest_class: dict  # {n: share of the noise images given the most common label}
    sizes: dict = field(default_factory=dict)  # {(kind, p): per n, the sizes found (1-d tensors, failures left out)}
    noise_labels: dict = field(default_factory=dict)  # {n: the network's labels of the noise images}


def cnn_scaling(ns=(8, 16, 32, 64), ps=(2.0, float("inf")), images: int = 32, epochs: int = 3, steps: int = 30,
                width: int = 8, batch_size: int = 128, train_images: int | None = None, seed: int = 0,
                device=None, models: dict | None = None, progress: bool = True) -> NetworkScaling:
    """Train one SmallCNN per n on resized digits (or take it from ``models``) and measure minimal perturbations
    of ``images`` test digits and ``images`` uniform binary noise images, for each p (attack p in {0, 1, 2, inf}).
    Only digits that the network classifies correctly are attacked.

    ``models={n: network}`` supplies trained networks for n-by-n digits instead of training them (e.g. the shipped
    ``perturbkit.pretrained.load(f"scaling_cnn_{n}")``, trained on the same split with seed 0); they must be on
    ``device`` and then ``epochs``, ``width``, ``batch_size`` and ``train_images`` are not used. ``seed`` chooses
    the train/test split, the training and the noise images.

    Returns a NetworkScaling; sizes where the attack failed are left out of the medians (``success`` says how
    many). ``train_images`` limits the training set (default: all 1438 training digits). Cost grows like n^2: keep
    ``images``, ``epochs``, ``steps`` and ``train_images`` small on a CPU. A tqdm bar (notebook-aware) counts the
    sizes n done; ``progress=False`` hides it.
    """
    ns = tuple(check_sequence("ns", ns, lambda k, n: check_int(k, n, minimum=2)))
    ps = tuple(check_sequence("ps", ps, lambda k, p: check_p(p, name=k)))
    images = check_int("images", images, minimum=1)
    epochs = check_int("epochs", epochs, minimum=1)
    steps = check_int("steps", steps, minimum=1)  # no step finds no perturbation: every curve would be empty
    width = check_int("width", width, minimum=1)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    seed = check_int("seed", seed, minimum=0)
    device = check_device(device)
    progress = check_bool("progress", progress)
    if models is not None and not isinstance(models, dict):
        raise TypeError(f"models must be None or a dict {{n: network}}, got {type(models).__name__}")
    if models is not None and set(ns) - set(models):
        raise ValueError(f"models has networks for n in {sorted(models)} but ns asks for {list(ns)}")
    x, y = load_digits(device=device)
    (xtr, ytr), (xte, yte) = split(x, y, test_fraction=0.2, seed=seed)
    if train_images is not None:
        keep = check_int("train_images", train_images, minimum=10)
        xtr, ytr = xtr[:keep], ytr[:keep]
    values = {(kind, p): [] for kind in ("digits", "noise") for p in ps}
    acc, success, biggest, noise_labels = {}, {}, {}, {}
    for n in tqdm(ns, desc="CNN per image side n", unit="n", disable=not progress):
        if models is None:
            model = SmallCNN(n, width=width, hidden=4 * width, seed=seed).to(xtr.device)
            train(model, (resize(xtr, n), ytr), epochs=epochs, seed=seed, batch_size=batch_size, lr=4e-3,
                  progress=False)
        else:
            model = models[n]
        test = resize(xte, n)
        acc[n] = accuracy(model, test, yte)
        noise = ImageSpace(n).sample(images, generator=torch.Generator().manual_seed(seed), device=xtr.device)
        right = predict(model, test) == yte  # attack only digits the network gets right (others need no change)
        inputs = {"digits": (test[right][:images], yte[right][:images]), "noise": (noise, predict(model, noise))}
        biggest[n] = float(torch.bincount(inputs["noise"][1], minlength=10).max()) / images
        noise_labels[n] = inputs["noise"][1]
        for kind, (xs, ys) in inputs.items():
            for p in ps:
                r = minimal_perturbation(model, xs, ys, p=p, steps=steps)
                success[(kind, p, n)] = float(r.success.float().mean())
                found = r.sizes[r.success]
                # keep the fit defined even if every attack failed at this n (the success rate says so)
                values[(kind, p)].append(found if found.numel() else torch.tensor([float("nan")]))
    curves = {kind: {} for kind in ("digits", "noise")}
    for (kind, p), v in values.items():
        curves[kind][p] = scaling_curve(ns, v, p, label=f"CNN on {kind}", n_min=min(ns))
    sizes = {key: tuple(v) for key, v in values.items()}
    return NetworkScaling(curves, acc, success, biggest, sizes, noise_labels)


@dataclass(frozen=True)
class CoveredNoise:
    """Uniformly random binary images labelled by a network, and the classes the theorem covers.

    ``shares[c]``: the share of the ``pool`` images given label c, an estimate of the share of the whole space that
    class c fills; ``exempt``: the label whose share is above one half (None when no share is), the one class the
    theorem may not cover; ``images``, ``labels``: the first ``k`` pool images of the other classes, in pool order.
    """

    shares: torch.Tensor
    exempt: int | None
    images: torch.Tensor
    labels: torch.Tensor
    pool: int


def covered_noise(model, n: int, k: int = 16, pool: int = 400, seed: int = 1, classes: int = 10,
                  device=None) -> CoveredNoise:
    """Label ``pool`` uniformly random binary n-by-n images with ``model`` (seeded with ``seed``), estimate each
    class's share of the space, and keep the first ``k`` images of the classes other than one filling more than
    half of the pool (all classes when none does). The theorem covers every class of at most half the space; a
    class estimated above one half may be the exempt one. The estimate is a sample share: its standard error is
    at most 1 / (2 sqrt(pool)).
    """
    n = check_int("n", n, minimum=2)
    k = check_int("k", k, minimum=1)
    pool = check_int("pool", pool, minimum=k)
    classes = check_int("classes", classes, minimum=2)
    seed = check_int("seed", seed, minimum=0)
    device = check_device(device)
    if not callable(model):
        raise TypeError(f"model must be a network (a callable on images), got {type(model).__name__}")
    noise = ImageSpace(n).sample(pool, generator=torch.Generator().manual_seed(seed), device=device)
    labels = predict(model, noise)
    if int(labels.max()) >= classes:
        raise ValueError(f"classes must be the number of the model's classes: the model gave label "
                         f"{int(labels.max())} with classes={classes}")
    shares = torch.bincount(labels, minlength=classes).double() / pool
    top = int(shares.argmax())
    exempt = top if float(shares[top]) > 0.5 else None
    keep = labels != top if exempt is not None else torch.ones_like(labels, dtype=torch.bool)
    images, kept = noise[keep][:k], labels[keep][:k]
    if images.shape[0] < k:
        raise ValueError(f"only {images.shape[0]} of the {pool} pool images are outside the class over half; "
                         f"draw a larger pool to get k = {k}")
    return CoveredNoise(shares, exempt, images, kept, pool)


def describe(result: NetworkScaling) -> str:
    """A table: per n the test accuracy, the largest noise class share and each attack's success rate."""
    if not isinstance(result, NetworkScaling):
        raise TypeError(f"result must be a NetworkScaling (from cnn_scaling), got {type(result).__name__}")
    kinds_ps = sorted({(k, p) for (k, p, _) in result.success}, key=lambda t: (t[0], t[1]))
    head = f"{'n':>4s} {'accuracy':>8s} {'top noise class':>15s} " + " ".join(
        f"{k[:5]} p={p:g}".rjust(12) for k, p in kinds_ps)
    lines = [head]
    for n, a in result.accuracy.items():
        lines.append(f"{n:4d} {a:8.3f} {result.biggest_class[n]:15.2f} " + " ".join(
            f"{result.success[(k, p, n)]:12.2f}" for k, p in kinds_ps))
    return "\n".join(lines)


__all__ = ["CoveredNoise", "NetworkScaling", "cnn_scaling", "covered_noise", "describe"]
