"""Small exact pins of the core modules, each for a behaviour that the mutation run (mutation/) showed no other
unit test fixed: a default, a boundary value, an exact integer type, a lattice that must be kept."""

import math

import numpy as np
import pytest
import torch

from perturbkit import attacks, bounds, census, isoperimetry, sum_classifier
from perturbkit.spaces import ImageSpace


def test_label_255_is_a_label():
    assert census.chunk_labels(torch.tensor([0, 255]), 2, "cpu").tolist() == [0, 255]


def test_binary_histogram_counts_are_exact_integers():
    # C(60, 30) > 2^53: a float histogram would round it
    h = sum_classifier.binary_histogram(60)
    assert h.dtype == np.int64
    assert int(h[1, 1]) == math.comb(60, 30) and int(h.sum()) == 2**60


def test_random_level_counts_default_seed_is_zero():
    assert torch.equal(sum_classifier.random_level_counts(3, 4, samples=20),
                       sum_classifier.random_level_counts(3, 4, samples=20, seed=0))
    assert not torch.equal(sum_classifier.random_level_counts(3, 4, samples=20, seed=1),
                           sum_classifier.random_level_counts(3, 4, samples=20, seed=0))


def test_bounds_at_an_infinite_radius():
    assert bounds.cube_l2_bound(math.inf) == 0.0 and bounds.linf_bound(math.inf) == 0.0
    assert bounds.linf_bound(math.inf, levels=4) == 0.0
    assert bounds.concentration_bound(5, math.inf) == 0.0


def test_smallest_neighbourhoods_are_integers():
    best = isoperimetry.smallest_neighbourhoods(2)
    assert best.dtype == np.int64 and best.tolist() == [0, 3, 4, 4, 4]
    # H(2, 3): one image and the 2 * 2 images one change away; the whole space grows into itself
    three = isoperimetry.smallest_neighbourhoods(2, levels=3)
    assert three[:2].tolist() == [0, 5] and three[9] == 9 and len(three) == 10


def test_fgsm_with_levels_stays_on_the_lattice():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(16, 3))
    x = ImageSpace(4, levels=4).sample(5, generator=torch.Generator().manual_seed(1))
    y = torch.tensor([0, 1, 2, 0, 1])
    for p in (math.inf, 2.0):
        out = attacks.fgsm(model, x, y, p=p, eps=0.4, levels=4).adversarial
        steps = out * 3
        assert torch.allclose(steps, steps.round(), atol=1e-6), p       # on the 4-level lattice
    # the l_inf step of 0.4 = 1.2 level steps is rounded down to one level step
    d = attacks.fgsm(model, x, y, p=math.inf, eps=0.4, levels=4).adversarial - x
    assert torch.allclose(d.abs().flatten(1).amax(dim=1), torch.full((5,), 1 / 3))


def test_targeted_sparse_attack_with_pruning_reaches_its_target():
    # per_step > 1 prunes the changes by bisection: the pruned image must still be classified as the target
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(16, 3))
    x = ImageSpace(4).sample(8, generator=torch.Generator().manual_seed(2))
    with torch.no_grad():
        pred = model(x).argmax(dim=1)
    target = (pred + 1) % 3
    r = attacks.sparse_attack(model, x, target, eps=16, per_step=3, targeted=True)
    assert bool(r.success.any())
    with torch.no_grad():
        reached = model(r.adversarial).argmax(dim=1)
    assert torch.equal(reached[r.success], target[r.success])
    changed = (r.adversarial != x).flatten(1).sum(dim=1)
    assert torch.equal(r.sizes[r.success], changed[r.success].to(r.sizes.dtype))


def test_sample_uses_every_level_and_only_the_lattice():
    x = ImageSpace(3, levels=5).sample(400, generator=torch.Generator().manual_seed(0))
    steps = x * 4
    assert torch.equal(steps, steps.round()) and sorted(torch.unique(steps).tolist()) == [0, 1, 2, 3, 4]


