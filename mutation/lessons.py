"""The lessons' mutation run: every lesson's nbval under each mutant of mutation/lesson_mutants.toml that reaches it.

    .venv/bin/python mutation/lessons.py                      # make mutants-lessons: the pairs not yet up to date
    .venv/bin/python mutation/lessons.py --fresh              # rerun everything
    .venv/bin/python mutation/lessons.py --mutants norm_size_l1,pgd_sign_flip --lessons 01,02
    .venv/bin/python mutation/lessons.py --check              # only check that every mutant applies
    .venv/bin/python mutation/lessons.py --definitions held_out.toml --results /tmp/held_out   # another set

How. A mutant is a named source patch of one perturbkit module (perturbkit/_mutants.py); a lesson kernel started
with PERTURBKIT_MUTANT=<name> runs the patched code. The function that holds the patch reports its first call to the
file named by PERTURBKIT_MUTANT_LOG, so reach is recorded, not guessed:

1. trace: each lesson runs once under nbval with PERTURBKIT_MUTANT=trace (no behaviour changes; every mutated
   function reports its calls). This is also the baseline: a lesson that fails here is not used to judge mutants.
2. each (mutant, lesson) pair whose lesson reached the mutant's function runs under nbval with the mutant on,
   stopping at the first failing cell (-x). Failing = killed; passing = survived. Pairs the trace did not reach are
   "not reached": their run would be the unmutated one, since the mutated function is never called.

Results (mutation/ by default): lessons-results.json (every pair: state, first failing cell and why, seconds, and
the fingerprint of the sources it ran on) and LESSONS.md (date, commit, command, the kill matrix, the score, the
survivors with the reason that mutation/lesson_survivors.toml gives for each). A pair whose lesson, package sources
and mutant are unchanged since its last run is not rerun (``--fresh`` reruns it). Score: mutants killed by at least
one lesson / mutants; pair score: killed pairs / reached pairs.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import os
import re
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "mutation"
sys.path.insert(0, str(ROOT))
from perturbkit import _mutants  # noqa: E402  (the definitions and the reach keys, without any mutant on)

LESSONS = ROOT / "lessons"
NBVAL = ["-p", "no:cacheprovider", "-q", "-x", "--color=no", "--nbval", "--nbval-current-env",
         "--nbval-sanitize-with", "lessons/sanitize.cfg", "--nbval-cell-timeout=300"]
SYMBOL = {"killed": "K", "survived": "S", "not reached": ".", "baseline failed": "B", "stale": "?",
          "timeout": "K"}


def lesson_files(selected) -> list[Path]:
    files = sorted(LESSONS.glob("[0-9][0-9]_*.ipynb"))
    if selected:
        want = {s.strip() for s in selected.split(",") if s.strip()}
        files = [f for f in files if f.name[:2] in want]
        if not files:
            raise SystemExit(f"no lesson matches --lessons {selected}")
    return files


def digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(hashlib.sha256(p).digest())
    return h.hexdigest()[:16]


def package_digest() -> str:
    files = sorted((ROOT / "perturbkit").rglob("*.py"))
    return digest(*(str(f.relative_to(ROOT)).encode() + f.read_bytes() for f in files))


def git(*args) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def first_failure(output: str, code_cells: list[int] | None = None) -> str:
    """The first failing cell of an nbval run and why: 'cell 14: outputs differ' or 'cell 9: ClaimFailed: ...'.

    nbval numbers code cells only ("Cell 5" is the sixth code cell); with ``code_cells`` (the notebook index of
    each code cell) the cell is named by its index among all cells, as the course's issues count them."""
    output = re.sub(r"\x1b\[[0-9;]*m", "", output)  # the kernel's traceback comes coloured
    m = re.search(r"^FAILED \S+::Cell (\d+)", output, re.M)
    if not m:
        tail = [ln for ln in output.strip().splitlines() if ln.strip()][-1:] or ["no output"]
        return f"no cell failed: {tail[0][:200]}"
    cell = m.group(1)
    block = output.split(f"::Cell {cell} _", 1)[-1] if f"::Cell {cell} _" in output else output
    block = block.split("short test summary info", 1)[0]
    name = f"cell {cell}"
    if code_cells is not None and int(cell) < len(code_cells):
        name = f"cell {code_cells[int(cell)]} (nbval's Cell {cell})"
    if re.search(rf"Cell {cell}: Cell outputs differ", block):
        return f"{name}: outputs differ"
    errors = re.findall(r"^(?:\S+\.)?([A-Za-z_]\w*(?:Error|Exception|Failed|Interrupt|Exit)): ?(.*)$", block, re.M)
    if errors:
        kind, msg = errors[-1]
        return f"{name}: {kind}: {msg.strip()[:300]}"
    return f"{name}: error"


