"""How a perturbation is spread over the image: a crude, testable proxy for "looks like a pen stroke".

A pen stroke puts its change into a few connected pixels; diffuse adversarial noise spreads it thinly over many.
``top_share`` measures the first property: the share of a perturbation's squared l2 norm carried by its k largest
entries (1 = all of it in k entries; k / N for a perfectly flat perturbation).
"""

from __future__ import annotations

import torch

from .checks import check_finite, check_int


def top_share(delta: torch.Tensor, k: int) -> torch.Tensor:
    """Per perturbation in ``delta`` (shape (m, ...)), the share of sum(d^2) in its k largest |d| entries: (m,).

    A zero perturbation gets share 0 (there is nothing to share). Runs on delta's device.
    """
    check_finite("delta", delta)
    k = check_int("k", k, minimum=1)
    if delta.dim() < 2:
        raise ValueError(f"delta must be a batch (m, ...) of perturbations, got shape {tuple(delta.shape)}")
    e = delta.flatten(1).double() ** 2
    if k > e.shape[1]:
        raise ValueError(f"k must be at most the number of entries {e.shape[1]}, got {k}")
    total = e.sum(dim=1)
    top = e.topk(k, dim=1).values.sum(dim=1)
    return torch.where(total > 0, top / total.clamp_min(1e-300), torch.zeros_like(total)).to(delta.dtype)
