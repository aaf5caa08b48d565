"""A web page read into the document model, in process (no pandoc).

``read_html(path) -> Document``.  The page is decoded here (byte-order mark, then the charset
the page declares, then UTF-8, then GB18030 for GBK/GB2312 pages) and parsed by selectolax's
Lexbor engine, which builds the tree a browser builds from the same markup (the HTML5 tree
construction: implied end tags, text between table rows moved before the table, misnested tags
repaired); see the README for the comparison with the other parsers.

What becomes what:

* a data table becomes a ``Table`` whose grid keeps every cell once with its rowspan/colspan, the
  rows in the order a browser shows them (thead, bodies, tfoot); a cell's lines (``<br>``, ``<p>``)
  are joined without a space between Chinese characters, with one elsewhere; ``&nbsp;`` is blank;
* a layout table (a cell holding another table, a heading, a list or paragraphs of prose; a table
  one column wide; ``role=presentation``) is read through as a container: its cells' content
  becomes blocks in reading order, and the data tables inside it are found;
* ``h1``–``h6`` become ``Heading``; paragraphs, ``div`` text and list items become ``Paragraph``
  (lines separated by ``<br>`` stay lines of one paragraph); a table flattened into paragraphs
  stays text for the recognizer;
* scripts, styles, forms' widgets and the page's navigation are left out: ``nav``, ``header``,
  ``footer``, ``aside`` and ``menu`` elements, ``role=navigation``, and elements whose class or id
  names a nav, menu, footer or breadcrumb — unless they hold a heading, a table with a figure in it,
  a sentence (。) or a date written 年月日, which may be the report;
* metadata: ``title`` (the ``ArticleTitle`` meta of government sites, ``<title>``, the first
  ``h1`` or a line naming 年度报告, the first of them that names the report) and ``date`` (a
  publication-date ``<meta>``, as written).

Only ``ReadError`` leaves ``read_html``.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from gkreport.grid import GridCell
from gkreport.model import Document, Heading, Paragraph, Table
from gkreport.readers.decode import decode_text
from gkreport.readers.errors import ReadError

# -------------------------------------------------------------------------- decoding

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_GB = {
    "gb2312",
    "gbk",
    "gb_2312",
    "gb_2312-80",
    "x-gbk",
    "euc-cn",
    "cp936",
    "ms936",
    "windows-936",
    "chinese",
    "csgb2312",
    "gb18030",
}
_BIG5 = {"big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"}
_WESTERN = {"ascii", "iso8859-1", "cp1252", "iso8859-15"}  # a Chinese page declaring these is misconfigured: not trusted


def decode_html(data: bytes, path: str | Path = "") -> str:
    """The page's text: a byte-order mark wins; then the declared charset if the bytes decode in it;
    then UTF-8, then GB18030 (``reader.decode_text``, which also refuses binary files)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, "replace")
    encoding = _declared_encoding(data[:8192])
    if encoding and b"\x00" not in data:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass  # the declaration is wrong (a GBK page saying utf-8, or the reverse): sniff
    return decode_text(data, path)


def _declared_encoding(head: bytes) -> str | None:
    match = _CHARSET.search(head)
    if not match:
        return None
    label = match.group(1).decode("ascii", "replace").lower()
    if label in _GB:
        return "gb18030"
    if label in _BIG5:
        return "big5hkscs"
    if label.startswith("utf-16"):  # an ASCII-compatible page cannot be UTF-16 (HTML standard): UTF-8
        return "utf-8"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return None if name in _WESTERN else name


# -------------------------------------------------------------------------- the page


