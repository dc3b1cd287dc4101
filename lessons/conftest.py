"""pytest configuration for running the lessons under nbval.

nbval 0.11 sends each cell with ``store_history=False``. IPython decides whether a trailing ``;`` silences a cell's
value by looking at the last cell in its *history*, so under nbval ``plot(...);`` would still show the value (for
example ``[<matplotlib.lines.Line2D at 0x...>]``) although Jupyter hides it. We execute cells with history, as
Jupyter does, so that the lessons behave under test exactly as they do for a student.
"""

from nbval.kernel import RunningKernel


def _execute_cell_input(self, cell_input, allow_stdin=None):
    return self.kc.execute(cell_input, store_history=True, allow_stdin=allow_stdin, stop_on_error=False)


RunningKernel.execute_cell_input = _execute_cell_input
