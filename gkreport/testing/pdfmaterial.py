"""PDF test material made on the spot: the official template filled with figures and exported by
LibreOffice, and a scanned page (an image with no text layer).

Test and bench support only (bench/read_pdf.py uses it too).  ``filled_template`` writes the
figures of ``gkreport.testing.values``' consistent tables into ``official-template-2021.docx`` (the form a local
disclosure office hands its bodies) with python-docx, replaces the template's "（文字描述）"
placeholders with prose as reports write it, and can add a running header and page numbers in
the footer, the page furniture of published PDFs.  ``export_pdf`` converts DOCX files with
LibreOffice in one run and its own profile folder (several LibreOffice runs sharing the user's
profile block one another).
"""

from __future__ import annotations

import copy
import random
import shutil
import subprocess
import tempfile
from pathlib import Path

from gkreport.spec import spec_for
from gkreport.testing.values import (
    consistent_active,
    consistent_appeals,
    consistent_requests,
    pipe_active,
    pipe_appeals,
    pipe_requests,
    text,
)

REPO = Path(__file__).resolve().parents[2]  # the repository, when the package is used from it (tests, benches)
TEMPLATE = REPO.parent / "shared" / "domain" / "reports" / "official-template-2021.docx"
PLACEHOLDER = "（文字描述）"

# Row of the template's table 二 holding each row of the 2021 format (its block titles and
# column headers stand between them).
ACTIVE_TEMPLATE_ROWS = {"regulations": 2, "normative_documents": 3, "licensing": 6, "penalties": 9, "coercion": 10, "fees": 13}
REQUESTS_FIRST_ROW, REQUESTS_FIRST_COLUMN = 3, 3  # the template's table 三: three header rows, three label columns
APPEALS_ROW = 3

OVERVIEW = (
    "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）编制，由总体情况、主动公开政府信息情况、"
    "收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项组成。"
    "本报告所列数据的统计期限为{year}年1月1日至{year}年12月31日。",
    "（一）主动公开",
    "{year}年，本机关通过门户网站主动公开政府信息{published}条，其中机构职能、政策文件、规划计划、财政预决算等信息"
    "{part}条，发布政策解读{readings}篇，回应社会关切{answers}次，做到应公开尽公开。",
    "（二）依申请公开",
    "全年共收到政府信息公开申请{new}件，上年结转{carried}件，均在法定期限内予以答复，未发生因答复不规范被纠错的情况。",
    "（三）政府信息管理",
    "严格落实公开前保密审查和“三审三校”制度，对拟公开的信息逐条审核；定期清理规范性文件，及时更新公开目录。",
    "（四）政府信息公开平台建设",
    "持续优化门户网站政府信息公开专栏，规范栏目设置，完善检索功能，确保信息发布准确、及时、便于查阅。",
    "（五）监督保障",
    "将政府信息公开工作纳入年度绩效考核，组织业务培训{trainings}次，主动接受社会监督，全年未发生责任追究情况。",
)
PROBLEMS = (
    "一是政策解读形式较为单一，图解、视频等解读方式运用不多；二是依申请公开答复的规范性有待进一步提高。",
    "下一步，本机关将加强业务培训，丰富政策解读形式，完善依申请公开办理流程，不断提升政府信息公开工作质量。",
)
OTHER = ("本年度未收取信息处理费。本机关无其他需要报告的事项。",)


def truth(seed: int) -> dict:
    """The figures of one report: {"active"|"requests"|"appeals": {(row, column): value}}, every identity holding."""
    rng = random.Random(seed)
    return {"active": consistent_active(rng), "requests": consistent_requests(rng), "appeals": consistent_appeals(rng)}


