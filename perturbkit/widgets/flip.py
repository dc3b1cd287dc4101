"""Lesson 09's flip experiment: the student is the classifier. Buttons record what they see at each stop of a
Hamming path; the view shows the current image and, as answers come in, where they and a network flip."""

from __future__ import annotations

import torch
from matplotlib.figure import Figure

from ..checks import check_int
from ..flip import FlipExperiment
from ..plotting.flip import flip_figure
from .live import LiveView


def flip_report(exp: FlipExperiment, model_flip: int | None = None, n: int | None = None) -> str:
    """The text the widget shows: progress, and once answered, where the student (and the network) flipped."""
    if not isinstance(exp, FlipExperiment):
        raise TypeError(f"exp must be a perturbkit.flip.FlipExperiment, got {type(exp).__name__}")
    if model_flip is not None:
        model_flip = check_int("model_flip", model_flip, minimum=0)
    if n is not None:
        n = check_int("n", n, minimum=1)
    a, b = exp.classes
    lines = [f"path from a {a} to a {b}: {exp.length} single-pixel changes; shown in jumps of {exp.step}"]
    if not exp.done:
        lines.append(f"image at step {exp.position}: what do you see?")
    you = exp.flip_point()
    if you is not None:
        lines.append(f"you first saw a {b} after {you} changed pixels" + (f" = {you / n:.2f} n" if n else ""))
    elif exp.answers:
        lines.append(f"you have not seen a {b} yet")
    if model_flip is not None:
        lines.append(f"the network stops saying {a} after {model_flip} changed pixels"
                     + (f" = {model_flip / n:.2f} n" if n else ""))
    if exp.done:
        lines.append("finished: press 'start again' to repeat; save your answers with the experiment's "
                     ".save('a_file_name.json')")
    return "\n".join(lines)


def flip_view(exp: FlipExperiment, model_labels: torch.Tensor | None = None, model_flip: int | None = None,
              n: int | None = None) -> tuple[str, Figure]:
    """(flip_report, flip_figure) of the experiment now; the network's answers only once the student is done."""
    reveal = isinstance(exp, FlipExperiment) and exp.done  # flip_report checks exp
    return (flip_report(exp, model_flip if reveal else None, n),
            flip_figure(exp, model_labels if reveal else None, n))


def flip_widget(exp: FlipExperiment, model_labels: torch.Tensor | None = None, model_flip: int | None = None,
                n: int | None = None) -> LiveView:
    """Buttons "I see a <a>", "not sure", "I see a <b>", "start again" over flip_view.

    ``model_labels`` are a network's predicted labels at every step of the path (from ``classifier_flip``); they
    are revealed, with the network's flip point, only once the student has finished, so as not to bias them.
    """
    if not isinstance(exp, FlipExperiment):
        raise TypeError(f"exp must be a perturbkit.flip.FlipExperiment, got {type(exp).__name__}")
    a, b = exp.classes

    def answer(value: int | None):
        return lambda: None if exp.done else exp.record(value)

    actions = {f"I see a {a}": answer(0), "not sure": answer(None), f"I see a {b}": answer(1),
               "start again": exp.restart}
    return LiveView(lambda: flip_view(exp, model_labels, model_flip, n), {}, actions=actions)
