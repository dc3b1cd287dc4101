# The course's commands. `make lab` and `make test` are all a learner needs; both create .venv on first use and
# reinstall only when pyproject.toml or constraints.txt change.
PYTHON   ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
STAMP    := $(VENV)/.installed
BSTAMP   := $(VENV)/.installed-bench
PORT     ?= 8888
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
NBVAL    := --nbval --nbval-current-env --nbval-sanitize-with lessons/sanitize.cfg --nbval-cell-timeout=300

.PHONY: lab test notebooks bench test-browser install clean help

help:
	@echo "make lab           open JupyterLab on lessons/ (creates .venv on first use)"
	@echo "make test          unit tests + nbval regression of every lesson"
	@echo "make notebooks     re-execute every lesson in place from a fresh kernel"
	@echo "make bench         run benchmarks/ (installs the benchmark peers)"
	@echo "make test-browser  run every lesson in JupyterLab in headless Chromium"

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade --quiet pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[course,test]'
	@touch $@

$(BSTAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[course,test,bench]'
	# torchattacks 3.5 pins requests~=2.25.1, which clashes with jupyterlab; its code runs with a newer requests.
	$(BIN)/python -m pip install --quiet -c constraints.txt --no-deps 'torchattacks==3.5.1'
	@touch $@

lab: $(STAMP)
	@echo "Starting JupyterLab on lessons/ at http://127.0.0.1:$(PORT)/lab (the token is in the URL printed below)"
	$(BIN)/jupyter lab --no-browser --ip=127.0.0.1 --port=$(PORT) $(ROOT_FLAG) --ServerApp.root_dir=lessons

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile $(NBVAL) tests lessons

notebooks: $(STAMP)
	$(BIN)/python tools/execute_lessons.py lessons/*.ipynb

bench: $(BSTAMP)
	@set -e; for f in benchmarks/*.py; do echo "== $$f"; $(BIN)/python $$f; done

# Every lesson in JupyterLab in headless Chromium, on a temporary copy (tools/browsercheck/). Chromium comes from
# apt-get when it is missing and we are root; otherwise the tool says what to install. BROWSER_ARGS passes options,
# e.g. `make test-browser BROWSER_ARGS="--only 03"` or BROWSER_ARGS=--self-test.
test-browser: $(STAMP)
	$(BIN)/python tools/browser_test.py $(BROWSER_ARGS)

clean:
	rm -rf .pytest_cache .hypothesis artifacts
