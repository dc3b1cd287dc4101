"""The census against brute force (all pairs), closed forms and its error messages."""

import math

import numpy as np
import pytest
import torch

import perturbkit.census as census
from perturbkit import checks, classifiers, norms
from perturbkit.census import label_space, robust_share, robustness, tuning
from perturbkit.spaces import ImageSpace

PS = [0, 0.5, 1, 2, 3, math.inf]
# every space with 16 to 4096 images and levels in {2, 3, 4} that has a square image shape
SPACES = [ImageSpace(2), ImageSpace(3), ImageSpace(1, 2, 3), ImageSpace(2, 3), ImageSpace(1, 3, 4),
          ImageSpace(2, 4), ImageSpace(1, 4, 5), ImageSpace(1, 2, 12)]


def pairwise(space: ImageSpace, p: float) -> torch.Tensor:
    """d_p between every pair of images of the space (float64), by direct comparison."""
    x = space.images(torch.arange(space.size)).reshape(space.size, -1).double()
    if space.levels == 2:
        # binary: every pair's d_p is a function of its Hamming distance h = |x| + |y| - 2 x.y
        ones = x.sum(dim=1)
        h = ones[:, None] + ones[None, :] - 2 * x @ x.T
        return h if p <= 1 else (h ** (1 / p) if p < math.inf else h.clamp(max=1))
    rows = [norms.size((xs[:, None, :] - x[None, :, :]).reshape(-1, x.shape[1]), p).reshape(xs.shape[0], -1)
            for xs in x.split(512)]
    return torch.cat(rows)


def brute_force(labels: torch.Tensor, distances: torch.Tensor) -> torch.Tensor:
    """min over all differently labelled images of the pairwise distances (inf where there is none)."""
    d = distances.masked_fill(labels[:, None] == labels[None, :], math.inf)
    return d.min(dim=1).values


def labellings(space: ImageSpace):
    g = torch.Generator().manual_seed(space.size)
    yield "random2", torch.randint(0, 2, (space.size,), generator=g).to(torch.uint8)
    yield "random5", torch.randint(0, 5, (space.size,), generator=g).to(torch.uint8)
    yield "sparse", (torch.rand(space.size, generator=g) < 0.03).to(torch.uint8) * 7
    for name in ("sum threshold (Algorithm 1)", "majority", "first pixel"):
        yield name, label_space(classifiers.REFERENCE[name], space, progress=False)


@pytest.mark.parametrize("space", SPACES, ids=repr)
def test_robustness_equals_brute_force(space, monkeypatch):
    distances = {p: pairwise(space, p) for p in PS}  # once per space: the labellings only change the mask
    for i, (name, labels) in enumerate(labellings(space)):
        if space.size > 1024 and i % 2:
            continue  # the 4096-image space: every other labelling keeps the test fast
        for p in PS:
            want = brute_force(labels, distances[p])
            # whole-array passes, the cache-blocked order (4-byte blocks), and the fused CPU kernel (binary spaces)
            for block, use_fused in ((None, False), (4, False), (None, True)):
                monkeypatch.setattr(tuning, "CPU_BLOCK_BYTES", block)
                monkeypatch.setattr(tuning, "CPU_MIN_ENTRIES", 0 if use_fused else math.inf)
                r = robustness(labels, space, p)
                assert r.dtype == torch.float32 and r.shape == (space.size,)
                torch.testing.assert_close(r.double(), want, rtol=1e-5, atol=1e-6, msg=f"{name}, p={p}")


def test_single_class_is_infinitely_robust():
    space = ImageSpace(2, 3)
    r = robustness(torch.full((space.size,), 3, dtype=torch.uint8), space, 1)
    assert torch.isinf(r).all()


@pytest.mark.parametrize("n", [2, 3, 4])
def test_majority_closed_form(n):
    """Majority on binary images: an image with s ones needs |s - threshold| flips to cross the boundary."""
    space = ImageSpace(n)
    N = space.num_entries
    labels = label_space(classifiers.majority, space, progress=False)
    r = robustness(labels, space, 0)
    s = space.digits(torch.arange(space.size)).reshape(space.size, -1).sum(dim=1)
    # class 1 is s >= floor(N/2) + 1: from s, flips to reach s = floor(N/2) (class 0) or floor(N/2) + 1 (class 1)
    m = N // 2
    expected = torch.where(s > m, s - m, m + 1 - s).to(torch.float32)
    assert torch.equal(r, expected)
    for p in (0.5, 2, math.inf):
        want = expected if p < 1 else (expected ** (1 / p) if p < math.inf else torch.ones_like(expected))
        torch.testing.assert_close(robustness(labels, space, p), want)


def test_label_space_matches_space_images():
    space = ImageSpace(2, 3)
    for batch in (1, 5, 9, 1000):
        labels = label_space(classifiers.random_labels(7, seed=1), space, batch_size=batch, progress=False)
        direct = classifiers.random_labels(7, seed=1)(space.images(torch.arange(space.size)))
        assert labels.dtype == torch.uint8 and torch.equal(labels, direct.to(torch.uint8))


def test_label_space_bad_classifier():
    space = ImageSpace(2)
    with pytest.raises(TypeError, match="integer labels"):
        label_space(lambda x: x.sum(dim=(1, 2, 3)), space, progress=False)
    with pytest.raises(ValueError, match="0..255"):
        label_space(lambda x: torch.full((x.shape[0],), 300), space, progress=False)
    with pytest.raises(ValueError, match="labels for a batch"):
        label_space(lambda x: torch.zeros(3, dtype=torch.int64), space, progress=False)
    with pytest.raises(TypeError, match="ImageSpace"):
        label_space(classifiers.parity, 16, progress=False)


