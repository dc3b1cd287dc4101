"""Image spaces: every n-by-n image with ``channels`` channels whose entries take ``levels`` grey levels.

An image has N = channels * n * n entries, each one of the values 0, 1/(L-1), ..., 1 (L = ``levels``). The space
holds L**N images. We number them in mixed radix L: entry 0 (channel 0, row 0, column 0, in C order) is the most
significant digit. So ``labels.reshape((L,) * N)`` puts entry i on axis i, which is what the census kernel uses.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import torch

from .checks import check_device, check_finite, check_int, check_p, check_real

_INT64_MAX = 2**63 - 1
_SIZE_BITS = 2**22  # the largest log2 of a space's size that ``size`` writes out (ImageNet crops: 1,204,224 bits)


def lattice_digits(x: torch.Tensor, levels: int) -> torch.Tensor:
    """The integer levels of images ``x`` on the ``levels``-level lattice {0, 1/(L-1), ..., 1}, rounded, as floats
    of x's dtype on x's device; unchecked (callers check the lattice first, or round on purpose). The one digit
    computation of the package: :meth:`ImageSpace.to_digits`, the sum classifier and the lattice attacks use it.

    Examples
    --------
    Four intensities on the 4-level lattice {0, 1/3, 2/3, 1}; 0.34 and 0.66 round to the nearest level:

    >>> import torch
    >>> lattice_digits(torch.tensor([0.0, 0.34, 0.66, 1.0]), 4).tolist()
    [0.0, 1.0, 2.0, 3.0]
    """
    return torch.round(x * (levels - 1))


class ImageSpace:
    """All n-by-n images with ``channels`` channels and ``levels`` values per entry, under the uniform measure.

    Images are float32 tensors of shape (k, channels, n, n) with values k/(levels-1) in [0, 1]; indices are int64
    tensors. Methods create tensors on ``device`` (default CPU) and keep inputs on the device they came on.

    Examples
    --------
    The 2x2 binary images: 4 entries, so 2**4 = 16 images. Image 5 is 0101 in binary, read in C order:

    >>> space = ImageSpace(2)
    >>> space.size, space.num_entries, space.shape
    (16, 4, (1, 2, 2))
    >>> space.images([5]).flatten().tolist()
    [0.0, 1.0, 0.0, 1.0]
    >>> space.indices(space.images([5, 6])).tolist()
    [5, 6]

    The theorem's budget for p = 2 is sqrt(n) = sqrt(2), and the all-0 image is 2 away from the all-1 image in l2:

    >>> round(space.budget(2), 4), space.diameter(2)
    (1.4142, 2.0)

    Three grey levels (0, 1/2, 1) give 3**4 = 81 images:

    >>> ImageSpace(2, levels=3).size
    81
    """

    def __init__(self, n: int, levels: int = 2, channels: int = 1):
        self.n = check_int("n", n, minimum=1)
        self.levels = check_int("levels", levels, minimum=2)
        self.channels = check_int("channels", channels, minimum=1)

    # ----------------------------------------------------------------- sizes
    @property
    def num_entries(self) -> int:
        """N = channels * n * n, the number of entries (pixel-channels) of one image.

        Examples
        --------
        >>> ImageSpace(28).num_entries, ImageSpace(32, channels=3).num_entries
        (784, 3072)
        """
        return self.channels * self.n * self.n

    @property
    def shape(self) -> tuple[int, int, int]:
        """Shape of one image: (channels, n, n).

        Examples
        --------
        >>> ImageSpace(32, channels=3).shape
        (3, 32, 32)
        """
        return (self.channels, self.n, self.n)

    @property
    def size(self) -> int:
        """Number of images, levels ** N, as an exact Python int (refused, with a clear error, beyond 2**(2**22):
        such an integer takes seconds to minutes to compute, and no computation can visit that many images).

        Examples
        --------
        >>> ImageSpace(2).size, ImageSpace(3, levels=3).size == 3**9
        (16, True)
        """
        bits = self.num_entries * math.log2(self.levels)
        if bits > _SIZE_BITS:
            raise ValueError(f"{self!r} has about 2^{bits:.4g} images ({self.levels}**{self.num_entries}), too many to "
                             f"count exactly or to visit; use sample(), or a smaller n, levels or channels")
        return self.levels**self.num_entries

    @property
    def step(self) -> float:
        """Distance between neighbouring grey levels, 1/(levels-1).

        Examples
        --------
        >>> ImageSpace(2).step, ImageSpace(2, levels=3).step
        (1.0, 0.5)
        """
        return 1.0 / (self.levels - 1)

    def __repr__(self) -> str:
        return f"ImageSpace(n={self.n}, levels={self.levels}, channels={self.channels})"

    def __eq__(self, other) -> bool:
        return isinstance(other, ImageSpace) and (self.n, self.levels, self.channels) == (
            other.n, other.levels, other.channels)

    def __hash__(self) -> int:
        return hash((self.n, self.levels, self.channels))

    # ---------------------------------------------------------- geometry
    def diameter(self, p: float) -> float:
        """Largest d_p distance between two images (all-0 to all-1): N for p <= 1, N**(1/p) for p >= 1, 1 for inf.

        Examples
        --------
        A 28x28 image has N = 784 entries: 784 in d_0, sqrt(784) = 28 in l2, 1 in l_inf.

        >>> space = ImageSpace(28)
        >>> space.diameter(0), space.diameter(2), space.diameter(float("inf"))
        (784.0, 28.0, 1.0)
        """
        p = check_p(p)
        N = self.num_entries
        if p == math.inf:
            return 1.0
        if p <= 1:
            return float(N)
        return float(N) ** (1.0 / p)

    def budget(self, p: float, c: float = 1.0) -> float:
        """The theorem's perturbation size (c * sqrt(channels) * n) ** (1 / max(p, 1)).

        t = c * sqrt(channels) * n changed entries, each by at most 1, cost at most t in d_0 and in sum |d|^p for
        p <= 1, and at most t**(1/p) in l_p for p >= 1 (1 for p = inf).

        Examples
        --------
        28x28 images, c = 1: t = 28 changed entries, which is 28 in d_0 and at most sqrt(28) in l2, a small part of
        the diameters 784 and 28:

        >>> space = ImageSpace(28)
        >>> space.budget(0), round(space.budget(2), 4), space.budget(float("inf"))
        (28.0, 5.2915, 1.0)
        """
        p = check_p(p)
        c = check_real("c", c, minimum=0, min_open=True)
        t = c * math.sqrt(self.channels) * self.n
        return t ** (1.0 / max(p, 1.0))

    # ---------------------------------------------- index <-> image bijection
    def check_indexable(self) -> None:
        """Raise ValueError when the space has more images than int64 indices can number (then only sample()).

        Examples
        --------
        7x7 binary images (2**49) can be numbered; 8x8 ones (2**64) cannot:

        >>> ImageSpace(7).check_indexable()
        >>> ImageSpace(8).check_indexable()
        Traceback (most recent call last):
        ...
        ValueError: ImageSpace(n=8, levels=2, channels=1) has 2**64 images, more than int64 indices can number ...
        """
        if self.num_entries * math.log2(self.levels) > 64 or self.size > _INT64_MAX:
            raise ValueError(
                f"{self!r} has {self.levels}**{self.num_entries} images, more than int64 indices can number "
                f"(2**63 - 1); use sample() instead of images()/indices()")

    def _powers(self, device) -> torch.Tensor:
        # powers[i] = levels ** (N - 1 - i): entry 0 is the most significant digit.
        N = self.num_entries
        return torch.tensor([self.levels ** (N - 1 - i) for i in range(N)], dtype=torch.int64, device=device)

    def digits(self, indices, device=None) -> torch.Tensor:
        """The integer levels (0..levels-1) of the images with these indices, shape (k, channels, n, n), int64.

        Examples
        --------
        Index 5 in base 3 with 4 digits is 0012:

        >>> ImageSpace(2, levels=3).digits([5]).flatten().tolist()
        [0, 0, 1, 2]
        """
        self.check_indexable()
        device = check_device(device)
        if indices is None or isinstance(indices, (str, bytes, float)) or isinstance(indices, bool):
            raise TypeError(f"indices must be an integer or a sequence/tensor of integers, got {indices!r}")
        try:
            idx = torch.as_tensor(indices, device=device)
        except (TypeError, ValueError, RuntimeError) as e:
            raise TypeError(f"indices must be an integer or a sequence/tensor of integers, got {indices!r}") from e
        if idx.dtype.is_floating_point or idx.dtype == torch.bool or idx.is_complex():
            raise TypeError(f"indices must be integers, got dtype {idx.dtype}")
        idx = idx.to(torch.int64).reshape(-1)
        if idx.numel() and (int(idx.min()) < 0 or int(idx.max()) >= self.size):
            raise ValueError(f"indices must lie in [0, {self.size - 1}] for {self!r}, got values in "
                             f"[{int(idx.min())}, {int(idx.max())}]")
        d = (idx[:, None] // self._powers(idx.device)) % self.levels
        return d.reshape(-1, *self.shape)

    def images(self, indices, device=None) -> torch.Tensor:
        """The images with these indices, float32 of shape (k, channels, n, n), values k/(levels-1).

        Examples
        --------
        >>> ImageSpace(2, levels=3).images([5]).flatten().tolist()
        [0.0, 0.0, 0.5, 1.0]
        """
        return self.digits(indices, device=device).to(torch.float32) * self.step

    def to_digits(self, images: torch.Tensor, name: str = "images") -> torch.Tensor:
        """Integer levels (int64) of lattice images; raises if ``images`` has the wrong shape or is off the lattice.

        Examples
        --------
        >>> import torch
        >>> space = ImageSpace(2, levels=3)
        >>> space.to_digits(torch.tensor([[[[0.0, 0.5], [1.0, 0.5]]]])).flatten().tolist()
        [0, 1, 2, 1]
        >>> space.to_digits(torch.full((1, 1, 2, 2), 0.25))
        Traceback (most recent call last):
        ...
        ValueError: images has 4 value(s) off the 3-level lattice {0, 1/2, ..., 1}, e.g. 0.25; ...
        """
        x = self.check_images(images, name=name)
        d = lattice_digits(x, self.levels)
        # Off-lattice values are an error, not something to round silently; 1e-4 of a step absorbs float noise.
        off = (x * (self.levels - 1) - d).abs() > 1e-4
        if bool(off.any()):
            v = float(x[off][0])
            raise ValueError(f"{name} has {int(off.sum())} value(s) off the {self.levels}-level lattice "
                             f"{{0, 1/{self.levels - 1}, ..., 1}}, e.g. {v!r}; use perturbkit.data.quantize first")
        return d.to(torch.int64)

    def indices(self, images: torch.Tensor) -> torch.Tensor:
        """Index (int64, shape (k,)) of each lattice image; the inverse of :meth:`images`.

        Examples
        --------
        The levels 0121 read in base 3: 0*27 + 1*9 + 2*3 + 1 = 16.

        >>> import torch
        >>> ImageSpace(2, levels=3).indices(torch.tensor([[[[0.0, 0.5], [1.0, 0.5]]]])).tolist()
        [16]
        """
        self.check_indexable()
        d = self.to_digits(images)
        return (d.flatten(1) * self._powers(d.device)).sum(dim=1)

    def check_images(self, images: torch.Tensor, name: str = "images") -> torch.Tensor:
        """Return ``images`` if it is a finite float tensor of shape (k, channels, n, n) with values in [0, 1].

        Examples
        --------
        >>> import torch
        >>> ImageSpace(2).check_images(torch.zeros(1, 1, 3, 3))
        Traceback (most recent call last):
        ...
        ValueError: images must have shape (k, 1, 2, 2) for ImageSpace(n=2, levels=2, channels=1), got (1, 1, 3, 3)
        """
        if not isinstance(name, str):
            raise TypeError(f"name must be a str (the argument name used in error messages), got {name!r}")
        check_finite(name, images)
        if images.dim() != 4 or tuple(images.shape[1:]) != self.shape:
            raise ValueError(f"{name} must have shape (k, {self.channels}, {self.n}, {self.n}) for {self!r}, "
                             f"got {tuple(images.shape)}")
        if images.numel() and (float(images.min()) < 0 or float(images.max()) > 1):
            raise ValueError(f"{name} must have values in [0, 1], got values in "
                             f"[{float(images.min())}, {float(images.max())}]")
        return images

    # ------------------------------------------------------------ enumeration
    def chunks(self, batch_size: int = 65536, device=None) -> Iterator[tuple[int, torch.Tensor]]:
        """Yield (start index, images) over the whole space in index order, in chunks of L**k <= ``batch_size``
        images (the largest such power of the number of levels; at least one image).

        Chunks are aligned to powers of L, so within a chunk the high digits are constant and the low digits run
        through one table computed once: a chunk costs a copy instead of N integer divisions per image.

        Examples
        --------
        The 16 binary 2x2 images in chunks of at most 5 images: 4 = 2**2 images each.

        >>> [(start, len(chunk)) for start, chunk in ImageSpace(2).chunks(batch_size=5)]
        [(0, 4), (4, 4), (8, 4), (12, 4)]
        """
        batch_size = check_int("batch_size", batch_size, minimum=1)
        device = check_device(device)
        self.check_indexable()
        L, N = self.levels, self.num_entries
        k = 0  # low digits per chunk: the largest k <= N with L**k <= batch_size
        while k < N and L ** (k + 1) <= batch_size:  # ends: k rises by one, to N at most
            k += 1
        low = self.images(torch.arange(L**k, device=device)).reshape(L**k, N)[:, N - k:]
        for start in range(0, self.size, L**k):
            chunk = torch.empty(L**k, N, dtype=torch.float32, device=low.device)
            chunk[:, N - k:] = low
            chunk[:, :N - k] = self.images(torch.tensor([start], device=device)).reshape(1, N)[:, :N - k]
            yield start, chunk.reshape(L**k, *self.shape)

    def sample(self, k: int, generator: torch.Generator | None = None, device=None) -> torch.Tensor:
        """``k`` images drawn uniformly (independent entries, each level equally likely), float32 on ``device``.

        With a ``generator`` the draw is made on the generator's device and moved, so results do not depend on
        the target device.

        Examples
        --------
        >>> import torch
        >>> x = ImageSpace(2).sample(3, generator=torch.Generator().manual_seed(0))
        >>> tuple(x.shape), set(x.unique().tolist()) <= {0.0, 1.0}
        ((3, 1, 2, 2), True)
        """
        k = check_int("k", k, minimum=0)
        device = check_device(device)
        if generator is not None and not isinstance(generator, torch.Generator):
            raise TypeError(f"generator must be a torch.Generator or None, got {type(generator).__name__}")
        gen_device = generator.device if generator is not None else device
        d = torch.randint(0, self.levels, (k, *self.shape), generator=generator, device=gen_device)
        return (d.to(torch.float32) * self.step).to(device if device is not None else d.device)
