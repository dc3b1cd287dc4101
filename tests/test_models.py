import pytest
import torch

from perturbkit import models


def test_shapes_any_n_and_channels():
    for n in (2, 5, 8, 13, 28):
        for c in (1, 3):
            x = torch.rand(4, c, n, n)
            assert models.SmallCNN(n, c, classes=7)(x).shape == (4, 7)
            assert models.MLP(n, c, classes=3)(x).shape == (4, 3)


def test_seeded_init_is_reproducible_and_leaves_global_rng_alone():
    state = torch.get_rng_state()
    a, b = models.SmallCNN(8, seed=3), models.SmallCNN(8, seed=3)
    assert torch.equal(torch.get_rng_state(), state)
    for pa, pb in zip(a.parameters(), b.parameters()):
        assert torch.equal(pa, pb)
    c = models.SmallCNN(8, seed=4)
    assert not all(torch.equal(pa, pc) for pa, pc in zip(a.parameters(), c.parameters()))


def test_cnn_digits_accuracy_and_determinism(digits_cnn):
    # the shared model (conftest.py) trained again from the same seeds: the same losses and weights, bit for bit
    state = torch.get_rng_state()
    m = models.SmallCNN(8)
    losses = models.train(m, digits_cnn.train, epochs=10, seed=0, progress=False)
    assert torch.equal(torch.get_rng_state(), state)
    assert losses == digits_cnn.losses
    for pa, pb in zip(m.parameters(), digits_cnn.model.parameters()):
        assert torch.equal(pa, pb)
    assert losses[-1] < losses[0]
    assert not m.training
    assert models.accuracy(m, *digits_cnn.test) >= 0.95  # about 0.975 on most machines; room for every float path


def test_cnn_mnist_accuracy(mnist_cnn):
    # about 0.96 (shared model, conftest.py); the margin covers every CPU, thread count and GPU
    assert models.accuracy(mnist_cnn.model, *mnist_cnn.test) >= 0.95


def test_split_is_a_partition():
    x, y = torch.rand(10, 1, 2, 2), torch.arange(10)
    (xa, ya), (xb, yb) = models.split(x, y, 0.3, seed=1)
    assert len(yb) == 3 and sorted(ya.tolist() + yb.tolist()) == list(range(10))
    assert torch.equal(xa, x[ya])


def test_predict_matches_argmax():
    m = models.MLP(4, seed=1)
    x = torch.rand(7, 1, 4, 4)
    assert torch.equal(models.predict(m, x, batch_size=3), m(x).argmax(1))


def test_bad_inputs():
    m = models.SmallCNN(8)
    x, y = torch.rand(5, 1, 8, 8), torch.zeros(5, dtype=torch.int64)
    with pytest.raises(ValueError, match="same k"):
        models.train(m, (x, y[:4]), epochs=1)
    with pytest.raises(ValueError, match="labels in 0..9"):
        models.accuracy(m, x, y + 10)
    with pytest.raises(TypeError, match="int64"):
        models.accuracy(m, x, y.float())
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        models.accuracy(m, x * 3, y)
    with pytest.raises(ValueError, match="epochs must be an integer >= 0"):
        models.train(m, (x, y), epochs=-1)
    with pytest.raises(ValueError, match="n must be an integer >= 2"):
        models.SmallCNN(1)
    with pytest.raises(ValueError, match="model is on meta"):
        models.predict(models.MLP(8).to("meta"), x)


@pytest.mark.gpu
def test_train_on_cuda(digits_cnn):
    train, test = digits_cnn.train, digits_cnn.test
    dev = torch.device("cuda")
    m = models.SmallCNN(8).to(dev)
    models.train(m, (train[0].to(dev), train[1].to(dev)), epochs=10, seed=0, progress=False)
    assert models.accuracy(m, test[0].to(dev), test[1].to(dev)) >= 0.96
