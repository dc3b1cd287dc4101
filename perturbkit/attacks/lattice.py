"""Moving adversarial images onto the L-level lattice {0, 1/(L-1), ..., 1} without losing what made them adversarial.

Why: on a lattice, l0 counts changed pixels honestly and l2 is measured between images that a file could store.
A continuous attack result x_adv is written as x + u steps (u real). Rounding every |u_i| DOWN keeps every d_p size
at most that of x_adv (so a budget stays respected) but may undo the attack; rounding some |u_i| UP restores it.
The repair rounds up the k coordinates with the largest fractional parts, for k on a doubling grid 0, 1, 2, 4, ...,
and keeps the smallest k that is adversarial (and within budget when one is given): one forward pass per k.
"""

from __future__ import annotations

import torch
from torch import nn

from ..checks import check_unit
from ..norms import size as norm_size
from ..spaces import lattice_digits
from ._common import adversarial, check_attack_p, check_eps, check_inputs, check_levels, frozen
from .result import AttackResult, finish, over_budgets

__all__ = ["to_lattice"]


def from_digits(d: torch.Tensor, levels: int, dtype) -> torch.Tensor:
    """Lattice images from (float) integer levels, clamped to 0..levels-1."""
    return (d.clamp(0, levels - 1) / (levels - 1)).to(dtype)


@torch.no_grad()
def to_lattice(model: nn.Module, x: torch.Tensor, y: torch.Tensor, *, x_adv: torch.Tensor, p: float, levels: int,
               eps=None, targeted: bool = False) -> AttackResult:
    """Lattice version of ``x_adv`` (images of x's shape, e.g. another attack's result) for lattice images ``x``.

    A sample succeeds when its lattice image is adversarial and, with a budget ``eps`` (as for ``pgd``: a number,
    (k,) tensor, or a list for a curve), has d_p size <= eps. Failed samples get the rounded-down image, which
    respects any budget x_adv respected.

    Examples
    --------
    A continuous l2 attack on the sum classifier lowers entries by fractions of a level; on the binary lattice that
    becomes whole flips. The image with 5 ones needs 1 flip, found at once. The one with 9 ones needs 5, but its 9
    fractions are equal and the repair tries 0, 1, 2, 4, 8 rounded-up entries: cheap, not minimal (8 flips).

    >>> import torch
    >>> from perturbkit.spaces import ImageSpace
    >>> from perturbkit.sum_classifier import SumModel
    >>> x = ImageSpace(3).images([0b111111111, 0b111110000])  # 9 ones and 5 ones: both label 1
    >>> y = torch.tensor([1, 1])
    >>> from perturbkit.attacks import pgd
    >>> x_adv = pgd(SumModel(), x, y, p=2, eps=2.5).adversarial
    >>> result = to_lattice(SumModel(), x, y, x_adv=x_adv, p=0, levels=2)
    >>> result.sizes.tolist(), result.success.tolist()
    ([8.0, 1.0], [True, True])
    """
    check_inputs(model, x, y, targeted)
    if levels is None:
        raise TypeError("levels must be an integer >= 2 (the lattice x lies on), got None")
    levels = check_levels(levels, x)
    check_unit("x_adv", x_adv)
    if x_adv.shape != x.shape or x_adv.device != x.device:
        raise ValueError(f"x_adv must have the shape and device of x {tuple(x.shape)} ({x.device}), got "
                         f"{tuple(x_adv.shape)} ({x_adv.device})")
    p = check_attack_p(p)

    def attack(e) -> AttackResult:
        out, ok = _to_lattice(model, x, x_adv, y, levels, p, None if e is None else check_eps(e, x), targeted)
        return finish(model, x, y, out, p, targeted, ok)

    return over_budgets(eps, x.shape[0], attack)


@torch.no_grad()
def _to_lattice(model: nn.Module, x: torch.Tensor, x_adv: torch.Tensor, y: torch.Tensor, levels: int, p: float,
                eps: torch.Tensor | None = None, targeted: bool = False):
    """:func:`to_lattice` without the argument checks (callers checked x, y, levels and eps already)."""
    K = levels - 1
    d0 = lattice_digits(x, levels)
    u = (x_adv - x) * K
    base = torch.trunc(u)
    frac = (u - base).abs()
    # Fractions within float noise of a whole step are whole steps already.
    near = frac > 1 - 1e-6
    base = torch.where(near, base + u.sign(), base)
    frac = torch.where(near | (frac < 1e-6), torch.zeros_like(frac), frac)
    k_total = (frac > 0).flatten(1).sum(dim=1)
    order = torch.argsort(frac.flatten(1), dim=1, descending=True, stable=True)
    rank = torch.empty_like(order)
    rank.scatter_(1, order, torch.arange(order.shape[1], device=x.device).expand_as(order).contiguous())
    rank = rank.reshape(x.shape)
    out = from_digits(d0 + base, levels, x.dtype)
    done = torch.zeros(x.shape[0], dtype=torch.bool, device=x.device)
    k_max = int(k_total.max()) if k_total.numel() else 0
    grid = [0] + [2 ** i for i in range(max(k_max, 1).bit_length())] + [k_max]
    with frozen(model):
        for k in grid:
            todo = ~done
            if not bool(todo.any()):
                break
            idx = todo.nonzero()[:, 0]
            up = (rank[idx] < k) & (frac[idx] > 0)
            cand = from_digits(d0[idx] + base[idx] + up * u[idx].sign(), levels, x.dtype)
            ok = adversarial(model(cand), y[idx], targeted)
            if eps is not None:
                ok &= norm_size(cand - x[idx], p) <= eps[idx] * (1 + 1e-6) + 1e-6
            hit = idx[ok]
            out[hit] = cand[ok]
            done[hit] = True
    return out, done
