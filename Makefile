# The course's commands. `make lab` and `make test` are all a learner needs; both create .venv on first use and
# reinstall only when pyproject.toml or constraints.txt change.
PYTHON   ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
LSTAMP   := $(VENV)/.installed-course
STAMP    := $(VENV)/.installed
BSTAMP   := $(VENV)/.installed-bench
KSTAMP   := $(VENV)/.installed-book
MATHJAX  := build/book-vendor/node_modules/mathjax/es5/tex-chtml.js
PORT     ?= 8888
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
# One pytest worker per core and cores / workers torch threads in each worker and lesson kernel: never more
# threads than cores (oversubscribed BLAS/OpenMP threads make the suite several times slower).
NPROC    := $(shell nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
WORKERS  ?= $(NPROC)
THREADS  ?= $(shell t=$$(( $(NPROC) / $(WORKERS) )); [ $$t -ge 1 ] && echo $$t || echo 1)
PYTEST   := OMP_NUM_THREADS=$(THREADS) MKL_NUM_THREADS=$(THREADS) $(BIN)/python -m pytest -n $(WORKERS) --dist loadfile
NBVAL    := --nbval --nbval-current-env --nbval-sanitize-with lessons/sanitize.cfg --nbval-cell-timeout=300

.PHONY: lab test test-portable test-retrain test-install notebooks bench test-browser student test-student install constraints clean help

help:
	@echo "make lab           open JupyterLab on lessons/ (creates .venv on first use)"
	@echo "make test          ruff, unit tests + nbval regression of every lesson"
	@echo "make test-portable the lessons' nbval once more on torch's plain (non-vectorised) CPU kernels, one thread"
	@echo "make test-retrain  retrain every shipped network and compare with its stored accuracy (minutes)"
	@echo "make test-install  build the wheel, install it into a fresh venv outside the checkout, run lessons 00 and 02"
	@echo "make notebooks     re-execute every lesson in place from a fresh kernel"
	@echo "make bench         run benchmarks/ (installs the benchmark peers)"
	@echo "make test-browser  run every lesson in JupyterLab in headless Chromium"
	@echo "make student       write the student version of every lesson (solutions removed) to build/student"
	@echo "make test-student  check that the student versions hold no solution and run top to bottom"
	@echo "make book          build the course as a static site in build/book/html (no lesson is run)"
	@echo "make test-book     check every page of the built book in headless Chromium"
	@echo "make mutants       mutation testing: the package's core modules (mutants-package), then the lessons"

install: $(STAMP)

# A learner's install (`make lab`): the package and JupyterLab only.
$(LSTAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade --quiet pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[course]'
	@# matplotlib builds its font cache on first import and says so on stderr: do it here, not in a lesson's kernel
	$(BIN)/python -c "import matplotlib.font_manager"
	@touch $@

# Everything `make test` needs on top: pytest, nbval, playwright, hypothesis, numba (the opt-in `fast` extra: the
# tests exercise the fused CPU kernels) and on Linux Triton (the fused CUDA kernel runs in its interpreter).
$(STAMP): $(LSTAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[course,test,gpu,fast]'
	@touch $@

$(BSTAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[course,test,bench,fast]'
	# torchattacks 3.5 pins requests~=2.25.1, which clashes with jupyterlab; its code runs with a newer requests.
	$(BIN)/python -m pip install --quiet -c constraints.txt --no-deps 'torchattacks==3.5.1'
	@touch $@

lab: $(LSTAMP)
	@echo "Starting JupyterLab on lessons/ at http://127.0.0.1:$(PORT)/lab (the token is in the URL printed below)"
	$(BIN)/jupyter lab --no-browser --ip=127.0.0.1 --port=$(PORT) $(ROOT_FLAG) --ServerApp.root_dir=lessons

test: $(STAMP)
	$(BIN)/ruff check .
	$(PYTEST) -m "not slow" $(NBVAL) tests lessons

# The same lessons on another floating-point path: torch's non-vectorised CPU kernels and one thread per kernel.
# Exact outputs must still match byte for byte and every claim must still hold.
test-portable: $(STAMP)
	ATEN_CPU_CAPABILITY=default OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 $(BIN)/python -m pytest -n $(WORKERS) \
		--dist loadfile $(NBVAL) lessons

test-retrain: $(STAMP)
	$(PYTEST) -m slow tests/test_pretrained.py

# Install anywhere: the wheel built from a copy of the checkout must hold data/ (and so must an sdist's wheel), and a
# non-editable install of it (the `course` extra, no numba) in a fresh venv outside the checkout must run lessons 00
# and 02 under nbval from a temporary folder. Writes only to the temporary folder (tests/test_install.py).
test-install: $(STAMP)
	OMP_NUM_THREADS=$(THREADS) MKL_NUM_THREADS=$(THREADS) $(BIN)/python -m pytest -p no:cacheprovider -v -s \
		-m slow tests/test_install.py

notebooks: $(STAMP)
	$(BIN)/python tools/execute_lessons.py lessons/*.ipynb

bench: $(BSTAMP)
	@set -e; for f in benchmarks/*.py; do echo "== $$f"; $(BIN)/python $$f; done

# Every lesson in JupyterLab in headless Chromium, on a temporary copy (tests/browser/test_lessons.py). Chromium
# comes from apt-get when it is missing and we are root; otherwise the test says what to install. BROWSER_ARGS
# passes pytest options, e.g. `make test-browser BROWSER_ARGS="-k 03"` or BROWSER_ARGS="-k checker" (self-test).
test-browser: $(STAMP)
	BROWSER_TEST=1 $(BIN)/python -m pytest -p no:cacheprovider -v --screenshot=only-on-failure \
		--output=artifacts/browser/failed tests/browser/test_lessons.py $(BROWSER_ARGS)

# Regenerate constraints.txt: resolve the package with every extra in a scratch venv (torch pinned to the CPU
# wheel), freeze it, and keep torch's version without the local "+cpu" tag so that the pin works on any platform.
constraints:
	rm -rf build/pin && $(PYTHON) -m venv build/pin
	build/pin/bin/python -m pip install --quiet --upgrade pip
	build/pin/bin/python -m pip install --quiet torch==2.13.0 -e '.[course,test,gpu,fast,bench,book]'
	build/pin/bin/python -m pip install --quiet --no-deps torchattacks==3.5.1
	{ echo "# Pins for every package the course, its tests, benchmarks and book use (Python 3.11+). Regenerate with 'make constraints'."; \
	  build/pin/bin/python -m pip freeze --exclude-editable | sed -e 's/+cpu$$//' -e '/^pip==/d'; } > constraints.txt
	rm -rf build/pin

# The course as a static site (book/, `make book`): the executed lessons rendered, not re-run, into
# build/book/html. The `book` extra (Sphinx, myst-nb, sphinx-book-theme) and MathJax (npm) are fetched once; the
# site then works without a network. `make test-book` checks every page of it in headless Chromium.
.PHONY: book test-book
$(KSTAMP): $(LSTAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[course,book]'
	@touch $@

$(MATHJAX):
	@command -v npm >/dev/null || { echo "make book needs npm once, to fetch MathJax (Debian: apt-get install npm)"; exit 1; }
	npm install --prefix build/book-vendor --no-save --no-audit --no-fund --loglevel=error mathjax@3.2.2

book: $(KSTAMP) $(MATHJAX)
	$(BIN)/python book/build.py

test-book: $(STAMP)
	BOOK_CHECK=1 $(BIN)/python -m pytest -q -p no:cacheprovider tests/browser/test_book.py

clean:
	rm -rf .pytest_cache .hypothesis artifacts

# The student version of the lessons (solutions replaced by stubs), for teachers; nbgrader is not needed.
student: $(LSTAMP)
	$(BIN)/python tools/student.py build/student

test-student: $(STAMP)
	STUDENT_CHECK=1 $(PYTEST) tests/test_student.py

# Mutation testing, not part of `make test` (tens of minutes on 2 cores). mutants-package: mutmut over the core
# modules against the unit tests, a reproducible sample of each module's mutants (mutation/package.py; the results,
# with the date and the score, go to mutation/package-results.md). MUTANTS_ARGS passes options, e.g.
# `make mutants-package MUTANTS_ARGS="--sample 0"` for every mutant.
.PHONY: mutants mutants-package mutants-lessons
MSTAMP   := $(VENV)/.installed-mutants
$(MSTAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[mutants]'
	@touch $@

mutants: mutants-package mutants-lessons

mutants-package: $(MSTAMP)
	$(BIN)/python mutation/package.py $(MUTANTS_ARGS)

# mutants-lessons: every lesson's nbval under each named lesson mutant that reaches it (mutation/lessons.py; the
# mutants are mutation/lesson_mutants.toml, switched on in the lesson kernels by PERTURBKIT_MUTANT; the kill matrix,
# with the date and the score, goes to mutation/LESSONS.md). Pairs whose lesson, package and mutant are unchanged
# since their last run are not rerun. LESSONS_ARGS passes options, e.g. LESSONS_ARGS="--fresh" (rerun everything)
# or LESSONS_ARGS="--mutants norm_size_l1 --lessons 01,02".
mutants-lessons: $(STAMP)
	$(BIN)/python mutation/lessons.py $(LESSONS_ARGS)
