"""Robust shares: per class, the share of its images whose robustness exceeds each radius.

One formula serves every census: :meth:`RobustShare.from_histogram` turns per-class counts of robustness values in
radius buckets into the shares, for the dense census (:func:`robust_share`, which buckets the values), the
bit-packed census (whose rounds count the images at each radius) and stored census records.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import torch

from ..checks import check_tensor
from . import tuning

__all__ = ["RobustShare", "robust_share"]


@dataclass(frozen=True)
class RobustShare:
    """Per class: its share of the space and the share of its images whose robustness exceeds each radius.

    ``classes`` (K,) labels present; ``size`` (K,) images per class; ``space_share`` (K,) = size / |V|;
    ``t`` (T,) radii; ``robust`` (K, T): share of the class with r > t (the robust core |C(t)| / |C|).
    NumPy arrays on the CPU, ready for matplotlib.

    Examples
    --------
    Four robustness values in one class (``labels=None``): half of them exceed 1, a quarter exceed 2:

    >>> import torch
    >>> share = robust_share(None, torch.tensor([1.0, 1.0, 2.0, 3.0]), [1, 2])
    >>> isinstance(share, RobustShare), share.size.tolist(), share.robust.tolist()
    (True, [4], [[0.5, 0.25]])
    """

    classes: np.ndarray
    size: np.ndarray
    space_share: np.ndarray
    t: np.ndarray
    robust: np.ndarray

    def core_share_of_space(self) -> np.ndarray:
        """|C(t)| / |V| for each class and radius, shape (K, T).

        Examples
        --------
        The 2x2 sum threshold (see :meth:`from_histogram`): the robust core of class 1 at t = 1 holds 5 of the 16
        images, at t = 2 one (the all-1 image):

        >>> share = RobustShare.from_histogram([0, 1], [5, 11], [[0, 4, 1], [0, 6, 4]], [0, 1, 2], total=16)
        >>> share.core_share_of_space().round(4).tolist()
        [[0.3125, 0.0625, 0.0], [0.6875, 0.3125, 0.0625]]
        """
        return self.robust * self.space_share[:, None]

    @classmethod
    def from_histogram(cls, classes, size, histogram, t, total: int) -> RobustShare:
        """The shares from counts: ``histogram[k, j]`` images of class ``classes[k]`` (of ``size[k]``) have
        robustness in (t[j-1], t[j]] (in [0, t[0]] for j = 0), for increasing radii ``t`` (T,); columns beyond T
        (values above every radius, or none) are not needed. ``total`` is the number of images of the space.
        The share with r > t[j] is (size - the counts of buckets 0..j) / size, in exact integers up to the division.

        Examples
        --------
        The 2x2 binary space labelled by the sum threshold, at t = 0, 1, 2: class 0 (5 images) has four images with
        r_0 = 1 and one with r_0 = 2; class 1 (11 images) six with r_0 = 1, four with 2 and one with 3 (above every
        radius: not needed). Class 1 keeps 5/11 of its images at t = 1 and 1/11 at t = 2:

        >>> share = RobustShare.from_histogram([0, 1], [5, 11], [[0, 4, 1], [0, 6, 4]], [0, 1, 2], total=16)
        >>> share.robust.round(4).tolist(), share.space_share.tolist()
        ([[1.0, 0.2, 0.0], [1.0, 0.4545, 0.0909]], [0.3125, 0.6875])
        """
        size = np.asarray(size, dtype=np.int64)
        t = np.asarray(t)
        above = size[:, None] - np.cumsum(np.asarray(histogram, dtype=np.int64), axis=1)[:, :len(t)]
        return cls(classes=np.asarray(classes, dtype=np.int64), size=size, space_share=size / total, t=t,
                   robust=above / size[:, None])


def robust_share(labels: torch.Tensor | None, r: torch.Tensor, t) -> RobustShare:
    """Per class: its share of the space and the share of its images with r > t, for every radius in ``t``.

    ``labels`` (uint8) and ``r`` (from :func:`perturbkit.census.robustness`) have one value per image; ``t`` is a
    number or a 1-D sequence of radii in the units of ``r``. ``labels=None`` puts every value of ``r`` in one class 0
    (a sample of robustness values, e.g. :func:`perturbkit.sum_classifier.sum_robustness`): ``robust[0]`` is then
    the share of the sample above each radius. Costs one bucketize and one bincount over the values.

    Examples
    --------
    The 2x2 binary space labelled by the sum threshold: class 0 has 5 images, class 1 has 11; at t = 1, 1 of the 5
    and 5 of the 11 stay robust, at t = 2 none and 1 of the 11 (the all-1 image, r_0 = 3):

    >>> from perturbkit.census import label_space, robustness
    >>> from perturbkit.classifiers import sum_threshold
    >>> from perturbkit.spaces import ImageSpace
    >>> labels = label_space(sum_threshold, ImageSpace(2))
    >>> share = robust_share(labels, robustness(labels, ImageSpace(2), 0), [0, 1, 2])
    >>> share.classes.tolist(), share.size.tolist(), share.robust.round(4).tolist()
    ([0, 1], [5, 11], [[1.0, 0.2, 0.0], [1.0, 0.4545, 0.0909]])
    """
    if not isinstance(r, torch.Tensor) or not r.is_floating_point():
        raise TypeError(f"r must be a floating torch.Tensor (from robustness), got "
                        f"{getattr(r, 'dtype', type(r).__name__)}")
    check_tensor("r", r)
    if labels is None:
        labels = torch.zeros(r.shape, dtype=torch.uint8, device=r.device)
    if not isinstance(labels, torch.Tensor) or labels.dtype != torch.uint8:
        raise TypeError(f"labels must be a uint8 torch.Tensor (from label_space) or None, got "
                        f"{getattr(labels, 'dtype', type(labels).__name__)}")
    check_tensor("labels", labels)
    labels, r = labels.reshape(-1), r.reshape(-1)
    if r.numel() == 0:
        raise ValueError("r is empty: the share of no values is undefined")
    if labels.numel() != r.numel():
        raise ValueError(f"labels and r must have one value per image each, got {labels.numel()} and {r.numel()}")
    if labels.device != r.device:
        raise ValueError(f"labels and r must be on the same device, got {labels.device} and {r.device}")
    if r.numel() and bool(torch.isnan(r).any()):
        raise ValueError(f"r contains {int(torch.isnan(r).sum())} NaN value(s); robustness values are >= 0 or inf")
    if r.numel() and bool((r < 0).any()):
        raise ValueError(f"r contains {int((r < 0).sum())} negative value(s), e.g. {float(r.min())}; robustness "
                         f"values are >= 0 or inf")
    if isinstance(t, (str, bytes)) or t is None or isinstance(t, bool):
        raise TypeError(f"t must be a number or a 1-D sequence of radii, got {t!r}")
    try:
        t = np.atleast_1d(np.asarray(t, dtype=np.float64))
    except OverflowError:
        raise ValueError("t must hold radii a float can hold, got an integer too large for a float") from None
    except (TypeError, ValueError) as e:
        raise TypeError(f"t must be a number or a 1-D sequence of radii, got {t!r}") from e
    if t.ndim != 1 or np.isnan(t).any():
        raise ValueError(f"t must be a number or a 1-D sequence of radii without NaN, got {t!r}")
    order = np.argsort(t, kind="stable")
    ts = torch.tensor(t[order], dtype=r.dtype, device=r.device)
    T = len(t)
    # bucket j means ts[j-1] < r <= ts[j]; r > ts[i] exactly when bucket > i. The histogram of (class, bucket) is
    # summed over chunks of 2^22 values: the int64 keys of a whole 2^25 census would need three 256 MiB temporaries
    # at once (the peak memory of lessons 04 and 06); counts add exactly, so the result is the same.
    hist = torch.zeros(256 * (T + 1), dtype=torch.int64, device=r.device)
    step = tuning.SHARE_CHUNK
    for start in range(0, r.numel(), step):
        chunk = slice(start, start + step)
        key = labels[chunk].to(torch.int64) * (T + 1) + torch.bucketize(r[chunk], ts, right=False)
        hist += torch.bincount(key, minlength=256 * (T + 1))
    hist = hist.reshape(256, T + 1).cpu().numpy()
    size = hist.sum(axis=1)
    classes = np.nonzero(size)[0]
    share = RobustShare.from_histogram(classes, size[classes], hist[classes], t[order], total=labels.numel())
    robust = np.empty_like(share.robust)
    robust[:, order] = share.robust  # back to the order of t as given
    return replace(share, t=t, robust=robust)
