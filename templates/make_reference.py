"""Build templates/reference.docx: pandoc's reference document restyled after GB/T 9704-2012
(党政机关公文格式).  Run: python templates/make_reference.py  (needs python-docx).

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (type area 156 x 225 mm); body
3号 (16 pt) 仿宋_GB2312 with a two-character first-line indent and a fixed 28.95 pt line pitch
(22 lines a page); title 2号 (22 pt) 方正小标宋简体 centred; 一、 headings 3号 黑体; (一) headings
3号 楷体_GB2312; third level 仿宋 bold; page numbers 4号 宋体 "— 1 —" in the footer; tables with
full grid borders, centred cells, a size smaller (四号, 14 pt … 五号 for the wide table 三 is set by
the writer's column widths).  Word and WPS users have the official fonts; where they lack one,
Word substitutes a font of the same kind.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pypandoc
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

HERE = Path(__file__).resolve().parent
FANGSONG, HEITI, KAITI, XIAOBIAOSONG, SONGTI = "仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体", "宋体"


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
    fmt.line_spacing = Pt(28.95)
    fmt.first_line_indent = Pt(16 * indent_chars) if indent_chars else Pt(0)


def footer_page_number(section) -> None:
    """"— 1 —", 4号 宋体, centred (GB/T 9704: outer side; centred is the common practice)."""
    footer = section.footer
    para = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text, field in (("— ", False), ("PAGE", True), (" —", False)):
        run = para.add_run()
        run.font.size = Pt(14)
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


def table_borders(style) -> None:
    properties = style.element.get_or_add_pPr().getparent()
    tbl = properties.find(qn("w:tblPr"))
    if tbl is None:
        tbl = OxmlElement("w:tblPr")
        properties.append(tbl)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    for old in tbl.findall(qn("w:tblBorders")):
        tbl.remove(old)
    tbl.append(borders)


def build(out: Path) -> None:
    with tempfile.TemporaryDirectory() as work:
        base = Path(work) / "default.docx"
        base.write_bytes(subprocess.run([pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"], capture_output=True, check=True).stdout)
        document = Document(str(base))  # read into memory before the folder goes
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)
    footer_page_number(section)
    styles = document.styles
    for name in ("Normal", "Body Text", "First Paragraph", "Compact"):
        if name in [s.name for s in styles]:
            set_font(styles[name], FANGSONG, 16)
            paragraph(styles[name], WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=2)
    set_font(styles["Title"], XIAOBIAOSONG, 22)
    paragraph(styles["Title"], WD_ALIGN_PARAGRAPH.CENTER, after=28.95)
    for name, font, bold in (("Heading 1", HEITI, False), ("Heading 2", KAITI, False), ("Heading 3", FANGSONG, True)):
        set_font(styles[name], font, 16, bold)
        paragraph(styles[name], WD_ALIGN_PARAGRAPH.LEFT, indent_chars=2)
    for name in ("Subtitle", "Author", "Date", "Abstract"):
        if name in [s.name for s in styles]:
            set_font(styles[name], FANGSONG, 16)
            paragraph(styles[name], WD_ALIGN_PARAGRAPH.CENTER)
    compact = styles["Compact"]
    set_font(compact, FANGSONG, 10.5)  # table text: 五号, so table 三 fits the type area
    paragraph(compact, WD_ALIGN_PARAGRAPH.CENTER)
    compact.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    table_borders(styles["Table"])
    signature = styles.add_style("GK Signature", 1)
    signature.base_style = styles["Normal"]
    set_font(signature, FANGSONG, 16)
    paragraph(signature, WD_ALIGN_PARAGRAPH.RIGHT)
    signature.paragraph_format.right_indent = Pt(32)
    document.save(str(out))


if __name__ == "__main__":
    build(HERE / "reference.docx")
    print(HERE / "reference.docx")
