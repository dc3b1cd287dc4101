"""The flip experiment: walk a shortest Hamming path from one lattice image to another and record where the
percept (a person's or a classifier's) changes class.

In the Hamming graph two images are neighbours when they differ in one entry, so a shortest path from x to y
changes each differing entry once, straight from its value in x to its value in y: it has exactly d_0(x, y) steps,
and the order of the changes is free. ``hamming_path`` builds such a path; ``FlipExperiment`` is the pure state
machine behind the widget (answers are kept in memory; ``save`` writes them only to a path the student names and
never overwrites a file unless ``overwrite=True``); ``classifier_flip`` finds where a model's label changes;
``typical_pair`` and ``pair_flips`` choose the endpoints of lesson 09's paths among correctly classified images.
Every search here is bounded: with an untrained network or unexpected data it raises an error saying what it
expected, instead of searching forever.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import torch

from .checks import check_bool, check_images, check_int, check_model
from .models import _predict
from .neighbours import nearest

ORDERS = ("random", "raster")


def hamming_path(x: torch.Tensor, y: torch.Tensor, order: str = "random",
                 generator: torch.Generator | None = None) -> torch.Tensor:
    """Images along a shortest Hamming path from ``x`` to ``y`` (each (c, n, n), same shape and device).

    Returns a tensor (d + 1, c, n, n) with d = d_0(x, y): entry 0 is x, entry d is y, and consecutive entries
    differ in exactly one entry. ``order`` says in which order the differing entries change: "random" (a uniform
    random order drawn with ``generator`` on the CPU, so the path is the same on every device) or "raster"
    (channel, row, column order).
    """
    check_images("x", x, dim=3)
    check_images("y", y, dim=3)
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same shape (channels, n, n), got {tuple(x.shape)} and "
                         f"{tuple(y.shape)}")
    if x.device != y.device:
        raise ValueError(f"x and y must be on the same device, got {x.device} and {y.device}")
    if not isinstance(order, str) or order not in ORDERS:
        raise ValueError(f"order must be one of {ORDERS}, got {order!r}")
    if generator is not None and not isinstance(generator, torch.Generator):
        raise TypeError(f"generator must be a torch.Generator or None, got {type(generator).__name__}")
    fx, fy = x.reshape(-1), y.reshape(-1)
    diff = torch.nonzero(fx != fy).reshape(-1)
    if order == "random":
        diff = diff[torch.randperm(diff.numel(), generator=generator).to(diff.device)]
    d = diff.numel()
    # Step k has the first k differing entries (in path order) taken from y: a lower-triangular mask.
    taken = torch.zeros(d + 1, fx.numel(), dtype=torch.bool, device=x.device)
    if d:
        steps = torch.arange(d + 1, device=x.device)[:, None] > torch.arange(d, device=x.device)[None, :]
        taken[:, diff] = steps
    path = torch.where(taken, fy[None, :], fx[None, :])
    return path.reshape(d + 1, *x.shape)


@torch.no_grad()
def classifier_flip(model, path: torch.Tensor, start_label: int,
                    batch_size: int = 512) -> tuple[int | None, torch.Tensor]:
    """Where a classifier stops seeing ``start_label`` along ``path`` (k, c, n, n).

    ``model`` maps a batch of images to logits (k, classes) or to labels (k,). Returns (the first step at which the
    predicted label differs from ``start_label``, or None if it never does; the predicted labels at every step).
    """
    check_images("path", path, nonempty=True)
    classes = check_model(model, path, "path", labels=True)
    start_label = check_int("start_label", start_label, minimum=0,
                            maximum=None if classes is None else classes - 1)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    labels = _predict(model, path, batch_size)
    off = torch.nonzero(labels != start_label).reshape(-1)
    return (int(off[0]) if off.numel() else None), labels


def _correct(model, x: torch.Tensor, y: torch.Tensor, batch_size: int) -> tuple[torch.Tensor, str]:
    """The mask of images that ``model`` labels correctly, and a sentence on how many they are (for errors)."""
    check_images("x", x, nonempty=True)
    if not isinstance(y, torch.Tensor) or y.shape != (x.shape[0],):
        raise ValueError(f"y must be a tensor of {x.shape[0]} labels (one per image), got "
                         f"{tuple(y.shape) if isinstance(y, torch.Tensor) else type(y).__name__}")
    check_model(model, x[:1], "x", labels=True)
    ok = _predict(model, x, 1024) == y.to(x.device)
    share = float(ok.float().mean())
    return ok, f"the network labels {int(ok.sum())} of the {x.shape[0]} images ({share:.1%}) correctly"


@torch.no_grad()
def typical_pair(model, x: torch.Tensor, y: torch.Tensor, first: int, second: int
                 ) -> tuple[torch.Tensor, torch.Tensor, int, int]:
    """A typical nearby pair of correctly classified images of classes ``first`` and ``second``.

    Every image of class ``first`` that ``model`` labels correctly is matched with its nearest (in d_0) correctly
    labelled image of class ``second`` (ties to the lowest index); the pair at the median of these distances is
    returned, as (start image, end image, their Hamming distance, the number of correctly labelled ``first``
    images). A RuntimeError says which class has no correctly labelled image (an untrained network, or data without
    that class).
    """
    ok, how = _correct(model, x, y, 1024)
    y = y.to(x.device)
    ends = []
    for c in (first, second):
        keep = ok & (y == c)
        if not bool(keep.any()):
            raise RuntimeError(f"no image of class {c} is labelled {c} by the network ({how}): is the network "
                               f"trained, and do the labels contain class {c}?")
        ends.append(x[keep])
    dist, match = nearest(ends[0], ends[1], p=0)
    k = int(dist.argsort()[len(dist) // 2])
    return ends[0][k], ends[1][match[k]], int(dist[k]), len(dist)


@torch.no_grad()
def pair_flips(model, x: torch.Tensor, y: torch.Tensor, pairs: int = 40, generator: torch.Generator | None = None,
               max_tries: int | None = None, batch_size: int = 512) -> tuple[torch.Tensor, torch.Tensor]:
    """Where ``model``'s label first changes along shortest Hamming paths between random pairs of images.

    Draws index pairs (i, j) uniformly with ``generator`` and keeps a pair when y[i] != y[j] and the model labels
    both images correctly; for each kept pair it walks ``hamming_path(x[i], x[j])`` in a random order (drawn with the
    same generator) and records ``classifier_flip``. Returns float32 tensors (flip steps, path lengths), one entry per
    pair, ``pairs`` of them.

    The search is bounded: after ``max_tries`` draws (default 25 per pair) without enough pairs it raises a
    RuntimeError that says how many it found, and it raises at once when no two classes have a correctly labelled
    image (an untrained network often labels every image alike). So the default needs about one draw in 25 to be a
    usable pair, which a network right on about a fifth of ten balanced classes reaches; a trained one needs about
    1.3 draws per pair.
    """
    pairs = check_int("pairs", pairs, minimum=1)
    max_tries = 25 * pairs if max_tries is None else check_int("max_tries", max_tries, minimum=pairs)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    if generator is not None and not isinstance(generator, torch.Generator):
        raise TypeError(f"generator must be a torch.Generator or None, got {type(generator).__name__}")
    ok, how = _correct(model, x, y, 1024)
    y = y.to(x.device)
    usable = torch.unique(y[ok]).tolist()
    if len(usable) < 2:
        raise RuntimeError(f"no pair of correctly labelled images of different classes exists: {how}, all of them "
                           f"in class {usable[0] if usable else '(none)'}. Is the network trained?")
    flips, lengths = [], []
    for _ in range(max_tries):  # a fixed number of draws: a network that is rarely right ends the search
        i, j = torch.randint(0, x.shape[0], (2,), generator=generator).tolist()
        if y[i] == y[j] or not (ok[i] and ok[j]):
            continue
        path = hamming_path(x[i], x[j], generator=generator)
        flip, _ = classifier_flip(model, path, int(y[i]), batch_size)
        if flip is None:  # the path's end, labelled in another batch, got the start's label: not a usable pair
            continue
        flips.append(flip)
        lengths.append(path.shape[0] - 1)
        if len(flips) == pairs:
            return torch.tensor(flips, dtype=torch.float32), torch.tensor(lengths, dtype=torch.float32)
    raise RuntimeError(f"found {len(flips)} of {pairs} correctly labelled pairs of different classes in {max_tries} "
                       f"tries ({how}): is the network trained? (pass a larger max_tries for a weak network)")


@dataclass
class FlipExperiment:
    """The student walks ``path`` (k + 1 images) in jumps of ``step`` entries and says what they see at each stop.

    ``classes`` are the two class names (start, end). ``answers`` maps the step index shown to the answer given:
    0 for classes[0], 1 for classes[1], None for "not sure". The experiment ends after the answer at the last image.
    """

    path: torch.Tensor
    classes: tuple[str, str]
    step: int = 10
    answers: dict[int, int | None] = field(default_factory=dict)
    position: int = 0

    def __post_init__(self):
        check_images("path", self.path)
        if self.path.shape[0] < 2:
            raise ValueError(f"path must have shape (k + 1, channels, n, n) with k >= 1, got {tuple(self.path.shape)}")
        self.step = check_int("step", self.step, minimum=1)
        if isinstance(self.classes, str) or not hasattr(self.classes, "__len__") or len(self.classes) != 2:
            raise ValueError(f"classes must be two names (start class, end class), got {self.classes!r}")
        self.classes = (str(self.classes[0]), str(self.classes[1]))

    @property
    def length(self) -> int:
        """Number of single-entry changes from the first to the last image (the Hamming distance)."""
        return self.path.shape[0] - 1

    @property
    def done(self) -> bool:
        return self.length in self.answers

    def stops(self) -> list[int]:
        """The step indices the student is shown: 0, step, 2 step, ..., and always the last one."""
        s = list(range(0, self.length, self.step))
        return s + [self.length]

    def image(self) -> torch.Tensor:
        """The image currently shown, (c, n, n)."""
        return self.path[self.position]

    def record(self, answer: int | None) -> None:
        """Record the answer for the current image and move to the next stop."""
        if isinstance(answer, bool) or answer not in (0, 1, None):
            raise ValueError(f"answer must be 0 ({self.classes[0]}), 1 ({self.classes[1]}) or None (not sure), "
                             f"got {answer!r}")
        if self.done:
            raise RuntimeError("the experiment is finished; call restart() to walk the path again")
        self.answers[self.position] = answer
        self.position = min(self.position + self.step, self.length)

    def restart(self) -> None:
        """Forget every answer and go back to the first image."""
        self.answers.clear()
        self.position = 0

    def answer_with(self, respond) -> None:
        """Answer every remaining stop with ``respond(image)`` (0, 1 or None for the image shown): a stand-in for
        the student. Bounded by the finite list of stops: one answer per stop."""
        for _ in self.stops():
            if self.done:
                return
            self.record(respond(self.image()))

    def flip_point(self) -> int | None:
        """The first stop at which the student answered the end class, or None if they never did."""
        for k in sorted(self.answers):
            if self.answers[k] == 1:
                return k
        return None

    def to_dict(self) -> dict:
        return {"classes": list(self.classes), "length": self.length, "step": self.step,
                "answers": {str(k): v for k, v in sorted(self.answers.items())}, "flip_point": self.flip_point()}

    def save(self, path, overwrite: bool = False) -> Path:
        """Write the answers as JSON to the file ``path`` the student names; never overwrites unless asked."""
        overwrite = check_bool("overwrite", overwrite)
        if not isinstance(path, (str, Path)) or not str(path):
            raise TypeError(f"path must be a non-empty file name (str or pathlib.Path), got {path!r}")
        p = Path(path)
        if p.is_dir():
            raise IsADirectoryError(f"path {str(p)!r} is a folder; give a file name such as 'my_flips.json'")
        if p.exists() and not overwrite:
            raise FileExistsError(f"path {str(p)!r} already exists; choose another name or pass overwrite=True")
        p.write_text(json.dumps(self.to_dict(), indent=2))
        return p