def test_bad_labels_and_p():
    space = ImageSpace(2)
    with pytest.raises(ValueError, match="16 values, got 15"):
        robustness(torch.zeros(15, dtype=torch.uint8), space)
    with pytest.raises(TypeError, match="torch.uint8.*torch.int64"):
        robustness(torch.zeros(16, dtype=torch.int64), space)
    with pytest.raises(TypeError, match="torch.Tensor"):
        robustness([0] * 16, space)
    with pytest.raises(ValueError, match=r"p must be .*got -1"):
        robustness(torch.zeros(16, dtype=torch.uint8), space, p=-1)
    with pytest.raises(TypeError, match="p must be"):
        robustness(torch.zeros(16, dtype=torch.uint8), space, p="l2")


def test_memory_refusal(monkeypatch):
    monkeypatch.setattr(checks, "available_bytes", lambda device: 1000)
    space = ImageSpace(3)
    with pytest.raises(MemoryError, match=r"needs about [\d,]+ bytes .* only 1,000 bytes .* smaller space"):
        robustness(torch.zeros(space.size, dtype=torch.uint8), space)
    with pytest.raises(MemoryError, match="labelling"):
        label_space(classifiers.parity, space, progress=False)


@pytest.mark.parametrize("space, p", [(ImageSpace(3), 0), (ImageSpace(3), 2), (ImageSpace(2, 3), 0.5),
                                      (ImageSpace(2, 3), math.inf)], ids=repr)
def test_census_bytes_is_exactly_where_the_census_refuses(monkeypatch, space, p):
    labels = label_space(classifiers.random_labels(2, seed=0), space, progress=False)
    need = census.census_bytes(space, p)
    assert need >= space.size * (4 + 1)  # at least the float32 result and a boolean mask
    monkeypatch.setattr(checks, "available_bytes", lambda device: need - 1)
    with pytest.raises(MemoryError, match=f"needs about {need:,} bytes"):
        robustness(labels, space, p)
    monkeypatch.setattr(checks, "available_bytes", lambda device: need)
    assert robustness(labels, space, p).shape == (space.size,)


@pytest.mark.parametrize("p", [0, 0.5, 2, math.inf])
def test_census_bytes_is_proportional_to_the_space(p):
    small, large = ImageSpace(2, 3), ImageSpace(3, 3)
    assert census.census_bytes(large, p) * small.size == census.census_bytes(small, p) * large.size


def test_robust_share_counts():
    space = ImageSpace(3)
    labels = label_space(classifiers.random_labels(3, seed=2), space, progress=False)
    r = robustness(labels, space, 0)
    t = [3, 0, 1, 2.5]
    rs = robust_share(labels, r, t)
    for i, c in enumerate(rs.classes):
        rc = r[labels == int(c)]
        assert rs.size[i] == rc.numel()
        assert rs.space_share[i] == pytest.approx(rc.numel() / space.size)
        for j, tj in enumerate(t):
            assert rs.robust[i, j] == pytest.approx(float((rc > tj).double().mean()))
    assert rs.core_share_of_space().shape == (len(rs.classes), 4)
    assert robust_share(labels, r, 1).robust.shape == (len(rs.classes), 1)
    with pytest.raises(ValueError, match="one value per image"):
        robust_share(labels, r[:-1], 1)


def test_robust_share_of_a_sample_counts_strictly_greater_values():
    rs = robust_share(None, torch.tensor([0.0, 1.0, 2.0, 3.0], dtype=torch.float64), [-1, 0, 0.5, 3])
    assert rs.classes.tolist() == [0] and rs.size.tolist() == [4] and rs.space_share.tolist() == [1.0]
    assert rs.robust[0].tolist() == [1.0, 0.75, 0.75, 0.0]
    with pytest.raises(ValueError, match="r is empty"):
        robust_share(None, torch.empty(0), [0.5])


@pytest.mark.gpu
def test_cuda_matches_cpu():
    for space in (ImageSpace(3), ImageSpace(2, 4), ImageSpace(1, 2, 20)):
        labels = label_space(classifiers.random_labels(3, seed=0), space, progress=False)
        gpu_labels = label_space(classifiers.random_labels(3, seed=0), space, device="cuda", progress=False)
        assert torch.equal(gpu_labels.cpu(), labels)
        for p in PS:
            torch.testing.assert_close(robustness(gpu_labels, space, p).cpu(), robustness(labels, space, p))


def test_census_plot_draws_each_class_and_its_bound():
    """The census picture: one curve per class (the class over half the space dashed) and the Harper bound."""
    from perturbkit.plotting.census import plot_robust_share
    space = ImageSpace(3)
    labels = label_space(lambda x: (x.flatten(1).sum(1) >= 3).long(), space)   # class 1 holds 466 of 512 images
    rs = robust_share(labels, robustness(labels, space, 0), np.arange(5))
    (ax,) = plot_robust_share(rs, 9, t_mark=2).axes
    curves = {line.get_label(): line for line in ax.lines}
    assert len(ax.lines) == 4 and "Harper bound" in curves      # two classes, the bound, the t mark
    big = [name for name in curves if "not covered" in name]
    assert len(big) == 1 and curves[big[0]].get_linestyle() == "--"
    assert np.allclose(curves[big[0]].get_ydata(), rs.robust[1])
