"""Build templates/reference.docx: pandoc's reference document restyled after GB/T 9704-2012
(党政机关公文格式).  Run: python templates/make_reference.py  (needs python-docx).

The numbers come from ``gkreport.render.geometry``: A4; margins top 37 mm, bottom 35 mm, left 28 mm,
right 26 mm (type area 156 × 225 mm); 22 lines × 28 characters: a line grid (docGrid) at a
28.95 pt pitch and the 16 pt text condensed by 0.25 pt; body 3号 (16 pt) 仿宋_GB2312 with a two-character first-line indent; title 2号 (22 pt)
方正小标宋简体 centred; 一、 headings 3号 黑体, (一) headings 3号 楷体_GB2312, third level 仿宋
bold, each kept with what follows; page numbers "— 1 —" 4号 宋体, right on odd pages and left on
even pages, one character in, 7 mm below the type area; tables with full borders, 五号 (the
"GK Table Small" style is 小五, for a table that would not fit otherwise), cells centred
vertically, rows never split across pages.  Word and WPS users have the official fonts; where
they lack one, Word substitutes a font of the same kind.
"""

from __future__ import annotations

import math
import subprocess
import tempfile
from pathlib import Path

import pypandoc
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from gkreport.render import geometry as g

HERE = Path(__file__).resolve().parent
FANGSONG, HEITI, KAITI, XIAOBIAOSONG, SONGTI = "仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体", "宋体"
LEAD_IN_STYLE, TABLE_SMALL_STYLE, SIGNATURE_STYLE = "GK Lead-in", "GK Table Small", "GK Signature"

# The page number's line: exactly its font size high; its footer distance puts the dashes, which
# sit about 0.3 of the font size above the baseline, PAGE_NUMBER_BELOW_MM under the type area.
FOOTER_LINE_PT = g.PAGE_NUMBER_PT
FOOTER_DISTANCE_MM = g.MARGIN_BOTTOM_MM - g.PAGE_NUMBER_BELOW_MM - g.mm(FOOTER_LINE_PT) / 2
CONDENSE_PT = g.pt(g.TYPE_AREA_MM[0]) / g.CHARS_PER_LINE - g.BODY_PT  # about -0.21 pt: 28 characters a line


def set_font(style, east_asian: str, size: float, bold: bool = False, ascii_font: str = "Times New Roman") -> None:
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.name = ascii_font
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), ascii_font)
    fonts.set(qn("w:eastAsia"), east_asian)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    style.font.color.rgb = None


def paragraph(style, align=None, indent_chars: float = 0, before: float = 0, after: float = 0) -> None:
    fmt = style.paragraph_format
    if align is not None:
        fmt.alignment = align
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(g.LINE_PITCH_PT)
    fmt.first_line_indent = Pt(g.BODY_PT * indent_chars) if indent_chars else Pt(0)


def off_grid(style) -> None:
    """Table text and footers keep their own size: not snapped to the 28.95 pt lines and 28-character grid."""
    ppr = style.element.get_or_add_pPr()
    snap = ppr.find(qn("w:snapToGrid"))
    if snap is None:
        snap = OxmlElement("w:snapToGrid")
        ppr.insert(0, snap)
    snap.set(qn("w:val"), "0")


def document_grid(section) -> None:
    """22 lines a page: a line grid (docGrid type "lines") with a pitch of 28.95 pt."""
    sect = section._sectPr
    for old in sect.findall(qn("w:docGrid")):
        sect.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(g.twips(g.LINE_PITCH_PT)))
    sect.append(grid)


def condensed(style, by_pt: float) -> None:
    """28 characters a line: the 16 pt characters condensed to the type area's width / 28.

    Not a character grid (docGrid "linesAndChars" with a negative charSpace): Word fits 28
    characters in it, but LibreOffice gives each 16 pt character two cells of a grid narrower
    than the font, 14 characters a line (measured)."""
    rpr = style.element.get_or_add_rPr()
    for old in rpr.findall(qn("w:spacing")):
        rpr.remove(old)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(math.floor(by_pt * 20)))
    later = [rpr.find(qn(tag)) for tag in ("w:w", "w:kern", "w:position", "w:sz", "w:szCs")]
    anchor = next((e for e in later if e is not None), None)
    if anchor is not None:
        anchor.addprevious(spacing)
    else:
        rpr.append(spacing)


def page_number(footer, align) -> None:
    """"— 1 —", 4号 宋体, one character in from the outer edge of the type area."""
    footer.is_linked_to_previous = False
    para = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    for run in list(para.runs):
        run._element.getparent().remove(run._element)
    para.alignment = align
    fmt = para.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(FOOTER_LINE_PT)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(0)
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent, fmt.left_indent = Pt(g.PAGE_NUMBER_PT), Pt(0)
    else:
        fmt.left_indent, fmt.right_indent = Pt(g.PAGE_NUMBER_PT), Pt(0)
    ppr = para._p.get_or_add_pPr()
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    ppr.insert(0, snap)
    for text, field in (("— ", False), ("PAGE", True), (" —", False)):
        run = para.add_run()
        run.font.size = Pt(g.PAGE_NUMBER_PT)
        run.font.name = SONGTI
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), SONGTI)
        if field:
            for kind, instruction in (("begin", None), (None, " PAGE "), ("end", None)):
                if kind:
                    element = OxmlElement("w:fldChar")
                    element.set(qn("w:fldCharType"), kind)
                else:
                    element = OxmlElement("w:instrText")
                    element.set(qn("xml:space"), "preserve")
                    element.text = instruction
                run._element.append(element)
        else:
            run.text = text


