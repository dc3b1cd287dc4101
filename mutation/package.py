"""The package mutation run: mutmut 3 over the core modules, against the unit tests that touch them.

    .venv/bin/python mutation/package.py                  # the sampled run kept here (make mutants-package)
    .venv/bin/python mutation/package.py --sample 0       # every mutant (hours on 2 cores)
    .venv/bin/python mutation/package.py --resume NAME... # rerun these mutants in the existing scratch copy
                                                          # (copy changed tests into its tests/ first)

The run happens in a scratch copy (``build/mutation/package``: the package and the unit tests of the last commit, or
of the working tree with ``--worktree``, and mutation/setup.cfg as its setup.cfg), so mutmut's ``mutants/`` folder
never lands in the working tree. mutmut first runs the selected tests once and records which test calls which
function; each mutant is then tested by the tests that call its function
only (stopping at the first failure), in a worker forked from a server that has imported the tests.

Sampling. A complete run has about 5,000 mutants and takes hours on a 2-core machine, so by default the run takes a
reproducible sample: the mutant names of each core module, sorted, are shuffled by ``random.Random(f"{seed}:{module}")``
(seed 0) and the first ``--sample`` (default 60) are run. The same sources, seed and sample size give the same mutants.

Results (written to mutation/): ``package-results.json`` (every sampled mutant's status and diff) and
``package-results.md`` (date, tool, command, per-module and total score, every mutant not killed with its diff and,
where ``equivalent.toml`` lists it, why no test can kill it). Score = detected / (sampled - equivalent), detected =
killed + timeout + segfault (a mutant that makes a test hang or crash is caught); "no tests" (no unit test calls
the function) and "device" mutants (they only move a tensor to another device, invisible on a CPU-only machine)
count as survived.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import random
import shutil
import subprocess
import sys
import time
import tomllib
from collections import defaultdict
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "mutation"

# the core modules of the checks issue, as the module names mutmut uses in its mutant names
MODULES = {
    "norms": ["perturbkit.norms"],
    "spaces": ["perturbkit.spaces"],
    "bounds": ["perturbkit.bounds"],
    "census": ["perturbkit.census"],
    "sum_classifier": ["perturbkit.sum_classifier"],
    "attacks": ["perturbkit.attacks._common", "perturbkit.attacks.gradient", "perturbkit.attacks.lattice",
                "perturbkit.attacks.minimal", "perturbkit.attacks.result", "perturbkit.attacks.sparse"],
    "isoperimetry": ["perturbkit.isoperimetry"],
    "guarantees": ["perturbkit.guarantees"],
}
STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", 34: "skipped", 36: "timeout",
          -24: "timeout", 24: "timeout", 152: "timeout", 255: "timeout", -11: "segfault", -9: "segfault",
          None: "not checked"}
DETECTED = {"killed", "timeout", "segfault"}


def module_of(name: str) -> str:
    """The core module ("attacks" for the attacks package) of a mutant name, e.g. perturbkit.norms.x_size__mutmut_3."""
    for module, prefixes in MODULES.items():
        if any(name.startswith(p + ".") for p in prefixes):
            return module
    raise ValueError(f"{name} is in none of the core modules")


def prepare(work: Path, worktree: bool) -> str:
    """A fresh scratch copy of the package, the unit tests, pyproject.toml and the mutmut configuration: of the
    last commit (default), or of the working tree as it is (``worktree``). Returns what was copied."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    if worktree:
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.so")
        shutil.copytree(ROOT / "perturbkit", work / "perturbkit", ignore=ignore)
        shutil.copytree(ROOT / "tests", work / "tests", ignore=shutil.ignore_patterns("__pycache__", "browser"))
        shutil.copy2(ROOT / "pyproject.toml", work / "pyproject.toml")
        source = "the working tree"
    else:
        archive = subprocess.run(["git", "archive", "HEAD", "perturbkit", "tests", "pyproject.toml"], cwd=ROOT,
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(work)], input=archive, check=True)
        shutil.rmtree(work / "tests" / "browser", ignore_errors=True)
        source = "commit " + subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                            text=True, check=True).stdout.strip()
    shutil.copy2(HERE / "setup.cfg", work / "setup.cfg")
    (work / "SOURCE").write_text(source + "\n")
    return source


def mutmut(work: Path, *args: str, log=None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PERTURBKIT_DATA=str(ROOT / "data"), OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
               PYTHONDONTWRITEBYTECODE="1")
    exe = Path(sys.executable).with_name("mutmut")
    return subprocess.run([str(exe), *args], cwd=work, env=env, text=True, stdout=log, stderr=subprocess.STDOUT
                          if log else None, check=False)


def all_mutants(work: Path) -> dict[str, str]:
    """Every mutant name of the core modules -> its module, from mutmut's generated files (no test is run)."""
    os.chdir(work)  # mutmut reads its configuration from the current folder
    from mutmut.mutation.file_mutation import mutate_file_contents

    out = {}
    for path in sorted((work / "perturbkit").rglob("*.py")):
        rel = path.relative_to(work)
        name = ".".join(rel.with_suffix("").parts)
        if not any(name in prefixes for prefixes in MODULES.values()):
            continue
        for m in mutate_file_contents(str(rel), path.read_text(), None, None).mutant_names:
            full = f"{name}.{m}"
            out[full] = module_of(full)
    return out


def sample(names: dict[str, str], per_module: int, seed: int) -> list[str]:
    if per_module <= 0:
        return sorted(names)
    chosen = []
    for module in MODULES:
        pool = sorted(n for n, m in names.items() if m == module)
        random.Random(f"{seed}:{module}").shuffle(pool)
        chosen += sorted(pool[:per_module])
    return chosen


