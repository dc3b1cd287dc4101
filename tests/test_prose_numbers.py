"""Prose that cannot drift: every number a lesson's text quotes is printed by a cell next to it.

A number in a markdown cell must be one that its *neighbourhood* contains: the code (without its comments) and the
compared outputs of the code cell right before it and of the code cell right after it (a markdown cell next to it
contributes nothing; the solution of an exercise is backed by the hidden solution cell before it). Compared outputs
are exact results or the range of a checked claim, which `perturbkit.claims` prints; outputs that nbval ignores
(`# NBVAL_IGNORE_OUTPUT`) guarantee no digit and do not count. The number must be written as the cell prints it: the
same value (0.5 and 0.50 are one value; a percentage may be printed as a fraction or as a percentage), not a rounding
of it, so that a prose that rounds needs the rounded value printed. A lesson-wide pool of rounded values let a random
number pass 16-75% of the time (lessons 09 and 06); the neighbourhood and exact values make a coincidence rare
(0.4-2.0%) and tie a number to the cell that produced it (a summary that recalls a result prints it again next to
itself).

What is scanned: the prose, inline and displayed LaTeX (except exponents and indices, `2^{25}`, `\\beta_{784}`),
and scientific notation in both (`8.9e-06`, `6.6 \\times 10^{-5}`; `10^{-224}` is backed by its exponent, a printed
log10, or by a printed value of that order). What is not: small integers (0-10), years, headings, link targets,
inline code, HTML tags, names of numbered things (Theorem 3.7), citations and reading times. A number inside LaTeX
that the lesson's code writes literally is a constant or parameter of a formula (the 12 of $1/12$, the 0.2 of
$0.2(L-1)$, $n = 224$) and needs no output. What remains and is a definition or arithmetic on one (the size of a data
set, $2^{25}$ = 33 million) is listed in ALLOWED with the reason. The self-check quiz of each lesson (prompts,
choices and explanations in `perturbkit/exercises/lessonNN.py`) is checked against all the lesson's compared
outputs.

`coincidental_pass_rate` measures how strict this is: the share of the two-decimal numbers 0.01 ... 0.99 that pass
when written into the prose of a markdown cell, over every (number, markdown cell) pair of a lesson; it must stay at
most 2% in every lesson.
"""

from __future__ import annotations

import io
import json
import re
import tokenize
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "lessons").glob("*.ipynb"))
MAX_RATE = 0.02

# lesson prefix -> {number as written: why it needs no output}
ALLOWED: dict[str, dict[str, str]] = {
    "09": {"31": "a volume number in a citation (NeurIPS 31)", "36": "a volume number in a citation (NeurIPS 36)"},
    "00": {"255": "8/255, the l-inf budget often used for 8-bit colour images (a convention, quoted)"},
    "02": {"1797": "the size of scikit-learn's digits data set", "17": "the grey levels of those digits",
           "16": "4/16 in the quiz: four grey levels of the digits' 17-level lattice"},
    "05": {"0.337": "0.6745 / 2, the median of |Z| over 2 for a normal Z (theory)",
           "1437": "the training digits: four fifths of scikit-learn's 1797 (data/train_models.py)",
           "50": "0.2 (L - 1) at L = 256, lesson 07's crossover (theory)"},
    "07": {"0.2": "D = 0.2 n, the rule of thumb for Phi^-1(3/4) sigma_L n = 0.195 n at many levels (theory)",
           "50": "the crossover near n = 50 at 8 bits: 0.2 (L - 1) = 51, Phi^-1(3/4) sigma_256 255 = 49.8 (theory)",
           "0.674": "Phi^-1(3/4), the median of |Z| for a normal Z (a constant)",
           "12": "the variance 1/12 of a uniform entry, in the quiz (theory)"},
    "08": {"20": "a made-up example in the quiz: two images 20 pixels apart", "21": "20 + 1 in the same example"},
    "10": {"80%": "a made-up example of a robustness claim, quoted", "60%": "a made-up vendor claim in Exercise 5",
           "1.25": "the FGSM-RS step 1.25 eps of Wong et al. (the recipe's definition)"},
    "11": {"1e-6": "a made-up class size in the quiz", "8.9e-6": "the concentration bound at c = 3 (lesson 03 prints "
           "it), quoted in the quiz"},
    "01": {"33": "2^25 = 33.5 million, the number of binary 5x5 images", "12": "the quiz's wrong answer 3 x 4 = 12"},
}

