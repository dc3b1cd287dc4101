"""Every argument check of the core modules (norms, spaces, bounds, census, sum_classifier, attacks, isoperimetry,
guarantees) says which argument is wrong and what it must be: the exact start of each message, the exception type,
and the boundary values that must still be accepted. (The mutation run of mutation/ showed that tests naming only
the exception type let a wrong argument name, a wrong limit or a dropped check pass.)"""

import math

import numpy as np
import pytest
import torch

from perturbkit import attacks, bounds, census, guarantees, isoperimetry, norms, spaces, sum_classifier
from perturbkit.spaces import ImageSpace

S = ImageSpace(2)
LAB = torch.zeros(16, dtype=torch.uint8)
LAB[3] = 1
M = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(4, 2))
X = torch.zeros(2, 1, 2, 2)
Y = torch.tensor([0, 1])

# (call, exception type, the exact start of its message)
BAD = [

    (lambda: spaces.ImageSpace(0), ValueError,
     'n must be an integer >= 1, got 0'),
    (lambda: spaces.ImageSpace(2, levels=1), ValueError,
     'levels must be an integer >= 2, got 1'),
    (lambda: spaces.ImageSpace(2, channels=0), ValueError,
     'channels must be an integer >= 1, got 0'),
    (lambda: S.budget(2, c=0), ValueError,
     'c must be a number in (0, inf), got 0.0'),
    (lambda: spaces.ImageSpace(8, levels=256).images([0]), ValueError,
     'ImageSpace(n=8, levels=256, channels=1) has 256**64 images, more than int64 indices can number'),
    (lambda: S.images([1.5]), TypeError,
     'indices must be integers, got dtype torch.float32'),
    (lambda: S.images(torch.tensor([True])), TypeError,
     'indices must be integers, got dtype torch.bool'),
    (lambda: S.images([16]), ValueError,
     'indices must lie in [0, 15] for ImageSpace(n=2, levels=2, channels=1), got values in [16, 16]'),
    (lambda: S.images([-1]), ValueError,
     'indices must lie in [0, 15] for ImageSpace(n=2, levels=2, channels=1), got values in [-1, -1]'),
    (lambda: S.images(None), TypeError,
     'indices must be an integer or a sequence/tensor of integers, got None'),
    (lambda: S.to_digits(torch.full((1, 1, 2, 2), 0.5)), ValueError,
     'images has 4 value(s) off the 2-level lattice {0, 1/1, ..., 1}, e.g. 0.5'),
    (lambda: S.check_images(X, name=3), TypeError,
     'name must be a str (the argument name used in error messages), got 3'),
    (lambda: S.check_images(torch.zeros(1, 1, 3, 3)), ValueError,
     'images must have shape (k, 1, 2, 2) for ImageSpace(n=2, levels=2, channels=1), got (1, 1, 3, 3)'),
    (lambda: S.check_images(X + 2), ValueError,
     'images must have values in [0, 1], got values in [2.0, 2.0]'),
    (lambda: next(S.chunks(0)), ValueError,
     'batch_size must be an integer >= 1, got 0'),
    (lambda: S.sample(-1), ValueError,
     'k must be an integer >= 0, got -1'),
    (lambda: S.sample(2, generator=3), TypeError,
     'generator must be a torch.Generator or None, got int'),
    (lambda: norms.size(torch.tensor(1.0), 2), ValueError,
     'delta must have a batch dimension (shape (k, ...)), got a scalar'),
    (lambda: norms.distance(X, X[:1], 2), ValueError,
     'x and y must have the same shape, got (2, 1, 2, 2) and (1, 1, 2, 2)'),
    (lambda: norms.project(torch.zeros(2, 3), 3, 1.0), ValueError,
     'project supports p in {0, 1, 2, inf}, got p=3.0'),
    (lambda: bounds.bits_per_entry(1), ValueError,
     'levels must be an integer >= 2, got 1'),
    (lambda: bounds.bits_per_entry(6), ValueError,
     'levels must be a power of two (2, 4, 8, ..., 256: the class-relative bound reads each entry as b'),
    (lambda: bounds.harper_bound(0, 1), ValueError,
     'N must be an integer >= 1, got 0'),
    (lambda: bounds.harper_bound(4, 1, levels=3), ValueError,
     'levels must be a power of two (2, 4, 8, ..., 256: the class-relative bound reads each entry as b'),
    (lambda: bounds.hoeffding_bound(0, 1), ValueError,
     'N must be an integer >= 1, got 0'),
    (lambda: bounds.concentration_bound(0, 1), ValueError,
     'N must be an integer >= 1, got 0'),
    (lambda: bounds.linf_bound(0.3, levels=1), ValueError,
     'levels must be an integer >= 2, got 1'),
    (lambda: bounds.linf_bound(-0.1), ValueError,
     'eps must be >= 0 (and not NaN), got -0.1 (float)'),
    (lambda: bounds.cube_l2_bound(-1), ValueError,
     'r must be >= 0 (and not NaN), got -1 (int)'),
    (lambda: bounds.harper_bound(4, -1), ValueError,
     't must be >= 0 (and not NaN), got -1 (int)'),
    (lambda: census.chunk_labels(torch.zeros(2), 2, 'cpu'), TypeError,
     'classifier must return integer labels, got dtype torch.float32'),
    (lambda: census.chunk_labels(torch.zeros(3, dtype=torch.long), 2, 'cpu'), ValueError,
     'classifier returned 3 labels for a batch of 2 images'),
    (lambda: census.chunk_labels(torch.tensor([0, 256]), 2, 'cpu'), ValueError,
     'classifier labels must lie in 0..255, got values in [0, 256]'),
    (lambda: census.chunk_labels(torch.tensor([-1, 2]), 2, 'cpu'), ValueError,
     'classifier labels must lie in 0..255, got values in [-1, 2]'),
    (lambda: census.label_space(lambda x: x, 4), TypeError,
     'space must be a perturbkit.spaces.ImageSpace, got int'),
    (lambda: census.label_space(3, S), TypeError,
     'classifier must be a callable from images (k, c, n, n) to labels, got 3'),
    (lambda: census.label_space(lambda x: x, S, batch_size=0), ValueError,
     'batch_size must be an integer >= 1, got 0'),
    (lambda: census.robustness(LAB, 4), TypeError,
     'space must be a perturbkit.spaces.ImageSpace, got int'),
    (lambda: census.robustness([0]*16, S), TypeError,
     'labels must be a torch.Tensor (uint8, from label_space), got list'),
    (lambda: census.robustness(LAB.long(), S), TypeError,
     'labels must have dtype torch.uint8 (as label_space returns), got torch.int64'),
    (lambda: census.robustness(LAB[:3], S), ValueError,
     'labels must hold one label per image of ImageSpace(n=2, levels=2, channels=1), i.e. 16 values, got'),
    (lambda: census.robust_share(LAB, torch.zeros(16, dtype=torch.long), 1), TypeError,
     'r must be a floating torch.Tensor (from robustness), got torch.int64'),
    (lambda: census.robust_share(LAB.long(), torch.zeros(16), 1), TypeError,
     'labels must be a uint8 torch.Tensor (from label_space) or None, got torch.int64'),
    (lambda: census.robust_share(LAB, torch.zeros(3), 1), ValueError,
     'labels and r must have one value per image each, got 16 and 3'),
    (lambda: census.robust_share(LAB, torch.zeros(16), [[1, 2]]), ValueError,
     't must be a number or a 1-D sequence of radii without NaN, got array([[1., 2.]])'),
    (lambda: census.robust_share(LAB, torch.zeros(16), [math.nan]), ValueError,
     't must be a number or a 1-D sequence of radii without NaN, got array([nan])'),
    (lambda: census.robust_share(LAB, torch.zeros(16), None), TypeError,
     't must be a number or a 1-D sequence of radii, got None'),
    (lambda: census.robust_share(LAB, torch.zeros(16), ['a']), TypeError,
     "t must be a number or a 1-D sequence of radii, got ['a']"),
    (lambda: sum_classifier.labels(X + 0.3, levels=2), ValueError,
     'images has 8 value(s) off the 2-level lattice {0, 1/1, ..., 1}, e.g. 0.30000001192092896'),
    (lambda: sum_classifier.labels(X, levels=1), ValueError,
     'levels must be an integer >= 2, got 1'),
    (lambda: sum_classifier.space_labels(4), TypeError,
     'space must be a perturbkit.spaces.ImageSpace, got int'),
    (lambda: sum_classifier.minimal(X, 2, levels=1), ValueError,
     'levels must be an integer >= 2, got 1'),
    (lambda: sum_classifier.minimal_sizes(torch.zeros(2, 1, dtype=torch.long), 2), ValueError,
     'counts must be a tensor of shape (k, levels) with levels >= 2, got (2, 1)'),
    (lambda: sum_classifier.minimal_sizes(torch.zeros(2, 2), 2), TypeError,
     'counts must be an integer tensor, got dtype torch.float32'),
    (lambda: sum_classifier.minimal_sizes(torch.tensor([[-1, 2]]), 2), ValueError,
     'counts must be >= 0'),
    (lambda: sum_classifier.minimal_sizes(torch.tensor([[0, 0]]), 2), ValueError,
     'every row of counts must describe an image with at least one entry'),
    (lambda: sum_classifier.minimal_sizes([[1, 1]], 2), ValueError,
     'counts must be a tensor of shape (k, levels) with levels >= 2, got list'),
    (lambda: sum_classifier.decide(torch.tensor([1.0]), 4), TypeError,
     's must be a digit sum: an integer, or an integer tensor or array, got torch.float32'),
    (lambda: sum_classifier.decide(np.array([1.0]), 4), TypeError,
     's must be a digit sum: an integer, or an integer tensor or array, got float64'),
    (lambda: sum_classifier.decide(1.5, 4), TypeError,
     's must be a digit sum: an integer, or an integer tensor or array, got float'),
    (lambda: sum_classifier.minimal_sizes(torch.zeros(2, 2, device="meta", dtype=torch.long), 2), ValueError,
     'counts is a tensor on the meta device, which holds no values'),
    (lambda: sum_classifier.level_sum_pmf(0), ValueError,
     'N must be an integer >= 1, got 0'),
    (lambda: sum_classifier.level_sum_pmf(2, levels=1), ValueError,
     'levels must be an integer >= 2, got 1'),
    (lambda: sum_classifier.steps_to_cross(0), ValueError,
     'N must be an integer >= 1, got 0'),
    (lambda: sum_classifier.steps_to_cross(2, levels=1), ValueError,
     'levels must be an integer >= 2, got 1'),
    (lambda: sum_classifier.binary_histogram(0), ValueError,
     'N must be an integer >= 1, got 0'),
    (lambda: sum_classifier.random_level_counts(2, samples=0), ValueError,
     'samples must be an integer >= 1, got 0'),
    (lambda: sum_classifier.random_level_counts(2, seed=-1), ValueError,
     'seed must be an integer >= 0, got -1'),
    (lambda: isoperimetry.simplicial_order(4), TypeError,
     'space must be a perturbkit.spaces.ImageSpace, got int'),
    (lambda: isoperimetry.simplicial_order(ImageSpace(2, levels=3)), ValueError,
     'the simplicial order is defined for binary images (levels=2), got levels=3'),
    (lambda: isoperimetry.simplicial_segment(S, 17), ValueError,
     'size must be an integer <= 16, got 17'),
    (lambda: isoperimetry.simplicial_segment(S, -1), ValueError,
     'size must be an integer >= 0, got -1'),
    (lambda: isoperimetry.smallest_neighbourhoods(0), ValueError,
     'N must be an integer >= 1, got 0'),
    (lambda: isoperimetry.smallest_neighbourhoods(2, levels=1), ValueError,
     'levels must be an integer >= 2, got 1'),
    (lambda: isoperimetry.smallest_neighbourhoods(5), ValueError,
     'levels**N must be at most 16 (every one of the 2**(levels**N) sets is visited), got levels=2, N=5:'),
    (lambda: isoperimetry.smallest_neighbourhoods(1, levels=17), ValueError,
     'levels**N must be at most 16 (every one of the 2**(levels**N) sets is visited), got levels=17, N=1: 17'),
    (lambda: isoperimetry.most_robust_share(2, 2, -1), ValueError,
     't must be an integer >= 0, got -1'),
    (lambda: isoperimetry.bit_cube(4), TypeError,
     'space must be a perturbkit.spaces.ImageSpace, got int'),
    (lambda: isoperimetry.bit_cube(ImageSpace(2, levels=3)), ValueError,
     'levels must be a power of two (2, 4, 8, ..., 256: the class-relative bound reads each entry as b'),
    (lambda: isoperimetry.orders(4), TypeError,
     'space must be a perturbkit.spaces.ImageSpace, got int'),
    (lambda: isoperimetry.image_order(S, 'spiral'), ValueError,
     "kind must be one of ['bit simplicial', 'level sum', 'entries >= 1'], got 'spiral'"),
    (lambda: isoperimetry.best_segment_class(S, -1), ValueError,
     't must be an integer >= 0, got -1'),
    (lambda: guarantees.harper_radius(0, 0.1), ValueError,
     'N must be an integer >= 1, got 0'),
    (lambda: guarantees.harper_radius(4, 1.5), ValueError,
     'share must be a number in [0, 1], got 1.5'),
    (lambda: guarantees.harper_radius(4, -0.1), ValueError,
     'share must be a number in [0, 1], got -0.1'),
    (lambda: guarantees.harper_radius(4, 0.1, levels=3), ValueError,
     'levels must be a power of two (2, 4, 8, ..., 256: the class-relative bound reads each entry as b'),
    (lambda: guarantees.concentration_radius(0, 0.1), ValueError,
     'N must be an integer >= 1, got 0'),
    (lambda: guarantees.cube_radius(2), ValueError,
     'share must be a number in [0, 1], got 2.0'),
    (lambda: guarantees.shares_at_c(0, 1), ValueError,
     'N must be an integer >= 1, got 0'),
    (lambda: guarantees.shares_at_c(4, -1), ValueError,
     'c must be a number in [0, inf), got -1.0'),
    (lambda: guarantees.shares_at_c(4, 1, levels=3), ValueError,
     'levels must be a power of two (2, 4, 8, ..., 256: the class-relative bound reads each entry as b'),
    (lambda: guarantees.guarantee_table(Ns=(0,)), ValueError,
     'N must be an integer >= 1, got 0'),
    (lambda: guarantees.guarantee_table(levels=(3,)), ValueError,
     'levels must be a power of two (2, 4, 8, ..., 256: the class-relative bound reads each entry as b'),
    (lambda: guarantees.guarantee_table(shares=(2,)), ValueError,
     'share must be a number in [0, 1], got 2.0'),
    (lambda: guarantees.guarantee_table(levels=(2, 1)), ValueError,
     'levels[1] must be an integer >= 2, got 1'),
    (lambda: guarantees.guarantee_table(Ns=5), TypeError,
     'Ns must be a sequence of values such as (0.1, 0.01), got 5 (int)'),
    (lambda: guarantees.guarantee_table(levels={2: 1}), TypeError,
     'levels must be a sequence of values such as (0.1, 0.01), got {2: 1} (dict)'),
    (lambda: guarantees.guarantee_table(shares="ab"), TypeError,
     "shares must be a sequence of values such as (0.1, 0.01), got 'ab' (str)"),
    (lambda: guarantees.guarantee_table(Ns=[]), ValueError,
     'Ns must hold at least one value, got an empty sequence'),
    (lambda: guarantees.guarantee_table(levels=[]), ValueError,
     'levels must hold at least one value, got an empty sequence'),
    (lambda: guarantees.dataset_table(datasets={"a": 5}), ValueError,
     "datasets['a'] must be a tuple (n, levels, channels), got 5"),
    (lambda: guarantees.dataset_table(datasets={"a": (1, 2)}), ValueError,
     "datasets['a'] must be a tuple (n, levels, channels), got (1, 2)"),
    (lambda: guarantees.radii_for_share(0), ValueError,
     'n must be an integer >= 1, got 0'),
    (lambda: guarantees.radii_for_share(2, levels=1), ValueError,
     'levels must be an integer >= 2, got 1'),
    (lambda: guarantees.radii_for_share(2, channels=0), ValueError,
     'channels must be an integer >= 1, got 0'),
    (lambda: guarantees.radii_for_share(2, share=1), ValueError,
     'share must be below 1 (every class keeps at most all of itself), got 1.0'),
    (lambda: guarantees.radii_for_share(2, share=0), ValueError,
     'share must be above 0: the whole-space bound is positive at every t'),
    (lambda: guarantees.radii_for_share(2, share=-0.5), ValueError,
     'share must be a number in [0, 1], got -0.5'),
    (lambda: guarantees.dataset_table(datasets={}), ValueError,
     'datasets must be a non-empty dict name -> (n, levels, channels), got {}'),
    (lambda: guarantees.dataset_table(datasets=[1]), ValueError,
     'datasets must be a non-empty dict name -> (n, levels, channels), got [1]'),
    (lambda: attacks.pgd(M, X, Y, p=3, eps=0.1), ValueError,
     'p must be one of 0, 1, 2 or inf (math.inf) for the attacks, got p=3.0'),
    (lambda: attacks.pgd(M, X, Y, p=2, eps=0.1, levels=1), ValueError,
     'levels must be an integer >= 2, got 1'),
    (lambda: attacks.pgd(M, X, Y, p=2, eps=0.1, steps=-1), ValueError,
     'steps must be an integer >= 0, got -1'),
    (lambda: attacks.pgd(M, X, Y, p=2, eps=0.1, seed=-1), ValueError,
     'seed must be an integer >= 0, got -1'),
    (lambda: attacks.pgd(M, X, Y, p=2, eps=0.1, early_stop=1), TypeError,
     'early_stop must be True or False, got 1 (int)'),
    (lambda: attacks.pgd(M, X, Y, p=2, eps=0.1, targeted='no'), TypeError,
     "targeted must be True or False, got 'no' (str)"),
    (lambda: attacks.pgd(M, X + 0.3, Y, p=2, eps=0.1, levels=2), ValueError,
     'x has 8 value(s) off the 2-level lattice {0, 1/1, ..., 1}, e.g. 0.30000001192092896'),
    (lambda: attacks.pgd(M, X, Y, p=2, eps=0.1, step_size=-1), ValueError,
     'step_size must be finite and >= 0 (and not NaN), got values in [-1.0, -1.0]'),
    (lambda: attacks.minimal_perturbation(M, X, Y, p=2, steps=-1), ValueError,
     'steps must be an integer >= 0, got -1'),
    (lambda: attacks.minimal_perturbation(M, X, Y, p=2, alpha=0), ValueError,
     'alpha must be a number in (0, inf), got 0.0'),
    (lambda: attacks.minimal_perturbation(M, X, Y, p=2, gamma=1), ValueError,
     'gamma must be a number in (0, 1), got 1.0'),
    (lambda: attacks.minimal_perturbation(M, X, Y, p=2, gamma=0), ValueError,
     'gamma must be a number in (0, 1), got 0.0'),
    (lambda: attacks.minimal_perturbation(M, X, Y, p=2, start=X[:1]), ValueError,
     'start must have the shape and device of x, (2, 1, 2, 2) on cpu, got (1, 1, 2, 2) on cpu'),
    (lambda: attacks.minimal_perturbation(M, X, Y, p=2, start=X + 0.3, levels=2), ValueError,
     'start has 8 value(s) off the 2-level lattice {0, 1/1, ..., 1}, e.g. 0.30000001192092896'),
    (lambda: attacks.minimal_perturbation(M, X, Y, p=2, start=X + 2), ValueError,
     'start must have values in [0, 1] (intensities), got values in [2, 2]'),
    (lambda: attacks.to_lattice(M, X, Y, x_adv=X + 2, p=2, levels=2), ValueError,
     'x_adv must have values in [0, 1] (intensities), got values in [2, 2]'),
    (lambda: attacks.to_lattice(M, X, Y, x_adv=X[:1], p=2, levels=2), ValueError,
     'x_adv must have the shape and device of x (2, 1, 2, 2) (cpu), got (1, 1, 2, 2) (cpu)'),
    (lambda: attacks.to_lattice(M, X, Y, x_adv=X, p=3, levels=2), ValueError,
     'p must be one of 0, 1, 2 or inf (math.inf) for the attacks, got p=3.0'),
    (lambda: attacks.sparse_attack(M, X, Y, eps=-1), ValueError,
     'eps must be an integer >= 0, got -1'),
    (lambda: attacks.sparse_attack(M, X, Y, eps=1, per_step=0), ValueError,
     'per_step must be an integer >= 1, got 0'),
    (lambda: attacks.sparse_attack(M, X, Y, eps=1, p=True), ValueError,
     'p must be 0 for sparse_attack (an l0 attack: eps counts changed entries), got True'),
    (lambda: attacks.fgsm(M, X, Y, p=2, eps=np.array([0.1, 0.1, 0.1])), ValueError,
     'eps as a tensor or array holds one budget per sample, so it needs 2 values (the batch), got 3'),
    (lambda: attacks.fgsm(M, X, Y, p=2, eps=()), ValueError,
     'eps is an empty tuple: a curve needs at least one budget'),
    (lambda: attacks.fgsm(M, X, Y, p=2, eps=0.1, levels=1), ValueError,
     'levels must be an integer >= 2, got 1'),
]