def test_l1_random_start_is_uniform_on_directions_and_inside_the_ball():
    # A Laplace vector normalised in l1 is uniform on the l1 sphere: its coordinate shares |d_i| / |d|_1 are
    # Dirichlet(1, ..., 1), whose largest share has mean H_N / N (H_N the harmonic number): 0.2113 for N = 16.
    from perturbkit.attacks.gradient import _random_start

    x = torch.full((4000, 1, 4, 4), 0.5)
    eps = torch.full((4000,), 2.0)
    d = _random_start(x, 1.0, eps, torch.Generator().manual_seed(0)).flatten(1)
    norm = d.abs().sum(dim=1)
    assert bool((norm <= 2.0 + 1e-5).all()) and float(norm.mean()) == pytest.approx(1.0, abs=0.05)  # radius U(0, 2)
    largest = (d.abs() / norm[:, None]).amax(dim=1).mean()
    harmonic = sum(1 / k for k in range(1, 17)) / 16
    assert float(largest) == pytest.approx(harmonic, abs=0.01)  # catches: dividing by the exponentials


def test_best_segment_class_refuses_a_large_space_before_ordering_it():
    # 2^27 images, one more bit than allowed: refused at once (ordering them by level sum would need 33 GB first)
    with pytest.raises(ValueError, match=r"space must hold at most 2\*\*26 images"):
        isoperimetry.best_segment_class(ImageSpace(1, levels=2, channels=27), 1, "level sum")
    with pytest.raises(ValueError, match=r"space must hold at most 2\*\*26 images"):
        isoperimetry.best_segment_class(ImageSpace(1, levels=3, channels=17), 1, "level sum")  # 3^17 < 2^27
    with pytest.raises(TypeError, match="space must be a perturbkit.spaces.ImageSpace"):
        isoperimetry.best_segment_class(4, 1)


def test_to_digits_absorbs_float_noise_up_to_a_ten_thousandth_of_a_step():
    S = ImageSpace(2)
    assert S.to_digits(torch.full((1, 1, 2, 2), 1e-4)).tolist() == [[[[0, 0], [0, 0]]]]
    with pytest.raises(ValueError, match="off the 2-level lattice"):
        S.to_digits(torch.full((1, 1, 2, 2), 2e-4))


def test_minimal_keeps_the_images_dtype():
    x = ImageSpace(3, levels=4).sample(6, generator=torch.Generator().manual_seed(0))
    for levels in (None, 4):
        for p in (0.0, 1.0, 2.0, math.inf):
            new, sizes = sum_classifier.minimal(x, p, levels=levels)
            assert new.dtype == sizes.dtype == torch.float32 and new.shape == x.shape
            new64, _ = sum_classifier.minimal(x.double(), p, levels=levels)
            assert new64.dtype == torch.float64


