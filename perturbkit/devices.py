"""Where the kernels run, and how runs are made repeatable."""

from __future__ import annotations

import os
import random

import numpy as np
import torch


def device(prefer: str | None = None) -> torch.device:
    """The device the course computes on: CUDA when a GPU is visible, else the CPU.

    ``prefer`` ("cpu" or "cuda") overrides the choice; asking for "cuda" without a GPU is an error.
    """
    if prefer is not None:
        if prefer not in ("cpu", "cuda"):
            raise ValueError(f"prefer must be 'cpu', 'cuda' or None, got {prefer!r}")
        if prefer == "cuda" and not torch.cuda.is_available():
            raise RuntimeError("prefer='cuda' but torch sees no CUDA device (torch.cuda.is_available() is False)")
        return torch.device(prefer)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def seed_everything(seed: int = 0) -> None:
    """Seed Python, NumPy and torch (CPU and CUDA) and ask torch for deterministic, full-precision kernels.

    On a GPU it also turns off TF32 (10-bit mantissa) matrix products and convolutions, so that a network's outputs
    differ from the CPU's only in the last bits of float32, not in the third decimal. Code that wants a stream of
    its own makes one: ``torch.Generator().manual_seed(seed)``.
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)
    # cuBLAS needs this for deterministic matrix products on a GPU; harmless on the CPU.
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    torch.use_deterministic_algorithms(True, warn_only=True)
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
