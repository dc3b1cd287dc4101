import copy
import inspect
import math

import pytest
import torch
from torch import nn

from perturbkit import attacks, models, norms, sum_classifier
from perturbkit.spaces import ImageSpace
from perturbkit.sum_classifier import SumModel

INF = math.inf


class Linear2(nn.Module):
    def __init__(self, w, b):
        super().__init__()
        self.w = nn.Parameter(w)
        self.b = nn.Parameter(torch.tensor(b))

    def forward(self, x):
        z = x.reshape(x.shape[0], -1) @ self.w + self.b
        return torch.stack([torch.zeros_like(z), z], dim=1)


@pytest.fixture(scope="module")
def digits_cnn(digits_cnn):
    """The shared digits CNN (conftest.py) with 64 test images and their labels."""
    return digits_cnn.model, digits_cnn.test[0][:64], digits_cnn.test[1][:64]


def _lattice_images(k, n, levels, seed):
    return ImageSpace(n, levels=levels).sample(k, generator=torch.Generator().manual_seed(seed))


# --------------------------------------------------------------------------- ground truth: sum classifier
@pytest.mark.parametrize("p", [1, 2, INF])
def test_minimal_matches_sum_classifier_continuous(p):
    x = torch.rand(40, 1, 5, 5, generator=torch.Generator().manual_seed(1))
    model = SumModel()
    y = sum_classifier.labels(x)
    _, exact = sum_classifier.minimal(x, p)
    r = attacks.minimal_perturbation(model, x, y, p=p, steps=200)
    assert bool(r.success.all())
    assert bool((models.predict(model, r.adversarial) != y).all())
    # Never below the exact minimum (it is a minimum), and within 3% above it.
    assert bool((r.sizes >= exact - 1e-3).all())
    assert float((r.sizes / exact).max()) <= 1.03


@pytest.mark.parametrize("levels", [2, 5])
def test_l0_attack_is_exact_on_sum_classifier_lattice(levels):
    x = _lattice_images(60, 5, levels, seed=2)
    model = SumModel()
    y = sum_classifier.labels(x, levels)
    _, exact = sum_classifier.minimal(x, 0, levels)
    r = attacks.minimal_perturbation(model, x, y, p=0, steps=25, levels=levels)
    assert bool(r.success.all())
    ImageSpace(5, levels=levels).to_digits(r.adversarial)  # raises if off the lattice
    assert torch.equal(sum_classifier.labels(r.adversarial, levels), 1 - y)
    assert torch.equal(r.sizes, exact)


@pytest.mark.parametrize("p", [2, INF])
def test_minimal_on_lattice_close_to_exact_lattice_minimum(p):
    levels = 5
    x = _lattice_images(40, 4, levels, seed=3)
    model = SumModel()
    y = sum_classifier.labels(x, levels)
    _, exact = sum_classifier.minimal(x, p, levels)
    r = attacks.minimal_perturbation(model, x, y, p=p, steps=200, levels=levels)
    assert bool(r.success.all())
    ImageSpace(4, levels=levels).to_digits(r.adversarial)
    assert torch.equal(sum_classifier.labels(r.adversarial, levels), 1 - y)
    assert bool((r.sizes >= exact * (1 - 1e-5)).all())
    assert float((r.sizes / exact).mean()) <= 1.15


# --------------------------------------------------------------------------- ground truth: linear classifiers
@pytest.mark.parametrize("p,tol", [(2, 0.02), (INF, 0.02), (1, 0.05)])
def test_minimal_matches_linear_classifier(p, tol):
    g = torch.Generator().manual_seed(4)
    n = 6
    w = torch.randn(n * n, generator=g)
    model = Linear2(w, float(-0.5 * w.sum()))
    x = 0.45 + 0.1 * torch.rand(30, 1, n, n, generator=g)
    z = x.reshape(30, -1) @ w + model.b.detach()
    y = (z > 0).to(torch.int64)
    dual = {2: w.norm(2), INF: w.norm(1), 1: w.abs().max()}[p]
    exact = z.abs() / dual  # the box never binds: every exact move is < 0.45 per entry
    assert float(exact.max()) < 0.4
    r = attacks.minimal_perturbation(model, x, y, p=p, steps=200)
    assert bool(r.success.all())
    assert bool((r.sizes >= exact - 1e-3).all())
    assert float((r.sizes / exact).max()) <= 1 + tol


