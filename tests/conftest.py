from types import SimpleNamespace

import pytest
import torch

from perturbkit import data, models


def pytest_collection_modifyitems(config, items):
    # GPU tests are marked `gpu` and skipped on machines without CUDA.
    if torch.cuda.is_available():
        return
    skip = pytest.mark.skip(reason="needs a CUDA device")
    for item in items:
        if "gpu" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def digits_cnn() -> SimpleNamespace:
    """The course's small CNN trained once per test process on the 8x8 digits (80/20 split, seed 0, 10 epochs):
    ``model``, ``train`` and ``test`` (image, label pairs) and the per-epoch ``losses``. Tests must not change it."""
    x, y = data.load_digits()
    train, test = models.split(x, y, 0.2, seed=0)
    model = models.SmallCNN(8)
    losses = models.train(model, train, epochs=10, seed=0, progress=False)
    return SimpleNamespace(model=model, train=train, test=test, losses=losses)


@pytest.fixture(scope="session")
def mnist_cnn() -> SimpleNamespace:
    """A CNN of width 16 trained once per test process on the bundled 28x28 MNIST subset (80/20 split, seed 0,
    3 epochs): ``model``, ``train``, ``test``. Tests must not change it."""
    x, y = data.load_mnist()
    train, test = models.split(x, y, 0.2, seed=0)
    model = models.SmallCNN(28, width=16)
    models.train(model, train, epochs=3, seed=0, progress=False)
    return SimpleNamespace(model=model, train=train, test=test)
