"""Reading a Word report (DOCX) into the document model, in process.

``read_docx(path)`` reads the package's main document part (and its styles and core
properties) straight from the ZIP with lxml: this is the path ``gk check`` and ``gk audit``
take, and it costs one XML parse.  ``open_docx(path)`` opens the package with python-docx
and reads the same model from python-docx's tree, so ``gk fix`` can write into the very
elements the model came from and save the package.

What is read, in body order:

* paragraphs, with their text as displayed (tabs, line breaks; not deleted text, not field
  codes), inside content controls (``w:sdt``) and custom XML too.  A paragraph whose style or
  outline level makes it a heading is a ``Heading``; every other one a ``Paragraph`` (the
  checker decides what looks like a heading).  Text boxes are read after the paragraph that
  anchors them, once (not again from the VML fallback);
* tables, as grids: ``w:gridSpan`` is a colspan, a ``w:vMerge`` restart cell takes a rowspan
  over its continuation cells (which are not cells of the grid, exactly as in HTML), the
  legacy ``w:hMerge`` merges into the cell before, ``w:gridBefore`` is an empty cell holding
  the skipped columns, tracked-deleted rows are left out.  A table laid out to hold the
  report (a single cell, or at most two columns with tables inside) is read as the blocks it
  holds; a table inside a cell of a real table follows that table;
* the title: a paragraph in a "Title" style, else the first centred paragraph in a large font
  before the first table, else the first paragraph naming 年度报告, else the core properties'
  title when it names a report.

Each block's ``origin`` is where it came from: the ``w:p`` element of a paragraph, and for a
table a ``DocxTable`` holding the ``w:tbl`` and, parallel to the grid, the ``w:tc`` of every
grid cell.  Only ``ReadError`` leaves this module.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from gkreport.grid import GridCell
from gkreport.model import Document, Heading, Paragraph, Table
from gkreport.readers.errors import ReadError

W_MAIN = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DC = "http://purl.org/dc/elements/1.1/"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 (.doc) and WPS (.wps) files
MAX_PART_SIZE = 200 * 1024 * 1024  # a larger document part is not a report: refuse, do not inflate it
TITLE_SEARCH = 15  # paragraphs before the first table where a centred, large title is looked for
TITLE_MIN_SIZE = 30  # half-points: 15 pt (小三) and larger
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)
_TITLE_STYLE = re.compile(r"^(?:title|标题)$", re.IGNORECASE)
_NAMES_REPORT = re.compile(r"年度?报告")


@dataclass(eq=False)
class DocxTable:
    """Where a ``Table`` block came from: ``element`` is the ``w:tbl``; ``cells[r][i]`` the ``w:tc``
    written as grid cell ``grid[r][i]`` (None for the empty cell standing for ``w:gridBefore``)."""

    element: Any
    cells: list[list[Any]]


def read_docx(path: str | Path) -> Document:
    """The document model of a DOCX file, read with lxml from the package."""
    try:
        return _read_package(Path(path))
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - the promise is: only ReadError leaves
        raise ReadError("docx-invalid", path, f"{type(exc).__name__}: {exc}") from exc


def open_docx(path: str | Path):
    """``(python-docx Document, model Document)`` of a DOCX file; the model's origins are elements
    of the python-docx document, so writing into them and saving it edits the file (``gk fix``)."""
    path = Path(path)
    _check_file(path)
    try:
        import docx
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        try:
            package = docx.Document(str(path))
        except KeyError:  # a relationship to a part the package lacks ("word/NULL"), which python-docx refuses
            package = docx.Document(_without_dangling_relationships(path))
        try:
            styles = package.part.part_related_by(RT.STYLES).element
        except KeyError:
            styles = None
        core_title = ""
        for rel in package.part.package.rels.values():  # not .core_properties: it adds a part when there is none
            if rel.reltype == RT.CORE_PROPERTIES and not rel.is_external:
                core_title = rel.target_part.core_properties.title or ""
        model = _Walker(package.element, _Styles(styles)).document(core_title, str(path))
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise ReadError("docx-invalid", path, f"{type(exc).__name__}: {exc}") from exc
    return package, model


# ---------------------------------------------------------------- the package


def _check_file(path: Path) -> None:
    if not path.exists():
        raise ReadError("missing", path)
    if not path.is_file():
        raise ReadError("not-a-file", path)
    try:
        with path.open("rb") as stream:
            head = stream.read(8)
    except OSError as exc:
        raise ReadError("unreadable", path, exc.strerror or str(exc)) from exc
    if head == OLE_MAGIC:
        raise ReadError("docx-legacy", path)
    if not head.startswith(b"PK"):
        raise ReadError("docx-invalid", path, "not a ZIP package")


def _read_package(path: Path) -> Document:
    from lxml import etree

    _check_file(path)
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    with zipfile.ZipFile(path) as package:
        names = set(package.namelist())

        def data(name: str | None) -> bytes | None:
            if name is None or name not in names:
                return None
            if package.getinfo(name).file_size > MAX_PART_SIZE:
                raise ReadError("docx-invalid", path, f"{name} is too large")
            return package.read(name)

        def part(name: str | None):
            content = data(name)
            return etree.fromstring(content, parser) if content is not None else None

        package_rels = part("_rels/.rels")
        main = _related(package_rels, "/officeDocument", "") or "word/document.xml"
        root = part(main)
        if root is None:
            raise ReadError("docx-invalid", path, f"no {main} in the package")
        folder = str(PurePosixPath(main).parent)
        rels = part(f"{folder}/_rels/{PurePosixPath(main).name}.rels")
        styles = data(_related(rels, "/styles", folder))
        core = part(_related(package_rels, "/metadata/core-properties", ""))
    core_title = "" if core is None else core.findtext(f"{{{DC}}}title") or ""
    return _Walker(root, _styles_of(styles)).document(core_title, str(path))


@lru_cache(maxsize=16)
def _styles_of(data: bytes | None) -> _Styles:
    """The styles of a styles part; reports made from one template share them, so they are kept."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return _Styles(etree.fromstring(data, parser) if data is not None else None)


