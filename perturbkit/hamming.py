"""The Hamming graph of an image space: images are vertices, edges join images that differ in one entry, and the
graph distance is d_0. Neighbourhoods, ball sizes and the set families that lesson 03 compares.

Sets of images are boolean masks of shape (space.size,) in index order, on any device.
"""

from __future__ import annotations

import math

import torch

from .census import robustness
from .checks import check_int, check_space_memory, check_tensor
from .spaces import ImageSpace

__all__ = ["distance_to_set", "neighbourhood", "ball", "ball_size", "layers", "edges", "families"]


def _space(space) -> ImageSpace:
    if not isinstance(space, ImageSpace):
        raise TypeError(f"space must be a perturbkit.spaces.ImageSpace, got {type(space).__name__}")
    return space


def _check_space_memory(space: ImageSpace, what: str, bytes_per_image: float) -> None:
    # every function here holds a few int64 values per entry of every image: refuse before allocating
    check_space_memory(space, bytes_per_image, "cpu", f"{what} of {space!r}")


def _mask(member, space: ImageSpace) -> torch.Tensor:
    _space(space)
    if isinstance(member, torch.Tensor):
        check_tensor("member", member)  # a tensor with values (not on the meta device)
    if not isinstance(member, torch.Tensor) or member.dtype != torch.bool or member.numel() != space.size:
        raise ValueError(f"member must be a bool tensor with one value per image of {space!r} ({space.size}), got "
                         f"{getattr(member, 'dtype', type(member).__name__)} of shape "
                         f"{tuple(getattr(member, 'shape', ()))}")
    return member.reshape(-1)


def distance_to_set(member: torch.Tensor, space: ImageSpace) -> torch.Tensor:
    """d_0 from every image to the nearest member of the set (0 on the set, inf if the set is empty); float32.

    The census kernel on the two-class labelling "in the set / not in it": a non-member's robustness is exactly its
    distance to the set.
    """
    m = _mask(member, space)
    r = robustness(m.to(torch.uint8), space, p=0)
    return r.masked_fill_(m, 0)  # in place: a second array of the space's size would raise lesson 03's peak memory


def neighbourhood(member: torch.Tensor, space: ImageSpace, t: int) -> torch.Tensor:
    """The t-neighbourhood of the set: every image at most t changed entries from a member (bool mask)."""
    t = check_int("t", t, minimum=0)
    _mask(member, space)
    return distance_to_set(member, space) <= t


def ball_size(N: int, r: int, levels: int = 2) -> int:
    """Number of images within r changed entries of a given image: sum_{i<=r} C(N, i) (levels - 1)**i."""
    N = check_int("N", N, minimum=0)
    r = check_int("r", r, minimum=0)
    levels = check_int("levels", levels, minimum=2)
    return sum(math.comb(N, i) * (levels - 1) ** i for i in range(0, min(r, N) + 1))


def _digits(space: ImageSpace, device=None, what: str = "the digits", extra: float = 0) -> torch.Tensor:
    # the (size, N) int64 digits plus the index arange, the comparison and what the caller adds per image
    _check_space_memory(_space(space), what, 2 * 8 * space.num_entries + 16 + extra)
    return space.digits(torch.arange(space.size, device=device)).reshape(space.size, -1)


def ball(space: ImageSpace, centre: int, r: int) -> torch.Tensor:
    """The Hamming ball of radius r around the image with index ``centre`` (bool mask)."""
    _space(space)
    centre = check_int("centre", centre, minimum=0, maximum=space.size - 1)
    r = check_int("r", r, minimum=0)
    d = _digits(space, what="a Hamming ball")
    return (d != d[centre]).sum(dim=1) <= r


def layers(space: ImageSpace) -> torch.Tensor:
    """The layer of every image in the drawings: its number of non-zero entries (int64)."""
    # the comparison (one byte per entry) and the sum (int64) on top of the digits
    return (_digits(space, what="the layers", extra=_space(space).num_entries + 8) != 0).sum(dim=1)


def edges(space: ImageSpace) -> torch.Tensor:
    """Every edge of the Hamming graph once, as an int64 tensor (E, 2) of image indices (i < j)."""
    L, N = _space(space).levels, space.num_entries
    # (L-1)/2 edges per entry of each image on average, two int64 indices each, twice (pieces and the cat)
    d = _digits(space, what="the edges", extra=2 * 16 * N * (L - 1) / 2 + 8)
    idx = torch.arange(space.size)
    out = []
    for i in range(N):
        weight = L ** (N - 1 - i)
        for step in range(1, L):
            ok = d[:, i] + step < L
            out.append(torch.stack([idx[ok], idx[ok] + step * weight], dim=1))
    return torch.cat(out)


def families(space: ImageSpace, size: int, seed: int = 0) -> dict[str, torch.Tensor]:
    """Sets of exactly ``size`` images of different shapes, to compare how fast they grow (lesson 03).

    A Hamming ball around the all-zero image (filled up by index among the images of the next layer), the images
    with the smallest indices (a subcube, filled up in index order), the images
    with the most weight on a random linear score (a half-space), and a uniformly random set.
    """
    _space(space)
    size = check_int("size", size, minimum=1)
    if size > space.size:
        raise ValueError(f"size must be at most the number of images {space.size}, got {size}")
    seed = check_int("seed", seed, minimum=0)
    g = torch.Generator().manual_seed(seed)
    d = _digits(space, what="the set families", extra=8 * space.num_entries + 64).double()
    N = space.num_entries
    def first(score):  # the `size` images with the smallest score (ties by index: stable sort)
        order = torch.sort(score, stable=True).indices[:size]
        m = torch.zeros(space.size, dtype=torch.bool)
        m[order] = True
        return m
    weight = (d != 0).sum(dim=1).double()
    return {
        "Hamming ball": first(weight + torch.arange(space.size) / space.size),
        # the first indices: a subcube (leading entries 0) when size is a power of the levels, filled up in order
        "subcube": first(torch.arange(space.size).double()),
        "half-space": first(-(d @ torch.rand(N, generator=g, dtype=torch.float64))),
        "random set": first(torch.rand(space.size, generator=g, dtype=torch.float64)),
    }