def markdown_report(
    values: dict, *, prose_repeats: int = 1, org: str = "XX区XX局", year: int = 2024, break_before: str | None = None
) -> str:
    """A whole report in Markdown for ``gk build``: metadata, the six sections with prose, the three
    tables as pipe tables holding every figure.  ``break_before`` ("二" or "三") starts that
    section on a new page (a raw typst page break): before 三, table 三 fits on its page; before
    二, tables 二 and 三 share a page and 三 runs over onto the next."""
    requests = values["requests"]
    fields = _fields(str(year), requests)
    overview = [line.format(**fields) for line in OVERVIEW * prose_repeats]
    parts = [
        f"---\ntitle: {year}年{org}政府信息公开工作年度报告\norg: {org}\nyear: {year}\n"
        f"level: department\ndate: {year + 1}-01-20\n---",
        overview[0],
        "# 一、总体情况",
        *[f"## {line}" if line.startswith("（") and len(line) < 20 else line for line in overview[1:]],
        "# 二、主动公开政府信息情况",
        pipe_active(values["active"]),
        "# 三、收到和处理政府信息公开申请情况",
        pipe_requests(requests),
        "# 四、政府信息公开行政复议、行政诉讼情况",
        pipe_appeals(values["appeals"]),
        "# 五、存在的主要问题及改进情况",
        *PROBLEMS,
        "# 六、其他需要报告的事项",
        *OTHER,
    ]
    if break_before:
        at = next(n for n, part in enumerate(parts) if part.startswith(f"# {break_before}、"))
        parts.insert(at, "```{=typst}\n#pagebreak()\n```")
    return "\n\n".join(parts) + "\n"


def _fields(year: str, requests: dict) -> dict:
    return {
        "year": year,
        "published": 100 + requests[("new", "total")],
        "part": 60,
        "readings": 12,
        "answers": 8,
        "new": requests[("new", "total")],
        "carried": requests[("carried_over", "total")],
        "trainings": 3,
    }


def filled_template(
    values: dict,
    path: Path,
    *,
    title: str = "2024年XX区XX局政府信息公开工作年度报告",
    prose_repeats: int = 1,
    running_header: str | None = None,
    page_numbers: str | None = None,
    signature: tuple[str, str] | None = ("XX区XX局", "2025年1月20日"),
    pdf_title: str | None = None,
    split_requests: bool = False,
    borderless_requests: bool = False,
    red_header: str | None = None,
) -> Path:
    """Write the template filled with ``values`` to ``path``.

    ``prose_repeats`` repeats section 一's prose (a longer report); ``page_numbers`` is "dash"
    ("— 1 —"), "hyphen" ("- 1 -") or "of" ("第 1 页 共 3 页") in the footer; ``pdf_title`` goes to
    the document properties (LibreOffice makes it the PDF's Title).  ``split_requests``
    starts section 二 on a new page and lets table 三 break across pages (the template keeps it
    whole), so that it starts in the middle of the next page and runs over the page break, its
    three header rows repeated on the next page (Word's "repeat as header row");
    ``borderless_requests`` removes every border of table 三 (a table drawn without ruling lines);
    ``red_header`` puts the issuing office's name above the title in large red type (公文's 红头).
    """
    import docx

    document = docx.Document(str(TEMPLATE))
    if pdf_title:
        document.core_properties.title = pdf_title
    body = [p for p in document.paragraphs if p.text.strip()]
    body[0].runs[0].text = title
    for run in body[0].runs[1:]:
        run.text = ""
    if red_header:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt, RGBColor

        header = body[0].insert_paragraph_before()
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = header.add_run(red_header)
        run.font.size, run.font.bold, run.font.color.rgb = Pt(28), True, RGBColor(0xD0, 0, 0)
    fields = _fields(title[:4], values["requests"])
    placeholders = [p for p in document.paragraphs if p.text.strip() == PLACEHOLDER]
    _replace(placeholders[0], [line.format(**fields) for line in OVERVIEW * prose_repeats])
    _replace(placeholders[1], list(PROBLEMS))
    last = next(p for p in document.paragraphs if p.text.strip().startswith("（文字描述，"))
    _replace(last, list(OTHER) + (list(signature) if signature else []))
    _fill_tables(document, values)
    requests = document.tables[1]
    if split_requests:
        heading = next(p for p in document.paragraphs if p.text.strip().startswith("二、"))
        heading.paragraph_format.page_break_before = True
        element = document.tables[0]._tbl.getnext()
        while element is not None and element.tag.endswith("}p") and not "".join(element.itertext()).strip():
            following = element.getnext()
            element.getparent().remove(element)  # the template's empty lines before 三: table 三 starts higher
            element = following
        for cell in requests._cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = False
                paragraph.paragraph_format.keep_together = False
        for row in requests.rows[:3]:
            _place(row._tr.get_or_add_trPr(), _element('<w:tblHeader w:val="true"/>'), ("tblCellSpacing", "jc", "hidden"))
    if borderless_requests:
        _remove_borders(requests)
    section = document.sections[0]
    if running_header:
        section.header.paragraphs[0].text = running_header
    if page_numbers:
        _page_number_footer(section.footer.paragraphs[0], page_numbers)
    document.save(str(path))
    return path