# --------------------------------------------------------------------------- budgets, box, lattice
@pytest.mark.parametrize("p", [INF, 2, 1, 0])
@pytest.mark.parametrize("random_start", [False, True])
def test_pgd_respects_budget_and_box(digits_cnn, p, random_start):
    model, x, y = digits_cnn
    scale = {INF: 0.2, 2: 2.0, 1: 6.0, 0: 8}[p]
    eps = torch.rand(x.shape[0], generator=torch.Generator().manual_seed(5)) * scale
    if p == 0:
        eps = eps.floor()
    xa = attacks.pgd(model, x, y, p=p, eps=eps, steps=20, random_start=random_start, seed=0).adversarial
    assert xa.shape == x.shape and xa.dtype == x.dtype
    assert float(xa.min()) >= 0 and float(xa.max()) <= 1
    assert bool((norms.distance(xa, x, p) <= eps * (1 + 1e-5) + 1e-6).all())


@pytest.mark.parametrize("p", [INF, 2, 1, 0])
def test_pgd_with_a_generous_budget_fools_most_images(digits_cnn, p):
    # A budget that lets every sample move far (0.2 / 2 / 6 / 8 entries) fools most of them.
    model, x, y = digits_cnn
    big = attacks.pgd(model, x, y, p=p, eps={INF: 0.2, 2: 2.0, 1: 6.0, 0: 8}[p], steps=40)
    assert torch.equal(big.success, models.predict(model, big.adversarial) != y)
    assert float(big.success.double().mean()) > 0.7


@pytest.mark.parametrize("p", [INF, 2, 0])
def test_lattice_outputs_on_lattice_within_budget(digits_cnn, p):
    model, x, y = digits_cnn  # digits have 17 grey levels
    eps = {INF: 0.25, 2: 2.0, 0: 8}[p]
    xa = attacks.pgd(model, x, y, p=p, eps=eps, steps=30, levels=17).adversarial
    ImageSpace(8, levels=17).to_digits(xa)
    assert bool((norms.distance(xa, x, p) <= eps + 1e-5).all())
    r = attacks.minimal_perturbation(model, x, y, p=p, steps=60, levels=17)
    ImageSpace(8, levels=17).to_digits(r.adversarial)
    assert float(r.success.double().mean()) > 0.9
    assert bool((models.predict(model, r.adversarial)[r.success] != y[r.success]).all())
    assert torch.allclose(r.sizes[r.success], norms.distance(r.adversarial, x, p)[r.success])


def test_fgsm_is_one_signed_step(digits_cnn):
    model, x, y = digits_cnn
    xa = attacks.fgsm(model, x, y, p=INF, eps=0.1).adversarial
    x_ = x.clone().requires_grad_(True)
    nn.functional.cross_entropy(model(x_), y, reduction="sum").backward()
    assert torch.allclose(xa, (x + 0.1 * x_.grad.sign()).clamp(0, 1))