def _related(rels, type_suffix: str, folder: str) -> str | None:
    """The part name of the first internal relationship whose type ends with ``type_suffix``."""
    if rels is None:
        return None
    for rel in rels.iter(f"{{{PACKAGE_RELS}}}Relationship"):
        if rel.get("Type", "").endswith(type_suffix) and rel.get("TargetMode") != "External":
            return _part_name(folder, rel.get("Target", ""))
    return None


def _part_name(folder: str, target: str) -> str:
    """The ZIP entry a relationship target names, relative to the folder of the part that holds it."""
    if target.startswith("/"):
        return target.lstrip("/")
    parts: list[str] = []
    for piece in (folder + "/" + target if folder else target).split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)


def _without_dangling_relationships(path: Path):
    """The package in memory, less the relationships to parts it does not hold (Word and WPS leave some,
    "NULL" or "#_top"; python-docx stops on them).  Only for python-docx's reading: gk fix writes the
    original relationships back."""
    import io

    from lxml import etree

    copy = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as target:
        names = set(source.namelist())
        for name in source.namelist():
            data = source.read(name)
            if name.endswith(".rels"):
                rels = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
                folder = str(PurePosixPath(name).parent.parent)  # "word/_rels/document.xml.rels" -> "word"
                folder = "" if folder == "." else folder
                for rel in list(rels):
                    if rel.get("TargetMode") != "External" and _part_name(folder, rel.get("Target", "")) not in names:
                        rels.remove(rel)
                data = etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(name, data)
    copy.seek(0)
    return copy


# ---------------------------------------------------------------- styles


