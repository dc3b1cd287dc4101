import math

import pytest
import torch

from perturbkit.natural import distance_rows, label_shares, nn_margin, noise_class, share_of_space, table
from perturbkit.neighbours import pairwise
from perturbkit.spaces import ImageSpace


def test_label_shares_counts():
    x = torch.rand(10, 1, 2, 2)
    def model(im):
        return torch.nn.functional.one_hot((im.flatten(1).sum(1) > 2).long() * 2, 3).float()
    shares = label_shares(model, x, 3, batch_size=3)
    want = (x.flatten(1).sum(1) > 2).double().mean()
    torch.testing.assert_close(shares, torch.stack([1 - want, torch.tensor(0.0, dtype=torch.float64), want]))
    with pytest.raises(ValueError, match="empty"):
        label_shares(model, x[:0], 3)


def _brightness_model(im):
    # class 1 for bright images (mean > 0.6), class 2 for mid-grey ones, class 0 for dark ones
    m = im.flatten(1).mean(1)
    return torch.nn.functional.one_hot((m > 0.6).long() + ((m > 0.4) & (m <= 0.6)).long() * 2, 3).float()


def test_noise_class_by_hand():
    g = torch.Generator().manual_seed(0)
    noise = torch.rand(200, 1, 4, 4, generator=g)           # means near 1/2: almost all class 2
    data = torch.cat([torch.zeros(6, 1, 4, 4), torch.ones(3, 1, 4, 4), torch.full((1, 1, 4, 4), 0.5)])
    nc = noise_class(_brightness_model, noise, data, 3, batch_size=7)
    shares = label_shares(_brightness_model, noise, 3)
    assert nc.label == 2 and nc.noise_share == float(shares[2]) == float(shares.max())
    assert nc.data_share == pytest.approx(0.1)                # one of the ten data images is mid-grey
    torch.testing.assert_close(nc.shares, shares)
    # a model that gives every input the same answer: the noise class takes all the data too
    constant = noise_class(lambda im: torch.nn.functional.one_hot(torch.zeros(im.shape[0]).long(), 3).float(),
                           noise, data, 3)
    assert (constant.label, constant.noise_share, constant.data_share) == (0, 1.0, 1.0)


def test_noise_class_ties_go_to_the_lowest_label_and_bad_input():
    noise = torch.cat([torch.zeros(2, 1, 2, 2), torch.ones(2, 1, 2, 2)])    # classes 0 and 1, two each
    assert noise_class(_brightness_model, noise, noise, 3).label == 0
    with pytest.raises(ValueError, match="one shape"):
        noise_class(_brightness_model, noise, torch.zeros(1, 1, 3, 3), 3)
    with pytest.raises(ValueError, match="empty"):
        noise_class(_brightness_model, noise, noise[:0], 3)


def test_share_of_space():
    assert share_of_space(16, ImageSpace(2, 2)) == pytest.approx(0.0)
    assert share_of_space(5000, ImageSpace(28, 2)) == pytest.approx(math.log10(5000) - 784 * math.log10(2))
    with pytest.raises(ValueError, match="count must be"):
        share_of_space(0, ImageSpace(2, 2))


def test_distance_rows_by_hand():
    # Three 2x2 binary images; classes {0, 1} and {2}. Hamming distances: d(a,b)=1, d(a,c)=4, d(b,c)=3.
    a = torch.zeros(1, 2, 2)
    b = a.clone()
    b[0, 0, 0] = 1
    c = torch.ones(1, 2, 2)
    x = torch.stack([a, b, c])
    rows = distance_rows("toy", x, torch.tensor([0, 0, 1]), [2], [2], [0, 2])
    r0, r2 = rows
    assert (r0.within, r0.between) == (1.0, 3.0)           # medians of (1, 1) and (4, 3, 3)
    assert r2.between == pytest.approx(math.sqrt(3))
    assert r0.budget == 2.0 and r0.diameter == 4.0 and r2.diameter == 2.0
    assert "toy" in table(rows) and len(table(rows).splitlines()) == 3


def test_nn_margin_is_a_certified_radius():
    # Brute force on all 3x3 binary images: the 1-NN label is constant on the certified Hamming ball.
    space = ImageSpace(3, 2)
    g = torch.Generator().manual_seed(0)
    refs = space.sample(6, generator=g)
    labels = torch.tensor([0, 0, 1, 1, 2, 2])
    everything = space.images(torch.arange(space.size))
    lab, rad = nn_margin(everything, refs, labels, 0)
    d_all = pairwise(everything, everything, 0)
    for i in range(0, space.size, 37):
        ball = d_all[i] < rad[i]
        assert bool((lab[ball] == lab[i]).all())
    lab_r, rad_r = nn_margin(refs, refs, labels, 0)
    assert torch.equal(lab_r, labels)
    with pytest.raises(ValueError, match="p must be 0 or >= 1"):
        nn_margin(refs, refs, labels, 0.5)


@pytest.mark.gpu
def test_cuda_matches_cpu():
    g = torch.Generator().manual_seed(0)
    x = torch.rand(30, 1, 8, 8, generator=g)
    y = torch.arange(30) % 3
    cpu = distance_rows("c", x, y, [4, 8], [2, None], [0, 2])
    gpu = distance_rows("c", x.cuda(), y.cuda(), [4, 8], [2, None], [0, 2])
    for a, b in zip(cpu, gpu):
        assert a.within == pytest.approx(b.within, rel=1e-4) and a.between == pytest.approx(b.between, rel=1e-4)
    lab, rad = nn_margin(x.cuda(), x[:10].cuda(), y[:10].cuda(), 0)
    assert lab.device.type == "cuda" and torch.equal(lab.cpu(), nn_margin(x, x[:10], y[:10], 0)[0])
    nc = noise_class(_brightness_model, x.cuda(), x[:10].cuda(), 3)
    ref = noise_class(_brightness_model, x, x[:10], 3)
    assert (nc.label, nc.noise_share, nc.data_share) == (ref.label, ref.noise_share, ref.data_share)
