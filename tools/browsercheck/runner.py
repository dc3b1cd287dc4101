"""Command line: run every lesson in JupyterLab in headless Chromium (``make test-browser``)."""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import time
from pathlib import Path

from . import chromium, fixtures
from .notebooks import discover
from .page import LessonPage, LessonResult
from .server import LabServer

REPO = Path(__file__).resolve().parents[2]


def parse_args(argv: list[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="tools/browser_test.py", description=__doc__)
    ap.add_argument("--lessons", type=Path, default=REPO / "lessons",
                    help="folder whose *.ipynb are tested (default: lessons/); it is copied, never modified")
    ap.add_argument("--only", nargs="*", default=None, metavar="NAME",
                    help="test only the notebooks whose file name contains one of these words")
    ap.add_argument("--artifacts", type=Path, default=REPO / "artifacts" / "browser",
                    help="where the screenshots go (default: artifacts/browser/, ignored by git)")
    ap.add_argument("--timeout", type=float, default=600.0,
                    help="seconds allowed for one lesson's Run All (default 600: a shared machine can be slow)")
    ap.add_argument("--change-timeout", type=float, default=30.0,
                    help="seconds a widget's Output may take to change after its control is operated (default 30)")
    ap.add_argument("--self-test", action="store_true",
                    help="instead of the lessons, check the checker: one notebook with working widgets must "
                         "pass and every deliberately broken one must fail for the expected reason")
    ap.add_argument("--headed", action="store_true", help="show the browser window (needs a display)")
    return ap.parse_args(argv)


def run_lessons(paths: list[Path], artifacts: Path, timeout: float, change_timeout: float = 30.0,
                headed: bool = False) -> list[LessonResult]:
    from playwright.sync_api import sync_playwright  # imported here so that --help works without playwright

    executable = chromium.ensure()
    results = []
    with LabServer(paths) as lab, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, headless=not headed, args=chromium.LAUNCH_ARGS)
        try:
            for path in paths:
                print(f"{path.name}: running in the browser ...", flush=True)
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                try:
                    result = LessonPage(context.new_page(), lab, path.name, timeout, artifacts, change_timeout).run()
                finally:
                    context.close()
                    lab.shutdown_kernels()
                results.append(result)
                print(report_line(result), flush=True)
                for problem in result.problems:
                    print(f"    - {problem}", flush=True)
        finally:
            browser.close()
    return results


def report_line(r: LessonResult) -> str:
    status = "ok" if r.ok else "FAILED"
    return (f"{r.name}: {status} in {r.seconds:.0f} s; {r.rendered}/{r.widgets} widget views rendered; "
            f"{len(r.operated)} controls operated ({', '.join(r.operated) or 'none'})")


def self_test(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="perturbkit-selftest-") as tmp:
        expected = fixtures.write(Path(tmp))
        paths = [Path(tmp) / name for name in expected]
        # The broken notebooks' Outputs never change: a short wait keeps the self-test quick.
        results = run_lessons(paths, args.artifacts / "self-test", args.timeout, min(args.change_timeout, 10.0),
                              args.headed)
    wrong = []
    for r in results:
        words = expected[r.name]
        text = "\n".join(r.problems)
        if not words and not r.ok:
            wrong.append(f"{r.name} should pass but failed")
        elif words and r.ok:
            wrong.append(f"{r.name} is broken on purpose but passed")
        elif words and not all(w in text for w in words):
            wrong.append(f"{r.name} failed, but its report lacks {words}")
    print("\nself-test:", "the checker passes the working notebook and rejects every broken one"
          if not wrong else "WRONG:\n  " + "\n  ".join(wrong))
    return 1 if wrong else 0


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` cleans up like Ctrl-C: the finally blocks run
    start = time.monotonic()
    if args.self_test:
        return self_test(args)
    paths = discover(args.lessons)
    if args.only:
        paths = [p for p in paths if any(word in p.name for word in args.only)]
    if not paths:
        print(f"no notebooks to test in {args.lessons}", file=sys.stderr)
        return 2
    results = run_lessons(paths, args.artifacts, args.timeout, args.change_timeout, args.headed)
    failed = [r.name for r in results if not r.ok]
    print(f"\n{len(results) - len(failed)}/{len(results)} lessons passed in the browser "
          f"in {time.monotonic() - start:.0f} s; screenshots in {args.artifacts}")
    if failed:
        print("FAILED: " + ", ".join(failed))
    return 1 if failed else 0