class _Styles:
    """What the reader needs from styles.xml: heading levels, alignment and font size by style id."""

    def __init__(self, root):
        ns = root.tag[1:].split("}")[0] if root is not None and root.tag.startswith("{") else W_MAIN
        self.ns = ns
        self.by_id: dict[str, Any] = {}
        self.default_paragraph: str | None = None
        self.default_size = 20  # half-points: Word's size when the document says none
        self._cache: dict[tuple[str, str], Any] = {}
        if root is None:
            return
        w = f"{{{ns}}}"
        for style in root.iter(w + "style"):
            style_id = style.get(w + "styleId")
            if style_id is None:
                continue
            self.by_id[style_id] = style
            if style.get(w + "type") == "paragraph" and style.get(w + "default") in ("1", "true", "on"):
                self.default_paragraph = style_id
        size = root.find(f"{w}docDefaults/{w}rPrDefault/{w}rPr/{w}sz")
        if size is not None:
            self.default_size = _int(size.get(w + "val"), self.default_size)

    def _chain(self, style_id: str | None):
        """The style and the styles it is based on, nearest first (cycles cut)."""
        seen = set()
        style_id = style_id or self.default_paragraph
        while style_id and style_id not in seen and style_id in self.by_id:
            seen.add(style_id)
            style = self.by_id[style_id]
            yield style
            based = style.find(f"{{{self.ns}}}basedOn")
            style_id = based.get(f"{{{self.ns}}}val") if based is not None else None

    def _first(self, style_id: str | None, path: str) -> str | None:
        key = (style_id or "", path)
        if key not in self._cache:
            value = None
            for style in self._chain(style_id):
                found = style.find(path)
                if found is not None:
                    value = found.get(f"{{{self.ns}}}val")
                    break
            self._cache[key] = value
        return self._cache[key]

    def name(self, style_id: str | None) -> str:
        style = self.by_id.get(style_id or self.default_paragraph or "")
        found = style.find(f"{{{self.ns}}}name") if style is not None else None
        return (found.get(f"{{{self.ns}}}val") or "") if found is not None else ""

    def heading_level(self, style_id: str | None) -> int | None:
        match = _HEADING_STYLE.match(self.name(style_id).strip())
        if match:
            return int(match.group(1))
        w = f"{{{self.ns}}}"
        return _outline_level(self._first(style_id, f"{w}pPr/{w}outlineLvl"))

    def alignment(self, style_id: str | None) -> str | None:
        w = f"{{{self.ns}}}"
        return self._first(style_id, f"{w}pPr/{w}jc")

    def size(self, style_id: str | None) -> int:
        w = f"{{{self.ns}}}"
        return _int(self._first(style_id, f"{w}rPr/{w}sz"), self.default_size)


def _outline_level(value: str | None) -> int | None:
    level = _int(value, -1)
    return level + 1 if 0 <= level <= 8 else None  # 9 is "body text"


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


# ---------------------------------------------------------------- the body


class _Holder(list):
    """One element seen as the only child of a container, so ``_children`` applies to wrappers too."""

    def __init__(self, element):
        super().__init__([element])


