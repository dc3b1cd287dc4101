"""Run every lesson in JupyterLab inside headless Chromium and check what a student would see.

Modules, one concept each:
- ``notebooks``: pure functions on notebook JSON (discover lessons, strip outputs, count widget and error outputs);
- ``chromium``: find Chromium, or install Debian's package when we are root, or say what to install;
- ``server``: a throw-away JupyterLab on a temporary copy of the lessons (free port, random token, own config);
- ``page``: what the browser does with one open notebook (run all, wait, count views, operate controls);
- ``fixtures``: small notebooks with working and deliberately broken widgets, for ``--self-test``;
- ``runner``: the command line (``tools/browser_test.py``).
"""