def run_nbval(lesson: Path, mutant: str, log_dir: Path, timeout: float) -> dict:
    """One nbval run of ``lesson`` with PERTURBKIT_MUTANT=``mutant``: passed or not, first failure, reached keys."""
    tag = f"{mutant}__{lesson.stem}"
    reach = log_dir / f"{tag}.reach"
    reach.unlink(missing_ok=True)
    env = dict(os.environ, PERTURBKIT_MUTANT=mutant, PERTURBKIT_MUTANT_LOG=str(reach),
               PERTURBKIT_MUTANTS_FILE=os.environ[_mutants.FILE_ENV])
    start = time.monotonic()
    try:
        proc = subprocess.run([sys.executable, "-m", "pytest", *NBVAL, str(lesson.relative_to(ROOT))], cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=timeout)
        output, rc = proc.stdout + proc.stderr, proc.returncode
    except subprocess.TimeoutExpired as e:
        output = (e.stdout or b"").decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        rc = None
    seconds = round(time.monotonic() - start, 1)
    (log_dir / f"{tag}.log").write_text(output, encoding="utf-8")
    reached = sorted(set(reach.read_text(encoding="utf-8").split())) if reach.exists() else []
    return {"passed": rc == 0, "rc": rc, "seconds": seconds, "reached": reached,
            "failure": "" if rc == 0 else (f"timeout after {timeout:.0f} s" if rc is None
                                           else first_failure(output, code_cells(lesson)))}


def code_cells(lesson: Path) -> list[int]:
    """The index (among all cells, from 0) of each code cell of a lesson, in order."""
    cells = json.loads(lesson.read_text(encoding="utf-8"))["cells"]
    return [i for i, c in enumerate(cells) if c["cell_type"] == "code"]