# ------------------------------------------------------------------------------------------------ numbers as written
_INT = r"\d+(?:,\d{3})*"
_PLAIN = re.compile(rf"(?<![\w.^_])({_INT}(?:\.\d+)?)(?:[eE]([-+]?\d+))?(\s*%)?(?![\w^])")
_LATEX_NUMBER = re.compile(rf"(?<![\w.])({_INT}(?:\.\d+)?)(\s*\\?%)?(?![\d.])")   # 0.2n: a coefficient is a number
_LATEX_POWER = re.compile(rf"(?:(?<![\w.])({_INT}(?:\.\d+)?)\s*(?:\\times|\\cdot)\s*|(?<![\w.]))10\s*\^\s*"
                          rf"(?:\{{\s*(-?\s*{_INT}(?:\.\d+)?)\s*\}}|(\d))")
_EVIDENCE = re.compile(rf"(?<![\w.])({_INT}(?:\.\d+)?)(?:[eE]([-+]?\d+))?(\s*%)?")


class Number:
    """A number as written in the prose."""

    power = False

    def __init__(self, written: str, digits: str, exponent: int = 0, percent: bool = False):
        self.written = written.strip()
        self.value = Decimal(digits.replace(",", "")).scaleb(exponent)
        self.percent = percent

    def exempt(self) -> bool:
        v = self.value
        return not self.percent and v == v.to_integral_value() and (v <= 10 or 1900 <= v <= 2030)

    def sourced(self, evidence: frozenset[Decimal]) -> bool:
        # 37% is backed by a printed 37% or 0.37, or by a printed 37 (a column of percentages)
        return self.value in evidence or (self.percent and self.value.scaleb(-2) in evidence)

    def __repr__(self) -> str:
        return self.written


class Power(Number):
    """10^{k}: backed by |k| as printed (a log10), or by a printed value v > 0 with |log10 v - k| < 1/2."""

    power = True

    def __init__(self, written: str, exponent: str):
        exponent = exponent.replace(" ", "")
        super().__init__(written, exponent.lstrip("-"))
        self.k = -self.value if exponent.startswith("-") else self.value

    def exempt(self) -> bool:
        return False

    def sourced(self, evidence: frozenset[Decimal]) -> bool:
        return self.value in evidence or (self.k == self.k.to_integral_value() and any(
            e > 0 and abs(e.log10() - self.k) < Decimal("0.5") for e in evidence))


def _closing_brace(s: str, i: int) -> int:
    depth = 0
    for j in range(i, len(s)):
        depth += {"{": 1, "}": -1}.get(s[j], 0)
        if depth == 0:
            return j
    return len(s) - 1


def _drop_scripts(tex: str) -> str:
    """Remove exponents and indices: x^{...}, x_{...}, x^2, x_i, x_\\infty."""
    out, i = [], 0
    while i < len(tex):
        if tex[i] not in "^_":
            out.append(tex[i])
            i += 1
            continue
        j = i + 1
        while j < len(tex) and tex[j] == " ":
            j += 1
        if j < len(tex) and tex[j] == "{":
            i = _closing_brace(tex, j) + 1
        elif j < len(tex) and tex[j] == "\\":
            m = re.match(r"\\[A-Za-z]+", tex[j:])
            i = j + (m.end() if m else 2)
        else:
            i = j + 1
        out.append(" ")
    return "".join(out)


