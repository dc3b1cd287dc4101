"""PGD's early stopping: shrinking the batch every step (CPU), masking fooled samples between shrinkings (GPU), and
the textbook loop that drops fooled samples at once all give every sample its first adversarial iterate."""

import copy
import math

import pytest
import torch

from perturbkit import attacks, models, norms, sum_classifier
from perturbkit.attacks import gradient
from perturbkit.attacks._common import adversarial, frozen, loss_grad, steepest_step
from perturbkit.norms import project
from perturbkit.sum_classifier import SumModel

INF = math.inf


def textbook_early_stop(model, x, y, p, eps, steps, alpha):
    """The loop PGD had before masking: gather the active samples, drop the fooled ones, scatter the step back."""
    x_adv = x.clone()
    eps = torch.full((x.shape[0],), eps) if not isinstance(eps, torch.Tensor) else eps
    alpha = torch.full((x.shape[0],), alpha)
    active = torch.arange(x.shape[0])
    with frozen(model):
        for _ in range(steps):
            xa, xo, ya = x_adv[active], x[active], y[active]
            logits, g = loss_grad(model, xa, ya, "ce", False)
            keep = ~adversarial(logits, ya, False)
            active, xa, xo, g = active[keep], xa[keep], xo[keep], g[keep]
            if active.numel() == 0:
                break
            delta = xa - xo + steepest_step(g, xa, p, alpha[active])
            x_adv[active] = (xo + project(delta, p, eps[active])).clamp(0, 1)
    return x_adv


@pytest.fixture(scope="module")
def digits(digits_cnn):
    return digits_cnn.model, digits_cnn.test[0][:128], digits_cnn.test[1][:128]


@pytest.mark.parametrize("p, eps", [(INF, 0.1), (2, 1.0), (1, 4.0), (0, 6)])
def test_cpu_default_is_the_textbook_loop_bit_for_bit(digits, p, eps):
    model, x, y = digits
    alpha = 1.0 if p == 0 else 2.5 * eps / 30
    want = textbook_early_stop(model, x, y, p, eps, 30, alpha)
    got = attacks.pgd(model, x, y, p=p, eps=eps, steps=30, step_size=alpha).adversarial
    assert torch.equal(got, want)


@pytest.mark.parametrize("p", [INF, 2, 1])
@pytest.mark.parametrize("every", [2, 3, 7, 1000])
def test_masking_between_shrinkings_gives_the_same_iterates(p, every):
    """With a model whose rows are independent, any shrinking schedule freezes each sample at the same iterate
    (bit for bit in l_inf; in l1 and l2 the per-row norms are reductions whose last bit may depend on the batch)."""
    g = torch.Generator().manual_seed(3)
    x = torch.rand(200, 1, 5, 5, generator=g)
    y = sum_classifier.labels(x)
    eps = torch.rand(200, generator=g) * {INF: 0.3, 2: 1.5, 1: 4.0}[p]
    model = SumModel()
    want = gradient._pgd(model, x, y, p, eps, steps=25, compact_every=1)
    got = gradient._pgd(model, x, y, p, eps, steps=25, compact_every=every)
    if p == INF:
        assert torch.equal(got, want)
    else:
        torch.testing.assert_close(got, want, rtol=0, atol=1e-6)
    fooled = models.predict(model, want) != y
    assert torch.equal(models.predict(model, got) != y, fooled)
    assert 0 < int(fooled.sum()) < 200  # the schedule mattered: some samples stopped early, some never did


def test_masking_on_a_cnn_keeps_success_and_budget(digits):
    model, x, y = digits
    want = gradient._pgd(model, x, y, INF, 0.1, steps=30, compact_every=1)
    got = gradient._pgd(model, x, y, INF, 0.1, steps=30, compact_every=10)
    assert bool((norms.distance(got, x, INF) <= 0.1 + 1e-6).all()) and float(got.min()) >= 0 and float(got.max()) <= 1
    # batch composition may move the last float bits of a convolution: the success counts agree within 2 images
    ok_w, ok_g = models.predict(model, want) != y, models.predict(model, got) != y
    assert abs(int(ok_w.sum()) - int(ok_g.sum())) <= 2


@pytest.mark.gpu
def test_cuda_masks_and_matches_its_own_compacting_run(digits):
    model, x, y = digits
    dev = torch.device("cuda")
    mc, xc, yc = copy.deepcopy(model).to(dev), x.to(dev), y.to(dev)
    assert gradient._compact_every(dev) == gradient._CUDA_COMPACT_EVERY > 1
    for p, eps in [(INF, 0.1), (2, 1.0), (0, 6)]:
        masked = attacks.pgd(mc, xc, yc, p=p, eps=eps, steps=30).adversarial
        compact = gradient._pgd(mc, xc, yc, p, torch.full((len(yc),), float(eps), device=dev), steps=30,
                                compact_every=1)
        assert masked.device.type == "cuda"
        assert bool((norms.distance(masked, xc, p) <= eps * (1 + 1e-5) + 1e-6).all())
        ok_m, ok_c = models.predict(mc, masked) != yc, models.predict(mc, compact) != yc
        assert abs(int(ok_m.sum()) - int(ok_c.sum())) <= 2
    x_sum = torch.rand(300, 1, 5, 5, generator=torch.Generator().manual_seed(0)).to(dev)
    y_sum = sum_classifier.labels(x_sum)
    a = gradient._pgd(SumModel(), x_sum, y_sum, INF, 0.2, steps=20, compact_every=1)
    b = attacks.pgd(SumModel(), x_sum, y_sum, p=INF, eps=0.2, steps=20).adversarial
    torch.testing.assert_close(a, b)