class _Walker:
    """Turns a ``w:document`` tree into blocks.  Works on plain lxml trees and on python-docx's alike."""

    def __init__(self, root, styles: _Styles):
        ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else W_MAIN  # Strict OOXML has its own
        self.styles = styles
        w = f"{{{ns}}}"
        self.w = w
        self.root = root
        self.P, self.TBL, self.TR, self.TC = w + "p", w + "tbl", w + "tr", w + "tc"
        self.SDT, self.SDT_CONTENT, self.CUSTOM_XML = w + "sdt", w + "sdtContent", w + "customXml"
        self.T, self.TAB, self.BR, self.CR = w + "t", w + "tab", w + "br", w + "cr"
        self.NO_BREAK_HYPHEN = w + "noBreakHyphen"
        self.TEXT_BOX, self.FALLBACK = w + "txbxContent", f"{{{MC}}}Fallback"
        self.SDT_PR, self.PLACEHOLDER = w + "sdtPr", w + "showingPlcHdr"
        self.MARKS = (self.TAB, self.BR, self.CR, self.NO_BREAK_HYPHEN)
        self.PPR, self.RPR, self.SZ, self.VAL = w + "pPr", w + "rPr", w + "sz", w + "val"
        self.TC_PR, self.GRID_SPAN, self.V_MERGE, self.H_MERGE = w + "tcPr", w + "gridSpan", w + "vMerge", w + "hMerge"
        self.TR_PR, self.TBL_PR_EX, self.GRID_BEFORE = w + "trPr", w + "tblPrEx", w + "gridBefore"
        changes = ("del", "moveFrom", "tcPrChange", "trPrChange", "cellIns", "cellDel", "cellMerge")  # tracked changes
        self.NOT_SIMPLE = (self.TEXT_BOX, self.PLACEHOLDER, self.TBL, self.SDT, self.CUSTOM_XML, *(w + name for name in changes))
        self.blocks: list = []
        self.title_text = ""  # a centred, large paragraph before the first table, or a Title-style one
        self._top_paragraphs = 0
        self._tables_seen = 0

    def document(self, core_title: str, path: str) -> Document:
        body = self.root.find(self.w + "body")
        if body is None:
            raise ReadError("docx-invalid", path, "the document has no body")
        self.container(body)
        metadata = {}
        title = self._title(core_title)
        if title:
            metadata["title"] = title
        return Document(self.blocks, metadata, path)

    # -- block containers: the body, a content control, a text box, a layout table's cell

    def container(self, element) -> None:
        for child in element:
            tag = child.tag
            if tag == self.P:
                self.paragraph(child)
            elif tag == self.TBL:
                self.table(child)
            elif tag == self.SDT and not self._placeholder(child):
                content = child.find(self.SDT_CONTENT)
                if content is not None:
                    self.container(content)
            elif tag == self.CUSTOM_XML:
                self.container(child)

    def _children(self, parent, tag: str):
        """Children of ``parent`` with ``tag``, looking through content controls and custom XML."""
        for child in parent:
            if child.tag == tag:
                yield child
            elif child.tag == self.SDT and not (tag == self.P and self._placeholder(child)):
                content = child.find(self.SDT_CONTENT)
                if content is not None:
                    yield from self._children(content, tag)
            elif child.tag == self.CUSTOM_XML:
                yield from self._children(child, tag)

    # -- paragraphs

    def paragraph(self, p) -> None:
        text, unusual = self.text(p)
        boxes = self._text_boxes(p) if unusual else []
        text = text.strip()
        if text:
            p_pr = p.find(self.PPR)
            style = self._style_id(p_pr)
            outline = p_pr.find(self.w + "outlineLvl") if p_pr is not None else None
            level = _outline_level(outline.get(self.VAL)) if outline is not None else self.styles.heading_level(style)
            self.blocks.append(Heading(text, level, p) if level else Paragraph(text, p))
            if self._tables_seen == 0 and self._top_paragraphs < TITLE_SEARCH:
                self._top_paragraphs += 1
                if not self.title_text and self._is_title(p, p_pr, style, text):
                    self.title_text = text
        for box in boxes:
            self.container(box)

    def text(self, element) -> tuple[str, bool]:
        """The displayed text under ``element`` (runs' text, tabs, breaks), and whether it holds a text
        box or a content control showing its placeholder — both left out of the text."""
        parts: list[str] = []
        for node in element.iter(self.T, self.TAB, self.BR, self.CR, self.NO_BREAK_HYPHEN, self.TEXT_BOX, self.PLACEHOLDER):
            tag = node.tag
            if tag == self.T:
                parts.append(node.text or "")
            elif tag == self.TEXT_BOX or tag == self.PLACEHOLDER:
                parts = []
                self._text_into(element, parts)
                return "".join(parts), True
            else:
                parts.append(self._mark(tag))
        return "".join(parts), False

    def _mark(self, tag: str) -> str:
        """The text a tab, a line break or a non-breaking hyphen stands for."""
        return "\t" if tag == self.TAB else "-" if tag == self.NO_BREAK_HYPHEN else "\n"

    def _text_into(self, element, parts: list[str]) -> None:
        for child in element:
            tag = child.tag
            if tag == self.TEXT_BOX or tag == self.FALLBACK or (tag == self.SDT and self._placeholder(child)):
                continue
            if tag == self.T:
                parts.append(child.text or "")
            elif tag in self.MARKS:
                parts.append(self._mark(tag))
            elif len(child):
                self._text_into(child, parts)

    def _placeholder(self, sdt) -> bool:
        return sdt.find(f"{self.SDT_PR}/{self.PLACEHOLDER}") is not None

    def _text_boxes(self, p) -> list:
        """The outermost text boxes anchored in ``p``, not counting the VML copy in ``mc:Fallback``."""
        boxes = []
        for box in p.iter(self.TEXT_BOX):
            parent = box.getparent()
            while parent is not None and parent is not p and parent.tag not in (self.TEXT_BOX, self.FALLBACK):
                parent = parent.getparent()
            if parent is p:
                boxes.append(box)
        return boxes

    def _style_id(self, p_pr) -> str | None:
        if p_pr is None:
            return None
        style = p_pr.find(self.w + "pStyle")
        return style.get(self.VAL) if style is not None else None

    # -- the title

    def _is_title(self, p, p_pr, style: str | None, text: str) -> bool:
        if _TITLE_STYLE.match(self.styles.name(style).strip()):
            return True
        if len(text) > 80:
            return False
        jc = p_pr.find(self.w + "jc") if p_pr is not None else None
        alignment = jc.get(self.VAL) if jc is not None else self.styles.alignment(style)
        if alignment != "center":
            return False
        style_size = self.styles.size(style)
        sizes = []
        for run in p.iter(self.w + "r"):
            if run.find(self.T) is None:
                continue
            r_pr = run.find(self.RPR)
            size = r_pr.find(self.SZ) if r_pr is not None else None
            sizes.append(_int(size.get(self.VAL), style_size) if size is not None else style_size)
        return max(sizes, default=style_size) >= TITLE_MIN_SIZE

    def _title(self, core_title: str) -> str:
        if self.title_text:
            return self.title_text
        for block in self.blocks:
            if isinstance(block, (Paragraph, Heading)) and len(block.text) <= 80 and _NAMES_REPORT.search(block.text):
                return block.text
        core_title = core_title.strip()
        return core_title if "报告" in core_title else ""

    # -- tables

    def table(self, tbl) -> None:
        self._tables_seen += 1
        simple = next(tbl.iterdescendants(*self.NOT_SIMPLE), None) is None
        rows, nested = self._rows_in_one_pass(tbl) if simple else self._rows(tbl)
        width = max((len(cells) for _, cells in rows), default=0)
        if sum(len(cells) for _, cells in rows) == 1 or (nested and width <= 2):
            for _, cells in rows:  # a table laid out to hold the report: read what it holds
                for cell in cells:
                    self.container(cell[0])
            return
        grid, cells = self._grid(rows)
        self.blocks.append(Table(grid, DocxTable(tbl, cells)))
        for tc in nested:
            for inner in self._children(tc, self.TBL):
                self.table(inner)

    # A table's rows are read as [grid columns skipped before the first cell, [cell, ...]], each cell
    # [w:tc, gridSpan, vMerge, hMerge, its paragraphs' text].

    def _rows_in_one_pass(self, tbl) -> tuple[list, list]:
        """The rows of a table holding nothing but rows, cells and paragraphs of runs (no content
        controls, nested tables, text boxes, tracked changes): one pass over the elements that
        matter, so the many others (borders, fonts, widths) cost nothing."""
        rows: list = []
        row: list = [0, []]
        cell: list = [None, 1, None, None, []]
        texts: list[str] = []
        VAL, T, P, TC, TR, MARKS = self.VAL, self.T, self.P, self.TC, self.TR, self.MARKS
        for element in tbl.iterdescendants(TR, TC, P, T, *MARKS, self.GRID_SPAN, self.V_MERGE, self.H_MERGE, self.GRID_BEFORE):
            tag = element.tag
            if tag == T:
                texts.append(element.text or "")
            elif tag in MARKS:
                texts.append(self._mark(tag))
            elif tag == P:
                texts = []
                cell[4].append(texts)
            elif tag == TC:
                cell = [element, 1, None, None, []]
                row[1].append(cell)
            elif tag == TR:
                row = [0, []]
                rows.append(row)
            elif tag == self.GRID_SPAN:
                cell[1] = max(1, _int(element.get(VAL), 1))
            elif tag == self.V_MERGE:
                cell[2] = element.get(VAL) or "continue"
            elif tag == self.H_MERGE:
                cell[3] = element.get(VAL) or "continue"
            else:
                row[0] = max(0, _int(element.get(VAL), 0))
        for _, cells in rows:
            for cell in cells:
                cell[4] = "\n".join(text for text in ("".join(parts).strip() for parts in cell[4]) if text)
        return rows, []

    def _rows(self, tbl) -> tuple[list, list]:
        """The rows of any table, through content controls and custom XML, and the cells holding tables."""
        rows: list = []
        nested: list = []
        TC_PR, GRID_SPAN, V_MERGE, H_MERGE, VAL = self.TC_PR, self.GRID_SPAN, self.V_MERGE, self.H_MERGE, self.VAL
        for tr in self._children(tbl, self.TR):
            tr_pr = self._row_properties(tr)
            if tr_pr is not None and tr_pr.find(self.w + "del") is not None:
                continue  # a tracked deletion is not read
            before = tr_pr.find(self.GRID_BEFORE) if tr_pr is not None else None
            row: list = [max(0, _int(before.get(VAL), 0)) if before is not None else 0, []]
            for tc in self._children(tr, self.TC):
                cell: list = [tc, 1, None, None, ""]
                texts: list[str] = []
                for child in tc:
                    tag = child.tag
                    if tag == self.P:
                        text = self.text(child)[0].strip()
                        if text:
                            texts.append(text)
                    elif tag == TC_PR:
                        for prop in child:
                            if prop.tag == GRID_SPAN:
                                cell[1] = max(1, _int(prop.get(VAL), 1))
                            elif prop.tag == V_MERGE:
                                cell[2] = prop.get(VAL) or "continue"
                            elif prop.tag == H_MERGE:
                                cell[3] = prop.get(VAL) or "continue"
                    elif self._wrapped_content(child, texts):
                        nested.append(tc)
                cell[4] = "\n".join(texts)
                row[1].append(cell)
            rows.append(row)
        return rows, nested

    def _row_properties(self, tr):
        for child in tr:  # the schema puts w:tblPrEx, then w:trPr, before the cells
            if child.tag == self.TR_PR:
                return child
            if child.tag != self.TBL_PR_EX:
                return None
        return None

    def _grid(self, rows) -> tuple[list[list[GridCell]], list[list[Any]]]:
        """The grid with its merged cells, and the w:tc of each grid cell."""
        grid: list[list[GridCell]] = []
        cells: list[list[Any]] = []
        vertical: dict[int, list[int]] = {}  # grid column -> [row, index, last row] of the restart cell covering it
        for r, (before, row_cells) in enumerate(rows):
            row: list[GridCell] = []
            row_tcs: list[Any] = []
            column = before
            if column:
                row.append(GridCell("", 1, column))
                row_tcs.append(None)
            for tc, span, v_merge, h_merge, text in row_cells:
                if v_merge is not None and v_merge != "restart":
                    owner = vertical.get(column)
                    if owner is not None and owner[2] == r - 1:
                        owner_row, owner_index, _ = owner
                        cell = grid[owner_row][owner_index]
                        joined = "\n".join(t for t in (cell.text, text) if t)
                        grid[owner_row][owner_index] = cell._replace(text=joined, rowspan=r - owner_row + 1)
                        owner[2] = r
                        column += span
                        continue
                if h_merge is not None and h_merge != "restart" and row and row_tcs[-1] is not None:
                    previous = row[-1]
                    row[-1] = previous._replace(text="\n".join(t for t in (previous.text, text) if t), colspan=previous.colspan + span)
                    column += span
                    continue
                if vertical:
                    for c in range(column, column + span):
                        vertical.pop(c, None)
                row.append(GridCell(text, 1, span))
                row_tcs.append(tc)
                if v_merge == "restart":
                    entry = [r, len(row) - 1, r]
                    for c in range(column, column + span):
                        vertical[c] = entry
                column += span
            grid.append(row)
            cells.append(row_tcs)
        return grid, cells

    def _wrapped_content(self, child, texts: list[str]) -> bool:
        """A cell's child other than a paragraph or its properties: the text of the paragraphs a content
        control or custom XML wraps goes into ``texts``; True when it is or holds a table."""
        if child.tag == self.TBL:
            return True
        if child.tag != self.SDT and child.tag != self.CUSTOM_XML:
            return False
        for p in self._children(_Holder(child), self.P):
            text = self.text(p)[0].strip()
            if text:
                texts.append(text)
        return any(True for _ in self._children(_Holder(child), self.TBL))
