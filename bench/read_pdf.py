"""Reading report PDFs: gkreport's reader against the libraries it was chosen from, then its
throughput on every core (issue 9 target: >= 20 reports/s on two cores).

    python bench/read_pdf.py [--reports 12] [--rounds 8] [--json] [--no-compare]

The PDFs are made first (not timed, ~20 s): report PDFs as published (tests/pdfmaterial.py): two
in three are the official template filled with figures and exported by LibreOffice (4-7 pages,
one to three pages of prose, running head, page numbers), one in three built by `gk build`
(typst); table 三 runs over a page break in several of them.

1. Accuracy and speed of each candidate on the same PDFs, one core, in turns (a candidate
   slower than 20 s a round has one round): the figures read
   at their official cell (a table continued on the next page joined to the one before, as the
   recognizer will) out of all figures, and ms per report (median of the rounds).
   Candidates: gkreport's reader (PDFium characters and paths, its own lattice); pdfplumber
   (pdfminer.six pages, its TableFinder, cell text from its extract()); pdfminer.six alone (its
   layout analysis: characters, lines and rectangles, no table finder); poppler's `pdftotext
   -layout` (text, read by the text recognizer); PyMuPDF's find_tables when it is installed
   (AGPL: never a dependency of this MIT project).
2. gkreport's reader with one worker process per core over rounds x reports, then one worker;
   the wall time, and the processor time a report takes in the workers (on this shared machine
   the wall time counts the other users' work; two free cores read 2 / processor time).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
from gkreport.grid import GridCell
from gkreport.model import Document, Paragraph, Table
from gkreport.readers.pdf import Origin, read_pdf
from gkreport.checks.report import check_model
from gkreport.testing.pdfmaterial import realistic_set

TARGET = 20.0  # reports/s on two cores
BUDGET_MS = 20_000  # time rounds of one candidate while it has taken less than this


# ---------------------------------------------------------------- accuracy


def joined(document: Document) -> Document:
    """Each table continued on the next page appended to the one before, its repeated header rows dropped."""
    blocks: list = []
    for block in document.blocks:
        previous = blocks[-1] if blocks else None
        if isinstance(block, Table) and isinstance(previous, Table) and block.origin.page == previous.origin.page + 1:
            head = 0
            while head < min(len(block.grid), len(previous.grid)) and [c.text for c in block.grid[head]] == [
                c.text for c in previous.grid[head]
            ]:
                head += 1
            blocks[-1] = Table(previous.grid + block.grid[head:], previous.origin)
        else:
            blocks.append(block)
    return Document(blocks, document.metadata, document.path)


def figures_right(document: Document, truth: dict) -> int:
    right = 0
    for table in check_model(joined(document)).tables:
        for key, value in truth.get(table.table, {}).items():
            cell = table.recognized.cells.get(key)
            right += cell is not None and cell.value == value
    return right


def grid_of(cells: list[tuple], text_of) -> list[list[GridCell]]:
    """A grid with spans from cell boxes (x0, top, x1, bottom) and a function giving each cell's text."""
    xs = sorted({c[0] for c in cells} | {c[2] for c in cells})
    ys = sorted({c[1] for c in cells} | {c[3] for c in cells})
    rows: list[list[GridCell]] = [[] for _ in range(len(ys) - 1)]
    for cell in sorted(cells, key=lambda c: (c[1], c[0])):
        r0, r1, c0, c1 = ys.index(cell[1]), ys.index(cell[3]), xs.index(cell[0]), xs.index(cell[2])
        rows[r0].append(GridCell(text_of(cell), r1 - r0, c1 - c0))
    return rows


def cell_joined(text: str | None) -> str:
    return "".join((text or "").split("\n")).strip()


def with_pdfplumber(path: Path) -> Document:
    import pdfplumber

    blocks: list = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            for table in page.find_tables():
                texts = {}
                for row, row_texts in zip(table.rows, table.extract()):
                    for cell, text in zip(row.cells, row_texts):
                        if cell is not None:
                            texts[cell] = cell_joined(text)
                blocks.append(
                    Table(grid_of(table.cells, lambda c, texts=texts: texts.get(c, "")), Origin(number, tuple(table.bbox)))
                )
            blocks.append(Paragraph(page.extract_text() or "", Origin(number, None)))
    return Document(blocks, {}, str(path))


def with_pymupdf(path: Path) -> Document:
    import pymupdf

    blocks: list = []
    for number, page in enumerate(pymupdf.open(path), 1):
        for table in page.find_tables().tables:
            texts = {}
            for row, row_texts in zip(table.rows, table.extract()):
                for cell, text in zip(row.cells, row_texts):
                    if cell is not None:
                        texts[tuple(cell)] = cell_joined(text)
            blocks.append(
                Table(
                    grid_of([tuple(c) for c in table.cells if c], lambda c, texts=texts: texts.get(c, "")),
                    Origin(number, tuple(table.bbox)),
                )
            )
        blocks.append(Paragraph(page.get_text(), Origin(number, None)))
    return Document(blocks, {}, str(path))