def _replace(paragraph, lines: list[str]) -> None:
    """Put ``lines`` in place of ``paragraph``, as paragraphs of its style."""
    paragraph.runs[0].text = lines[0]
    for run in paragraph.runs[1:]:
        run.text = ""
    anchor = paragraph
    for line in lines[1:]:
        element = copy.deepcopy(paragraph._p)
        anchor._p.addnext(element)
        from docx.text.paragraph import Paragraph

        anchor = Paragraph(element, paragraph._parent)
        anchor.runs[0].text = line
        for run in anchor.runs[1:]:
            run.text = ""


def _put(cell, value: str) -> None:
    paragraph = cell.paragraphs[0]
    for run in paragraph.runs:
        run.text = ""
    if paragraph.runs:
        paragraph.runs[0].text = value
    else:
        paragraph.add_run(value)


def _fill_tables(document, values: dict) -> None:
    active, requests, appeals = document.tables
    spec = spec_for("active", "2021")
    for row in spec.rows:
        cells = active.rows[ACTIVE_TEMPLATE_ROWS[row.key]].cells
        for n, column in enumerate(spec.columns_of(row)):
            _put(cells[1 + n], text(values["active"][(row.key, column.key)]))
    spec = spec_for("requests", "2021")
    for r, row in enumerate(spec.rows):
        cells = requests.rows[REQUESTS_FIRST_ROW + r].cells
        for c, column in enumerate(spec.columns):
            _put(cells[REQUESTS_FIRST_COLUMN + c], text(values["requests"][(row.key, column.key)]))
    spec = spec_for("appeals", "2021")
    cells = appeals.rows[APPEALS_ROW].cells
    for c, column in enumerate(spec.columns):
        _put(cells[c], text(values["appeals"][("cases", column.key)]))


def _element(xml: str):
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    return parse_xml(f"<w:wrap {nsdecls('w')}>{xml}</w:wrap>")[0]


def _place(parent, element, before: tuple[str, ...]) -> None:
    """Add ``element`` to ``parent`` before its first child named in ``before`` (the schema's order), else last."""
    from docx.oxml.ns import qn

    names = {qn(f"w:{name}") for name in before}
    following = next((child for child in parent if child.tag in names), None)
    if following is None:
        parent.append(element)
    else:
        following.addprevious(element)


