import math

import pytest
import torch

from perturbkit.neighbours import nearest, pairwise, within_between
from perturbkit.norms import distance

PS = [0, 0.5, 1, 2, 3, math.inf]


def _brute(x, y, p):
    return torch.stack([distance(x[i:i + 1].expand_as(y), y, p) for i in range(x.shape[0])])


@pytest.mark.parametrize("p", PS)
def test_pairwise_matches_norms(p):
    g = torch.Generator().manual_seed(1)
    x, y = torch.rand(7, 1, 4, 4, generator=g), torch.rand(5, 1, 4, 4, generator=g)
    x[0] = y[2]
    x[1, 0, :2] = y[3, 0, :2]
    torch.testing.assert_close(pairwise(x, y, p), _brute(x, y, p), rtol=1e-5, atol=1e-5)
    assert float(pairwise(x, y, p)[0, 2]) == 0.0        # an exact duplicate is at distance exactly 0


@pytest.mark.parametrize("p", PS)
def test_nearest_and_within_between_by_brute_force(p):
    g = torch.Generator().manual_seed(2)
    x = torch.round(torch.rand(23, 1, 3, 3, generator=g) * 3) / 3
    labels = torch.randint(0, 3, (23,), generator=g)
    full = _brute(x, x, p)
    d, i = nearest(x, x, p, exclude_self=True, batch_size=4)
    off = full + torch.diag(torch.full((23,), math.inf))
    torch.testing.assert_close(d, off.min(1).values)
    torch.testing.assert_close(full[torch.arange(23), i], d)
    w, b = within_between(x, labels, p, batch_size=5)
    same = labels[:, None] == labels[None, :]
    torch.testing.assert_close(w, off.masked_fill(~same, math.inf).min(1).values)
    torch.testing.assert_close(b, full.masked_fill(same, math.inf).min(1).values)


def test_nearest_including_self_is_zero():
    x = torch.rand(6, 2, 3, 3)
    d, i = nearest(x, x, 2)
    assert torch.equal(d, torch.zeros(6)) and torch.equal(i, torch.arange(6))


def test_within_is_inf_for_singleton_class():
    x = torch.rand(3, 1, 2, 2)
    w, b = within_between(x, torch.tensor([0, 1, 1]), 1)
    assert math.isinf(float(w[0])) and not math.isinf(float(w[1]))


def test_bad_input():
    x = torch.rand(3, 1, 2, 2)
    with pytest.raises(ValueError, match="p must be"):
        nearest(x, x, -1)
    with pytest.raises(ValueError, match="one shape"):
        nearest(x, torch.rand(3, 1, 3, 3), 1)
    with pytest.raises(ValueError, match="references is empty"):
        nearest(x, x[:0], 1)
    with pytest.raises(ValueError, match="exclude_self"):
        nearest(x, x[:2], 1, exclude_self=True)
    with pytest.raises(ValueError, match="labels must have shape"):
        within_between(x, torch.zeros(2, dtype=torch.long), 1)
    with pytest.raises(ValueError, match="contains 1 NaN"):
        nearest(x.clone().fill_(0).index_fill_(0, torch.tensor([0]), float("nan"))[:, :, :1, :1], x[:, :, :1, :1], 1)


@pytest.mark.gpu
@pytest.mark.parametrize("p", PS)
def test_cuda_matches_cpu(p):
    x = torch.rand(40, 1, 5, 5)
    labels = torch.arange(40) % 3
    for a, b in zip(within_between(x, labels, p), within_between(x.cuda(), labels.cuda(), p)):
        assert b.device.type == "cuda"
        torch.testing.assert_close(a, b.cpu(), rtol=1e-4, atol=1e-4)
