"""Perturbation kernels on trained classifiers: FGSM, PGD, minimal perturbations, lattice-aware and sparse attacks.

One calling convention: ``attack(model, x, y, *, p=..., eps=...)`` (minimal perturbations: ``*, p=..., steps=...``;
the l0 ``sparse_attack`` takes only ``eps``, a count of changed entries), and one result, ``AttackResult``. A
budget is a number or a (k,) tensor of per-sample budgets; a list or tuple of numbers gives a robust-accuracy curve
in one call: ``pgd(model, x, y, p=math.inf, eps=[0, 0.05, 0.1]).robust_accuracy`` holds one value per budget.
Every kernel is batched, runs on the device of its inputs, and is deterministic given a seed. The model is put in
eval mode and its parameters' ``requires_grad`` flags are left as they were.
"""

from .gradient import fgsm, pgd
from .lattice import to_lattice
from .minimal import minimal_perturbation
from .result import AttackResult
from .sparse import sparse_attack

__all__ = ["AttackResult", "fgsm", "pgd", "minimal_perturbation", "sparse_attack", "to_lattice"]
