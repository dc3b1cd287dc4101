"""Loading the exercise modules: lessonLL.py registers the checkers and quiz questions of lesson LL when imported.

Its own module (not the package's __init__) so that checker.py and quiz.py, which the package imports, can load
lessons on first use without importing their own package back.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

__all__ = ["load_lessons"]


def load_lessons(lesson: str | None = None) -> None:
    """Import lessonLL (which registers its checkers and quiz), or every lesson module when ``lesson`` is None.
    Loading one lesson's module only keeps a lesson's first ``check`` quick."""
    for m in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if m.name.startswith("lesson") and (lesson is None or m.name == f"lesson{lesson}"):
            importlib.import_module(f"{__package__}.{m.name}")
