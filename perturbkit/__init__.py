"""perturbkit: kernels and helpers for the course *Image classifiers can not be made robust*.

The package follows the course: ``spaces`` (image spaces), ``norms`` (p-norms and projections), and later modules
for the census, the bounds, classifiers, attacks, data, models, plotting and widgets. Every kernel takes tensors on
any device and returns its results on that device.
"""

if __import__("os").environ.get("PERTURBKIT_MUTANT"):  # mutation testing only (mutation/lessons.py); inert unset
    from . import _mutants  # noqa: F401

from .devices import device, seed_everything

__all__ = ["device", "seed_everything"]
__version__ = "0.1.0"