@pytest.mark.parametrize("i", range(len(BAD)))
def test_bad_argument_gets_its_own_message(i):
    call, exc, start = BAD[i]
    with pytest.raises(exc) as info:
        call()
    assert type(info.value) is exc  # not a subclass raised by a library
    assert str(info.value).startswith(start), str(info.value)


def test_messages_name_the_value_and_the_rest_of_the_story():
    # the second halves of the longest messages
    with pytest.raises(ValueError) as info:
        bounds.bits_per_entry(6)
    assert str(info.value).endswith("got 6; for other L only concentration_bound (a share of the whole space) is "
                                    "proved")
    with pytest.raises(ValueError) as info:
        spaces.ImageSpace(8, levels=256).indices(torch.zeros(1, 1, 8, 8))
    assert str(info.value).endswith("(2**63 - 1); use sample() instead of images()/indices()")
    with pytest.raises(ValueError) as info:
        S.to_digits(torch.full((1, 1, 2, 2), 0.5), name="pictures")
    assert str(info.value) == ("pictures has 4 value(s) off the 2-level lattice {0, 1/1, ..., 1}, e.g. 0.5; use "
                               "perturbkit.data.quantize first")
    with pytest.raises(ValueError) as info:
        attacks.fgsm(M, X, Y, p=2, eps=np.array([0.1, 0.1, 0.1]))
    assert str(info.value).endswith("got 3; for a robust-accuracy curve pass the budgets as a list")
    with pytest.raises(ValueError) as info:
        guarantees.radii_for_share(2, share=0)
    assert str(info.value).endswith("so no number of changed entries caps it at 0")
    with pytest.raises(ValueError) as info:
        attacks.sparse_attack(M, X, Y, eps=1, p=2)
    assert str(info.value).endswith("got 2; for p >= 1 use pgd or minimal_perturbation")


