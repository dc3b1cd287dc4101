"""Lesson 09's flip experiment: the student is the classifier. Buttons record what they see at each stop of a
Hamming path; the Output shows the current image and, as answers come in, where they and a network flip."""

from __future__ import annotations

import ipywidgets as W
import torch

from ..checks import check_int
from ..flip import FlipExperiment
from ..plotting.flip import flip_figure
from .output_panel import show


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


class FlipWidget(W.VBox):
    """Buttons "I see <a>", "not sure", "I see <b>", "start again" over an Output with the image and the plot.

    ``model_labels`` are a network's predicted labels at every step of the path (from ``classifier_flip``); they
    are revealed, with the network's flip point, only once the student has finished, so as not to bias them.
    """

    def __init__(self, exp: FlipExperiment, model_labels: torch.Tensor | None = None, model_flip: int | None = None,
                 n: int | None = None):
        self.exp, self.model_labels, self.model_flip, self.n = exp, model_labels, model_flip, n
        a, b = exp.classes
        self.buttons = [W.Button(description=f"I see a {a}"), W.Button(description="not sure"),
                        W.Button(description=f"I see a {b}"), W.Button(description="start again")]
        for button, answer in zip(self.buttons[:3], (0, None, 1)):
            button.on_click(lambda _b, answer=answer: self.answer(answer))
        self.buttons[3].on_click(lambda _b: self.restart())
        self.out = W.Output()
        super().__init__([W.HBox(self.buttons), self.out])
        self.refresh()

    def __repr__(self) -> str:  # short and stable: the text a notebook stores for the widget
        return f"FlipWidget({self.exp.classes[0]} -> {self.exp.classes[1]}, {self.exp.length} steps)"

    def answer(self, answer: int | None) -> None:
        if not self.exp.done:
            self.exp.record(answer)
        self.refresh()

    def restart(self) -> None:
        self.exp.restart()
        self.refresh()

    def refresh(self) -> None:
        reveal = self.exp.done
        mf = self.model_flip if reveal else None
        fig = flip_figure(self.exp, self.model_labels if reveal else None, self.n)
        show(self.out, flip_report(self.exp, mf, self.n), fig)
