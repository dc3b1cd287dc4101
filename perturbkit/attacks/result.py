"""What every attack returns: ``AttackResult``, for one budget or, given a list of budgets, a robust-accuracy curve.

Budgets: a number, or a tensor/array of one number per sample, is ONE attack (per-sample budgets); a Python list or
tuple of numbers is a CURVE: the attack run once per budget, results stacked along a new first dimension. So a
per-sample budget must be a tensor or an array, never a list.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from ..checks import check_real
from ..norms import size as norm_size
from ._common import adversarial, frozen

__all__ = ["AttackResult"]


@dataclass(frozen=True)
class AttackResult:
    """An attack's outcome on k images, on their device.

    Attributes
    ----------
    adversarial
        Images (k, ...) (curve: (m, k, ...)); where the attack failed, what the attack documents.
    sizes
        d_p size (k,) of each adversarial perturbation found, in ``perturbkit.norms`` units of the attack's p; inf
        where the attack failed. Curves: (m, k).
    success
        bool (k,): the image is adversarial (misclassified, or classified as the target when targeted) and, for
        budget attacks, within the budget. Curves: (m, k).
    eps
        The budgets (m,) of a curve, in the units of p; None for a single budget or a budget-free attack.

    Examples
    --------
    An attack that succeeded on 3 of 4 images leaves a robust accuracy of 1/4:

    >>> import math, torch
    >>> result = AttackResult(adversarial=torch.zeros(4, 1, 2, 2), sizes=torch.tensor([1.0, 2.0, math.inf, 1.0]),
    ...                       success=torch.tensor([True, True, False, True]))
    >>> float(result.robust_accuracy)
    0.25
    """

    adversarial: torch.Tensor
    sizes: torch.Tensor
    success: torch.Tensor
    eps: torch.Tensor | None = None

    @property
    def robust_accuracy(self) -> torch.Tensor:
        """Share of images the attack failed on (float64; a 0-d tensor, or (m,) for a curve): for an untargeted
        attack on true labels, the accuracy under attack.

        Examples
        --------
        A curve of two budgets on two images: the larger budget breaks one more.

        >>> import torch
        >>> curve = AttackResult(torch.zeros(2, 2, 1), torch.zeros(2, 2), torch.tensor([[False, True], [True, True]]),
        ...                      eps=torch.tensor([0.1, 0.5]))
        >>> curve.robust_accuracy.tolist()
        [0.5, 0.0]
        """
        return (~self.success).double().mean(dim=-1)


def finish(model: nn.Module, x: torch.Tensor, y: torch.Tensor, x_adv: torch.Tensor, p: float,
           targeted: bool = False, success: torch.Tensor | None = None) -> AttackResult:
    """The result for adversarial images ``x_adv`` of ``x``: success as given, or measured by one forward pass."""
    if success is None:
        with frozen(model), torch.no_grad():
            success = adversarial(model(x_adv), y, targeted)
    sizes = torch.where(success, norm_size(x_adv - x, p), torch.full_like(success, math.inf, dtype=x.dtype))
    return AttackResult(x_adv, sizes, success)


def over_budgets(eps, k: int, attack: Callable[[object], AttackResult], name: str = "eps") -> AttackResult:
    """``attack(eps)`` for one budget; for a list or tuple of numbers, ``attack(e)`` per budget e, stacked into a
    curve. A tensor or array of budgets is per sample and must have k entries (else a ValueError says how to ask
    for a curve)."""
    if isinstance(eps, (torch.Tensor, np.ndarray)) and eps.ndim == 1 and eps.shape[0] != k:
        raise ValueError(f"{name} as a tensor or array holds one budget per sample, so it needs {k} values (the "
                         f"batch), got {eps.shape[0]}; for a robust-accuracy curve pass the budgets as a list")
    if not isinstance(eps, (list, tuple)):
        return attack(eps)
    if not eps:
        raise ValueError(f"{name} is an empty {type(eps).__name__}: a curve needs at least one budget")
    values = [check_real(f"{name}[{i}]", e, minimum=0) for i, e in enumerate(eps)]
    runs = [attack(e) for e in eps]
    return AttackResult(*(torch.stack([getattr(r, f) for r in runs]) for f in ("adversarial", "sizes", "success")),
                        eps=torch.tensor(values, dtype=runs[0].sizes.dtype, device=runs[0].sizes.device))
