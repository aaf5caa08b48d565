"""``gk fix``: check the clerk's own Word file and write a copy with the totals filled and the errors commented.

``fix(source, output)`` reads the DOCX with ``readers.docx.open_docx`` (python-docx), checks it
exactly as ``gk check`` does (``report.check_model``), and plans:

* a **fill** for every cell the rules determine that was left blank as written (empty, or a
  blank mark such as "/" or "—" where the value is not 0; "?" asks for it): the value goes into
  the cell's own ``w:tc``, in a run carrying the formatting (``w:rPr``) of the nearest figure
  written in the same row, else the same column, and that figure's paragraph alignment
  (``w:jc``); with no figure around, the cell's own paragraph-mark formatting;
* a **comment** (a Word comment, author "gk fix") for every error and warning: on the cell it
  names — a located wrong cell carries its message (written and expected value) together with
  the totals it breaks, so one mistake is one comment; a total that does not add up and whose
  wrong cell cannot be located is commented on the total — at the table (its first cell) for
  findings about the table as a whole, on the paragraph a prose finding quotes, and at the title
  for findings about the report.

Nothing else changes: the copy's ``word/document.xml`` differs from the source only in the
filled cells and the comment anchors, and every other part of the package is copied byte for
byte (the document's relationships and content types gain the comments part).  The copy is
written atomically (a temporary file in the target folder, then a rename); with ``strict`` an
error means no copy.  ``.doc`` and ``.wps`` files are converted to DOCX with LibreOffice first
when it is installed.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path

from gkreport.findings import ERROR, INFO, SEVERITY_NAMES, Finding
from gkreport.model import Heading, Paragraph, Table
from gkreport.readers.docx import OLE_MAGIC, DocxTable, open_docx
from gkreport.values import ASK, BLANK, format_number, parse_cell

AUTHOR, INITIALS = "gk fix", "gk"
LEGACY_SUFFIXES = {".doc": "Word 97-2003 (.doc)", ".wps": "WPS (.wps)"}
RULE_CODES = frozenset({"row-total-mismatch", "column-total-mismatch", "balance-mismatch", "block-total-mismatch"})
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

_MESSAGES = {
    "same-file": (
        "输出文件不能是输入文件本身：{path}（原文件从不修改，请用 -o 指定另一个文件）",
        "the output may not be the input itself: {path} (the original is never modified; name another file with -o)",
    ),
    "output-not-docx": ("输出文件必须是 .docx：{path}", "the output must be a .docx file: {path}"),
    "unsupported-input": (
        "gk fix 只处理 Word 文件（.docx；安装 LibreOffice 后也可处理 .doc、.wps）：{path}",
        "gk fix works on Word files (.docx; .doc and .wps too when LibreOffice is installed): {path}",
    ),
    "legacy-no-office": (
        "{path} 是 {detail} 格式，请在 Word 或 WPS 中另存为 DOCX 后再试（或安装 LibreOffice 以自动转换）",
        "{path} is a {detail} file: save it as DOCX in Word or WPS and try again (or install LibreOffice to convert it)",
    ),
    "conversion-failed": (
        "LibreOffice 无法将 {path} 转换为 DOCX（{detail}），请在 Word 或 WPS 中另存为 DOCX",
        "LibreOffice could not convert {path} to DOCX ({detail}); save it as DOCX in Word or WPS",
    ),
    "cannot-write": ("无法写入 {path}：{detail}", "cannot write {path}: {detail}"),
}


class FixError(Exception):
    """Why ``gk fix`` could not run; ``message(lang)`` for the user."""

    def __init__(self, kind: str, path: str | Path, detail: str = ""):
        self.kind, self.path, self.detail = kind, str(path), detail
        super().__init__(self.message("zh"))

    def message(self, lang: str = "zh") -> str:
        zh, en = _MESSAGES[self.kind]
        return (en if lang == "en" else zh).format(path=self.path, detail=self.detail)


@dataclass
class Fill:
    """A value written into a cell left blank."""

    table: str
    cell: tuple[str, str]
    row: str
    column: str
    value: object
    text: str


@dataclass
class Note:
    """A comment: where it is anchored ("cell", "table", "paragraph", "report") and the findings it says."""

    anchor: str
    table: str | None
    findings: list[Finding]
    cell: tuple[str, str] | None = None
    element: object = None  # the w:tc or w:p it is anchored on


@dataclass
class FixResult:
    source: Path
    output: Path
    result: object  # the ReportResult
    fills: list[Fill] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    written: bool = False
    converted: bool = False  # the source was a .doc or .wps, converted by LibreOffice

    @property
    def findings(self) -> list[Finding]:
        return self.result.findings

    @property
    def has_errors(self) -> bool:
        return any(f.severity == ERROR for f in self.findings)

    def reported_findings(self) -> list[Finding]:
        """The findings to report: what a fill says (a deduced value, blanks that are 0) is not said again."""
        filled = {(f.table, f.row, f.column) for f in self.fills}

        def said_by_fills(finding: Finding) -> bool:
            if finding.code == "value-deduced":
                return (finding.table, finding.row or "", finding.column or "") in filled
            if finding.code == "blanks-deduced-zero":
                return all((finding.table, *pair) in filled for pair in finding.params.get("cells", ()))
            return False

        return [f for f in self.findings if not said_by_fills(f)]

    def summary(self, lang: str = "zh") -> str:
        """One line: what was written, or that nothing was."""
        fills, notes = len(self.fills), len(self.notes)
        if lang == "en":
            if not self.written:
                return f"strict: errors found, {self.output} not written"
            return f"written {self.output}: {fills} cell{'' if fills == 1 else 's'} filled, {notes} comment{'' if notes == 1 else 's'}"
        if not self.written:
            return f"严格模式：发现错误，未写入 {self.output}"
        return f"已写入 {self.output}：填入 {fills} 个单元格，批注 {notes} 条"

    def commented(self, finding: Finding) -> Note | None:
        return next((note for note in self.notes if any(f is finding for f in note.findings)), None)


def default_output(source: str | Path) -> Path:
    source = Path(source)
    return source.with_name(f"{source.stem}.checked.docx")


def fix(source: str | Path, output: str | Path | None = None, lang: str = "zh", strict: bool = False) -> FixResult:
    """Check ``source`` and write the filled, commented copy to ``output``.  Raises ``FixError`` for
    what gk fix refuses, ``ReadError`` for a file that cannot be read; never anything else."""
    from gkreport.readers.files import ReadError

    source = Path(source)
    output = Path(output) if output is not None else default_output(source)
    if output.suffix.lower() != ".docx":
        raise FixError("output-not-docx", output)
    if _same_file(source, output):
        raise FixError("same-file", output)
    if not source.exists():
        raise ReadError("missing", source)
    if not source.is_file():
        raise ReadError("not-a-file", source)
    try:
        with tempfile.TemporaryDirectory(prefix="gk-fix-") as scratch:
            docx_path, converted = _as_docx(source, Path(scratch))
            return _fix_docx(source, docx_path, output, lang, strict, converted)
    except (FixError, ReadError):
        raise
    except Exception as exc:  # noqa: BLE001 - never a traceback
        raise ReadError("docx-invalid", source, f"{type(exc).__name__}: {exc}") from exc


def _same_file(source: Path, output: Path) -> bool:
    if source.resolve() == output.resolve():
        return True
    try:
        return output.exists() and source.exists() and os.path.samefile(source, output)
    except OSError:
        return False


def _as_docx(source: Path, scratch: Path) -> tuple[Path, bool]:
    """The DOCX to read: the source itself, or a .doc/.wps converted by LibreOffice into ``scratch``."""
    suffix = source.suffix.lower()
    with source.open("rb") as stream:
        legacy = stream.read(8) == OLE_MAGIC
    if suffix not in LEGACY_SUFFIXES and not legacy:
        if suffix != ".docx":
            raise FixError("unsupported-input", source)
        return source, False
    from gkreport.services.office import OfficeError, convert, soffice_path

    kind = LEGACY_SUFFIXES.get(suffix, LEGACY_SUFFIXES[".doc"])
    if soffice_path() is None:
        raise FixError("legacy-no-office", source, kind)
    # LibreOffice names its output after the input: copy a ".docx" that is really a .doc first
    original = source if suffix in LEGACY_SUFFIXES else scratch / "in" / f"{source.stem}.doc"
    if original is not source:
        original.parent.mkdir()
        original.write_bytes(source.read_bytes())
    try:
        return convert(original, "docx", scratch / "out"), True
    except OfficeError as exc:
        raise FixError("conversion-failed", source, str(exc)) from exc


def _fix_docx(source: Path, docx_path: Path, output: Path, lang: str, strict: bool, converted: bool) -> FixResult:
    from gkreport.checks.report import check_model

    package, model = open_docx(docx_path)
    model.path = str(source)
    result = check_model(model)
    outcome = FixResult(source, output, result, converted=converted)
    locators = [_Locator(table) for table in result.tables]
    for locator in locators:
        outcome.fills += locator.fills()
    outcome.notes = _plan_notes(result, locators, model)
    if strict and outcome.has_errors:
        return outcome
    for fill, locator in ((f, loc) for loc in locators for f in loc.planned):
        locator.write(fill)
    for note in outcome.notes:
        _comment(package, note, lang)
    _write(docx_path, package, output)
    outcome.written = True
    return outcome


# ---------------------------------------------------------------- where each cell of a table is


class _Locator:
    """The ``w:tc`` of every recognized cell of one checked table, and the fills it takes."""

    def __init__(self, table):
        self.table = table
        self.planned: list[Fill] = []
        self.where: dict[tuple[str, str], tuple[object, int, int]] = {}  # cell -> (DocxTable, row, index)
        blocks = [b for b in table.elements if isinstance(b, Table) and isinstance(b.origin, DocxTable)]
        if len(table.elements) == 1 and blocks:
            parts = [(blocks[0], table.recognized.positions)]
        else:  # table 二 written as several Word tables: each part's positions refer to its own grid
            from gkreport.recognition.grids import recognize

            parts = []
            for block in blocks:
                part = recognize(block.grid, table.format)
                parts.append((block, part.positions if part is not None else {}))
        for block, positions in parts:
            for cell, (r, i) in positions.items():
                if r < len(block.origin.cells) and i < len(block.origin.cells[r]) and block.origin.cells[r][i] is not None:
                    self.where[cell] = (block.origin, r, i)

    def tc(self, cell):
        found = self.where.get(cell)
        return found[0].cells[found[1]][found[2]] if found else None

    def first_cell(self):
        """The ``w:tc`` a comment about the whole table is anchored on: its first cell with text."""
        for block in self.table.elements:
            if isinstance(block, Table) and isinstance(block.origin, DocxTable):
                cells = [tc for row in block.origin.cells for tc in row if tc is not None]
                return next((tc for tc in cells if _text(tc).strip()), cells[0] if cells else None)
        return None

    def paragraph(self):
        """The first paragraph of a table read from text (no cell to write into)."""
        return next((b.origin for b in self.table.elements if isinstance(b, (Paragraph, Heading))), None)

    def fills(self) -> list[Fill]:
        checked, recognized = self.table.checked, self.table.recognized
        if checked is None:
            return []
        spec = recognized.spec
        for cell, value in checked.deduced.items():
            written = recognized.cells.get(cell)
            if written is None or not _writable(self.tc(cell)):
                continue
            empty = not str(written.raw or "").strip()
            if written.state == ASK or (written.state == BLANK and (empty or value != 0)):
                row, column = spec.describe(cell)
                self.planned.append(Fill(self.table.table, cell, row, column, value, format_number(value)))
        return self.planned

    def write(self, fill: Fill) -> None:
        paragraphs = [child for child in self.tc(fill.cell) if child.tag == W + "p"]
        r_pr, jc = self._formatting(fill.cell, paragraphs[0])
        for p in paragraphs:  # what made the cell blank: spaces, "/", "—", "?"
            for run in [child for child in p if child.tag == W + "r"]:
                if _only_text(run) and parse_cell(_text(run)).state in (BLANK, ASK):
                    p.remove(run)
        from docx.oxml.parser import OxmlElement

        run = OxmlElement("w:r")
        if r_pr is not None:
            run.append(r_pr)
        text = OxmlElement("w:t")
        text.text = fill.text
        run.append(text)
        paragraphs[0].append(run)
        if jc is not None:
            p_pr = paragraphs[0].get_or_add_pPr()
            p_pr._remove_jc()
            p_pr._insert_jc(jc)

    def _formatting(self, cell, paragraph):
        """(rPr, jc) copies for a value written into ``cell``: the nearest figure in the row, else the column."""
        where = self.where[cell]
        given = [(c, self.where[c]) for c, v in self.table.recognized.cells.items() if v.state == "given" and c in self.where]
        same_row = sorted((abs(w[2] - where[2]), c) for c, w in given if c[0] == cell[0] and w[0] is where[0] and w[1] == where[1])
        same_column = sorted((abs(w[1] - where[1]), c) for c, w in given if c[1] == cell[1] and w[0] is where[0])
        for _, neighbour in same_row + same_column:
            found = _figure_format(self.tc(neighbour))
            if found is not None:
                return found
        mark = paragraph.find(f"{W}pPr/{W}rPr")  # what the clerk would have typed in: the paragraph mark's formatting
        if mark is None:
            return None, None
        r_pr = deepcopy(mark)
        for child in list(r_pr):
            if child.tag in (W + "ins", W + "del", W + "moveFrom", W + "moveTo", W + "rPrChange"):
                r_pr.remove(child)
        return r_pr, None


def _figure_format(tc):
    """(rPr, jc) of the first run holding text in ``tc``, as copies; None when it holds none."""
    for p in (child for child in tc if child.tag == W + "p"):
        for run in p.iter(W + "r"):
            if _text(run).strip():
                r_pr = run.find(W + "rPr")
                r_pr = deepcopy(r_pr) if r_pr is not None else None
                if r_pr is not None:
                    for change in r_pr.findall(W + "rPrChange"):
                        r_pr.remove(change)
                jc = p.find(f"{W}pPr/{W}jc")
                return r_pr, deepcopy(jc) if jc is not None else None
    return None


def _writable(tc) -> bool:
    """A cell gk fix writes into: its first paragraph is its own, not inside a content control, and
    holds none (filling a control would mean replacing its placeholder: the value is reported instead)."""
    if tc is None:
        return False
    paragraph = next((child for child in tc if child.tag == W + "p"), None)
    return paragraph is not None and paragraph.find(f".//{W}sdt") is None


def _only_text(run) -> bool:
    return all(child.tag in (W + "rPr", W + "t") for child in run)


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(W + "t"))


# ---------------------------------------------------------------- comments


def _plan_notes(result, locators: list[_Locator], model) -> list[Note]:
    notes: list[Note] = []
    report_level: list[Finding] = []
    for locator in locators:
        notes += _table_notes(locator)
    by_table = {loc.table.table for loc in locators}
    paragraphs = [b for b in model.blocks if isinstance(b, (Paragraph, Heading))]
    for finding in result.findings:
        if finding.severity == INFO or any(finding is f for loc in locators for f in loc.table.findings):
            continue
        if finding.table in by_table and finding.code == "format-year-mismatch":
            locator = next(loc for loc in locators if loc.table.table == finding.table)
            _add_table_note(notes, locator, [finding])
            continue
        sentence = str(finding.params.get("sentence") or "")
        holder = _paragraph_quoting(paragraphs, sentence) if sentence else None
        if holder is not None:
            notes.append(Note("paragraph", finding.table, [finding], element=holder.origin))
        else:
            report_level.append(finding)
    if report_level:
        title = model.metadata.get("title")
        anchor = next((b for b in paragraphs if b.text == title), paragraphs[0] if paragraphs else None)
        if anchor is not None:
            notes.append(Note("report", None, report_level, element=anchor.origin))
        elif locators:
            _add_table_note(notes, locators[0], report_level)
    return notes


def _table_notes(locator: _Locator) -> list[Note]:
    """One note per cell a finding names (a located wrong cell with the totals it breaks), one for the table."""
    table = locator.table
    findings = [f for f in table.findings if f.severity != INFO]
    spec = table.recognized.spec
    by_name = {spec.describe(cell): cell for cell in spec.cells}
    located = {f.suspects[0].cell for f in findings if f.code == "suspect-cell" and f.suspects and f.suspects[0].cell}
    by_cell: dict[tuple[str, str], list[Finding]] = {}
    whole: list[Finding] = []
    for finding in findings:
        cell = None
        wrong_cell = finding.code == "suspect-cell" and finding.suspects and finding.suspects[0].cell
        broken_by_it = finding.code in RULE_CODES and finding.suspects and all(s.cell in located for s in finding.suspects)
        if wrong_cell or broken_by_it:  # a located wrong cell, or a total it alone breaks: on that cell
            cell = finding.suspects[0].cell
        elif finding.row is not None or finding.column is not None:
            cell = by_name.get((finding.row or "", finding.column or ""))
        if cell is not None and locator.tc(cell) is not None:
            by_cell.setdefault(cell, []).append(finding)
        else:
            whole.append(finding)
    notes = []
    for cell, group in by_cell.items():
        group.sort(key=lambda f: f.code != "suspect-cell")  # the wrong cell first, then the totals it breaks
        notes.append(Note("cell", table.table, group, cell, locator.tc(cell)))
    if whole:
        _add_table_note(notes, locator, whole)
    return notes


def _add_table_note(notes: list[Note], locator: _Locator, findings: list[Finding]) -> None:
    existing = next((n for n in notes if n.anchor == "table" and n.table == locator.table.table), None)
    if existing is not None:
        existing.findings += findings
        return
    anchor = locator.first_cell()
    if anchor is not None:
        notes.append(Note("table", locator.table.table, findings, element=anchor))
    else:
        paragraph = locator.paragraph()
        notes.append(Note("table", locator.table.table, findings, element=paragraph))


def _paragraph_quoting(paragraphs, sentence: str):
    from gkreport.checks.prose import to_simplified

    probe = sentence.strip()[:24]
    return next((b for b in paragraphs if probe and probe in to_simplified(b.text)), None)


def comment_text(note: Note, lang: str) -> str:
    names = SEVERITY_NAMES["en" if lang == "en" else "zh"]
    return "\n".join(f"[{names[f.severity]}] {f.message(lang)}" for f in note.findings)


def _comment(package, note: Note, lang: str) -> None:
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement

    if note.element is None:
        return
    element = note.element
    paragraphs = [element] if element.tag == W + "p" else [c for c in element.iter(W + "p")]
    if not paragraphs:
        return
    comment = package.comments.add_comment(text=comment_text(note, lang), author=AUTHOR, initials=INITIALS)
    number = str(comment.comment_id)
    runs = [run for p in paragraphs for run in p if run.tag == W + "r"]
    start = OxmlElement("w:commentRangeStart", attrs={qn("w:id"): number})
    end = OxmlElement("w:commentRangeEnd", attrs={qn("w:id"): number})
    reference = OxmlElement("w:r")
    reference.append(OxmlElement("w:commentReference", attrs={qn("w:id"): number}))
    if runs:
        runs[0].addprevious(start)
        runs[-1].addnext(end)
        end.addnext(reference)
    else:
        paragraphs[0].append(start)
        paragraphs[0].append(end)
        paragraphs[0].append(reference)


# ---------------------------------------------------------------- writing the copy


def _write(original: Path, package, output: Path) -> None:
    """Save: the document part and the comments part from python-docx's save, the package's
    relationships and content types as they were plus what python-docx added (the comments part),
    every other entry byte for byte from the original; into a temporary file beside ``output``,
    renamed over it when complete."""
    saved = io.BytesIO()
    package.save(saved)
    main = package.part.partname
    taken = {main.lstrip("/")}
    for rel in package.part.rels.values():
        if not rel.is_external and rel.reltype.endswith("/comments"):
            taken.add(rel.target_part.partname.lstrip("/"))
    merged = {main.rels_uri.lstrip("/"), "[Content_Types].xml"}
    with zipfile.ZipFile(saved) as new, zipfile.ZipFile(original) as old:
        new_names = set(new.namelist())
        entries = []
        for info in old.infolist():
            name = info.filename
            if info.is_dir():
                continue
            if name in taken and name in new_names:
                entries.append((name, new.read(name)))
            elif name in merged and name in new_names:
                entries.append((name, _with_additions(old.read(name), new.read(name))))
            else:
                entries.append((name, old.read(name)))
        present = {name for name, _ in entries}
        entries += [(name, new.read(name)) for name in new.namelist() if name not in present]
    temporary = None
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
        with os.fdopen(handle, "wb") as stream, zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as target:
            for name, data in entries:
                target.writestr(name, data)
        os.replace(temporary, output)
    except BaseException as exc:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise FixError("cannot-write", output, exc.strerror or str(exc)) from exc
        raise


def _with_additions(original: bytes, updated: bytes) -> bytes:
    """A relationships or content-types part as it was, with the entries python-docx's save added (the
    comments part); a relationship whose Id is taken gets a free one.  Unchanged: the original bytes."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    before, after = etree.fromstring(original, parser), etree.fromstring(updated, parser)

    def key(entry) -> tuple:
        name = (entry.get("Extension") or entry.get("PartName") or "").lower()
        return etree.QName(entry).localname, name, entry.get("Type"), entry.get("Target")

    known = {key(entry) for entry in before}
    added = [deepcopy(entry) for entry in after if key(entry) not in known]
    if not added:
        return original
    ids = {entry.get("Id") for entry in before}
    for entry in added:
        if entry.get("Id") is not None and entry.get("Id") in ids:
            number = 1
            while f"rId{number}" in ids:
                number += 1
            entry.set("Id", f"rId{number}")
        ids.add(entry.get("Id"))
        before.append(entry)
    return etree.tostring(before, xml_declaration=True, encoding="UTF-8", standalone=True)