def read_html(path: str | Path) -> Document:
    """Read an HTML page into a ``Document``; raises only ``ReadError``."""
    path = Path(path)
    if not path.exists():
        raise ReadError("missing", path)
    if not path.is_file():
        raise ReadError("not-a-file", path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError("unreadable", path, exc.strerror or str(exc)) from exc
    text = decode_html(data, path)
    try:
        return _document(text, str(path))
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - the promise is: only ReadError leaves
        raise ReadError("unreadable", path, f"{type(exc).__name__}: {exc}") from exc


def _document(text: str, path: str) -> Document:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(text)
    blocks = _Blocks().read(tree.body) if tree.body is not None else []
    return Document(blocks, _metadata(tree, blocks), path)


_SKIPPED = frozenset(
    "script style noscript template head title meta link base iframe frame frameset object embed applet svg math "
    "select option optgroup datalist button input textarea canvas video audio source track map area img".split()
)
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCKS = frozenset(
    "address article aside blockquote body center dd details dialog dir div dl dt fieldset figcaption figure footer "
    "form header hgroup hr html legend li main menu nav ol p pre section summary ul "
    "tr td th thead tbody tfoot caption table".split()
)
_STRUCTURE = frozenset("table h1 h2 h3 h4 h5 h6 ul ol dl".split())  # in a cell: the table is a layout table
_NAVIGATION_TAGS = frozenset("nav header footer aside menu".split())
_NAVIGATION_WORD = re.compile(r"^(?:nav|menu|footer|breadcrumb|crumb)|(?:nav|navbar|menu|footer|breadcrumbs?|crumbs?)$")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_DIGIT = re.compile(r"\d")
_REPORT_TEXT = re.compile(r"。|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # what HTML collapses: not &nbsp; nor the ideographic space
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_PROSE_CELL = 200  # characters of prose (with two sentences) that make a cell a page's column, not a figure's cell
_MAX_COLSPAN, _MAX_ROWSPAN = 1000, 65534  # the HTML standard's limits
_DIGITS = re.compile(r"\s*\+?(\d+)")


class _Blocks:
    """The blocks of a page's body in reading order (an explicit stack: no recursion limit on deep pages)."""

    def __init__(self) -> None:
        self.blocks: list = []
        self.lines: list[str] = []
        self.parts: list[str] = []
        self.pre = 0

    def read(self, body) -> list:
        stack: list = [(body, False)]
        while stack:
            node, leaving = stack.pop()
            if leaving:
                if node == "pre":
                    self.pre -= 1
                self.flush()
                continue
            tag = node.tag
            if tag == "-text":
                self.text(node.text_content or "")
                continue
            if tag.startswith("-") or tag.startswith("!") or tag in _SKIPPED:
                continue
            if tag == "br":
                self.new_line()
                continue
            if tag in _HEADINGS:
                self.flush()
                heading = _joined(_text_lines(node)[0])
                if heading:
                    self.blocks.append(Heading(heading, _HEADINGS[tag], node))
                continue
            if tag == "table":
                self.flush()
                grid = _data_grid(node)
                if grid is not None:
                    caption = next((c for c in node.iter() if c.tag == "caption"), None)
                    caption_text = _joined(_text_lines(caption)[0]) if caption is not None else ""
                    if caption_text:
                        self.blocks.append(Paragraph(caption_text, caption))
                    self.blocks.append(Table(grid, node))
                    continue
            if tag in _BLOCKS:
                if _is_navigation(node):
                    continue
                self.flush()
                stack.append(("pre" if tag == "pre" else tag, True))
                if tag == "pre":
                    self.pre += 1
            stack.extend((child, False) for child in reversed(list(node.iter(include_text=True))))
        self.flush()
        return self.blocks

    def text(self, text: str) -> None:
        if self.pre:
            first, *rest = text.split("\n")
            self.parts.append(first)
            for line in rest:
                self.new_line()
                self.parts.append(line)
        else:
            self.parts.append(text)

    def new_line(self) -> None:
        line = _line("".join(self.parts))
        if line:
            self.lines.append(line)
        self.parts = []

    def flush(self) -> None:
        self.new_line()
        if self.lines:
            self.blocks.append(Paragraph("\n".join(self.lines)))
        self.lines = []


def _line(text: str) -> str:
    """One visual line: HTML whitespace collapsed, &nbsp; kept as a space inside, the ends trimmed."""
    return _HTML_SPACE.sub(" ", text).replace("\xa0", " ").strip()


def _joined(lines: list[str]) -> str:
    """A cell's or heading's lines as one text: no space where a Chinese character meets a Chinese character
    ("本年新<br>制作数量" is 本年新制作数量), one space elsewhere ("12<br>34" stays two numbers)."""
    text = ""
    for line in lines:
        if text and not (_CJK.match(text[-1]) and _CJK.match(line[0])):
            text += " "
        text += line
    return text


def _text_lines(node) -> tuple[list[str], bool]:
    """The visual lines of a subtree, and whether it holds structure (a table, a heading, a list)."""
    lines: list[str] = []
    parts: list[str] = []
    structure = False
    stack = [node]
    while stack:
        item = stack.pop()
        if item is None:  # the end of a block element
            lines.append(_line("".join(parts)))
            parts = []
            continue
        tag = item.tag
        if tag == "-text":
            parts.append(item.text_content or "")
            continue
        if tag.startswith("-") or tag.startswith("!") or tag in _SKIPPED:
            continue
        if item is not node and tag in _STRUCTURE:
            structure = True
        if tag == "br" or tag in _BLOCKS or tag in _HEADINGS:
            lines.append(_line("".join(parts)))
            parts = []
            if tag != "br":
                stack.append(None)
        stack.extend(reversed(list(item.iter(include_text=True))))
    lines.append(_line("".join(parts)))
    return [line for line in lines if line], structure


_BLOCK, _BREAK, _STRUCTURE_KIND, _SECTION, _ROW, _CELL, _CAPTION = range(7)
_IN_TABLE = {
    **dict.fromkeys(_BLOCKS, _BLOCK),
    **dict.fromkeys(_SKIPPED, _BREAK),
    "br": _BREAK,  # a line break, or a script inside: the cell is read again line by line
    **dict.fromkeys(_STRUCTURE, _STRUCTURE_KIND),
    **dict.fromkeys(_HEADINGS, _STRUCTURE_KIND),
    **dict.fromkeys(("thead", "tbody", "tfoot"), _SECTION),
    "tr": _ROW,
    "td": _CELL,
    "th": _CELL,
    "caption": _CAPTION,
}


class _Cell:
    __slots__ = ("node", "parts", "wrapper", "slow")

    def __init__(self, node) -> None:
        self.node = node
        self.parts: list[str] = []
        self.wrapper = None  # the one block element (a <p>) the cell's text may be wrapped in
        self.slow = False  # a line break, a second block or a script inside: read with _text_lines

    def text(self) -> str:
        raw = "".join(self.parts)
        if self.wrapper is not None and not self.slow:
            wrapped = self.wrapper.text(deep=True)
            self.slow = wrapped != raw and _line(wrapped) != _line(raw)  # text beside the <p>
        return _joined(_text_lines(self.node)[0]) if self.slow else _line(raw)


def _data_grid(table):
    """The grid of a data table, or None for a layout table (read through as a container).

    One pass over the table's nodes (pre-order): a cell's text nodes are joined as they come; a cell
    with a line break, several paragraphs or a script inside is read again line by line."""
    if (table.attributes.get("role") or "").strip().lower() in ("presentation", "none"):
        return None
    sections: dict[str, list[list[_Cell]]] = {"thead": [], "tbody": [], "tfoot": []}
    section = sections["tbody"]
    cell = None
    items = iter(table.traverse(include_text=True))
    next(items)  # the table itself
    for item in items:
        tag = item.tag
        if tag == "-text":
            if cell is not None:
                cell.parts.append(item.text_content or "")
            continue
        kind = _IN_TABLE.get(tag)
        if kind is None:  # inline markup: <span>, <font>, <o:p>, a comment
            continue
        if kind == _STRUCTURE_KIND:  # a table, heading or list inside: a layout table
            return None
        if kind == _SECTION:
            section, cell = sections[tag], None
        elif kind == _ROW:
            section.append([])
            cell = None
        elif kind == _CELL:
            if not section:
                section.append([])
            cell = _Cell(item)
            section[-1].append(cell)
        elif kind == _CAPTION:
            cell = None
        elif cell is not None:
            if kind == _BREAK or cell.wrapper is not None:
                cell.slow = True
            else:
                cell.wrapper = item
    rows = sections["thead"] + sections["tbody"] + sections["tfoot"]
    spanning = {node.mem_id for node in table.css("[rowspan],[colspan]")}  # one query instead of every cell's attributes
    grid: list[list[GridCell]] = []
    width = 0
    for n, row in enumerate(rows):
        cells = []
        for cell in row:
            text = cell.text()
            if len(text) >= _PROSE_CELL and text.count("。") >= 2:
                return None
            rowspan = colspan = 1
            if cell.node.mem_id in spanning:
                attributes = cell.node.attributes
                rowspan = _span(attributes.get("rowspan"), _MAX_ROWSPAN)
                rowspan = len(rows) - n if rowspan == 0 else min(rowspan or 1, len(rows) - n)  # 0: to the last row
                colspan = _span(attributes.get("colspan"), _MAX_COLSPAN) or 1
            cells.append(GridCell(text, rowspan, colspan))
        width = max(width, sum(c.colspan for c in cells))
        grid.append(cells)
    if width <= 1:  # one column (or none): a page's paragraphs stacked in rows, or a flattened table
        return None
    return grid


def _span(value: str | None, limit: int) -> int | None:
    """rowspan/colspan as a browser reads them: the leading digits ("2px" is 2), None when there are none."""
    match = _DIGITS.match(value or "")
    return min(int(match.group(1)), limit) if match else None


def _is_navigation(node) -> bool:
    attributes = node.attributes
    if node.tag not in _NAVIGATION_TAGS and (attributes.get("role") or "").lower() != "navigation":
        names = _CAMEL.sub(" ", f"{attributes.get('class') or ''} {attributes.get('id') or ''}").lower()
        if not any(_NAVIGATION_WORD.search(word) for word in re.split(r"[^a-z0-9]+", names) if word):
            return False
    for item in node.traverse(include_text=False):
        if item.tag in _HEADINGS or item.tag == "table" and _DIGIT.search(item.text(deep=True)):
            return False
    return not _REPORT_TEXT.search(node.text(deep=True))


# -------------------------------------------------------------------------- metadata

_DATE_META = (
    "pubdate publishdate publish_date publish-date publishtime firstpublishedtime releasedate "
    "dc.date dc.date.issued dc.date.created dcterms.issued dcterms.created dcterms.date article:published_time date"
).split()
_NAMES_REPORT = re.compile(r"年度[报報]告|年[报報]")


def _metadata(tree, blocks: list) -> dict:
    metas: dict[str, str] = {}
    for meta in tree.css("meta"):
        key = (meta.attributes.get("name") or meta.attributes.get("property") or "").strip().lower()
        content = _line(meta.attributes.get("content") or "")
        if key and content:
            metas.setdefault(key, content)
    metadata: dict = {}
    title_node = tree.css_first("title")
    candidates = [
        metas.get("articletitle", ""),
        _line(title_node.text(deep=True)) if title_node is not None else "",
        next((b.text for b in blocks if isinstance(b, Heading) and b.level == 1), ""),
        next(
            (
                line
                for b in blocks[:40]
                if isinstance(b, Paragraph)
                for line in b.lines
                if _NAMES_REPORT.search(line) and len(line) <= 80
            ),
            "",
        ),
    ]
    candidates = [c for c in candidates if c]
    title = next((c for c in candidates if _NAMES_REPORT.search(c)), candidates[0] if candidates else "")
    if title:
        metadata["title"] = title
    date = next((metas[key] for key in _DATE_META if re.search(r"\d{4}", metas.get(key, ""))), None)
    if date:
        metadata["date"] = date
    return metadata
