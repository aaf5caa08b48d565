"""``typst``: a thin command over the typst package from PyPI, for ``pandoc --pdf-engine=typst``.

The ``typst`` package is a Python binding and installs no command; pandoc runs one: it writes the
document to a temporary ``.typ`` file in the working directory and calls
``typst compile [--pdf-engine-opt ...] INPUT.typ OUTPUT.pdf`` (pandoc's Text.Pandoc.PDF).  This
command answers that call and the usual options of the real CLI's ``compile``:

    typst compile INPUT [OUTPUT] [--root DIR] [--font-path DIR]... [--input KEY=VALUE]...
                  [--format pdf|png|svg] [--ppi N] [--ignore-system-fonts]
    typst --version

It is installed with gkreport (``[project.scripts]``), so after the set-up in the README
``pandoc report.md --filter gk-check --pdf-engine=typst -o report.pdf`` needs no LaTeX.  A
compile error is printed as typst reports it, with exit status 1; a usage error exits with 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="typst", description="typst compile, over the typst package from PyPI (for pandoc --pdf-engine=typst)")
    top.add_argument("--version", action="store_true", help="the version of the typst compiler")
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    compile_ = sub.add_parser("compile", aliases=["c"], help="compile INPUT to OUTPUT (default: INPUT with .pdf)")
    compile_.add_argument("input", metavar="INPUT")
    compile_.add_argument("output", nargs="?", metavar="OUTPUT")
    compile_.add_argument("--root", help="the project root (absolute paths in the document start there)")
    compile_.add_argument("--font-path", action="append", default=[], metavar="DIR",
                          help="more fonts (repeatable; also TYPST_FONT_PATHS, separated by the path separator)")
    compile_.add_argument("--input", dest="inputs", action="append", default=[], metavar="KEY=VALUE", help="sys.inputs (repeatable)")
    compile_.add_argument("-f", "--format", choices=("pdf", "png", "svg"), help="default: by OUTPUT's extension, else pdf")
    compile_.add_argument("--ppi", type=float, help="pixels per inch for PNG")
    compile_.add_argument("--ignore-system-fonts", action="store_true")
    return top


def typst_version() -> str:
    """The compiler's own version, as the document sees it (``sys.version``)."""
    import tempfile

    import typst

    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "version.typ"
        source.write_text("#metadata(str(sys.version)) <v>", encoding="utf-8")
        found = typst.query(str(source), "<v>", field="value", one=True)
    return str(found).strip().strip('"')


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.version:
        print(f"typst {typst_version()} (typst package from PyPI, through gkreport)")
        return 0
    if args.command not in ("compile", "c"):
        parser().print_help(sys.stderr)
        return 2
    import typst

    source = Path(args.input)
    output = Path(args.output) if args.output else source.with_suffix("." + (args.format or "pdf"))
    fmt = args.format or (output.suffix.lstrip(".").lower() if output.suffix.lower() in (".pdf", ".png", ".svg") else "pdf")
    font_paths = list(args.font_path) + [p for p in os.environ.get("TYPST_FONT_PATHS", "").split(os.pathsep) if p]
    inputs = dict(item.split("=", 1) for item in args.inputs if "=" in item)
    options = {"format": fmt, "font_paths": font_paths, "ignore_system_fonts": args.ignore_system_fonts, "sys_inputs": inputs}
    if args.root:
        options["root"] = args.root
    if args.ppi:
        options["ppi"] = args.ppi
    try:
        result = typst.compile(str(source), **options)
    except Exception as exc:  # noqa: BLE001 - typst's own message, never a traceback
        sys.stderr.write(f"error: {exc}\n")
        return 1
    pages = result if isinstance(result, list) else [result]
    if len(pages) == 1:
        output.write_bytes(pages[0])
    else:  # PNG or SVG of several pages: OUTPUT must hold {n} or {p}, as with the real command
        template = str(output)
        if "{n}" not in template and "{p}" not in template:
            sys.stderr.write("error: cannot export multiple images without a page number template ({n} or {p}) in the output path\n")
            return 1
        for number, page in enumerate(pages, 1):
            Path(template.replace("{n}", str(number)).replace("{p}", str(number))).write_bytes(page)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