def latex_numbers(tex: str) -> list[Number]:
    tex = re.sub(r"\{,\}", ",", tex)                             # 150{,}528
    found: list[Number] = []

    def power(m: re.Match) -> str:
        mantissa, exponent = m.group(1), (m.group(2) or m.group(3)).replace(" ", "")
        if not mantissa:
            found.append(Power(m.group(0), exponent))
        elif re.fullmatch(r"-?\d+", exponent):
            found.append(Number(m.group(0), mantissa, int(exponent)))
        else:
            found.append(Power(m.group(0), exponent))              # 1.4 \cdot 10^{2.5}: the exponent at least
        return " "

    tex = _LATEX_POWER.sub(power, tex)
    tex = re.sub(r"\\[dt]?(?:frac|binom)\s*(\d)\s*(\d)", r" \1 \2 ", tex)    # \tfrac12, \binom92: two digits
    tex = re.sub(r"\\(?:operatorname|text|mathrm|textrm|mathbf|textbf|mathit|textit)\s*\{[^{}]*\}", " ", tex)
    tex = re.sub(r"\\[A-Za-z]+|\\[,;:! ]", " ", _drop_scripts(tex))
    found += [Number(m.group(0), m.group(1), percent=bool(m.group(2))) for m in _LATEX_NUMBER.finditer(tex)]
    return found


def plain_numbers(text: str) -> list[Number]:
    return [Number(m.group(0), m.group(1), int(m.group(2) or 0), percent=bool(m.group(3)))
            for m in _PLAIN.finditer(text)]


_MATHS = re.compile(r"\$\$(.*?)\$\$|\$([^$\n]+)\$", re.S)


def prose(md: str) -> str:
    """The text of a markdown cell without its mathematics and the numbers that are names, not quantities."""
    md = re.sub(r"`[^`]*`", " ", md)                            # inline code
    md = _MATHS.sub(" ", md)
    md = re.sub(r"\]\([^)]*\)", "]", md)                        # link targets
    md = re.sub(r"\[\d\d(?=[ \]])", "[", md)                     # lesson numbers in link texts: [11 the literature]
    md = re.sub(r"^\|\s*\d\d\s*\|", "|", md, flags=re.M)              # and in the first column of a table of lessons
    md = re.sub(r"<[^>]*>", " ", md)                            # HTML tags and their attributes
    md = re.sub(r"^#+ .*$", " ", md, flags=re.M)                # headings (section numbers)
    # names of numbered things: Theorem 3.7, lesson 04, Exercises 2 and 3, section 3 ...
    md = re.sub(r"\b(theorem|lemma|proposition|definition|corollary|remark|example|exercise|solution|figure|table|"
                r"section|lesson|cell|step|equation|question|part|algorithm)s?\s*\(?\s*[\d.]+"
                r"(\s*(-|–|and|,|to)\s*[\d.]+)*", " ", md, flags=re.I)
    md = re.sub(r"[\d,\s–-]*\((1[89]|20)\d\d\)[\s\d–-]*", " ", md)   # citations: volume (year) pages
    md = re.sub(r"arXiv:?\s*\d+\.\d+", " ", md)                      # arXiv numbers
    md = re.sub(r"\d+(\s*[-–]\s*\d+)?\s*minutes", " ", md)           # reading times
    return md


def maths(md: str) -> str:
    """The LaTeX of a markdown cell, inline and displayed."""
    md = re.sub(r"`[^`]*`", " ", md)
    return " ".join(a or b for a, b in _MATHS.findall(md))


def values(text: str) -> set[Decimal]:
    """Every number that a cell's code or output writes (a printed 37% is 0.37)."""
    out = set()
    for m in _EVIDENCE.finditer(text.replace("..", " .. ")):       # a range 1..200 writes 1 and 200
        v = Decimal(m.group(1).replace(",", "")).scaleb(int(m.group(2) or 0))
        out.add(v.scaleb(-2) if m.group(3) else v)
    return out


# ------------------------------------------------------------------------------------------------ neighbourhoods
def _source(cell: dict) -> str:
    return "".join(cell["source"])