@pytest.mark.parametrize("p", [INF, 2, 0])
def test_minimal_never_above_a_budget_where_pgd_succeeds(digits_cnn, p):
    # Warm-started from PGD's adversarial examples, the search keeps the smaller of the two: on every machine no
    # reported size exceeds a budget at which PGD fooled the image, and every reported success is real.
    model, x, y = digits_cnn
    for eps in {INF: [0.05, 0.1, 0.2], 2: [0.5, 1.0, 1.5], 0: [2, 4, 8]}[p]:
        x_pgd = attacks.pgd(model, x, y, p=p, eps=eps, steps=50).adversarial
        ok = models.predict(model, x_pgd) != y
        r = attacks.minimal_perturbation(model, x, y, p=p, steps=30, start=x_pgd)
        assert bool(r.success[ok].all())
        assert bool((r.sizes[ok] <= eps * (1 + 1e-5) + 1e-6).all()), (eps, r.sizes[ok].max())
        s = r.success
        assert bool((models.predict(model, r.adversarial[s]) != y[s]).all())
        assert torch.allclose(r.sizes[s], norms.distance(r.adversarial[s], x[s], p), rtol=1e-5, atol=1e-6)
        assert bool(torch.isinf(r.sizes[~s]).all()) and torch.equal(r.adversarial[~s], x[~s])


def test_minimal_start_is_checked(digits_cnn):
    model, x, y = digits_cnn
    with pytest.raises(ValueError, match="start must have the shape"):
        attacks.minimal_perturbation(model, x, y, p=2, steps=1, start=x[:1])
    with pytest.raises(ValueError, match="start .*off the 17-level lattice"):
        attacks.minimal_perturbation(model, x, y, p=2, steps=1, levels=17, start=(x + 0.01).clamp(0, 1))


def test_targeted_pgd_reaches_target(digits_cnn):
    model, x, y = digits_cnn
    target = (y + 1) % 10
    xa = attacks.pgd(model, x, target, p=INF, eps=0.3, steps=50, targeted=True).adversarial
    assert float((models.predict(model, xa) == target).double().mean()) > 0.8


# --------------------------------------------------------------------------- one calling convention, one result
ATTACKS = {"fgsm": dict(p=INF, eps=0.1), "pgd": dict(p=2, eps=1.0, steps=3), "sparse_attack": dict(p=0, eps=3),
           "minimal_perturbation": dict(p=2, steps=3), "to_lattice": dict(p=2, levels=17)}


def test_every_attack_takes_model_x_y_then_keywords_and_returns_one_result(digits_cnn):
    model, x, y = digits_cnn
    public = set(attacks.__all__) - {"AttackResult"}
    assert public == set(ATTACKS)  # a new attack joins this test
    for name, kwargs in ATTACKS.items():
        f = getattr(attacks, name)
        params = inspect.signature(f).parameters.values()
        positional = [q.name for q in params if q.kind == q.POSITIONAL_OR_KEYWORD]
        keyword = {q.name for q in params if q.kind == q.KEYWORD_ONLY}
        assert positional == ["model", "x", "y"], name
        assert set(kwargs) - {"steps"} <= keyword and len(positional) + len(keyword) == len(params), name
        assert "p" in keyword, name
        if name == "to_lattice":
            kwargs = dict(kwargs, x_adv=attacks.pgd(model, x, y, p=2, eps=1.0, steps=3).adversarial)
        r = f(model, x, y, **kwargs)
        assert type(r) is attacks.AttackResult and r.eps is None, name
        assert r.adversarial.shape == x.shape and r.sizes.shape == r.success.shape == y.shape, name
        assert r.success.dtype == torch.bool, name
        # success is real, sizes are the d_p sizes of the successes and inf elsewhere
        s, p = r.success, kwargs.get("p", 0)
        assert bool((models.predict(model, r.adversarial[s]) != y[s]).all()), name
        torch.testing.assert_close(r.sizes[s], norms.distance(r.adversarial[s], x[s], p), rtol=1e-5, atol=1e-6)
        assert bool(torch.isinf(r.sizes[~s]).all()), name
        assert float(r.robust_accuracy) == pytest.approx(1 - float(s.double().mean())), name


