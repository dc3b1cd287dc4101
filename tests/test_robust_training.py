import math

import pytest
import torch

from perturbkit.models import MLP, SmallCNN, accuracy, train
from perturbkit.robust_training import fgsm_rs_train, robust_accuracy


def _toy(k=400, seed=0):
    # Two classes of 6x6 images: a bright left half or a bright right half, plus noise. Linearly separable with a
    # wide l_inf margin, so adversarial training can and should keep accuracy under attack.
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 2, (k,), generator=g)
    x = torch.rand(k, 1, 6, 6, generator=g) * 0.3
    x[y == 0, :, :, :3] += 0.6
    x[y == 1, :, :, 3:] += 0.6
    return x.clamp(0, 1), y


def test_fgsm_rs_training_is_reproducible_and_raises_robust_accuracy():
    x, y = _toy()
    xt, yt = _toy(200, seed=1)
    std = MLP(6, classes=2, hidden=16, depth=1, seed=0)
    train(std, (x, y), epochs=8, lr=1e-2, progress=False)
    a = MLP(6, classes=2, hidden=16, depth=1, seed=0)
    b = MLP(6, classes=2, hidden=16, depth=1, seed=0)
    la = fgsm_rs_train(a, (x, y), eps=0.25, epochs=8, lr=1e-2, progress=False)
    lb = fgsm_rs_train(b, (x, y), eps=0.25, epochs=8, lr=1e-2, progress=False)
    assert la == lb and len(la) == 8 and all(math.isfinite(v) for v in la)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
    assert not a.training
    assert accuracy(a, xt, yt) > 0.9
    # Robust accuracy is at most clean accuracy, and adversarial training keeps at least as much as standard.
    ra = robust_accuracy(a, xt, yt, 0.25, steps=10)
    assert ra <= accuracy(a, xt, yt) + 1e-9
    assert ra >= robust_accuracy(std, xt, yt, 0.25, steps=10)
    assert ra > 0.8


def test_fgsm_rs_train_checks_once_not_per_batch():
    # Two forward passes per batch (the FGSM step and the update) and one for the model check of train(): the
    # attack's own checks (a forward pass) and its success measurement (another) are not paid per batch.
    class Counting(MLP):
        calls = 0

        def forward(self, x):
            Counting.calls += 1
            return super().forward(x)

    x, y = _toy(100)
    m = Counting(6, classes=2, hidden=4, depth=1, seed=0)
    fgsm_rs_train(m, (x, y), eps=0.1, epochs=2, batch_size=32, progress=False)
    assert Counting.calls == 1 + 2 * 2 * 4


def test_bad_input():
    x, y = _toy(20)
    m = SmallCNN(6, classes=2, width=2, hidden=4)
    with pytest.raises(ValueError, match="eps must be a number in"):
        fgsm_rs_train(m, (x, y), eps=0)
    with pytest.raises(ValueError, match="alpha must be a number in"):
        fgsm_rs_train(m, (x, y), eps=0.1, alpha=2)
    with pytest.raises(ValueError, match="epochs must be"):
        fgsm_rs_train(m, (x, y), eps=0.1, epochs=-1)
    with pytest.raises(ValueError, match="x must have values in"):
        fgsm_rs_train(m, (x * 3, y), eps=0.1)


@pytest.mark.gpu
def test_cuda():
    x, y = _toy(64)
    m = SmallCNN(6, classes=2, width=2, hidden=4).cuda()
    fgsm_rs_train(m, (x.cuda(), y.cuda()), eps=0.1, epochs=1, progress=False)
    assert robust_accuracy(m, x.cuda(), y.cuda(), 0.1, steps=2) <= accuracy(m, x.cuda(), y.cuda()) + 1e-9
