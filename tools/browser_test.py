"""Run every lesson in JupyterLab in headless Chromium and check its widgets (what `make test-browser` runs).

    .venv/bin/python tools/browser_test.py                 # every lessons/*.ipynb
    .venv/bin/python tools/browser_test.py --only 03 05    # some of them
    .venv/bin/python tools/browser_test.py --lessons DIR   # the notebooks of another folder (copied, not modified)
    .venv/bin/python tools/browser_test.py --self-test     # show that the checker rejects broken widgets

The code lives in tools/browsercheck/ (one module per concept).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browsercheck.runner import main  # noqa: E402

if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\ninterrupted: the server was shut down and the temporary copy removed", file=sys.stderr)
        sys.exit(130)