def test_values_at_each_limit_are_accepted():
    assert ImageSpace(1, levels=2, channels=1).size == 2
    assert S.budget(1, c=1e-9) == pytest.approx(1e-9 * 2)
    assert S.sample(0).shape == (0, 1, 2, 2)
    assert [s for s, _ in S.chunks(1)] == list(range(16))
    assert S.images([0, 15]).tolist() == [[[[0.0, 0.0], [0.0, 0.0]]], [[[1.0, 1.0], [1.0, 1.0]]]]
    assert bounds.bits_per_entry(2) == 1 and bounds.bits_per_entry(256) == 8
    assert bounds.linf_bound(0.3, levels=2) == 0.5        # below one level step: the trivial half
    assert bounds.harper_bound(1, 0) == 1.0 and bounds.hoeffding_bound(1, 0) == 1.0
    assert bounds.concentration_bound(1, 0) == 0.5
    assert bounds.cube_l2_bound(0) == 0.5 and bounds.linf_bound(0) == 0.5
    assert sum_classifier.level_sum_pmf(1, levels=2) == pytest.approx([0.5, 0.5])
    assert sum_classifier.steps_to_cross(1).tolist() == [1, 1]
    assert sum_classifier.binary_histogram(1).tolist() == [[0, 1], [0, 1]]
    assert sum_classifier.random_level_counts(1, samples=1, seed=0).sum() == 1
    assert isoperimetry.simplicial_segment(S, 16).all() and not isoperimetry.simplicial_segment(S, 0).any()
    assert isoperimetry.smallest_neighbourhoods(1, levels=2).tolist() == [0, 2, 2]
    assert len(isoperimetry.smallest_neighbourhoods(4)) == 17 and len(isoperimetry.smallest_neighbourhoods(2, 4)) == 17
    assert isoperimetry.most_robust_share(1, 2, 0) == 1.0
    assert isoperimetry.best_segment_class(S, 0).share == 1.0
    assert guarantees.harper_radius(1, 0) == 1 and guarantees.harper_radius(1, 1) == 0  # N = 1: s* = 0
    assert guarantees.shares_at_c(1, 0)["any L (share of the space)"] == 0.5
    r = guarantees.radii_for_share(1, levels=2, channels=1, share=0.5)  # N = 1: t = 1 moves every image
    assert (r.bits, r.binary, r.space) == (1, 1, 0)
    assert guarantees.cube_radius(0) == math.inf and guarantees.concentration_radius(1, 0) == math.inf
    assert attacks.pgd(M, X, Y, p=2, eps=0.1, steps=0, seed=0).adversarial.equal(X)
    assert attacks.minimal_perturbation(M, X, Y, p=2, steps=0, gamma=0.999, alpha=1e-9).sizes.shape == (2,)
    assert attacks.sparse_attack(M, X, Y, eps=0, per_step=1).sizes.shape == (2,)
    assert attacks.fgsm(M, X, Y, p=2, eps=0.1, levels=2).adversarial.shape == X.shape


def test_every_message_start_is_specific():
    # the table itself: each expected start is a phrase (argument and what is wrong with it), not a lone word
    for _, _, start in BAD:
        assert len(start) >= 19 and " " in start
