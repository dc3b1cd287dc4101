"""Perturbation kernels on trained classifiers: FGSM, PGD, minimal perturbations, lattice-aware and sparse attacks.

Every kernel is batched, takes per-sample budgets, runs on the device of its inputs, and is deterministic given a
seed. The model is put in eval mode and its parameters' ``requires_grad`` flags are left as they were.
"""

from .gradient import fgsm, pgd
from .lattice import to_lattice
from .minimal import MinimalResult, minimal_perturbation
from .sparse import sparse_attack

__all__ = ["fgsm", "pgd", "minimal_perturbation", "MinimalResult", "sparse_attack", "to_lattice"]