def _linear_pair():
    """Two classes split by the hyperplane w.x = 10 (w = 8 on the first entry, 1 elsewhere) and five images near
    the middle of the cube: the exact minimal perturbations are |w.x - 10| / |w|_q with q the dual norm of p."""
    w = torch.ones(16)
    w[0] = 8.0
    lin = torch.nn.Linear(16, 2)
    with torch.no_grad():
        lin.weight[:] = torch.stack([w, -w]) / 2
        lin.bias[:] = torch.tensor([-5.0, 5.0])
    model = torch.nn.Sequential(torch.nn.Flatten(), lin)
    x = torch.full((5, 1, 4, 4), 0.5) + 0.02 * torch.randn(5, 1, 4, 4, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        y = model(x).argmax(dim=1)
    gap = (x.flatten(1) @ w - 10).abs()
    return model, x, y, w, gap


@pytest.mark.parametrize("steps", [2, 5])
@pytest.mark.parametrize("p, dual", [(math.inf, 1.0), (2.0, 2.0)])
def test_minimal_perturbation_is_exact_on_a_hyperplane_in_few_steps(p, dual, steps):
    # l_inf takes sign steps: 5 of them reach the exact |gap| / |w|_1 within 1% (l2-normalised steps, which suit
    # l2, need far more); with 2 steps only the final iterate is past the plane: it must count as found
    model, x, y, w, gap = _linear_pair()
    exact = gap / torch.linalg.vector_norm(w, ord=dual)
    r = attacks.minimal_perturbation(model, x, y, p=p, steps=steps)
    assert bool(r.success.all())
    ratio = r.sizes / exact
    assert bool((ratio >= 1 - 1e-4).all()) and bool((ratio <= 1.01).all()), ratio


def test_curve_budgets_have_the_sizes_dtype():
    model, x, y, _, _ = _linear_pair()
    model = model.double()
    r = attacks.pgd(model, x.double(), y, p=math.inf, eps=[0.0, 0.05], steps=2)
    assert r.eps.dtype == r.sizes.dtype == torch.float64 and r.eps.tolist() == [0.0, 0.05]


def test_private_pgd_stops_early_by_default():
    from perturbkit.attacks.gradient import _pgd

    model, x, y, _, _ = _linear_pair()
    for p, eps in ((math.inf, 0.3), (2.0, 1.0)):
        stop = attacks.pgd(model, x, y, p=p, eps=eps, steps=10, early_stop=True).adversarial
        full = attacks.pgd(model, x, y, p=p, eps=eps, steps=10, early_stop=False).adversarial
        assert not torch.equal(stop, full)            # the two loops differ here
        assert torch.equal(_pgd(model, x, y, p, eps, 10), stop)


def test_make_generator_names_the_seed():
    from perturbkit.attacks._common import make_generator

    with pytest.raises(ValueError, match=r"^seed must be an integer >= 0, got -1"):
        make_generator(-1, "cpu")
    assert make_generator(None, "cpu") is None
    g = make_generator(3, "cpu")
    assert torch.equal(torch.rand(4, generator=g), torch.rand(4, generator=torch.Generator().manual_seed(3)))


def test_l0_projection_breaks_ties_by_position():
    from perturbkit import norms

    d = torch.ones(2, 300)
    d[1, ::2] = -2.0                                   # row 1: 150 entries of size 2, then ties of size 1
    out = norms.project(d, 0, 160)
    assert torch.equal(out[0, :160], d[0, :160]) and not bool(out[0, 160:].any())   # the first 160 of 300 ties
    # row 1: every entry of size 2, then the first 10 of the ties of size 1 (positions 1, 3, ..., 19)
    assert bool((out[1, ::2] == -2).all()) and bool((out[1, 1:21:2] == 1).all()) and not bool(out[1, 21::2].any())


def test_best_segment_class_names_its_order_and_radius():
    # t = 1 on the 2x2 binary space, by hand: the first two images of the simplicial order (all black, and one
    # white pixel) grow into 5 + 5 - 2 = 8 images, half the space, whose core at t = 1 is those two: share 2/8
    # (one image alone: 1 of 5)
    S = ImageSpace(2)
    r = isoperimetry.best_segment_class(S, 1)
    assert (r.order, r.t, r.k, r.size, r.core, r.share) == ("bit simplicial", 1, 2, 8, 2, 0.25)
    # t = 4 covers the whole space from any start: no class of at most half the space, an empty result that
    # still says which order and radius were asked
    r = isoperimetry.best_segment_class(S, 4, "level sum")
    assert (r.order, r.t, r.k, r.size, r.core, r.share) == ("level sum", 4, 0, 0, 0, 0.0)


def test_robust_share_counts_every_chunk():
    # more values than one counting chunk (2^22): every chunk must be added
    n = 2**22 + 6
    r = torch.arange(n, dtype=torch.float32)
    s = census.robust_share(None, r, [n - 4.0, 3.0])
    assert s.size.tolist() == [n] and s.robust[0].tolist() == [3 / n, (n - 4) / n]


def test_sizes_of_a_batch_of_scalars():
    # a 1-d tensor is a batch of one-entry perturbations
    from perturbkit import norms

    d = torch.tensor([0.5, -2.0, 0.0])
    for p in (0.0, 0.5, 1.0, 2.0, math.inf):
        expected = [1.0, 1.0, 0.0] if p == 0 else [0.5 ** min(p, 1) if p < 1 else 0.5, 2.0 ** min(p, 1) if p < 1
                                                   else 2.0, 0.0]
        assert norms.size(d, p).tolist() == pytest.approx(expected), p


def test_census_bytes_counts_each_array():
    # binary space, d_0: counts fit in uint8 (1 byte): two working arrays, a bool mask (1), the float32 result (4)
    # and half an array of scratch; 3 levels, l2: squared steps up to 4 N + 1 in uint8 still, and a full clone
    assert census.census_bytes(ImageSpace(2), 0) == 16 * (2 + 1 + 4) + 8
    assert census.census_bytes(ImageSpace(2, levels=3), 2) == 81 * (2 + 1 + 4) + 81
    assert census.census_bytes(ImageSpace(3), 0.5) == 512 * (2 + 1 + 4) + 256  # binary: Hamming counts for any p
    assert census.census_bytes(ImageSpace(1, levels=3, channels=2), 0.5) == 9 * (16 + 1 + 4) + 9 * 8  # float64