def with_pdfminer(path: Path) -> None:
    from pdfminer.high_level import extract_pages

    for _ in extract_pages(str(path)):
        pass


def with_pdftotext(path: Path) -> Document:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout.decode("utf-8")
    return Document([Paragraph(page, Origin(n, None)) for n, page in enumerate(text.split("\f"), 1)], {}, str(path))


def candidates() -> dict:
    """The reader and the libraries compared with it that are installed (pdfplumber and pdfminer.six
    come with the test extras, pdftotext with poppler-utils; PyMuPDF only if installed by hand)."""
    import importlib.util

    found = {"gkreport (pypdfium2 + own lattice)": read_pdf}
    if importlib.util.find_spec("pdfplumber"):
        found["pdfplumber find_tables"] = with_pdfplumber
        found["pdfminer.six layout only"] = with_pdfminer
    if shutil.which("pdftotext"):
        found["pdftotext -layout (poppler)"] = with_pdftotext
    if importlib.util.find_spec("pymupdf"):
        found["PyMuPDF find_tables (AGPL)"] = with_pymupdf
    return found


def compare(material: list[tuple[Path, dict]], rounds: int) -> dict:
    total = sum(len(cells) for _, truth in material for cells in truth.values())
    readers = candidates()
    times: dict[str, list[float]] = {name: [] for name in readers}
    right: dict[str, int | None] = {}
    for name, read in readers.items():
        documents = [read(path) for path, _ in material]
        right[name] = None if documents[0] is None else sum(figures_right(d, truth) for d, (_, truth) in zip(documents, material))
    for _ in range(rounds):
        for name, read in readers.items():
            if sum(times[name]) * len(material) > BUDGET_MS:
                continue  # a slow candidate: the rounds it had are enough
            started = time.perf_counter()
            for path, _ in material:
                read(path)
            times[name].append((time.perf_counter() - started) * 1000 / len(material))
    print(f"{'candidate':40}{'figures read right':>22}{'ms/report (1 core)':>22}")
    out = {}
    for name in readers:
        median = statistics.median(times[name])
        accuracy = "—" if right[name] is None else f"{right[name]}/{total}"
        print(f"{name:40}{accuracy:>22}{median:>22.1f}")
        out[name] = {"right": right[name], "total": total, "ms": round(median, 1)}
    return out


# ---------------------------------------------------------------- throughput


def _warm(_: int) -> None:
    import pypdfium2  # noqa: F401


def _read(path: str) -> float:
    """Read one PDF; the processor time it took (the machine is shared: wall time counts the others' work too)."""
    started = time.process_time()
    read_pdf(path)
    return time.process_time() - started


def throughput(paths: list[str], rounds: int, workers: int) -> tuple[float, float]:
    """Reports per second of wall time, and processor seconds per report."""
    tasks = paths * rounds
    with get_context("fork").Pool(workers) as pool:
        pool.map(_warm, range(workers))
        started = time.perf_counter()
        cpu = pool.map(_read, tasks, chunksize=1)
        seconds = time.perf_counter() - started
    return len(tasks) / seconds, sum(cpu) / len(tasks)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-compare", action="store_true", help="gkreport's reader only")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="gk-pdf-"))
    material = realistic_set(folder, args.reports)
    pages = sum(read_pdf(p).metadata["pages"] for p, _ in material)
    print(f"{len(material)} report PDFs, {pages} pages ({pages / len(material):.1f} a report)\n")
    figures = {} if args.no_compare else {"compare": compare(material, max(3, args.rounds // 2))}
    paths = [str(p) for p, _ in material]
    cores = os.cpu_count() or 1
    all_cores, cpu = throughput(paths, args.rounds, cores)
    one, _ = throughput(paths, max(2, args.rounds // 2), 1)
    bound = min(cores, 2) / cpu
    load = os.getloadavg()[0]
    print(f"\ngkreport read_pdf, {cores} worker(s): {all_cores:6.1f} reports/s (wall time; load average {load:.1f})")
    print(f"gkreport read_pdf, 1 worker:    {one:6.1f} reports/s")
    print(f"processor time: {cpu * 1000:.1f} ms a report, so two free cores read {bound:.1f} reports/s")
    ratios = f"{all_cores / TARGET:.2f} (wall), {bound / TARGET:.2f} (processor)"
    print(f"target: >= {TARGET:.0f} reports/s on two cores; measured / target = {ratios}")
    figures.update(
        {
            "cores": cores,
            "load": round(load, 1),
            "reports_per_s": round(all_cores, 1),
            "one_worker": round(one, 1),
            "cpu_ms": round(cpu * 1000, 1),
            "ratio": round(all_cores / TARGET, 2),
            "ratio_cpu": round(bound / TARGET, 2),
        }
    )
    shutil.rmtree(folder, ignore_errors=True)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