def _remove_borders(table) -> None:
    """No border on the table or any of its cells."""
    from docx.oxml.ns import qn

    none = "".join(f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    properties = table._tbl.tblPr
    for old in properties.findall(qn("w:tblBorders")):
        properties.remove(old)
    _place(properties, _element(f"<w:tblBorders>{none}</w:tblBorders>"), ("shd", "tblLayout", "tblCellMar", "tblLook"))
    for cell in table._tbl.iter(qn("w:tc")):
        cell_properties = cell.get_or_add_tcPr()
        for old in cell_properties.findall(qn("w:tcBorders")):
            cell_properties.remove(old)
        after = ("shd", "noWrap", "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark")
        _place(cell_properties, _element(f"<w:tcBorders>{none}</w:tcBorders>"), after)


def _page_number_footer(paragraph, style: str) -> None:
    """A centred footer holding PAGE (and NUMPAGES) fields in the given style."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    def field(name: str):
        return parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" {name} "><w:r><w:t>1</w:t></w:r></w:fldSimple>')

    parts = {"dash": ["— ", "PAGE", " —"], "hyphen": ["- ", "PAGE", " -"], "of": ["第 ", "PAGE", " 页 共 ", "NUMPAGES", " 页"]}[
        style
    ]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for part in parts:
        if part in ("PAGE", "NUMPAGES"):
            paragraph._p.append(field(part))
        else:
            paragraph.add_run(part)


def export_pdf(sources: list[Path], folder: Path) -> list[Path]:
    """Convert DOCX files to PDF with LibreOffice, in one run with a profile of its own."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise RuntimeError("LibreOffice (soffice) is not installed: the Makefile installs libreoffice-writer")
    with tempfile.TemporaryDirectory(prefix="gk-lo-") as profile:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                *map(str, sources),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    out = [folder / (Path(source).stem + ".pdf") for source in sources]
    missing = [str(p) for p in out if not p.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice wrote no PDF for {missing}")
    return out


def scanned_pdf(source: Path, path: Path, resolution: int = 100) -> Path:
    """The pages of ``source`` as images in a PDF with no text layer, as a scanner makes them."""
    from PIL import Image

    with tempfile.TemporaryDirectory(prefix="gk-scan-") as folder:
        subprocess.run(["pdftoppm", "-r", str(resolution), "-gray", "-png", str(source), f"{folder}/page"], check=True)
        images = [Image.open(p).convert("L") for p in sorted(Path(folder).glob("page*.png"))]
        images[0].save(str(path), "PDF", resolution=float(resolution), save_all=True, append_images=images[1:])
    return path


def built_pdf(values: dict, path: Path, prose_repeats: int = 1, break_before: str | None = None) -> Path:
    """``gk build`` of the Markdown report holding ``values`` (pandoc, typst)."""
    from gkreport.services.build import build

    source = path.with_suffix(".md")
    source.write_text(markdown_report(values, prose_repeats=prose_repeats, break_before=break_before), encoding="utf-8")
    build(source, path)
    return path


def realistic_set(folder: Path, count: int, seed: int = 0) -> list[tuple[Path, dict]]:
    """``count`` report PDFs as published: two in three exported from the filled template by
    LibreOffice (one to three pages of prose, a running head, page numbers in three styles), one
    in three built by ``gk build``; each with the figures it holds."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    styles = ("dash", "of", "hyphen")
    out, sources = [], []
    for n in range(count):
        values = truth(seed * 1000 + n)
        repeats = rng.randint(1, 3)
        if n % 3 == 2:
            out.append((built_pdf(values, folder / f"built-{n:03}.pdf", repeats), values))
            continue
        header = rng.choice([None, "XX区人民政府办公室"])
        source = filled_template(
            values, folder / f"template-{n:03}.docx", prose_repeats=repeats, running_header=header, page_numbers=styles[n % 3]
        )
        sources.append(source)
        out.append((folder / f"template-{n:03}.pdf", values))
    if sources:
        export_pdf(sources, folder)
    return out


PDFTEXT_SEEDS = {"template-filled": 301, "build": 302}
PDFTEXT_MODES = {"layout": ["-layout"], "plain": [], "raw": ["-raw"]}


def pdftext_fixtures(folder: Path) -> list[Path]:
    """Write tests/forms/pdftext/: ``pdftotext`` of a filled template exported by LibreOffice and
    of a ``gk build`` PDF, in its three modes (``-layout``; the default; ``-raw``, the content
    stream's order), as "text extracted from PDFs by other tools" for the text recognizer.  Run by
    hand (``python tests/pdfmaterial.py``); the files are committed."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gk-pdftext-") as work:
        work = Path(work)
        source = filled_template(
            truth(PDFTEXT_SEEDS["template-filled"]),
            work / "template-filled.docx",
            running_header="XX区人民政府办公室",
            page_numbers="dash",
        )
        pdfs = {
            "template-filled": export_pdf([source], work)[0],
            "build": built_pdf(truth(PDFTEXT_SEEDS["build"]), work / "build.pdf"),
        }
        written = []
        for name, pdf in pdfs.items():
            for mode, options in PDFTEXT_MODES.items():
                text = subprocess.run(
                    ["pdftotext", *options, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
                ).stdout
                written.append(folder / f"{name}.{mode}.txt")
                written[-1].write_bytes(text)
    return written


if __name__ == "__main__":
    print("\n".join(map(str, pdftext_fixtures(REPO / "tests" / "forms" / "pdftext"))))