def _code_text(cell: dict) -> str:
    """A code cell's source without its comments: a comment states nothing the cell computes."""
    source = _source(cell)
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return source
    return " ".join(t.string for t in tokens if t.type != tokenize.COMMENT)


def _outputs(cell: dict) -> set[Decimal]:
    found: set[Decimal] = set()
    if _source(cell).startswith("# NBVAL_IGNORE_OUTPUT"):   # a float trajectory's digits guarantee nothing
        return found
    for o in cell.get("outputs", []):
        found |= values("".join(o.get("text", "")))
        found |= values("".join(o.get("data", {}).get("text/plain", "")))
    return found


def neighbours(cells: list[dict], i: int) -> list[int]:
    """The code cells that back the numbers of markdown cell ``i``: the cell right before it and the cell right
    after it, where they are code cells."""
    return [j for j in (i - 1, i + 1) if 0 <= j < len(cells) and cells[j]["cell_type"] == "code"]


class Lesson:
    """A lesson notebook, read once: what backs each markdown cell, and what its prose and quiz quote."""

    def __init__(self, path: Path, nb: dict | None = None):
        self.path, self.prefix = path, path.name[:2]
        self.cells = (nb if nb is not None else json.loads(path.read_text()))["cells"]
        self.allowed = ALLOWED.get(self.prefix, {})
        code = {i: c for i, c in enumerate(self.cells) if c["cell_type"] == "code"}
        self._evidence = {i: frozenset(values(_code_text(c)) | _outputs(c)) for i, c in code.items()}
        self.code_literals = frozenset().union(*(values(_code_text(c)) for c in code.values()))
        self.outputs = frozenset().union(*(_outputs(c) for c in code.values()))

    def evidence(self, i: int) -> frozenset[Decimal]:
        return frozenset().union(*(self._evidence[j] for j in neighbours(self.cells, i)))

    def missing(self, md: str, evidence: frozenset[Decimal]) -> list[str]:
        """The numbers of ``md`` that ``evidence`` does not contain and no rule exempts."""
        out = [n.written for n in plain_numbers(prose(md))
               if not (n.exempt() or n.written in self.allowed or n.sourced(evidence))]
        out += [n.written for n in latex_numbers(maths(md))
                if not (n.exempt() or n.written in self.allowed or n.sourced(evidence)
                        or (not n.power and n.value in self.code_literals))]
        return out

    def unsourced(self) -> list[str]:
        """'cell i: number' for every number of the prose that its neighbourhood does not back."""
        return [f"cell {i}: {w}" for i, c in enumerate(self.cells) if c["cell_type"] == "markdown"
                for w in self.missing(_source(c), self.evidence(i))]

    def quiz_unsourced(self) -> list[str]:
        """'quiz: number' for every number of the lesson's quiz that no compared output of the lesson prints."""
        from perturbkit.exercises.quiz import quiz_questions

        try:
            questions = quiz_questions(self.prefix)
        except ValueError:
            return []
        texts = [q.prompt for q in questions] + [t for q in questions for c in q.choices for t in (c.text, c.why)]
        return [f"quiz: {w}" for t in texts for w in self.missing(t, self.outputs)]


@cache
def _lesson(path: Path) -> Lesson:
    return Lesson(path)


def coincidental_pass_rate(les: Lesson) -> float:
    """The probability that a uniformly random two-decimal number in (0, 1), written as a sentence into the prose
    of a uniformly random markdown cell of the lesson, passes the test (all 99 numbers in every markdown cell)."""
    cells = [i for i, c in enumerate(les.cells) if c["cell_type"] == "markdown"]
    passed = 0
    for i in cells:
        md, evidence = _source(les.cells[i]), les.evidence(i)
        before = len(les.missing(md, evidence))
        passed += sum(len(les.missing(f"{md}\n\nThe value is 0.{k:02d}.\n", evidence)) == before
                      for k in range(1, 100))
    return passed / (99 * len(cells))


