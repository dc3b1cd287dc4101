"""The share of a perturbation's squared l2 norm in its k largest entries: closed forms, errors and devices."""

import pytest
import torch

from perturbkit.norm_share import top_share


def test_top_share_closed_forms():
    flat = torch.ones(2, 1, 4, 4)
    torch.testing.assert_close(top_share(flat, 4), torch.full((2,), 0.25))
    spike = torch.zeros(1, 16)
    spike[0, 3] = -2.0
    assert float(top_share(spike, 1)) == 1.0
    assert float(top_share(torch.zeros(1, 5), 2)) == 0.0
    mixed = torch.tensor([[3.0, 4.0, 0.0]])
    assert float(top_share(mixed, 1)) == pytest.approx(16 / 25)
    with pytest.raises(ValueError, match="k must be at most"):
        top_share(mixed, 4)
    with pytest.raises(ValueError, match="delta must be a batch"):
        top_share(torch.ones(3), 1)


@pytest.mark.gpu
def test_top_share_stays_on_cuda():
    assert top_share(torch.ones(2, 3, device="cuda"), 1).device.type == "cuda"
