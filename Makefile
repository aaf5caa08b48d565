# Two commands set up a fresh machine (see README):
#   make example   install, check examples/report.md and build it into out/report.docx and out/report.pdf,
#                  and run the README's plain `pandoc ... --filter gk-check` command (out/report-pandoc.docx)
#   make test      install and run the tests
#   make bench     every benchmark script in bench/ (not its helpers)
# pandoc is the one inside the pypandoc-binary wheel, linked into .venv/bin so that, with the
# venv active, `pandoc report.md --filter gk-check -o report.docx` works as written.

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
export PATH := $(BIN):$(PATH)

# Debian packages: CJK fonts for the PDF and the pages, Chromium for the JupyterLab browser test
# (driven by Playwright, never a browser download), poppler-utils to render PDF pages in tests,
# libreoffice-writer to render DOCX pages and export test PDFs.
DEBIAN_PACKAGES := fonts-noto-cjk chromium poppler-utils libreoffice-writer

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
	mkdir -p out
	pandoc examples/report.md --filter gk-check -o out/report-pandoc.docx
	gk build examples/report.md -o out/report.docx
	gk build examples/report.md -o out/report.pdf
	@echo "written: out/report.docx, out/report.pdf (gk build: GB/T 9704 styles), out/report-pandoc.docx (pandoc --filter gk-check)"

test: install
	$(BIN)/python -m pytest

# bench/ also holds helpers that are not benchmarks: _*.py and the identity filter (reads a document
# on stdin).  The generated reports they use are gkreport.testing.
BENCHES := $(filter-out bench/_% bench/identity_filter.py,$(sort $(wildcard bench/*.py)))

bench: install
	$(BIN)/python -m compileall -q gkreport filters kernels_ext
	@set -e; for script in $(BENCHES); do echo "== $$script"; $(BIN)/python $$script </dev/null; done
