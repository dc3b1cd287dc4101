import numpy as np
import pytest
import torch

from perturbkit.claims import ClaimFailed, expect, expect_true


@pytest.mark.parametrize("value", [0.5, np.float32(0.5), torch.tensor(0.5), torch.tensor([0.5]), 1, np.int64(0)])
def test_expect_accepts_every_number_kind_and_prints_no_digits(value, capsys):
    expect(value, 0.0, 1.0, what="a share")
    assert capsys.readouterr().out == "claim holds: a share is between 0 and 1\n"


def test_printed_line_is_the_same_for_different_values(capsys):
    expect(0.101, high=0.2, what="accuracy")
    first = capsys.readouterr().out
    expect(0.199999, high=0.2, what="accuracy")
    assert capsys.readouterr().out == first == "claim holds: accuracy is at most 0.2\n"
    expect(3.0, low=2, what="slope")
    assert capsys.readouterr().out == "claim holds: slope is at least 2\n"


@pytest.mark.parametrize("value", [0.21, -0.01, float("nan"), float("inf")])
def test_expect_fails_outside_the_range_naming_claim_value_and_range(value):
    with pytest.raises(ClaimFailed) as err:
        expect(value, 0.0, 0.2, what="accuracy under FGSM")
    msg = str(err.value)
    assert "accuracy under FGSM" in msg and "between 0 and 0.2" in msg and repr(float(value)) in msg


def test_bounds_are_inclusive():
    expect(0.2, 0.2, 0.2, what="x")


@pytest.mark.parametrize("kwargs, error", [
    (dict(value="0.1", low=0, high=1), TypeError),
    (dict(value=None, low=0, high=1), TypeError),
    (dict(value=True, low=0, high=1), TypeError),
    (dict(value=torch.zeros(2), low=0, high=1), TypeError),
    (dict(value=0.5, low=1, high=0), ValueError),
    (dict(value=0.5, low=float("nan"), high=1), ValueError),
    (dict(value=0.5), ValueError),
    (dict(value=0.5, low=0, high=1, what=""), TypeError),
])
def test_expect_rejects_bad_arguments(kwargs, error):
    kwargs.setdefault("what", "x")
    with pytest.raises(error):
        expect(**kwargs)


def test_expect_true(capsys):
    expect_true(np.bool_(True), "the curve decreases")
    expect_true(torch.tensor(True), "the curve decreases")
    assert capsys.readouterr().out == "claim holds: the curve decreases\n" * 2
    with pytest.raises(ClaimFailed, match=r"the curve decreases \(measured here: 1, 2\)"):
        expect_true(False, "the curve decreases", measured="1, 2")
    with pytest.raises(TypeError, match="condition"):
        expect_true(1.0, "x")