def read_results(work: Path) -> dict[str, int | None]:
    codes = {}
    for meta in (work / "mutants").rglob("*.py.meta"):
        codes.update(json.loads(meta.read_text())["exit_code_by_key"])
    return codes


def diff(work: Path, name: str) -> str:
    r = subprocess.run([str(Path(sys.executable).with_name("mutmut")), "show", name], cwd=work, text=True,
                       capture_output=True, env=dict(os.environ, PERTURBKIT_DATA=str(ROOT / "data")), check=False)
    lines = r.stdout.splitlines()
    return "\n".join(line for line in lines if line.startswith(("+", "-")) and not line.startswith(("+++", "---")))


def report(work: Path, chosen: list[str], args, seconds: float) -> dict:
    codes = read_results(work)
    equivalent = tomllib.loads((HERE / "equivalent.toml").read_text()) if (HERE / "equivalent.toml").exists() else {}
    rows, per_module = [], defaultdict(lambda: defaultdict(int))
    for name in chosen:
        status = STATUS.get(codes.get(name), "suspicious")
        d = diff(work, name) if status not in DETECTED else ""
        entry = {"name": name, "module": module_of(name), "status": status, "diff": d}
        if status not in DETECTED and name in equivalent:
            kind = equivalent[name].get("kind", "equivalent")
            if kind == "equivalent":
                entry["equivalent"] = equivalent[name]["why"]
            else:
                entry["note"] = f"{kind} (counted as survived): {equivalent[name]['why']}"
        rows.append(entry)
        per_module[entry["module"]]["sampled"] += 1
        per_module[entry["module"]][status] += 1
        if "equivalent" in entry:
            per_module[entry["module"]]["equivalent"] += 1
    scores = {}
    for module, c in per_module.items():
        detected = sum(c[s] for s in DETECTED)
        scores[module] = {**c, "detected": detected,
                          "score": detected / max(1, c["sampled"] - c["equivalent"])}
    tot = defaultdict(int)
    for c in scores.values():
        for k, v in c.items():
            if k != "score":
                tot[k] += v
    tot = dict(tot, score=tot["detected"] / max(1, tot["sampled"] - tot["equivalent"]))
    source = (work / "SOURCE").read_text().strip() if (work / "SOURCE").exists() else "the working tree"
    return {"date": _dt.date.today().isoformat(), "tool": f"mutmut {metadata.version('mutmut')}", "source": source,
            "command": " ".join(["mutation/package.py"] + sys.argv[1:]), "seed": args.seed,
            "sample_per_module": args.sample, "seconds": round(seconds), "modules": scores, "total": tot,
            "mutants": rows}


def write_markdown(res: dict, path: Path) -> None:
    lines = [f"# Package mutation run ({res['date']})", "",
             f"Tool: {res['tool']}. Sources: {res['source']}. Command: `{res['command']}` ({res['seconds']} s of "
             "wall time). "
             + (f"Sample: {res['sample_per_module']} mutants per core module, seed {res['seed']} (see package.py)."
                if res["sample_per_module"] > 0 else "Every mutant of the core modules."), "",
             "Score = detected / (sampled - equivalent); detected = killed + timeout + segfault.", "",
             "| module | sampled | killed | timeout | survived | no tests | equivalent | score |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for module, c in list(res["modules"].items()) + [("total", res["total"])]:
        lines.append(f"| {module} | {c['sampled']} | {c.get('killed', 0)} | {c.get('timeout', 0)} | "
                     f"{c.get('survived', 0)} | {c.get('no tests', 0)} | {c.get('equivalent', 0)} | "
                     f"{100 * c['score']:.1f}% |")
    lines += ["", "## Mutants not detected", ""]
    for r in res["mutants"]:
        if r["status"] in DETECTED:
            continue
        why = f"equivalent: {r['equivalent']}" if "equivalent" in r else r.get("note", "NOT CLASSIFIED")
        lines += [f"- `{r['name']}` ({r['status']}; {why})", "", "```diff", r["diff"], "```", ""]
    path.write_text("\n".join(lines) + "\n")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sample", type=int, default=60, help="mutants per core module (0: all)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--max-children", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--workdir", type=Path, default=ROOT / "build" / "mutation" / "package")
    ap.add_argument("--resume", nargs="*", metavar="NAME",
                    help="keep the scratch copy and rerun only these mutants (none: only re-write the report)")
    ap.add_argument("--out", type=Path, default=HERE, help="where the results go")
    ap.add_argument("--worktree", action="store_true", help="mutate the working tree instead of the last commit")
    args = ap.parse_args()
    work = args.workdir.resolve()
    start = time.time()
    if args.resume is None:
        prepare(work, args.worktree)
    chosen = sample(all_mutants(work), args.sample, args.seed)
    run = chosen if args.resume is None else args.resume
    if run:
        print(f"mutmut: {len(run)} mutants in {work} (log: {work / 'mutmut.log'})", flush=True)
        with open(work / "mutmut.log", "a") as log:
            mutmut(work, "run", "--max-children", str(args.max_children), *run, log=log)
    res = report(work, chosen, args, time.time() - start)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "package-results.json").write_text(json.dumps(res, indent=1) + "\n")
    write_markdown(res, args.out / "package-results.md")
    for module, c in list(res["modules"].items()) + [("total", res["total"])]:
        print(f"{module:16s} {c['detected']:4d} / {c['sampled'] - c.get('equivalent', 0):4d}  {100 * c['score']:5.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
