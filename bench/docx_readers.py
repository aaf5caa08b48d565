"""Which library reads the clerk's DOCX: accuracy on merged cells, and speed, on our material.

Material: the official template as a local office hands it out (a WPS file), the template filled
with figures and re-saved by LibreOffice, and a report made by ``gk build`` (pandoc's writer).
Accuracy: table 三's merged cells come back with their spans — the corner cell 3 x 3, 申请人情况
over 7 columns, 三、本年度办理结果 over 22 rows, (三)不予公开 over 8 (vMerge restart/continue,
gridSpan).  Speed: median ms to read one file into tables, the readers taking turns.

Readers: ``read_docx`` (ours: lxml on the package), python-docx's ``Document()`` and table API (what gk fix
opens; its tables give merged cells as repeated cell objects), pandoc's docx reader in a
subprocess (what ``gk check x.docx`` did), and docx2python and mammoth when installed
(``pip install docx2python mammoth``; they are not dependencies of gkreport).

Usage: python bench/docx_readers.py [--rounds 7]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

from gkreport.testing.docxfill import TEMPLATE, fill_template
from gkreport.testing.values import consistent_active, consistent_appeals, consistent_requests

EXPECTED = {"(本列数据的勾稽": (3, 3), "申请人情况": (1, 7), "三、本年度办理结果": (22, 1), "(三)不予公开": (8, 1)}


def fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def spans_right(grids: list) -> str:
    """How many of the four merged cells of table 三 a reader gives with their (rowspan, colspan)."""
    for grid in grids:
        found = {}
        for row in grid:
            for text, rowspan, colspan in row:
                for label, spans in EXPECTED.items():
                    if fold(text).startswith(label) and label not in found:
                        found[label] = (rowspan, colspan) == spans
        if "申请人情况" in found:
            return f"{sum(found.values())}/4"
    return "table 三 not found"


# ---------------------------------------------------------------- each reader, to grids of (text, rowspan, colspan)


def ours(path):
    from gkreport.model import Table
    from gkreport.readers.docx import read_docx

    return [[[(c.text, c.rowspan, c.colspan) for c in row] for row in b.grid] for b in read_docx(path).blocks if isinstance(b, Table)]


def python_docx(path):
    """python-docx: each row's cells, a merged cell repeated where it spans (``cell._tc`` tells them apart)."""
    import docx

    grids = []
    for table in docx.Document(str(path)).tables:
        grid, seen = [], {}
        for r, row in enumerate(table.rows):
            out = []
            for cell in row.cells:
                key = cell._tc  # kept as a key, the element's proxy stays the same object
                if key in seen:
                    seen[key][1] = max(seen[key][1], r - seen[key][0] + 1)
                    if seen[key][0] == r and out and out[-1] is seen[key][2]:
                        out[-1][2] += 1
                    continue
                entry = [cell.text, 1, 1]
                seen[key] = [r, 1, entry]
                out.append(entry)
            grid.append(out)
        for _, rows, entry in seen.values():
            entry[1] = rows
        grids.append([[tuple(e) for e in row] for row in grid])
    return grids


def pandoc(path):
    import panflute as pf

    from gkreport.readers.pandoc import grid_from_panflute
    from gkreport.readers.files import read_document

    doc = read_document(path)
    grids = []
    doc.walk(lambda e, d: grids.append([[(c.text, c.rowspan, c.colspan) for c in row] for row in grid_from_panflute(e)]) if isinstance(e, pf.Table) else None)
    return grids


def docx2python_reader(path):
    """docx2python: a full matrix per table, the merged text repeated or left empty: the spans are gone."""
    from docx2python import docx2python

    with docx2python(str(path)) as content:
        return [[[("".join(cell), 1, 1) for cell in row] for row in table] for table in content.body if len(table) > 1]


class _Html(HTMLParser):
    def __init__(self):
        super().__init__()
        self.grids, self.cell = [], None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "table":
            self.grids.append([])
        elif tag == "tr":
            self.grids[-1].append([])
        elif tag in ("td", "th"):
            self.cell = ["", int(attributes.get("rowspan", 1)), int(attributes.get("colspan", 1))]
            self.grids[-1][-1].append(self.cell)

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[0] += data

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.cell = None


def mammoth_reader(path):
    import mammoth

    with open(path, "rb") as stream:
        parser = _Html()
        parser.feed(mammoth.convert_to_html(stream).value)
    return [[[tuple(c) for c in row] for row in grid] for grid in parser.grids]


READERS = {
    "read_docx (lxml, ours)": ours,
    "python-docx tables": python_docx,
    "pandoc, subprocess": pandoc,
    "docx2python": docx2python_reader,
    "mammoth": mammoth_reader,
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    if not TEMPLATE.is_file():
        sys.exit(f"docx_readers: {TEMPLATE} is absent (the shared reports folder)")
    with tempfile.TemporaryDirectory(prefix="gk-docx-readers-") as work:
        compare(Path(work), args.rounds)


def compare(work: Path, rounds: int) -> None:
    from gkreport.services.build import build
    from gkreport.services.office import convert, soffice_path

    rng = random.Random(4)
    truth = {"active": consistent_active(rng), "requests": consistent_requests(rng), "appeals": consistent_appeals(rng)}
    material = {"template (WPS)": TEMPLATE}
    if soffice_path():
        material["filled, LibreOffice"] = convert(fill_template(work / "filled.docx", truth), "docx", work / "lo")
    build(Path(__file__).resolve().parent.parent / "examples" / "report.md", work / "built.docx")
    material["gk build (pandoc)"] = work / "built.docx"
    readers = {}
    for name, read in READERS.items():
        try:
            read(TEMPLATE)
            readers[name] = read
        except ImportError:
            print(f"{name}: not installed (pip install docx2python mammoth to compare)")
    samples = {(r, m): [] for r in readers for m in material}
    for _ in range(rounds):
        for reader, read in readers.items():
            for kind, path in material.items():
                start = time.perf_counter()
                read(path)
                samples[(reader, kind)].append((time.perf_counter() - start) * 1000)
    kinds = list(material)
    print(f"table 三's merged cells right (of 4), and median ms per file over {rounds} interleaved rounds:")
    print(f"  {'reader':26}" + "".join(f"{k:>28}" for k in kinds))
    for reader, read in readers.items():
        cells = [f"{spans_right(read(material[k])):>9}  {statistics.median(samples[(reader, k)]):8.1f} ms" for k in kinds]
        print(f"  {reader:26}" + "".join(f"{c:>28}" for c in cells))


if __name__ == "__main__":
    main()
