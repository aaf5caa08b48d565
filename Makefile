# Two commands set up a fresh machine (see README):
#   make example   install, check examples/report.md and build it into out/report.docx and out/report.pdf
#   make test      install and run the tests
# pandoc is the one inside the pypandoc-binary wheel, linked into .venv/bin so that, with the
# venv active, `pandoc report.md --filter gk-check -o report.docx` works as written.

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
export PATH := $(BIN):$(PATH)

# Debian packages: CJK fonts for the PDF and the pages, Chromium for the JupyterLab browser test
# (driven by Playwright, never a browser download), poppler-utils to render PDF pages in tests.
DEBIAN_PACKAGES := fonts-noto-cjk chromium poppler-utils

.PHONY: example test bench install debian-packages

install: $(VENV)/.installed debian-packages

debian-packages:
	@dpkg -s $(DEBIAN_PACKAGES) >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(DEBIAN_PACKAGES); \
	  else echo "missing Debian packages; run: sudo apt-get update && sudo apt-get install $(DEBIAN_PACKAGES)"; exit 1; fi; }

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	ln -sf "$$($(BIN)/python -c 'from gkreport.reader import pandoc_path; print(pandoc_path())')" $(BIN)/pandoc
	$(BIN)/python -m compileall -q gkreport filters kernels_ext  # as pip does for a regular install
	touch $@

example: install
	gk check examples/report.md
	gk build examples/report.md -o out/report.docx
	gk build examples/report.md -o out/report.pdf

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python -m compileall -q gkreport filters kernels_ext
	@for script in bench/*.py; do case $$script in */_*) continue;; esac; echo "== $$script"; $(BIN)/python $$script || exit 1; done