def _child(parent, tag: str, before: tuple[str, ...] = ()):
    """The ``tag`` child of ``parent``, created (ahead of the first of ``before`` present) if missing."""
    element = parent.find(qn(tag))
    if element is None:
        element = OxmlElement(tag)
        anchor = next((parent.find(qn(b)) for b in before if parent.find(qn(b)) is not None), None)
        if anchor is not None:
            anchor.addprevious(element)
        else:
            parent.append(element)
    return element


def table_style(style) -> None:
    """Full black borders; 1 mm cell margins left and right; cells centred vertically; rows
    never split across pages (explicit on every row of an official table after ``gk build``)."""
    element = style.element
    tbl = _child(element, "w:tblPr", before=("w:trPr", "w:tcPr", "w:tblStylePr"))
    for old in tbl.findall(qn("w:tblBorders")) + tbl.findall(qn("w:tblCellMar")):
        tbl.remove(old)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
            line.set(qn(key), value)
        borders.append(line)
    tbl.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for edge, width in (("top", 0), ("left", g.twips(g.pt(g.CELL_MARGIN_MM))), ("bottom", 0), ("right", g.twips(g.pt(g.CELL_MARGIN_MM)))):
        side = OxmlElement(f"w:{edge}")
        side.set(qn("w:w"), str(width))
        side.set(qn("w:type"), "dxa")
        margins.append(side)
    tbl.append(margins)
    row = _child(element, "w:trPr", before=("w:tcPr", "w:tblStylePr"))
    _child(row, "w:cantSplit")
    cell = _child(element, "w:tcPr", before=("w:tblStylePr",))
    _child(cell, "w:vAlign").set(qn("w:val"), "center")
    for conditional in element.findall(qn("w:tblStylePr")):  # pandoc's header row: bottom-aligned
        for align in conditional.iter(qn("w:vAlign")):
            align.set(qn("w:val"), "center")


def keep_with_next(style) -> None:
    style.paragraph_format.keep_with_next = True
    style.paragraph_format.keep_together = True


def build(out: Path) -> None:
    with tempfile.TemporaryDirectory() as work:
        base = Path(work) / "default.docx"
        base.write_bytes(subprocess.run([pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"], capture_output=True, check=True).stdout)
        document = Document(str(base))  # read into memory before the folder goes
    section = document.sections[0]
    section.page_width, section.page_height = Mm(g.PAGE_MM[0]), Mm(g.PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(g.MARGIN_TOP_MM), Mm(g.MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(g.MARGIN_LEFT_MM), Mm(g.MARGIN_RIGHT_MM)
    section.footer_distance = Mm(FOOTER_DISTANCE_MM)
    document.settings.odd_and_even_pages_header_footer = True
    page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)  # odd pages
    page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
    document_grid(section)
    styles = document.styles
    names = {s.name for s in styles}
    for name in ("Normal", "Body Text", "First Paragraph", "Compact"):
        if name in names:
            set_font(styles[name], FANGSONG, g.BODY_PT)
            paragraph(styles[name], WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=2)
            condensed(styles[name], CONDENSE_PT)
    set_font(styles["Title"], XIAOBIAOSONG, g.TITLE_PT)
    paragraph(styles["Title"], WD_ALIGN_PARAGRAPH.CENTER, after=g.LINE_PITCH_PT)  # one blank line under the title
    off_grid(styles["Title"])  # its lines 28.95 pt apart: on the line grid each 22 pt line would take two
    keep_with_next(styles["Title"])
    for name, font, bold in (("Heading 1", HEITI, False), ("Heading 2", KAITI, False), ("Heading 3", FANGSONG, True)):
        set_font(styles[name], font, g.BODY_PT, bold)
        paragraph(styles[name], WD_ALIGN_PARAGRAPH.LEFT, indent_chars=2)
        condensed(styles[name], CONDENSE_PT)
        keep_with_next(styles[name])
    for name in ("Subtitle", "Author", "Date", "Abstract"):
        if name in names:
            set_font(styles[name], FANGSONG, g.BODY_PT)
            paragraph(styles[name], WD_ALIGN_PARAGRAPH.CENTER)
    compact = styles["Compact"]
    set_font(compact, FANGSONG, g.TABLE_PT)  # table text: 五号, not condensed
    paragraph(compact, WD_ALIGN_PARAGRAPH.CENTER)
    condensed(compact, 0)
    compact.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    off_grid(compact)
    small = styles.add_style(TABLE_SMALL_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    small.base_style = compact
    set_font(small, FANGSONG, g.TABLE_SMALL_PT)  # 小五, for a table that does not fit in 五号
    off_grid(small)
    table_style(styles["Table"])
    lead_in = styles.add_style(LEAD_IN_STYLE, WD_STYLE_TYPE.PARAGRAPH)  # the sentence before a table stays with it
    lead_in.base_style = styles["Body Text"]
    set_font(lead_in, FANGSONG, g.BODY_PT)
    paragraph(lead_in, WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=2)
    condensed(lead_in, CONDENSE_PT)
    keep_with_next(lead_in)
    signature = styles.add_style(SIGNATURE_STYLE, WD_STYLE_TYPE.PARAGRAPH)  # the indents of each line are the filter's
    signature.base_style = styles["Normal"]
    set_font(signature, FANGSONG, g.BODY_PT)
    paragraph(signature, WD_ALIGN_PARAGRAPH.RIGHT)
    condensed(signature, CONDENSE_PT)
    document.save(str(out))


if __name__ == "__main__":
    build(HERE / "reference.docx")
    print(HERE / "reference.docx")
