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