def say(msg: str) -> None:
    print(f"[{_dt.datetime.now():%H:%M:%S}] {msg}", flush=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mutants", help="comma-separated mutant names (default: every mutant of the definitions)")
    ap.add_argument("--lessons", help="comma-separated lesson numbers, e.g. 02,05 (default: every lesson)")
    ap.add_argument("--definitions", default=str(HERE / "lesson_mutants.toml"), help="the mutants (TOML)")
    ap.add_argument("--survivors", default=str(HERE / "lesson_survivors.toml"),
                    help="why each surviving pair survives (TOML: [mutant] NN = 'reason', reach = 'reason' for a "
                         "mutant no lesson reaches)")
    ap.add_argument("--results", default=str(HERE), help="folder of lessons-results.json and LESSONS.md")
    ap.add_argument("--logs", default=str(ROOT / "build" / "mutation" / "lessons"), help="nbval logs")
    ap.add_argument("--timeout", type=float, default=1200, help="seconds per nbval run (a timeout kills)")
    ap.add_argument("--fresh", action="store_true", help="rerun pairs and traces even when up to date")
    ap.add_argument("--check", action="store_true", help="only check that every mutant applies; run nothing")
    args = ap.parse_args(argv)

    os.environ[_mutants.FILE_ENV] = str(Path(args.definitions).resolve())
    defined = _mutants.load_definitions()
    names = list(defined) if not args.mutants else [n.strip() for n in args.mutants.split(",") if n.strip()]
    unknown = [n for n in names if n not in defined]
    if unknown:
        raise SystemExit(f"unknown mutant(s) {unknown}; defined: {', '.join(defined)}")
    problems = {n: _mutants.check_mutant(defined[n]) for n in names}
    for n in names:
        say(f"{n:28s} {'STALE: ' + problems[n] if problems[n] else 'applies'}  ({defined[n].what})")
    if args.check:
        return 1 if any(problems.values()) else 0
    keys = {n: _mutants.patch(defined[n].module, _mutants.module_source(defined[n].module)[1], [defined[n]],
                              apply=False)[1][n] for n in names if not problems[n]}

    results_dir, log_dir = Path(args.results), Path(args.logs)
    results_dir.mkdir(parents=True, exist_ok=True)
    log_dir.mkdir(parents=True, exist_ok=True)
    store = results_dir / "lessons-results.json"
    old = json.loads(store.read_text()) if store.exists() and not args.fresh else {}
    traces, pairs = old.get("traces", {}), old.get("pairs", {})
    pkg = package_digest()
    lessons = lesson_files(args.lessons)
    machinery = digest((ROOT / "perturbkit" / "_mutants.py").read_bytes())

    def fingerprint(lesson: Path, extra: bytes = b"") -> str:
        return digest(lesson.read_bytes(), pkg.encode(), machinery.encode(), extra)

    # 1. trace (and baseline) of every lesson
    for lesson in lessons:
        fp = fingerprint(lesson, Path(args.definitions).read_bytes())
        if traces.get(lesson.name, {}).get("fingerprint") == fp:
            continue
        say(f"trace {lesson.name} ...")
        r = run_nbval(lesson, _mutants.TRACE, log_dir, args.timeout)
        traces[lesson.name] = {"fingerprint": fp, "passed": r["passed"], "failure": r["failure"],
                               "seconds": r["seconds"], "reached": r["reached"], "date": _dt.date.today().isoformat()}
        say(f"trace {lesson.name}: {'passed' if r['passed'] else 'FAILED ' + r['failure']} in {r['seconds']} s, "
            f"{len(r['reached'])} mutated functions reached")

    # 2. every reached pair under its mutant
    for n in names:
        m = defined[n]
        for lesson in lessons:
            key = f"{n}/{lesson.name}"
            if problems[n]:
                pairs[key] = {"state": "stale", "why": problems[n]}
                continue
            trace = traces[lesson.name]
            if not trace["passed"]:
                pairs[key] = {"state": "baseline failed", "why": trace["failure"]}
                continue
            if keys[n] not in trace["reached"]:
                pairs[key] = {"state": "not reached", "reach_key": keys[n]}
                continue
            fp = fingerprint(lesson, f"{m.module}\0{m.old}\0{m.new}".encode())
            if pairs.get(key, {}).get("fingerprint") == fp and pairs[key]["state"] in ("killed", "survived"):
                continue
            say(f"{n} on {lesson.name} ...")
            r = run_nbval(lesson, n, log_dir, args.timeout)
            state = "survived" if r["passed"] else "killed"
            pairs[key] = {"state": state, "why": r["failure"], "seconds": r["seconds"], "reach_key": keys[n],
                          "fingerprint": fp, "date": _dt.date.today().isoformat()}
            say(f"{n} on {lesson.name}: {state.upper()} {r['failure']} ({r['seconds']} s)")

    # keep only the mutants and lessons that exist now
    all_lessons = [f.name for f in lesson_files(None)]
    pairs = {k: v for k, v in pairs.items() if k.split("/")[0] in defined and k.split("/")[1] in all_lessons}
    traces = {k: v for k, v in traces.items() if k in all_lessons}
    data = {"date": _dt.datetime.now().isoformat(timespec="seconds"), "commit": git("rev-parse", "HEAD"),
            "dirty": git("status", "--porcelain", "--", "perturbkit", "lessons") != "",
            "command": "python mutation/lessons.py " + " ".join(argv if argv is not None else sys.argv[1:]),
            "definitions": os.path.relpath(args.definitions, ROOT),
            "mutants": {n: {"what": m.what, "module": m.module} for n, m in defined.items()},
            "traces": traces, "pairs": pairs}
    store.write_text(json.dumps(data, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    survivors = Path(args.survivors)
    reasons = tomllib.loads(survivors.read_text(encoding="utf-8")) if survivors.exists() else {}
    report = render(data, all_lessons, reasons)
    (results_dir / "LESSONS.md").write_text(report, encoding="utf-8")
    print(report.split("## The kill matrix", 1)[0].strip())
    return 0


def render(data: dict, lessons: list[str], reasons: dict) -> str:
    mutants = list(data["mutants"])
    nums = [name[:2] for name in lessons]
    state = {k: v["state"] for k, v in data["pairs"].items()}
    killed_by = {n: [name[:2] for name in lessons if state.get(f"{n}/{name}") == "killed"] for n in mutants}
    reached = {n: [name[:2] for name in lessons if state.get(f"{n}/{name}") in ("killed", "survived")]
               for n in mutants}
    complete = [n for n in mutants if all(f"{n}/{name}" in state for name in lessons)]
    n_killed = sum(1 for n in complete if killed_by[n])
    pair_reached = sum(len(reached[n]) for n in complete)
    pair_killed = sum(len(killed_by[n]) for n in complete)
    # surviving pairs, and mutants that no lesson reaches (key "reach" in the reasons)
    survivors = [(n, name[:2]) for n in complete for name in lessons if state.get(f"{n}/{name}") == "survived"]
    survivors += [(n, "reach") for n in complete if not reached[n]]
    unexplained = [(n, k) for n, k in survivors if not str(reasons.get(n, {}).get(k, "")).strip()]
    lines = [
        "# The lessons' mutation run (make mutants-lessons)",
        "",
        f"- Date: {data['date']}; commit {data['commit']}"
        + (" (with uncommitted changes in perturbkit/ or lessons/)" if data["dirty"] else ""),
        f"- Command: `{data['command']}` (mutants from `{data['definitions']}`, machinery `perturbkit/_mutants.py`,"
        " runner `mutation/lessons.py`; every pair below as last run, see lessons-results.json for each pair's date)",
        f"- Score: **{n_killed} of {len(complete)} mutants killed** by at least one lesson; "
        f"{pair_killed} of {pair_reached} reached (mutant, lesson) pairs killed; "
        f"{len(survivors)} surviving pairs or unreached mutants, {len(unexplained)} of them without a stated reason.",
        "- A pair is run only when the lesson's trace run (no mutant, mutated functions report their calls) called the"
        " mutated function. K = killed (the lesson's nbval failed: a changed output or a failed claim), S = survived"
        " (reached, nbval passed), . = not reached, B = the lesson's own baseline failed, ? = the mutant no longer"
        " applies to the source.",
        "",
        "## Baseline (trace) runs",
        "",
        "| lesson | baseline | seconds | mutated functions reached |",
        "|---|---|---|---|",
    ]
    for name in lessons:
        t = data["traces"].get(name)
        if t:
            lines.append(f"| {name} | {'passed' if t['passed'] else 'FAILED: ' + t['failure']} | {t['seconds']} | "
                         f"{len(t['reached'])} |")
    lines += ["", "## The kill matrix", "", "| mutant | " + " | ".join(nums) + " | killed by |",
              "|---|" + "---|" * len(nums) + "---|"]
    for n in mutants:
        cells = [SYMBOL.get(state.get(f"{n}/{name}", ""), " ") for name in lessons]
        verdict = ", ".join(killed_by[n]) if killed_by[n] else ("**SURVIVES**" if reached[n] else "**never reached**")
        lines.append(f"| `{n}` | " + " | ".join(cells) + f" | {verdict} |")
    lines += ["", "## The mutants", "", "| mutant | module | the bug |", "|---|---|---|"]
    lines += [f"| `{n}` | `{m['module']}` | {m['what']} |" for n, m in data["mutants"].items()]
    lines += ["", "## First failing cell of each killed pair", ""]
    for n in mutants:
        hits = [f"{name[:2]}: {data['pairs'][f'{n}/{name}']['why']}" for name in lessons
                if state.get(f"{n}/{name}") == "killed"]
        if hits:
            lines.append(f"- `{n}`: " + "; ".join(hits))
    lines += ["", "## Survivors and why", ""]
    if not survivors:
        lines.append("None.")
    for n, k in survivors:
        why = str(reasons.get(n, {}).get(k, "")).strip() or "**NO REASON STATED**"
        lines.append(f"- `{n}` " + ("is reached by no lesson" if k == "reach" else f"survives lesson {k}") + f": {why}")
    others = [n for n in mutants if n not in complete]
    if others:
        lines += ["", "Not yet run on every lesson: " + ", ".join(f"`{n}`" for n in others) + "."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