@pytest.mark.parametrize("name, kwargs, budgets", [
    ("pgd", dict(p=INF, steps=5, random_start=True, seed=3), [0.0, 0.05, 0.1]),
    ("pgd", dict(p=0, steps=5), (0, 2, 6)),
    ("fgsm", dict(p=2), [0.5, 1.5]),
    ("sparse_attack", dict(per_step=2), [1, 4]),
    ("to_lattice", dict(p=2, levels=17), [0.5, 2.0]),
])
def test_a_list_of_budgets_is_one_attack_per_budget(digits_cnn, name, kwargs, budgets):
    model, x, y = digits_cnn
    f = getattr(attacks, name)
    if name == "to_lattice":
        kwargs = dict(kwargs, x_adv=attacks.pgd(model, x, y, p=2, eps=2.0, steps=5).adversarial)
    curve = f(model, x, y, eps=budgets, **kwargs)
    one = [f(model, x, y, eps=e, **kwargs) for e in budgets]
    assert torch.equal(curve.eps, torch.tensor([float(e) for e in budgets]))
    for field in ("adversarial", "sizes", "success"):
        assert torch.equal(getattr(curve, field), torch.stack([getattr(r, field) for r in one])), field
    assert curve.robust_accuracy.tolist() == [float(r.robust_accuracy) for r in one]
    if name != "to_lattice":  # budget 0 changes nothing: the clean accuracy; the largest budget fools more
        acc, clean = curve.robust_accuracy.tolist(), models.accuracy(model, x, y)
        assert acc[-1] < acc[0] <= clean and (budgets[0] != 0 or acc[0] == clean)


