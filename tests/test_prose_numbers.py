"""Prose that cannot drift: every number a lesson's text quotes is backed by that lesson's outputs or code.

A number in a markdown cell must appear, possibly rounded to the decimals the prose writes, in the lesson's compared
outputs (an exact result, or the range of a checked claim, which `perturbkit.claims` prints; outputs that nbval
ignores do not count) or in its code (a parameter the lesson sets). Small integers (0-10), years, headings, link
targets, inline code, LaTeX, names of numbered things (Theorem 3.7), citations and reading times are not checked;
what remains and is a definition or arithmetic on one (the size of a data set, 2^25 = 33 million) is listed in
ALLOWED with the reason. When a lesson's output changes and its prose does not, this test names the number that no
longer has a source.
"""

import json
import re
from pathlib import Path

import pytest

LESSONS = sorted((Path(__file__).resolve().parent.parent / "lessons").glob("*.ipynb"))
NUMBER = re.compile(r"(?<![\w.^_])(\d+(?:,\d{3})*(?:\.\d+)?)(\s*%)?(?![\w^])")

# lesson prefix -> {number as written: why it needs no output}
ALLOWED: dict[str, dict[str, str]] = {
    "01": {"33": "2^25 = 33.5 million"},
    "02": {"1797": "the size of scikit-learn's digits data set", "5000": "the size of the bundled MNIST subset"},
    "04": {"3.7": "the number of a theorem in lesson 03, written next to inline mathematics"},
    "05": {"0.337": "0.6745 / 2, the median of |Z| for a normal Z over 2 (theory)", "10000": "N for n = 100",
           "50": "sqrt(10000) / 2, a standard deviation (theory)", "33.7": "0.6745 * 50 (theory)",
           "255": "L - 1 for L = 256"},
    "06": {"65,536": "2^16 images", "33,554,432": "2^25 images", "262,144": "4^9 images"},
    "07": {"50": "0.2 * 255, the crossover (theory)", "12": "the variance 1/12 of a uniform variable",
           "0.67": "the median of |Z| for a normal Z, 0.6745", "65,536": "16^4 images", "262,144": "4^9 images",
           "255": "L - 1 for L = 256", "4096": "L = 2^12", "224": "the side of an ImageNet crop",
           "4095": "L - 1 for L = 4096", "819": "0.2 * 4095, the rule of thumb 0.2 (L - 1) at 12 bits (theory)"},
    "08": {"392": "half of the 784 pixels of a 28x28 image", "19.8": "the square root of 392"},
    "09": {"31": "a volume number in a citation (NeurIPS 31)", "36": "a volume number in a citation (NeurIPS 36)"},
    "10": {"512": "2^9 binary 3x3 images", "80%": "a made-up example of a robustness claim, quoted"},
}


def _values(text: str) -> set[float]:
    out = set()
    for m in NUMBER.finditer(text):
        v = float(m.group(1).replace(",", ""))
        out.add(v)
        if m.group(2):
            out.add(v / 100)
    return out


def _prose(md: str) -> str:
    md = re.sub(r"\$\$.*?\$\$", " ", md, flags=re.S)           # displayed mathematics
    md = re.sub(r"\$[^$\n]+\$", " ", md)                        # inline mathematics
    md = re.sub(r"`[^`]*`", " ", md)                            # inline code
    md = re.sub(r"\]\([^)]*\)", "]", md)                        # link targets
    md = re.sub(r"^#+ .*$", " ", md, flags=re.M)                # headings (section numbers)
    # names of numbered things: Theorem 3.7, lesson 04, Exercises 2 and 3, section 3 ...
    md = re.sub(r"\b(theorem|lemma|proposition|definition|corollary|remark|example|exercise|solution|figure|table|"
                r"section|lesson|cell|step|equation)s?\s*\(?\s*[\d.]+(\s*(-|–|and|,|to)\s*[\d.]+)*", " ", md,
                flags=re.I)
    md = re.sub(r"[\d,\s–-]*\((1[89]|20)\d\d\)[\s\d–-]*", " ", md)   # citations: volume (year) pages
    md = re.sub(r"arXiv:?\s*\d+\.\d+", " ", md)                      # arXiv numbers
    md = re.sub(r"\d+(\s*[-–]\s*\d+)?\s*minutes", " ", md)           # reading times
    return md


def _evidence(nb: dict) -> set[float]:
    found = set()
    for c in nb["cells"]:
        if c["cell_type"] != "code":
            continue
        source = "".join(c["source"])
        found |= _values(source)
        if source.startswith("# NBVAL_IGNORE_OUTPUT"):
            continue  # a float trajectory's digits guarantee nothing; its claims are printed by a compared cell
        for o in c.get("outputs", []):
            found |= _values("".join(o.get("text", "")))
            found |= _values("".join(o.get("data", {}).get("text/plain", "")))
    return found


def _sourced(digits: str, percent: bool, evidence: set[float]) -> bool:
    """True when some evidence value, rounded to the decimals the prose writes, is the prose's number."""
    places = len(digits.split(".")[1]) if "." in digits else 0
    v = float(digits)
    targets = [(v, places)] + ([(v / 100, places + 2)] if percent else [])
    return any(abs(round(e, p) - x) <= 1e-9 * max(1.0, abs(x)) for x, p in targets for e in evidence)


def unsourced(path: Path) -> list[str]:
    """The numbers in the lesson's prose that neither its outputs nor its code contain, nor ALLOWED lists."""
    nb = json.loads(path.read_text())
    evidence = _evidence(nb)
    allowed = ALLOWED.get(path.name[:2], {})
    missing = []
    for c in nb["cells"]:
        if c["cell_type"] != "markdown":
            continue
        for m in NUMBER.finditer(_prose("".join(c["source"]))):
            written = m.group(0).strip()
            v = float(m.group(1).replace(",", ""))
            if (v <= 10 and v.is_integer()) or (v.is_integer() and 1900 <= v <= 2030) or written in allowed:
                continue
            if not _sourced(m.group(1).replace(",", ""), bool(m.group(2)), evidence):
                missing.append(written)
    return missing


@pytest.mark.parametrize("path", LESSONS, ids=[p.name[:2] for p in LESSONS])
def test_every_number_in_the_prose_has_a_source(path):
    assert unsourced(path) == []


def test_the_check_catches_a_drifted_number(tmp_path):
    nb = {"cells": [{"cell_type": "markdown", "source": ["The accuracy is 0.975 and 97.5% of 1797 digits."]},
                    {"cell_type": "code", "source": ["print(acc)"],
                     "outputs": [{"output_type": "stream", "text": ["accuracy 0.975\n"]}]}]}
    path = tmp_path / "99_fake.ipynb"
    path.write_text(json.dumps(nb))
    assert unsourced(path) == ["1797"]
