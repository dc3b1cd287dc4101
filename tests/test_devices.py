import pytest
import torch

import perturbkit


def test_device_is_cuda_exactly_when_available():
    assert perturbkit.device().type == ("cuda" if torch.cuda.is_available() else "cpu")
    assert perturbkit.device("cpu").type == "cpu"


def test_device_rejects_unknown_and_missing():
    with pytest.raises(ValueError, match="prefer must be"):
        perturbkit.device("tpu")
    if not torch.cuda.is_available():
        with pytest.raises(RuntimeError, match="no CUDA device"):
            perturbkit.device("cuda")


def test_seed_everything_repeats_draws():
    perturbkit.seed_everything(3)
    a = torch.rand(5)
    perturbkit.seed_everything(3)
    assert torch.equal(a, torch.rand(5))
    with pytest.raises(ValueError, match="seed must be a non-negative integer"):
        perturbkit.seed_everything(-1)
