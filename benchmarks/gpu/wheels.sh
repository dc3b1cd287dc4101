#!/usr/bin/env bash
# Fetch, on a machine with network, the wheels that a CUDA machine with PyTorch, Triton, numba, pytest, scipy and
# matplotlib but no Jupyter stack needs for benchmarks/gpu/check.sh: ipywidgets (the GPU tests import the widget
# helpers), torchattacks and foolbox (the benchmark's peers). Python 3.12, x86-64 Linux; into .whl/ (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/../.."
grep -qx '/.whl/' .git/info/exclude 2>/dev/null || echo '/.whl/' >> .git/info/exclude
PY=${PYTHON:-python3}
$PY -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
  --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 -d .whl \
  ipywidgets==8.1.9 comm==0.2.3 traitlets==5.16.1 widgetsnbextension jupyterlab_widgets==3.0.17 \
  ipython==9.18.1 ipython-pygments-lexers jedi parso matplotlib-inline pexpect ptyprocess prompt_toolkit wcwidth \
  stack_data asttokens executing pure_eval decorator \
  torchattacks==3.5.1 foolbox==3.3.4 eagerpy GitPython gitdb smmap
du -sh .whl
