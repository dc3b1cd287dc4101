"""The sum classifier (the paper's Algorithm 1, as the course states it): labels, exact minimal perturbations, the
distribution of the level sum and the Monte Carlo of its robustness. The one home of this classifier.

Labels. An image x with N entries in [0, 1] gets label 1 when its sum S = sum_i x_i is at least N/2 (half of the
largest possible sum), else 0. On the L-level lattice the test is exact in integers: with s the sum of the levels
(digits 0..K, K = L - 1), label 1 iff 2*s >= N*K (:func:`decide`). Images given without their lattice (``levels``
None, as :func:`perturbkit.classifiers.sum_threshold` gets them) are compared in float64 with a margin of
``TOLERANCE`` = 1e-6 below N/2. The margin cannot go: the float32 values of k/(L-1) are rounded both ways, so an
image exactly on the threshold can sum to just below N/2 (for example N = 2, L = 19: 3/18 + 15/18 sums to
1 - 1.5e-8 in float32 values). It is far below the smallest gap a lattice can have (one level step, >= 1/255 for the
spaces the course enumerates), so lattice labels are exact; pass ``levels`` to compare in integers anyway.

Minimal perturbations. To change the label of a label-1 image we must lower the sum below N/2 (strictly); for a
label-0 image we must raise it to N/2 or more. Lowering entry i can gain at most x_i ("room"), raising it at most
1 - x_i. So, for each image,

    minimise  cost(delta)  over  0 <= delta_i <= room_i  with  sum_i delta_i = D,

with D the required change of the sum and cost the d_p size. It is separable, so:

* p <= 1 (the cost per entry, 1[d > 0] for p = 0 and d**p otherwise, is concave): fill the entries with the most
  room first, completely, with at most one entry changed partially. Why this is optimal: take any solution and two
  entries i, j with room_i >= room_j, delta_i < room_i and delta_j > 0. Moving as much as possible of delta_j onto i
  keeps the sum and makes the pair more spread out (it majorises the old pair), which never raises a concave cost.
  Repeating this ends in the greedy fill. The same argument works for integer amounts, so it is exact on the lattice.
* p > 1 (convex cost, including p = 2 and p = inf): water-filling. Every entry is moved by min(room_i, lambda), with
  lambda chosen so that the changes add up to D. This allocation is majorised by every other feasible one, so it is
  optimal for every convex symmetric cost at once. On the lattice the amounts are whole steps: each entry gets
  min(room_i, m) steps for the integer level m = floor(lambda) and the R steps still missing go one each to R
  entries with room > m (their marginal cost is the same, so which ones does not matter).

Lattice images (``levels`` = L given) move in whole steps of 1/(L-1), so the perturbed image stays on the lattice
and the strict inequality is honoured exactly. Continuous images (``levels=None``): lowering the sum to *exactly*
N/2 leaves the label at 1, so for a label-1 image the minimum is not attained; we return the infimum (the point on
the threshold). Label-0 images reach the threshold and flip exactly.

Robustness of random images. The minimal perturbation of a lattice image depends only on its histogram of levels,
so :func:`minimal_sizes` works from level counts and :func:`sum_robustness` draws the histogram of a uniformly
random image directly (a multinomial draw): exact sizes for 256x256 images cost almost nothing. The digit sum of a
random image has the distribution :func:`level_sum_pmf`; :func:`steps_to_cross` gives the level steps each sum needs.

Tensors stay on the device of their input (sorting, cumulative sums, scatter run there); the distributions are
NumPy/SciPy on the CPU; random counts use numpy's seeded generator, so they do not depend on the device.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from scipy.signal import fftconvolve
from scipy.stats import binom

from .census.labelling import entry_sums
from .checks import check_device, check_images, check_int, check_lattice, check_p, check_space_memory, check_tensor
from .norms import size
from .spaces import ImageSpace, lattice_digits

TOLERANCE = 1e-6  # margin below N/2 for images given without their lattice (see the module notes)

__all__ = ["TOLERANCE", "SumModel", "binary_histogram", "decide", "decide_sums", "labels", "level_sum_pmf",
           "level_table", "minimal", "minimal_sizes", "random_level_counts", "space_labels", "steps_to_cross",
           "sum_robustness"]


# ---------------------------------------------------------------------------------------------------- labels
def decide(s, N: int, levels: int = 2) -> torch.Tensor | np.ndarray | bool:
    """The label rule on a digit sum ``s`` (int tensor or array) of N entries with ``levels`` levels: 2*s >= N*K.

    Examples
    --------
    A 3x3 binary image (N = 9) is labelled 1 from 5 ones on (2 * 5 >= 9), 0 with 4:

    >>> bool(decide(5, 9)), bool(decide(4, 9))
    (True, False)
    """
    if not isinstance(N, torch.Tensor):  # a tensor N holds one count of entries per sum (minimal_sizes)
        N = check_int("N", N, minimum=1)
    levels = check_int("levels", levels, minimum=2)
    if isinstance(s, torch.Tensor):
        check_tensor("s", s)
        exact = not (s.is_floating_point() or s.is_complex() or s.dtype == torch.bool)
    elif isinstance(s, np.ndarray):
        exact = s.dtype.kind in "iu"
    else:
        exact = isinstance(s, (int, np.integer)) and not isinstance(s, (bool, np.bool_))
    if not exact:
        raise TypeError(f"s must be a digit sum: an integer, or an integer tensor or array, got "
                        f"{getattr(s, 'dtype', None) or type(s).__name__}")
    return 2 * s >= N * (levels - 1)


def level_table(space: ImageSpace) -> torch.Tensor:
    """The sum classifier as a sum-type labelling (:class:`perturbkit.census.EntrySum`): every entry contributes its
    level 0..L-1 (int32, shape (num_entries, levels)); the rule is :func:`decide_sums`.

    Examples
    --------
    2x2 images with 3 levels: 4 entries, each adding 0, 1 or 2 to the sum:

    >>> from perturbkit.spaces import ImageSpace
    >>> table = level_table(ImageSpace(2, levels=3))
    >>> tuple(table.shape), table[0].tolist()
    ((4, 3), [0, 1, 2])
    """
    return torch.arange(space.levels, dtype=torch.int32).expand(space.num_entries, space.levels)


def decide_sums(s: torch.Tensor, space: ImageSpace) -> torch.Tensor:
    """:func:`decide` on digit sums of images of ``space`` (bool, on the sums' device).

    Examples
    --------
    2x2 images with 3 levels: the sums run from 0 to 8 and label 1 starts at half of 8:

    >>> import torch
    >>> from perturbkit.spaces import ImageSpace
    >>> decide_sums(torch.tensor([0, 3, 4, 8]), ImageSpace(2, levels=3)).tolist()
    [False, False, True, True]
    """
    return decide(s, space.num_entries, space.levels)


def _threshold(N: int, K: int) -> int:
    """ceil(N*K/2): the smallest digit sum with label 1."""
    return (N * K + 1) // 2


def _digits(images: torch.Tensor, levels: int) -> torch.Tensor:
    """Integer levels (int64, shape (k, N)) of lattice images (k, channels, n, n)."""
    check_lattice("images", check_images("images", images), levels)
    return lattice_digits(images, levels).to(torch.int64).flatten(1)


def labels(images: torch.Tensor, levels: int | None = None) -> torch.Tensor:
    """Labels (int64, shape (k,), on the images' device) of images (k, channels, n, n) in [0, 1]: 1 iff sum >= N/2.

    With ``levels`` the comparison is exact in integer levels (images must lie on that lattice); without, the sum
    is compared with N/2 - ``TOLERANCE``.

    Examples
    --------
    Two 3x3 binary images, with 5 and with 4 ones (image indices 0b111110000 and 0b111100000):

    >>> from perturbkit.spaces import ImageSpace
    >>> x = ImageSpace(3).images([0b111110000, 0b111100000])
    >>> labels(x, levels=2).tolist(), labels(x).tolist()
    ([1, 0], [1, 0])
    """
    if levels is not None:
        levels = check_int("levels", levels, minimum=2)
        d = _digits(images, levels)
        return decide(d.sum(dim=1), d.shape[1], levels).to(torch.int64)
    v = check_images("images", images).flatten(1)
    return (v.sum(dim=1, dtype=torch.float64) >= v.shape[1] / 2 - TOLERANCE).to(torch.int64)


def space_labels(space: ImageSpace, device=None) -> torch.Tensor:
    """Labels (uint8, shape (L**N,), index order of ``space``) of every image of ``space``, without building images:
    the digit sums of all images come from N broadcast additions (:func:`perturbkit.census.labelling.entry_sums`),
    then :func:`decide` (exact integers).

    Examples
    --------
    The 16 images of the 2x2 binary space: label 1 for the 11 with at least 2 ones (index order, as ImageSpace):

    >>> from perturbkit.spaces import ImageSpace
    >>> y = space_labels(ImageSpace(2))
    >>> y.tolist()
    [0, 0, 0, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1]
    >>> int(y.sum())
    11
    """
    if not isinstance(space, ImageSpace):
        raise TypeError(f"space must be a perturbkit.spaces.ImageSpace, got {type(space).__name__}")
    device = check_device(device)
    # the int32 sums, the broadcast sum of the next entry (int32), the decision (bool) and the uint8 labels
    check_space_memory(space, 4 + 4 + 1 + 1, device or "cpu", f"the labels of every image of {space!r}")
    space.check_indexable()
    return decide_sums(entry_sums(level_table(space), device), space).to(torch.uint8)


class SumModel(torch.nn.Module):
    """The sum classifier as a two-logit network, for the attacks: logits (-z, z) with z = S - N/2 + 1e-4, S the sum
    of an image's N entries, so its prediction is 1 exactly when S >= N/2 (the tie at S = N/2 goes to 1, within
    1e-4 as :func:`labels` without ``levels``). Its gradient is the same for every entry. Works on any device.

    Examples
    --------
    >>> from perturbkit.spaces import ImageSpace
    >>> x = ImageSpace(3).images([0b111110000, 0b111100000])
    >>> SumModel()(x).argmax(dim=1).tolist(), labels(x).tolist()
    ([1, 0], [1, 0])
    """

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits (k, 2) of images x (k, ...), on x's device: (-z, z) with z = S - N/2 + 1e-4.

        Examples
        --------
        The all-ones 2x2 image: S = 4, N/2 = 2.

        >>> import torch
        >>> [round(v, 4) for v in SumModel()(torch.ones(1, 1, 2, 2))[0].tolist()]
        [-2.0001, 2.0001]
        """
        z = x.flatten(1).sum(dim=1) - x[0].numel() / 2 + 1e-4
        return torch.stack([-z, z], dim=1)


# ---------------------------------------------------------------------------------------------------- minimal sizes
def _greedy(rooms: torch.Tensor, need: torch.Tensor) -> torch.Tensor:
    """Concave costs (p <= 1): fill entries with the most room first; at most one partial entry. Shapes (k, N), (k,)."""
    order = torch.argsort(rooms, dim=1, descending=True, stable=True)
    r = rooms.gather(1, order)
    before = r.cumsum(dim=1) - r  # how much the larger-room entries already supply
    d = torch.minimum(r, (need[:, None] - before).clamp_min(0))
    return torch.zeros_like(rooms).scatter(1, order, d)


def _water_fill(rooms: torch.Tensor, need: torch.Tensor) -> torch.Tensor:
    """Convex costs (p > 1): move every entry by min(room, level); integer rooms give whole steps.

    Shapes (k, N), (k,)."""
    k, N = rooms.shape
    order = torch.argsort(rooms, dim=1, stable=True)  # ascending
    r = rooms.gather(1, order)
    prefix = r.cumsum(dim=1) - r  # sum of the smaller rooms, all filled when the level reaches r_j
    j = torch.arange(N, device=rooms.device)
    left = (N - j).to(rooms.dtype)  # entries from j on
    filled_at = prefix + left * r  # total change when the level equals r_j (non-decreasing in j)
    # The first entry that is not filled completely; need <= total room, so at most N - 1.
    first = (filled_at < need[:, None]).sum(dim=1).clamp_max(N - 1)[:, None]
    rest = need[:, None] - prefix.gather(1, first)
    width = left.expand(k, N).gather(1, first)
    if rooms.dtype.is_floating_point:
        d = torch.minimum(r, rest / width)
    else:
        m = torch.div(rest, width, rounding_mode="floor")  # exact integer level
        extra = rest - m * width  # steps still missing, one each to the entries first, first+1, ...
        gets_extra = (j[None, :] >= first) & (j[None, :] < first + extra)
        d = torch.minimum(r, m) + gets_extra.to(rooms.dtype)
    return torch.zeros_like(rooms).scatter(1, order, d)


def minimal(images: torch.Tensor, p: float, levels: int | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Exact minimal d_p perturbation of each image that changes its sum-classifier label.

    Args:
        images: float tensor of shape (k, channels, n, n) with values in [0, 1], on any device. With ``levels``
            they must lie on the ``levels``-level lattice {0, 1/(L-1), ..., 1}.
        p: the norm exponent in [0, inf] (0 counts changed entries; 0 < p < 1 is sum |d|^p without the root).
        levels: None for continuous images, else the number of grey levels L >= 2.

    Returns:
        (perturbed, sizes): perturbed images (same shape, dtype and device as ``images``; on the lattice when
        ``levels`` is given) and their d_p distances to ``images`` (shape (k,), the images' dtype), in intensity
        units. For continuous label-1 images the size is an infimum and the returned image lies on the threshold.

    Examples
    --------
    The all-ones 3x3 binary image (label 1) must fall to 4 ones: 5 changed entries, of size 5 in d_0 and sqrt(5) in
    l2. An image with 5 ones needs one flip:

    >>> from perturbkit.spaces import ImageSpace
    >>> x = ImageSpace(3).images([0b111111111, 0b111110000])
    >>> perturbed, sizes = minimal(x, 0, levels=2)
    >>> sizes.tolist(), labels(perturbed, levels=2).tolist()
    ([5.0, 1.0], [0, 0])
    >>> [round(v, 4) for v in minimal(x, 2, levels=2)[1].tolist()]
    [2.2361, 1.0]

    Continuous images move by less: the 2x2 image of all 0.6 (sum 2.4 >= 2) reaches the threshold sum 2 with a
    change of 0.1 per entry, which is the infimum 0.4 in l1 and 0.1 in l_inf:

    >>> import math, torch
    >>> x = torch.full((1, 1, 2, 2), 0.6)
    >>> round(float(minimal(x, 1)[1][0]), 4), round(float(minimal(x, math.inf)[1][0]), 4)
    (0.4, 0.1)
    """
    p = check_p(p)
    if levels is None:
        up = labels(images) == 0  # label 0: raise the sum; label 1: lower it
        v, top = images.flatten(1).to(torch.float64), 1.0
        s, half = v.sum(dim=1), v.shape[1] / 2
        need = torch.where(up, half - s, (s - half).clamp_min(0))  # within TOLERANCE below N/2: already there
    else:
        levels = check_int("levels", levels, minimum=2)
        v, top = _digits(images, levels), levels - 1  # int64 levels: exact arithmetic
        s, half = v.sum(dim=1), _threshold(v.shape[1], levels - 1)
        up = ~decide(s, v.shape[1], levels)
        need = torch.where(up, half - s, s - half + 1)  # label 1 must end strictly below N*K/2
    rooms = torch.where(up[:, None], top - v, v)
    delta = _greedy(rooms, need) if p <= 1 else _water_fill(rooms, need)
    delta = torch.where(up[:, None], delta, -delta)
    if levels is None:
        new = (v + delta).clamp(0, 1)
        step_delta = delta
    else:
        # The same float32 values as ImageSpace.images, so the result is exactly on the lattice.
        new = (v + delta).to(torch.float32) * (1.0 / top)
        step_delta = delta.to(torch.float64) / top
    return new.to(images.dtype).reshape(images.shape), size(step_delta, p).to(images.dtype)


def minimal_sizes(counts: torch.Tensor, p: float) -> torch.Tensor:
    """Exact minimal d_p sizes for lattice images described only by how many entries sit at each level.

    The minimal perturbation depends on an image only through its histogram of levels, so this gives the same sizes
    as :func:`minimal` without materialising images. ``counts`` is an integer tensor of shape (k, L):
    counts[i, v] entries of image i are at level v/(L-1). Returns float64 sizes of shape (k,) on the device of
    ``counts`` (intensity units).

    Examples
    --------
    The same two 3x3 binary images as in :func:`minimal`, by their counts of 0s and 1s:

    >>> import torch
    >>> minimal_sizes(torch.tensor([[0, 9], [4, 5]]), 0).tolist()
    [5.0, 1.0]
    """
    p = check_p(p)
    if isinstance(counts, torch.Tensor):
        check_tensor("counts", counts)
    if not isinstance(counts, torch.Tensor) or counts.dim() != 2 or counts.shape[1] < 2:
        raise ValueError(f"counts must be a tensor of shape (k, levels) with levels >= 2, got "
                         f"{tuple(counts.shape) if isinstance(counts, torch.Tensor) else type(counts).__name__}")
    if counts.is_floating_point() or counts.dtype == torch.bool:
        raise TypeError(f"counts must be an integer tensor, got dtype {counts.dtype}")
    c = counts.to(torch.int64)
    if c.numel() and bool((c < 0).any()):
        raise ValueError("counts must be >= 0")
    N = c.sum(dim=1)
    if c.numel() and bool((N < 1).any()):
        raise ValueError("every row of counts must describe an image with at least one entry")
    top = c.shape[1] - 1
    lv = torch.arange(top + 1, device=c.device)
    s = (c * lv).sum(dim=1)
    up = ~decide(s, N, top + 1)
    # rooms[i, r] = number of entries of image i that can move by r steps towards the threshold
    rooms = torch.where(up[:, None], c.flip(1), c)
    need = torch.where(up, _threshold(N, top) - s, s - _threshold(N, top) + 1)
    unit = torch.tensor(1.0 / top, dtype=torch.float64, device=c.device)
    r = lv.to(torch.float64)
    if p <= 1:
        # greedy from the largest room down: at room r, whole entries while the need lasts, then one partial entry
        supply = rooms * lv
        above = supply.flip(1).cumsum(1).flip(1) - supply  # supplied by rooms larger than r
        left = (need[:, None] - above).clamp_min(0)
        full = torch.minimum(torch.div(left, lv.clamp_min(1), rounding_mode="floor"), rooms)
        full[:, 0] = 0
        partial = need - (full * lv).sum(dim=1)
        if p == 0:
            return full.sum(dim=1).to(torch.float64) + (partial > 0).to(torch.float64)
        return (full * (r * unit) ** p).sum(dim=1) + (partial * unit) ** p
    # water-filling: the largest integer level m whose filling f(m) = sum_r rooms_r * min(r, m) is <= need
    below = (rooms * lv).cumsum(1)  # sum of r * rooms_r for r <= m
    more = N[:, None] - rooms.cumsum(1)  # entries with room > m
    filled = below + lv * more  # f(m), m = 0..top, non-decreasing
    m = ((filled <= need[:, None]).sum(dim=1) - 1).clamp_min(0)
    extra = need - filled.gather(1, m[:, None])[:, 0]  # steps still missing: one each to entries with room > m
    rest = more.gather(1, m[:, None])[:, 0] - extra  # entries with room > m that stay at m
    small = lv[None, :] <= m[:, None]
    mf = m.to(torch.float64)
    if p == math.inf:
        biggest_small = torch.where(small & (rooms > 0), r, torch.zeros_like(r)).amax(dim=1)
        top_move = torch.where(extra > 0, mf + 1, torch.where(rest > 0, mf, biggest_small))
        return top_move * unit
    total = (torch.where(small, rooms, 0) * r**p).sum(dim=1) + rest * mf**p + extra * (mf + 1) ** p
    return total ** (1 / p) * unit


# ---------------------------------------------------------------------------------------------------- random images
def level_sum_pmf(N: int, levels: int = 2) -> np.ndarray:
    """Exact distribution of the digit sum s of N independent uniform entries on 0..levels-1: array of length
    N*(levels-1) + 1, index s. Binary images give the Binomial(N, 1/2) probabilities.

    Examples
    --------
    Two binary entries sum to 0, 1, 2 with probabilities 1/4, 1/2, 1/4; two entries with 3 levels (0, 1, 2) sum to
    0..4 in 1, 2, 3, 2, 1 of 9 ways:

    >>> [round(q, 4) for q in level_sum_pmf(2).tolist()]
    [0.25, 0.5, 0.25]
    >>> [round(9 * q, 4) for q in level_sum_pmf(2, levels=3).tolist()]
    [1.0, 2.0, 3.0, 2.0, 1.0]
    """
    N = check_int("N", N, minimum=1)
    levels = check_int("levels", levels, minimum=2)
    if levels == 2:
        return binom.pmf(np.arange(N + 1), N, 0.5)  # closed form, fast for N up to millions
    one = np.full(levels, 1.0 / levels)
    out, power, m = np.ones(1), one, N
    while m:  # exponentiation by squaring of the convolution power; ends: m halves each time
        if m & 1:
            out = fftconvolve(out, power)
        m >>= 1
        if m:
            power = fftconvolve(power, power)
    out = np.clip(out, 0.0, None)  # FFT round-off can leave -1e-17
    return out / out.sum()


def steps_to_cross(N: int, levels: int = 2) -> np.ndarray:
    """For every digit sum s = 0..N*K, the number of level steps needed to change the label (label-1 sums must fall
    strictly below N*K/2, label-0 sums reach ceil(N*K/2)): the exact minimal l1 perturbation in level steps.

    Examples
    --------
    3 binary entries: sums 0 and 1 are label 0 and need 2 and 1 steps up to 2; sums 2 and 3 need 1 and 2 steps down
    to 1:

    >>> steps_to_cross(3).tolist()
    [2, 1, 1, 2]
    """
    N = check_int("N", N, minimum=1)
    K = check_int("levels", levels, minimum=2) - 1
    s = np.arange(N * K + 1)
    half = _threshold(N, K)
    return np.where(decide(s, N, K + 1), s - half + 1, half - s)


def binary_histogram(N: int) -> np.ndarray:
    """The closed form of the census on {0, 1}^N: histogram (2, N+1) of r_0 for class 0 and class 1.

    On binary images one changed entry is one step, so an image with s ones has r_0 = steps_to_cross(N)[s], and
    C(N, s) images have s ones. Class 1 (s >= h = ceil(N/2)) has C(N, h + t - 1) images with r_0 = t and class 0
    has C(N, h - t); the largest robustness is N - h + 1 in class 1 and h in class 0.

    Examples
    --------
    {0, 1}^3: class 0 has 3 images (one 1) with r_0 = 1 and 1 image (no 1) with r_0 = 2; class 1 likewise:

    >>> binary_histogram(3).tolist()
    [[0, 3, 1, 0], [0, 3, 1, 0]]
    """
    N = check_int("N", N, minimum=1)
    hist = np.zeros((2, N + 1), dtype=np.int64)
    for s, t in enumerate(steps_to_cross(N).tolist()):
        hist[int(decide(s, N)), t] += math.comb(N, s)
    return hist


def random_level_counts(n: int, levels: int = 2, samples: int = 1000, seed: int = 0, channels: int = 1,
                        device=None) -> torch.Tensor:
    """Histograms of levels of ``samples`` uniformly random n-by-n images: int64 (samples, levels) on ``device``.

    Each row has the distribution of the level counts of an image whose N = channels*n*n entries are independent
    and uniform on the ``levels`` levels (a multinomial). The draw depends only on (seed, n, levels, channels).

    Examples
    --------
    Every row counts the 0s and the 1s of a random 3x3 binary image, so it adds up to 9:

    >>> counts = random_level_counts(3, samples=4, seed=0)
    >>> tuple(counts.shape), counts.sum(dim=1).tolist()
    ((4, 2), [9, 9, 9, 9])
    """
    space = ImageSpace(n, levels, channels)
    samples = check_int("samples", samples, minimum=1)
    seed = check_int("seed", seed, minimum=0)
    device = check_device(device)
    rng = np.random.default_rng([seed, space.n, space.levels, space.channels])
    counts = rng.multinomial(space.num_entries, np.full(space.levels, 1.0 / space.levels), size=samples)
    return torch.from_numpy(counts.astype(np.int64)).to(device)


def sum_robustness(n: int, p: float, levels: int = 2, samples: int = 1000, seed: int = 0, channels: int = 1,
                   device=None) -> torch.Tensor:
    """Exact minimal d_p perturbation that changes the sum classifier's label, for ``samples`` random n-by-n
    images (:func:`random_level_counts`): float64, shape (samples,), intensity units.

    Examples
    --------
    A random 3x3 binary image needs between 1 and 5 flips (the all-ones and all-zeros images need 5):

    >>> sizes = sum_robustness(3, 0, samples=100, seed=0)
    >>> tuple(sizes.shape), 1 <= float(sizes.min()), float(sizes.max()) <= 5
    ((100,), True, True)
    """
    return minimal_sizes(random_level_counts(n, levels, samples, seed, channels, device), p)