def test_a_tensor_of_budgets_is_per_sample_and_matches_single_budgets(digits_cnn):
    model, x, y = digits_cnn
    eps = torch.tensor([0.0, 0.1] * (len(y) // 2))
    r = attacks.fgsm(model, x, y, p=INF, eps=eps)
    for e in (0.0, 0.1):
        one = attacks.fgsm(model, x, y, p=INF, eps=e)
        torch.testing.assert_close(r.adversarial[eps == e], one.adversarial[eps == e])
    assert torch.equal(r.adversarial[eps == 0], x[eps == 0])
    with pytest.raises(ValueError, match=r"needs 64 values \(the batch\), got 2; for a robust-accuracy curve"):
        attacks.pgd(model, x, y, p=INF, eps=torch.tensor([0.0, 0.1]))


# --------------------------------------------------------------------------- determinism and side effects
def test_same_seed_same_result_and_global_rng_untouched(digits_cnn):
    model, x, y = digits_cnn
    state = torch.get_rng_state()
    a = attacks.pgd(model, x, y, p=2, eps=1.0, steps=5, random_start=True, seed=7).adversarial
    b = attacks.pgd(model, x, y, p=2, eps=1.0, steps=5, random_start=True, seed=7).adversarial
    c = attacks.pgd(model, x, y, p=2, eps=1.0, steps=5, random_start=True, seed=8).adversarial
    assert torch.equal(torch.get_rng_state(), state)
    assert torch.equal(a, b) and not torch.equal(a, c)
    r1 = attacks.minimal_perturbation(model, x, y, p=2, steps=20)
    r2 = attacks.minimal_perturbation(model, x, y, p=2, steps=20)
    assert torch.equal(r1.sizes, r2.sizes) and torch.equal(torch.get_rng_state(), state)


def test_model_flags_restored(digits_cnn):
    model, x, y = digits_cnn
    m = models.MLP(8, seed=0)
    m.net[1].weight.requires_grad_(False)
    m.train()
    attacks.pgd(m, x, y, p=INF, eps=0.1, steps=2)
    attacks.minimal_perturbation(m, x, y, p=0, steps=2)
    assert m.training
    assert [q.requires_grad for q in m.parameters()] == [False, True, True, True, True, True]


# --------------------------------------------------------------------------- fixed values on bundled MNIST
def test_fixed_values_on_mnist_subset(mnist_cnn):
    m, test = mnist_cnn.model, mnist_cnn.test
    xs, ys = test[0][:100], test[1][:100]
    ok = models.predict(m, xs) == ys
    r = attacks.minimal_perturbation(m, xs[ok], ys[ok], p=2, steps=100)
    assert bool(r.success.all())
    mean_l2 = float(r.sizes.mean())
    # Regression value for this seed and model, with a tolerance for platform differences in training.
    assert 0.8 <= mean_l2 <= 2.0, mean_l2


# --------------------------------------------------------------------------- bad input
def test_bad_inputs(digits_cnn):
    model, x, y = digits_cnn
    with pytest.raises(ValueError, match="same k"):
        attacks.pgd(model, x, y[:3], p=INF, eps=0.1)
    with pytest.raises(ValueError, match="labels in 0..9"):
        attacks.pgd(model, x, y + 10, p=INF, eps=0.1)
    with pytest.raises(ValueError, match="eps must be finite and >= 0"):
        attacks.pgd(model, x, y, p=INF, eps=-0.1)
    with pytest.raises(ValueError, match="one budget per sample"):
        attacks.pgd(model, x, y, p=INF, eps=torch.ones(3))
    with pytest.raises(ValueError, match="p must be one of 0, 1, 2 or inf"):
        attacks.pgd(model, x, y, p=3, eps=0.1)
    with pytest.raises(ValueError, match="p must be one of 0, 1, 2 or inf"):
        attacks.minimal_perturbation(model, x, y, p=0.5)
    with pytest.raises(ValueError, match="model is on meta but x is on cpu"):
        attacks.fgsm(models.SmallCNN(8).to("meta"), x, y, p=INF, eps=0.1)
    with pytest.raises(ValueError, match="off the 3-level lattice"):
        attacks.minimal_perturbation(model, x, y, p=2, levels=3)
    with pytest.raises(ValueError, match="steps must be an integer >= 0"):
        attacks.pgd(model, x, y, p=2, eps=1.0, steps=-1)


@pytest.mark.gpu
def test_attacks_on_cuda(digits_cnn):
    model, x, y = digits_cnn
    dev = torch.device("cuda")
    mc, xc, yc = copy.deepcopy(model).to(dev), x.to(dev), y.to(dev)
    for p, eps in [(INF, 0.2), (2, 1.5), (1, 5.0), (0, 6)]:
        xa = attacks.pgd(mc, xc, yc, p=p, eps=eps, steps=20, random_start=True, seed=0).adversarial
        assert xa.device.type == "cuda"
        assert bool((norms.distance(xa, xc, p) <= eps * (1 + 1e-5) + 1e-6).all())
        r = attacks.minimal_perturbation(mc, xc, yc, p=p, steps=50, levels=17)
        assert r.sizes.device.type == "cuda" and float(r.success.double().mean()) > 0.9


# --------------------------------------------------------------------------- the lesson's widget logic
def test_attack_example_and_explorer(digits_cnn):
    import html

    from perturbkit.widgets.attacks import attack_example, attack_explorer, describe

    model, x, y = digits_cnn
    small = attack_example(model, x, y, 0, 2.0, 0.0)
    assert small["size"] == 0 and small["pred_adv"] == small["pred"]
    big = attack_example(model, x, y, 0, 2.0, 0.3)  # eps = 0.3 * 8 = 2.4 in l2: fools this model
    assert big["eps"] == pytest.approx(2.4) and big["size"] <= 2.4 + 1e-5
    assert big["pred_adv"] != big["label"] and "fooled" in describe(big)
    l0 = attack_example(model, x, y, 1, 0.0, 0.1)
    assert l0["eps"] == 6 and l0["size"] <= 6
    with pytest.raises(ValueError, match="index must be in 0..63"):
        attack_example(model, x, y, 64, 2.0, 0.1)
    w = attack_explorer(model, x, y)
    before = (w.text.value, w.image.value)
    w.controls["index"].value = 1
    expected = html.escape(describe(attack_example(model, x, y, 1, math.inf, 0.05)))
    assert w.image.value != before[1] and w.text.value == f"<pre style='margin:0'>{expected}</pre>"
    w.controls["p"].value = 2.0
    assert "p = 2," in w.text.value
