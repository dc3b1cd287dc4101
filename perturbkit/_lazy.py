"""Lazy re-exports for a package's ``__init__``: names reachable on the package, imported on first use.

``import perturbkit as pk`` must stay quick (no torch, no matplotlib, no census kernels), yet ``pk.harper_bound``
must work. A package gives its table {submodule: names} to :func:`lazy_exports`; the returned module-level
``__getattr__`` (PEP 562) imports the submodule the first time one of its names is read and caches the value in the
package's namespace, so later reads are plain attribute reads. The package's own submodules are reachable the same
way (``pk.bounds``), and ``__dir__`` lists both, so tab completion shows them before anything is imported.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable


def invert(table: dict[str, list[str]]) -> dict[str, str]:
    """{name: submodule} from {submodule: names}; a name listed under two submodules is an error (it would be
    ambiguous which object ``pkg.<name>`` is)."""
    where: dict[str, str] = {}
    for module, names in table.items():
        for name in names:
            if name in where:
                raise ValueError(f"{name!r} is exported from both {where[name]!r} and {module!r}")
            where[name] = module
    return where


def lazy_exports(package: str, path: list[str], namespace: dict,
                 table: dict[str, list[str]]) -> tuple[Callable[[str], object], Callable[[], list[str]], list[str]]:
    """(__getattr__, __dir__, __all__) for the package ``package`` (its ``__name__``, ``__path__`` and
    ``globals()``), exporting ``table`` = {submodule relative to the package, e.g. ".norms": [names]}."""
    where = invert(table)
    submodules = {m.name for m in pkgutil.iter_modules(path) if not m.name.startswith("_")}
    clash = sorted(set(where) & submodules)
    if clash:  # pkg.<name> would be the function until the submodule is imported, then the submodule
        raise ValueError(f"{package}: exported names {clash} are also names of its submodules")

    def __getattr__(name: str) -> object:
        if name in where:
            value = getattr(importlib.import_module(where[name], package), name)
        elif name in submodules:
            value = importlib.import_module(f".{name}", package)
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(where) | submodules)

    return __getattr__, __dir__, sorted(where)
