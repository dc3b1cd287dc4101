"""The bit-packed census against the byte census, brute force and the sum threshold's closed form."""

import math

import numpy as np
import pytest
import torch

from perturbkit import census, checks, classifiers
from perturbkit.census import bitset, tuning
from perturbkit.census.bitset import bitset_census, pack_bits, popcount
from perturbkit.spaces import ImageSpace
from perturbkit.sum_classifier import binary_histogram


def byte_census(labels: torch.Tensor, space: ImageSpace):
    """The robust-share curve t = 0..N of the byte kernel (census.robustness + census.robust_share)."""
    r = census.robustness(labels, space, 0)
    return census.robust_share(labels, r, np.arange(space.num_entries + 1))


def assert_same(b, rs):
    assert np.array_equal(b.classes, rs.classes)
    assert np.array_equal(b.size, rs.size)
    assert np.array_equal(b.space_share, rs.space_share)
    assert np.array_equal(b.t, rs.t)
    assert np.array_equal(b.robust, rs.robust)  # bit for bit: the same counts divided the same way


def random_labels(N: int, k: int, seed: int) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    return torch.randint(0, k, (2**N,), generator=g).to(torch.uint8)


def test_popcount_and_pack_bits():
    g = torch.Generator().manual_seed(0)
    w = torch.randint(-2**63, 2**63 - 1, (999,), generator=g, dtype=torch.int64)
    w[:3] = torch.tensor([-1, 2**63 - 1, -2**63])
    assert popcount(w) == sum(bin(int(v) & (2**64 - 1)).count("1") for v in w)
    for k in (1, 5, 63, 64, 65, 200):
        mask = torch.rand(k, generator=g) < 0.4
        words = pack_bits(mask)
        assert words.numel() == math.ceil(k / 64)
        bits = [(int(words[i // 64]) >> (i % 64)) & 1 for i in range(64 * words.numel())]
        assert bits == mask.to(torch.int64).tolist() + [0] * (64 * words.numel() - k)


@pytest.mark.parametrize("N", range(1, 26))
def test_equals_byte_census_on_random_labels_every_size(N):
    """Every binary space from 2 to 2^25 images, a random two-class labelling."""
    space = ImageSpace(1, 2, N)
    labels = random_labels(N, 2, seed=N)
    assert_same(bitset_census(labels, space), byte_census(labels, space))


@pytest.mark.parametrize("N", [1, 3, 6, 7, 9, 12, 16])
@pytest.mark.parametrize("chunk_words", [None, 1, 2, 8])
def test_equals_byte_census_many_classes_any_chunk(N, chunk_words):
    space = ImageSpace(1, 2, N)
    for k, seed in ((3, 1), (5, 2)):
        labels = random_labels(N, k, seed)
        if N > 2:
            labels[labels == 1] = 200  # labels need not be consecutive
        assert_same(bitset_census(labels, space, chunk_words=chunk_words), byte_census(labels, space))


@pytest.mark.parametrize("space", [ImageSpace(2), ImageSpace(3), ImageSpace(4), ImageSpace(1, 2, 18)], ids=repr)
@pytest.mark.parametrize("name", ["sum threshold (Algorithm 1)", "majority", "parity", "first pixel",
                                  "random (2 classes)"])
def test_reference_classifiers_by_labels_and_chunk_by_chunk(space, name):
    """A classifier labels the space chunk by chunk (entry sums or images): the same census as from its labels."""
    clf = classifiers.REFERENCE[name]
    labels = census.label_space(clf, space, progress=False)
    want = byte_census(labels, space)
    assert_same(bitset_census(labels, space), want)
    assert_same(bitset_census(clf, space), want)


def test_small_chunks_of_a_classifier(monkeypatch):
    """Labelling chunks far smaller than the space (64 images) and dilation chunks of one word."""
    monkeypatch.setattr(tuning, "LABEL_CHUNK", 64)
    space = ImageSpace(1, 2, 13)
    for clf in (classifiers.sum_threshold, classifiers.majority, classifiers.random_labels(3, seed=4)):
        want = byte_census(census.label_space(clf, space, progress=False), space)
        assert_same(bitset_census(clf, space, chunk_words=1), want)


def test_a_network_labels_its_own_chunks(monkeypatch):
    """A network whose first layer is linear labels aligned chunks without images (the same float path as
    label_space, so the same labels); chunks under one word fall back to image chunks."""
    from perturbkit.models import MLP

    space = ImageSpace(1, 2, 14)
    model = MLP(1, channels=14, classes=3, hidden=6, depth=1, seed=2)
    for batch_size, own in ((2**10, True), (16, False)):
        clf = classifiers.from_model(model, batch_size=batch_size)
        want = byte_census(census.label_space(clf, space, progress=False), space)
        with monkeypatch.context() as m:
            if own:  # no image is built: ImageSpace.chunks must not be called
                m.setattr(ImageSpace, "chunks", lambda *a, **k: pytest.fail("images were built"))
            assert_same(bitset_census(clf, space), want)


def brute_force_hamming(labels: torch.Tensor, N: int) -> torch.Tensor:
    """r_0 of every image by comparing all pairs: the Hamming distance to the nearest differently labelled image."""
    idx = torch.arange(2**N)
    h = torch.zeros(2**N, 2**N, dtype=torch.int64)
    for j in range(N):
        bit = (idx >> j) & 1
        h += bit[:, None] ^ bit[None, :]
    h = h.double()
    h[labels[:, None] == labels[None, :]] = math.inf
    return h.min(dim=1).values


@pytest.mark.parametrize("N", range(1, 11))
def test_tiny_spaces_against_brute_force(N):
    space = ImageSpace(1, 2, N)
    for k in (2, 3):
        labels = random_labels(N, k, seed=10 + N)
        r = brute_force_hamming(labels, N)
        b = bitset_census(labels, space)
        for i, c in enumerate(b.classes):
            rc = r[labels == int(c)]
            want = np.array([int((rc == t).sum()) for t in range(N + 1)])
            assert np.array_equal(b.histogram[i], want)
            assert b.max_robustness[i] == (int(rc.max()) if torch.isfinite(rc).all() else -1)


@pytest.mark.parametrize("N", list(range(1, 21)) + [25])
def test_sum_threshold_closed_form(N):
    """Labelled chunk by chunk from entry sums: the histogram is binomial and the maximum is ceil(N/2), N - h + 1."""
    b = bitset_census(classifiers.sum_threshold, ImageSpace(1, 2, N))
    assert np.array_equal(b.histogram, binary_histogram(N))
    h = -(-N // 2)
    assert b.max_robustness.tolist() == [h, N - h + 1]
    assert np.array_equal(b.size, [b.histogram[0].sum(), b.histogram[1].sum()])


@pytest.mark.parametrize("N", [8, 13])
def test_majority_closed_form(N):
    """Majority on {0,1}^N: class 1 holds s >= m + 1 ones (m = floor(N/2)) and r_0 = s - m; class 0 r_0 = m + 1 - s."""
    b = bitset_census(classifiers.majority, ImageSpace(1, 2, N))
    m = N // 2
    want0 = [math.comb(N, m + 1 - t) if 1 <= t <= m + 1 else 0 for t in range(N + 1)]
    want1 = [math.comb(N, m + t) if 1 <= t <= N - m else 0 for t in range(N + 1)]
    assert np.array_equal(b.histogram, [want0, want1])


def test_one_class_is_infinitely_robust():
    space = ImageSpace(3)
    b = bitset_census(torch.full((space.size,), 4, dtype=torch.uint8), space)
    assert b.classes.tolist() == [4] and b.size.tolist() == [space.size]
    assert (b.robust == 1).all() and (b.histogram == 0).all() and b.max_robustness.tolist() == [-1]
    assert np.array_equal(b.robust_share().robust, b.robust)


def test_bad_input():
    with pytest.raises(ValueError, match="binary space"):
        bitset_census(torch.zeros(81, dtype=torch.uint8), ImageSpace(2, 3))
    with pytest.raises(TypeError, match="uint8"):
        bitset_census(torch.zeros(16, dtype=torch.int64), ImageSpace(2))
    with pytest.raises(ValueError, match="16 values, got 15"):
        bitset_census(torch.zeros(15, dtype=torch.uint8), ImageSpace(2))
    with pytest.raises(TypeError, match="classifier"):
        bitset_census([0] * 16, ImageSpace(2))
    with pytest.raises(TypeError, match="ImageSpace"):
        bitset_census(torch.zeros(16, dtype=torch.uint8), 16)
    with pytest.raises(TypeError, match="integer labels"):
        bitset_census(lambda x: x.sum(dim=(1, 2, 3)), ImageSpace(2))
    with pytest.raises(ValueError, match="0..255"):
        bitset_census(lambda x: torch.full((x.shape[0],), 300), ImageSpace(2))


def test_memory_refusal_names_bytes(monkeypatch):
    space = ImageSpace(1, 2, 30)
    need = bitset.bitset_bytes(space, 2)
    assert need >= 2**30 // 8 * 3  # one bit per image for two classes and for the spare dilation set
    monkeypatch.setattr(checks, "available_bytes", lambda device: need - 1)
    with pytest.raises(MemoryError, match=rf"needs about {need:,} bytes .* only {need - 1:,} bytes"):
        bitset_census(classifiers.sum_threshold, space)
    small = ImageSpace(3)
    monkeypatch.setattr(checks, "available_bytes", lambda device: bitset.bitset_bytes(small, 2))
    assert bitset_census(classifiers.sum_threshold, small).histogram.sum() == small.size


def test_bytes_grow_one_bit_per_image_and_class():
    space = ImageSpace(1, 2, 30)
    per_class = bitset.bitset_bytes(space, 3) - bitset.bitset_bytes(space, 2)
    assert per_class == space.size // 8


@pytest.mark.gpu
def test_cuda_matches_cpu():
    for N in (5, 12, 20):
        space = ImageSpace(1, 2, N)
        labels = random_labels(N, 3, seed=N)
        cpu = bitset_census(labels, space)
        assert_same(bitset_census(labels.cuda(), space), cpu)
        assert bitset_census(labels.cuda(), space).device.startswith("cuda")
        st = bitset_census(classifiers.sum_threshold, space, device="cuda")
        assert np.array_equal(st.histogram, binary_histogram(N))


@pytest.mark.gpu
def test_cuda_trained_network_chunk_by_chunk():
    """A small network labels a 4x4 binary space on the GPU, chunk by chunk: the same curves as the byte census."""
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(16, 16), torch.nn.ReLU(),
                                torch.nn.Linear(16, 2)).cuda()
    space = ImageSpace(4)
    clf = classifiers.from_model(model)
    labels = census.label_space(clf, space, device="cuda", progress=False)
    assert_same(bitset_census(clf, space, device="cuda"), byte_census(labels, space))
