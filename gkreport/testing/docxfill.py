"""The official template (``../shared/domain/reports/official-template-2021.docx``) filled as a clerk fills it.

Test and bench support: ``fill_template(target, truth, ...)`` copies the blank template, types a
title with the year, and writes every figure of ``truth`` into its cell with python-docx, the
way Word does when one types into the cell: a run in the cell's paragraph, in 宋体 五号
(10.5 pt), the paragraph centred.  Cells named in ``blank`` are left as the template has them;
``written`` puts other text in a cell (a wrong figure, "/", "?").  ``requests_2019`` turns table
三 into the 2019 format: its three (六) rows become the single row (六)其他处理.

The cells are found from the template's layout (row labels, the value cells at the end of each
row), not by the code under test.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement

from gkreport.spec import spec_for
from gkreport.values import format_number

REPO = Path(__file__).resolve().parents[2]  # the repository, when the package is used from it (tests, benches)
TEMPLATE = REPO.parent / "shared" / "domain" / "reports" / "official-template-2021.docx"
FIGURE_FONT, FIGURE_SIZE = "宋体", "21"  # 五号, in half-points
TITLE = "2024年XX区XX局政府信息公开工作年度报告"


def fill_template(target, truth: dict, blank=(), written=None, requests_2019: bool = False, title: str = TITLE) -> Path:
    """``truth``: {"active"|"requests"|"appeals": {(row_key, column_key): value}}; ``blank``: {(table, cell)};
    ``written``: {(table, cell): text}."""
    target = Path(target)
    shutil.copyfile(TEMPLATE, target)
    document = docx.Document(str(target))
    _set_title(document, title)
    tables = document.tables
    if requests_2019:
        _to_2019(tables[1]._tbl)
    cells = {}
    cells.update(_active_cells(tables[0]._tbl))
    cells.update(_requests_cells(tables[1]._tbl, "2019" if requests_2019 else "2021"))
    cells.update(_appeals_cells(tables[2]._tbl))
    written = written or {}
    for table, values in truth.items():
        for cell, value in values.items():
            key = (table, cell)
            if key in blank:
                continue
            type_into(cells[key], written.get(key, format_number(value)))
    for key, text in written.items():
        if key not in {(t, c) for t, values in truth.items() for c in values}:
            type_into(cells[key], text)
    document.save(str(target))
    return target


def template_cells(path, requests_2019: bool = False) -> dict:
    """{(table, cell): w:tc} of a filled template (opened with python-docx): where each figure is."""
    document = docx.Document(str(path))
    tables = document.tables
    cells = {}
    cells.update(_active_cells(tables[0]._tbl))
    cells.update(_requests_cells(tables[1]._tbl, "2019" if requests_2019 else "2021"))
    cells.update(_appeals_cells(tables[2]._tbl))
    return cells


def type_into(tc, text: str) -> None:
    """What typing ``text`` into an empty cell of the template gives: the template's spaces replaced by one
    run in the figure font, the paragraph centred."""
    p = tc.findall(qn("w:p"))[0]
    for run in p.findall(qn("w:r")):
        p.remove(run)
    run = OxmlElement("w:r")
    r_pr = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attribute), FIGURE_FONT)
    r_pr.append(fonts)
    for name in ("w:sz", "w:szCs"):
        size = OxmlElement(name)
        size.set(qn("w:val"), FIGURE_SIZE)
        r_pr.append(size)
    run.append(r_pr)
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    p.append(run)
    p_pr = p.get_or_add_pPr()
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), "center")
    p_pr._remove_jc()
    p_pr._insert_jc(jc)


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t"))).strip()


def _set_title(document, title: str) -> None:
    for p in document.paragraphs:
        if _text(p._p) == "政府信息公开工作年度报告格式模板":
            runs = p._p.findall(qn("w:r"))
            runs[0].find(qn("w:t")).text = title
            for run in runs[1:]:
                p._p.remove(run)
            return
    raise AssertionError("the template's title paragraph is not where it was")


def _active_cells(tbl) -> dict:
    spec = spec_for("active", "2021")
    cells = {}
    for tr in tbl.tr_lst:
        tcs = tr.tc_lst
        label = _text(tcs[0])
        for row in spec.rows:
            if label == row.label:
                for column, tc in zip(spec.columns_of(row), tcs[1:]):
                    cells[("active", (row.key, column.key))] = tc
    return cells


def _requests_cells(tbl, fmt: str) -> dict:
    spec = spec_for("requests", fmt)
    rows = tbl.tr_lst[3:]
    assert len(rows) == len(spec.rows), (len(rows), len(spec.rows))
    cells = {}
    for row, tr in zip(spec.rows, rows):
        for column, tc in zip(spec.columns, tr.tc_lst[-7:]):
            cells[("requests", (row.key, column.key))] = tc
    return cells


def _appeals_cells(tbl) -> dict:
    spec = spec_for("appeals", "2021")
    tcs = tbl.tr_lst[3].tc_lst
    return {("appeals", ("cases", column.key)): tc for column, tc in zip(spec.columns, tcs)}


def _to_2019(tbl) -> None:
    """The three (六) rows become the one 2019 row "(六)其他处理", laid out like "(一)予以公开"."""
    rows = tbl.tr_lst
    first = next(i for i, tr in enumerate(rows) if any(_text(tc).startswith("（六）") for tc in tr.tc_lst))
    tr = rows[first]
    group, leaf = tr.tc_lst[1], tr.tc_lst[2]
    properties = group.get_or_add_tcPr()
    properties.remove(properties.find(qn("w:vMerge")))
    span = OxmlElement("w:gridSpan")
    span.set(qn("w:val"), "2")
    properties._insert_gridSpan(span)
    width, leaf_width = properties.find(qn("w:tcW")), leaf.tcPr.find(qn("w:tcW"))
    width.set(qn("w:w"), str(int(width.get(qn("w:w"))) + int(leaf_width.get(qn("w:w")))))
    tr.remove(leaf)
    for extra in rows[first + 1 : first + 3]:
        tbl.remove(extra)
    assert _text(group).startswith("（六）其他处理"), _text(group)


# ---------------------------------------------------------------- small packages written by hand

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "</Types>"
)
_PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    "</Relationships>"
)
_DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)
STYLES = (
    f'<w:styles xmlns:w="{W_NS}">'
    '<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="21"/></w:rPr></w:rPrDefault></w:docDefaults>'
    '<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/>'
    '<w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Sub"><w:name w:val="My section"/><w:basedOn w:val="1"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="T"><w:name w:val="Title"/><w:basedOn w:val="a"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Big"><w:name w:val="Big centred"/><w:basedOn w:val="a"/>'
    '<w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:sz w:val="44"/></w:rPr></w:style>'
    "</w:styles>"
)


def write_docx(path, body: str, styles: str = STYLES, core_title: str = "") -> Path:
    """A minimal DOCX package whose body is ``body`` (WordprocessingML, prefix ``w``)."""
    import zipfile

    document = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}" ' \
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ' \
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" ' \
        'xmlns:v="urn:schemas-microsoft-com:vml">' \
        f"<w:body>{body}</w:body></w:document>"
    core = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        f'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{core_title}</dc:title></cp:coreProperties>'
    )
    path = Path(path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        package.writestr("_rels/.rels", _PACKAGE_RELS)
        package.writestr("word/document.xml", document)
        package.writestr("word/_rels/document.xml.rels", _DOCUMENT_RELS)
        package.writestr("word/styles.xml", styles)
        package.writestr("docProps/core.xml", core)
    return path


def p(text: str = "", style: str | None = None, jc: str | None = None, size: int | None = None, extra: str = "") -> str:
    """A paragraph: one run of ``text``; ``extra`` is inserted after the run (breaks, text boxes...)."""
    properties = (f'<w:pStyle w:val="{style}"/>' if style else "") + (f'<w:jc w:val="{jc}"/>' if jc else "")
    run_properties = f'<w:rPr><w:sz w:val="{size}"/></w:rPr>' if size else ""
    run = f"<w:r>{run_properties}<w:t xml:space=\"preserve\">{text}</w:t></w:r>" if text else ""
    return f"<w:p>{f'<w:pPr>{properties}</w:pPr>' if properties else ''}{run}{extra}</w:p>"


def tc(text: str = "", span: int = 1, merge: str | None = None, inner: str = "") -> str:
    """A table cell; ``merge``: "restart", "continue" (a w:vMerge with no value) or None."""
    properties = (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "") + (
        '<w:vMerge w:val="restart"/>' if merge == "restart" else "<w:vMerge/>" if merge == "continue" else ""
    )
    last = "<w:p/>" if inner else ""  # a cell ends with a paragraph
    return f"<w:tc>{f'<w:tcPr>{properties}</w:tcPr>' if properties else ''}{p(text)}{inner}{last}</w:tc>"


def tbl(*rows: str) -> str:
    return "<w:tbl>" + "".join(f"<w:tr>{row}</w:tr>" for row in rows) + "</w:tbl>"