# ------------------------------------------------------------------------------------------------ the tests
_PARAMS = [pytest.param(p, id=p.name[:2]) for p in LESSONS]


@pytest.mark.parametrize("path", _PARAMS)
def test_every_number_in_the_prose_is_printed_next_to_it(path):
    assert _lesson(path).unsourced() == []


@pytest.mark.parametrize("path", _PARAMS)
def test_every_number_in_the_quiz_is_printed_by_the_lesson(path):
    assert _lesson(path).quiz_unsourced() == []


@pytest.mark.parametrize("path", _PARAMS)
def test_a_random_number_rarely_passes(path):
    assert coincidental_pass_rate(_lesson(path)) <= MAX_RATE


@pytest.mark.parametrize("prefix", sorted(ALLOWED))
def test_every_allowed_number_is_still_written_and_needed(prefix):
    """An ALLOWED entry whose number the prose no longer writes, or that a neighbourhood now backs, is stale."""
    path = next(p for p in LESSONS if p.name.startswith(prefix))
    les = Lesson(path)
    needed = set()
    les.allowed = {}
    for i, c in enumerate(les.cells):
        if c["cell_type"] == "markdown":
            needed |= set(les.missing(_source(c), les.evidence(i)))
    needed |= {w.removeprefix("quiz: ") for w in les.quiz_unsourced()}
    assert set(ALLOWED[prefix]) <= needed, f"stale or redundant entries: {set(ALLOWED[prefix]) - needed}"


def _fake(tmp_path, cells) -> Lesson:
    path = tmp_path / "99_fake.ipynb"
    path.write_text(json.dumps({"cells": cells}))
    return Lesson(path)


def _md(text):
    return {"cell_type": "markdown", "source": [text]}


def _code(source, out, ignore=False):
    return {"cell_type": "code", "source": [("# NBVAL_IGNORE_OUTPUT\n" if ignore else "") + source],
            "outputs": [{"output_type": "stream", "name": "stdout", "text": [out]}]}


def test_a_number_is_backed_only_by_the_cells_next_to_it(tmp_path):
    les = _fake(tmp_path, [_code("print(acc)", "accuracy 0.975\n"), _md("The accuracy is 0.975."),
                           _md("Far from it: 0.975."), _code("x = 1", ""), _md("Also 0.975 and 97.5%.")])
    assert les.unsourced() == ["cell 2: 0.975", "cell 4: 0.975", "cell 4: 97.5%"]


def test_the_value_must_be_the_printed_one_not_a_rounding_of_it(tmp_path):
    les = _fake(tmp_path, [_code("print(x)", "share 0.3283, 40.2% of 1414.21, 0.50\n"),
                           _md("About 0.33, 0.3283, 40%, 40.2%, 0.402, 1,414 and 0.5.")])
    assert les.unsourced() == ["cell 1: 0.33", "cell 1: 40%", "cell 1: 1,414"]


def test_ignored_outputs_latex_and_scientific_notation(tmp_path):
    les = _fake(tmp_path, [_code("print(x)", "0.37 and 8.9e-06\n", ignore=True),
                           _md("The share is 0.37 and $8.9 \\times 10^{-6}$, or 8.9e-06, below $10^{-224}$; "
                               "$2^{25}$, $\\beta_{784}$ and $e^{-2c^2}$ are formulas, $0.2(L-1)$ a constant."),
                           _code("c = 0.2\nprint(4 * 56)", "224\n5.9e-225\n")])
    assert les.unsourced() == ["cell 1: 0.37", "cell 1: 8.9e-06", "cell 1: 8.9 \\times 10^{-6}"]


def test_a_random_number_passes_only_where_a_neighbour_prints_it(tmp_path):
    les = _fake(tmp_path, [_md("Intro."), _code("print(x)", "0.25 0.5 0.75 0.125\n"), _md("Result."), _md("Far.")])
    assert coincidental_pass_rate(les) == 2 * 3 / (3 * 99)   # 0.25, 0.50 and 0.75 in the cells next to the code
