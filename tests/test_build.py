"""gk new and gk build: official-style DOCX and PDF, draft mode, strict mode, missing fonts."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from itertools import pairwise
from pathlib import Path

import pytest
from conftest import OUTPUT, REPO

from gkreport.render import geometry
from gkreport.services.build import build as build_document
from gkreport.cli import main
from gkreport.services.check import check_file
from gkreport.render.view import table_view
from gkreport.spec import official_layout
from gkreport.render.titleblock import title_lines

docx = pytest.importorskip("docx")
pypdf = pytest.importorskip("pypdf")


def build(capsys, *argv):
    status = main(["build", *map(str, argv)])
    out, err = capsys.readouterr()
    return status, out, err


def document_xml(path) -> str:
    return zipfile.ZipFile(path).read("word/document.xml").decode()


def test_docx_geometry_styles_and_merged_tables(capsys, repo_root, tmp_path):
    out = tmp_path / "report.docx"
    status, _, err = build(capsys, repo_root / "examples" / "report.md", "-o", out)
    assert status == 0, err
    document = docx.Document(str(out))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(x.mm) for x in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)] == [37, 35, 28, 26]
    used = {p.style.name for p in document.paragraphs}
    assert {"Title", "Heading 1", "Heading 2"} <= used and ("Body Text" in used or "First Paragraph" in used)
    styles = document.styles

    def east_asian(name):
        return styles[name].element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")

    assert (east_asian("Title"), styles["Title"].font.size.pt) == ("方正小标宋简体", 22)
    assert (east_asian("Heading 1"), east_asian("Heading 2")) == ("黑体", "楷体_GB2312")
    assert (east_asian("Body Text"), styles["Body Text"].font.size.pt) == ("仿宋_GB2312", 16)
    assert styles["Body Text"].paragraph_format.first_line_indent.pt == 32  # two characters
    footer = zipfile.ZipFile(out).read("word/footer1.xml").decode()
    assert "PAGE" in footer and "—" in footer
    xml = document_xml(out)
    tables = re.findall(r"<w:tbl>.*?</w:tbl>", xml, re.DOTALL)
    assert len(tables) == 3 and all('w:val="Table"' in t for t in tables)
    assert re.search(r'<w:gridSpan w:val="7"\s*/>', tables[1]) and re.search(r'<w:vMerge w:val="restart"\s*/>', tables[1])
    assert re.search(r'<w:gridSpan w:val="10"\s*/>', tables[2])
    signature = [p for p in document.paragraphs if p.style.name == "GK Signature"]
    assert [p.text for p in signature] == ["XX区XX局", "2025年1月20日"]
    comments = zipfile.ZipFile(out).read("word/comments.xml").decode() if "word/comments.xml" in zipfile.ZipFile(out).namelist() else ""
    assert "<w:comment " not in comments  # no marks without --draft


def test_draft_docx_has_comments_on_the_wrong_cell(capsys, repo_root, tmp_path):
    out = tmp_path / "draft.docx"
    status, _, err = build(capsys, repo_root / "examples" / "report.ipynb", "-o", out, "--draft")
    assert status == 0, err
    comments = zipfile.ZipFile(out).read("word/comments.xml").decode()
    assert "最可能出错的单元格" in comments and 'w:author="gk-check"' in comments
    xml = document_xml(out)
    cell = re.search(r"<w:tc>(?:(?!</w:tc>).)*commentRangeStart(?:(?!</w:tc>).)*</w:tc>", xml, re.DOTALL).group(0)
    assert re.findall(r"<w:t[^>]*>([^<]*)</w:t>", cell) == ["31"]
    assert "附：检查发现的问题" in xml


def test_strict_build_stops_on_an_error(capsys, repo_root, tmp_path):
    out = tmp_path / "strict.docx"
    status, _, err = build(capsys, repo_root / "examples" / "report.ipynb", "-o", out, "--strict")
    assert status == 1 and not out.exists()
    assert "suspect-cell" in err


def test_pdf_has_every_label_and_value(capsys, repo_root, output_dir):
    out = output_dir / "report.pdf"
    status, _, err = build(capsys, repo_root / "examples" / "report.md", "-o", out)
    assert status == 0, err
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in pypdf.PdfReader(str(out)).pages))
    for label in ("第二十条第(一)项", "行政规范性文件", "本年新收政府信息公开申请数量", "申请人情况", "法律服务机构",
                  "保护第三方合法权益", "结转下年度继续办理", "未经复议直接起诉", "复议后起诉", "结果维持", "尚未审结"):
        assert label in text, label
    for value in ("312", "12.5300", "66", "67", "58"):
        assert value in text
    assert "XX区XX局" in text and "—1—" in text
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "80", "-f", "2", "-l", "2", "-png", str(out), str(output_dir / "tables")], check=True)
        assert list(output_dir.glob("tables*.png"))


def test_new_then_build_gives_a_valid_docx_and_pdf(capsys, tmp_path):
    source = tmp_path / "report.md"
    assert main(["new", "--org", "XX县XX局", "--year", "2024", "-o", str(source)]) == 0
    assert main(["new", "--org", "XX县XX局", "--year", "2024", "-o", str(source)]) == 2  # no overwrite without --force
    text = source.read_text(encoding="utf-8")
    assert sum(line.startswith("+=") for line in text.splitlines()) == 2 and "第二十条第(一)项" in text  # 三 and 四 have head rows
    assert all(h in text for h in ("# 一、总体情况", "# 六、其他需要报告的事项"))
    capsys.readouterr()
    assert main(["check", str(source)]) == 0
    for suffix in ("docx", "pdf"):
        status, _, err = build(capsys, source, "-o", tmp_path / f"report.{suffix}")
        assert status == 0, err
    assert len(docx.Document(str(tmp_path / "report.docx")).tables) == 3
    assert len(pypdf.PdfReader(str(tmp_path / "report.pdf")).pages) >= 2


def test_new_in_the_2019_format(capsys):
    assert main(["new", "--org", "X", "--year", "2020"]) == 0
    out = capsys.readouterr().out
    assert "其他对外管理服务事项" in out and "(六)其他处理" in out


def test_without_chinese_fonts_the_pdf_build_says_what_to_install(capsys, repo_root, tmp_path, monkeypatch):
    import gkreport.services.build

    monkeypatch.setattr(gkreport.services.build, "cjk_fonts", list)
    status, _, err = build(capsys, repo_root / "examples" / "report.md", "-o", tmp_path / "x.pdf")
    assert status == 2 and "fonts-noto-cjk" in err and not (tmp_path / "x.pdf").exists()


def test_html_build_and_bad_output(capsys, repo_root, tmp_path):
    status, _, _ = build(capsys, repo_root / "examples" / "report.md", "-o", tmp_path / "r.html")
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert status == 0 and 'class="gk-signature"' in html and "rowspan=" in html
    status, _, err = build(capsys, repo_root / "examples" / "report.md", "-o", tmp_path / "r.odt")
    assert status == 2 and "docx" in err


# ---------------------------------------------------------------- pages a clerk would publish
#
# The documents are rendered as a reader gets them: the DOCX by LibreOffice (Debian
# libreoffice-writer, with Liberation Serif standing in for Times New Roman at its metrics), the
# PDF by typst; both read back with poppler (pdftotext).  One LibreOffice run converts every DOCX
# of the module.  The PDFs stay in tests/output/pages/ to be looked at.

FIVE_DIGITS = "five_digit_2024.md"
SHIFTS = (0, 3, 4, 7)  # prose paragraphs added before table 三: its rows, its lead-in and the headings after it meet the page end at different places
FILLER = "本机关持续规范政府信息公开申请办理工作，严格执行登记、审核、办理、答复、归档各环节要求。"


def pdf_pages(pdf, mode="-layout") -> list[str]:
    text = subprocess.run(["pdftotext", mode, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def libreoffice_pdfs(docx_files, outdir):
    """Every DOCX to PDF in one LibreOffice run, with a profile of its own (others may run LibreOffice too)."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    assert office, "LibreOffice (Debian libreoffice-writer) is missing: make install installs it"
    profile = (outdir / "lo-profile").resolve().as_uri()
    subprocess.run([office, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(outdir), *map(str, docx_files)],
                   check=True, capture_output=True, timeout=600)
    return [outdir / (Path(d).stem + ".pdf") for d in docx_files]


@pytest.fixture(scope="module")
def pages():
    """The five-digit report, as is and with prose pushing table 三 down, in DOCX (LibreOffice PDF) and typst PDF;
    and a page of plain prose (no signature, so nothing is kept with anything) for the line grid."""
    folder = OUTPUT / "pages"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    source = (REPO / "tests" / "fixtures" / FIVE_DIGITS).read_text(encoding="utf-8")
    sources = {}
    for shift in SHIFTS:
        sources[f"five-{shift}"] = source.replace("# 三、收到和处理政府信息公开申请情况", "\n\n".join([FILLER * 2] * shift + ["# 三、收到和处理政府信息公开申请情况"]))
    prose = "".join(FILLER for _ in range(40))
    sources["prose"] = "---\ntitle: 2024年XX县XX局政府信息公开工作年度报告\n---\n\n" + "\n\n".join(prose[i : i + 300].replace("，", "").replace("、", "").replace("。", "")
                                                                                     for i in range(0, len(prose), 300)) + "\n"
    built = {}
    for name, text in sources.items():
        markdown = folder / f"{name}.md"
        markdown.write_text(text, encoding="utf-8")
        build_document(markdown, folder / f"{name}.docx")
        build_document(markdown, folder / f"{name}-typst.pdf")
        built[name] = {"docx": folder / f"{name}.docx", "typst": folder / f"{name}-typst.pdf"}
    for name, pdf in zip(built, libreoffice_pdfs([b["docx"] for b in built.values()], folder)):
        built[name]["word"] = pdf
    return built


def figures() -> list[str]:
    """Every figure of the five-digit report's tables, written or deduced, as printed."""
    report = check_file(str(REPO / "tests" / "fixtures" / FIVE_DIGITS))
    return [table_view(t.checked).cells[ref].text for t in report.result.tables for ref in t.checked.values]


@pytest.mark.parametrize("kind", ["word", "typst"])
def test_every_figure_appears_whole(pages, kind):
    wanted = [f for f in figures() if len(f.replace(".", "")) >= 4]
    assert any(len(f) == 5 for f in wanted)
    for shift in SHIFTS:
        tokens = " ".join(pdf_pages(pages[f"five-{shift}"][kind])).split()
        missing = sorted({f for f in wanted if tokens.count(f) < wanted.count(f)})
        assert not missing, f"{kind} five-{shift}: figures broken or missing: {missing}"


@pytest.mark.parametrize("kind", ["word", "typst"])
def test_appeals_headers_are_words(pages, kind):
    """Table 四's fifteen columns: each header at most two lines of two characters, never one a line."""
    allowed = {"行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉", "结果", "维持", "纠正", "其他", "尚未", "审结", "总计"}
    lines = "\n".join(pdf_pages(pages["five-0"][kind])).splitlines()
    start = next(i for i, line in enumerate(lines) if line.split() == ["行政复议", "行政诉讼"])
    end = next(i for i in range(start, len(lines)) if lines[i].split() and all(w.isdigit() for w in lines[i].split()))
    words = [w for line in lines[start:end] for w in line.split()]
    assert words and set(words) <= allowed, sorted(set(words) - allowed)
    assert words.count("维持") == 3 and words.count("审结") == 3


def row_labels() -> list[str]:
    """The one-row labels of tables 二 and 三 that run over more than a few characters."""
    labels = []
    for table in ("active", "requests"):
        layout = official_layout(table, "2021")
        labels += [c.text for row in layout.body for c in row if c.role == "label" and c.rowspan == 1 and len(c.text) >= 5]
    return labels


@pytest.mark.parametrize("kind", ["word", "typst"])
def test_no_row_is_split_across_pages(pages, kind):
    """Each row label is found whole on one page: a row cut by a page end leaves its label in two pieces."""
    source = (REPO / "tests" / "fixtures" / FIVE_DIGITS).read_text(encoding="utf-8")
    prose = re.sub(r"\s+", "", "".join(line for line in source.splitlines() if not line.startswith("|")))
    split = []
    for shift in SHIFTS:
        texts = [re.sub(r"\s+", "", page) for page in pdf_pages(pages[f"five-{shift}"][kind], "-raw")]
        assert len(texts) >= 3
        for label in row_labels():
            if sum(page.count(label) for page in texts) != 1 + prose.count(label):
                split.append((shift, label))
    assert not split, f"{kind}: rows cut across pages: {split}"


@pytest.mark.parametrize("kind", ["word", "typst"])
def test_title_block(pages, kind):
    """The title on balanced lines, no line of one character, no date under it; the body and the
    Chinese date close the document."""
    first = [re.sub(r"\s+", "", line) for line in pdf_pages(pages["five-0"][kind])[0].splitlines() if line.strip()]
    expected = title_lines("2024年XX市XX区XX管理局政府信息公开工作年度报告")
    assert expected == ["2024年XX市XX区XX管理局", "政府信息公开工作年度报告"]
    assert first[:2] == expected
    assert first[2].startswith("本报告根据")  # no date line between the title and the body
    text = "\n".join(pdf_pages(pages["five-0"][kind]))
    assert "2025-01-20" not in text
    closing = [re.sub(r"\s+", "", line) for line in text.splitlines() if line.strip()][-3:]
    assert closing[:2] == ["XX市XX区XX管理局", "2025年1月20日"], closing


def _footer_words(pdf, page: int) -> list[tuple[float, float, str]]:
    """The words printed below the type area: (left, right, text)."""
    xml = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    bottom = geometry.pt(geometry.PAGE_MM[1] - geometry.MARGIN_BOTTOM_MM)
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', xml)
    return [(float(x0), float(x1), w) for x0, y0, x1, w in words if float(y0) > bottom]


def _ink_rows(pdf, page: int, box: tuple[float, float, float, float]) -> tuple[float, float]:
    """The top and bottom (pt from the page's top) of what is printed inside ``box`` (pt)."""
    x0, y0, x1, y1 = box
    scale = 4
    data = subprocess.run(["pdftoppm", "-gray", "-r", str(72 * scale), "-f", str(page), "-l", str(page), "-x", str(int(x0 * scale)),
                           "-y", str(int(y0 * scale)), "-W", str(int((x1 - x0) * scale)), "-H", str(int((y1 - y0) * scale)), str(pdf)],
                          capture_output=True, check=True).stdout
    _, size, _, pixels = data.split(b"\n", 3)
    width, height = map(int, size.split())
    rows = [y for y in range(height) if min(pixels[y * width : (y + 1) * width]) < 128]
    return y0 + rows[0] / scale, y0 + (rows[-1] + 1) / scale


@pytest.mark.parametrize("kind", ["word", "typst"])
def test_page_numbers_outside_and_below_the_type_area(pages, kind):
    """"— n —" one character in from the right on odd pages, from the left on even pages, its dashes
    7 mm under the type area (GB/T 9704-2012 7.5)."""
    pdf = pages["five-0"][kind]
    left = geometry.pt(geometry.MARGIN_LEFT_MM) + geometry.PAGE_NUMBER_PT
    right = geometry.pt(geometry.PAGE_MM[0] - geometry.MARGIN_RIGHT_MM) - geometry.PAGE_NUMBER_PT
    bottom = geometry.pt(geometry.PAGE_MM[1] - geometry.MARGIN_BOTTOM_MM)
    for page in (1, 2, 3):
        words = _footer_words(pdf, page)
        assert [w[2] for w in words] == ["—", str(page), "—"], words
        if page % 2:
            assert abs(words[-1][1] - right) < 1.5, (page, words)
        else:
            assert abs(words[0][0] - left) < 1.5, (page, words)
        dash = words[0]
        top, end = _ink_rows(pdf, page, (dash[0] + 1, bottom + 2, dash[1] - 1, bottom + 40))
        assert abs(geometry.mm((top + end) / 2 - bottom) - geometry.PAGE_NUMBER_BELOW_MM) < 1.0, (page, top, end)


@pytest.mark.parametrize("kind", ["word", "typst"])
def test_22_lines_of_28_characters(pages, kind):
    page = pdf_pages(pages["prose"][kind])[1]
    lines = [re.sub(r"\s+", "", line) for line in page.splitlines() if line.strip()]
    body, footer = lines[:-1], lines[-1]
    assert footer == "—2—"
    assert len(body) == geometry.LINES_PER_PAGE
    assert max(len(line) for line in body) == geometry.CHARS_PER_LINE
    assert sum(len(line) == geometry.CHARS_PER_LINE for line in body) >= 15
    xml = subprocess.run(["pdftotext", "-bbox", "-f", "2", "-l", "2", str(pages["prose"][kind]), "-"], capture_output=True, text=True, check=True).stdout
    tops = sorted({round(float(y), 1) for y in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)"', xml)})[: geometry.LINES_PER_PAGE]
    pitches = [b - a for a, b in pairwise(tops)]
    assert all(abs(p - geometry.LINE_PITCH_PT) < 0.15 for p in pitches), pitches


# ---------------------------------------------------------------- the DOCX as Word reads it

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _part(path, name: str) -> str:
    return zipfile.ZipFile(path).read(name).decode("utf-8")


def test_docx_rows_headers_footers_grid(pages):
    path = pages["five-0"]["docx"]
    xml = _part(path, "word/document.xml")
    tables = re.findall(r"<w:tbl>.*?</w:tbl>", xml, re.DOTALL)
    assert len(tables) == 3
    for table in tables:  # every row of every official table kept whole
        rows = re.findall(r"<w:tr>.*?</w:tr>", table, re.DOTALL)
        assert all("<w:cantSplit/>" in row for row in rows)
        assert '<w:tblW w:type="dxa" w:w="8844" />' in table  # the 156 mm type area
    header_rows = [len(re.findall(r"<w:tblHeader ", t)) for t in tables]
    assert header_rows == [0, 3, 3]  # table 二 has no head; 三 and 四 repeat their three header rows
    assert re.search(r"<w:evenAndOddHeaders ?/>", _part(path, "word/settings.xml"))
    sect = re.search(r"<w:sectPr>.*?</w:sectPr>", xml, re.DOTALL).group(0)
    assert re.search(r'<w:docGrid w:linePitch="579" w:type="lines" ?/>', sect)
    footers = dict(re.findall(r'<w:footerReference r:id="(rId\d+)" w:type="(\w+)"', sect))
    assert sorted(footers.values()) == ["default", "even"]
    rels = _part(path, "word/_rels/document.xml.rels")
    target = {rid: re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"', rels).group(0) for rid in footers}
    for rid, kind in footers.items():
        name = re.search(r'Target="([^"]+)"', target[rid]).group(1)
        footer = _part(path, f"word/{name}")
        assert "PAGE" in footer and footer.count("—") == 2
        if kind == "default":  # odd pages: right, one 4号 character in
            assert re.search(r'<w:jc w:val="right" ?/>', footer) and 'w:right="280"' in footer
        else:
            assert re.search(r'<w:jc w:val="left" ?/>', footer) and 'w:left="280"' in footer
        assert re.search(r'<w:sz w:val="28" ?/>', footer) and 'w:eastAsia="宋体"' in footer


def test_docx_styles_keep_headings_and_lead_ins_with_what_follows(pages):
    path = pages["five-0"]["docx"]
    document = docx.Document(str(path))
    styles = document.styles
    for name in ("Heading 1", "Heading 2", "Heading 3", "GK Lead-in"):
        assert styles[name].paragraph_format.keep_with_next, name
    body = styles["Body Text"].element.rPr
    assert body.find(f"{W}spacing").get(f"{W}val") == "-5"  # 16 pt condensed to 28 characters a line
    assert styles["Compact"].element.rPr.find(f"{W}spacing").get(f"{W}val") == "0"  # table text is not
    xml = _part(path, "word/document.xml")
    before = [xml[: m.start()].rsplit("<w:p>", 1)[1] for m in re.finditer(r"<w:tbl>", xml)]
    styles_before = [re.search(r'<w:pStyle w:val="([^"]+)"', p).group(1) for p in before]
    assert styles_before == ["Heading1", "GKLead-in", "Heading1"]  # table 三 has a lead-in sentence, 二 and 四 none


def test_docx_official_tables_only_are_fixed(tmp_path):
    from gkreport.render.docxlayout import fix_document

    own = '<w:tbl><w:tblPr><w:tblW w:type="pct" w:w="5000" /></w:tblPr><w:tblGrid><w:gridCol w:w="3960" /></w:tblGrid><w:tr><w:tc><w:p><w:r><w:t>我的表</w:t></w:r></w:p></w:tc></w:tr></w:tbl>'
    official = own.replace("我的表", "第二十条第(一)项")
    fixed, count = fix_document(f"<w:body>{own}{official}</w:body>")
    assert count == 1
    assert fixed.startswith(f"<w:body>{own}")  # untouched
    assert "<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc>" in fixed and '<w:gridCol w:w="8844" />' in fixed


# ---------------------------------------------------------------- plain pandoc, and gk reference-doc


def _venv_env():
    import os
    import sys

    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def test_reference_doc_prints_the_bundled_templates(capsys):
    for kind, name in ((None, "reference.docx"), ("typst", "gkreport.typst"), ("css", "gkreport.css")):
        assert main(["reference-doc"] + ([kind] if kind else [])) == 0
        path = Path(capsys.readouterr().out.strip())
        assert path.name == name and path.is_file()


def test_plain_pandoc_to_pdf_through_the_typst_command(pandoc_bin, tmp_path):
    """pandoc report.md --filter gk-check --pdf-engine=typst -o report.pdf, in the venv of the set-up: no LaTeX."""
    env = _venv_env()
    assert shutil.which("typst", path=env["PATH"]) == str(Path(env["PATH"].split(":")[0]) / "typst")  # the console script
    source = REPO / "tests" / "fixtures" / FIVE_DIGITS
    plain = tmp_path / "plain.pdf"
    result = subprocess.run([pandoc_bin, str(source), "--filter", "gk-check", "--pdf-engine=typst", "-o", str(plain)], env=env, capture_output=True, cwd=tmp_path, check=False)
    assert result.returncode == 0, result.stderr.decode()
    text = " ".join(pdf_pages(plain))
    assert "55081" in text.split() and "申请人情况" in text
    official = tmp_path / "official.pdf"
    template = subprocess.run(["gk", "reference-doc", "typst"], env=env, capture_output=True, text=True, check=True).stdout.strip()
    result = subprocess.run([pandoc_bin, str(source), "--filter", "gk-check", "--pdf-engine=typst", "--template", template, "-o", str(official)],
                            env=env, capture_output=True, cwd=tmp_path, check=False)
    assert result.returncode == 0, result.stderr.decode()
    reader = pypdf.PdfReader(str(official))
    assert [round(float(x)) for x in reader.pages[0].mediabox[2:]] == [595, 842]  # A4
    assert not list(tmp_path.glob("toPdfViaTempFile*"))  # pandoc's temporary files are gone


def test_plain_pandoc_docx_with_the_reference_doc(pandoc_bin, tmp_path):
    env = _venv_env()
    reference = subprocess.run(["gk", "reference-doc"], env=env, capture_output=True, text=True, check=True).stdout.strip()
    out = tmp_path / "plain.docx"
    result = subprocess.run([pandoc_bin, str(REPO / "examples" / "report.md"), "--filter", "gk-check", "--reference-doc", reference, "-o", str(out)],
                            env=env, capture_output=True, check=False)
    assert result.returncode == 0, result.stderr.decode()
    section = docx.Document(str(out)).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert section.even_page_footer.paragraphs[0].text.strip().startswith("—")
    assert re.search(r"<w:evenAndOddHeaders ?/>", _part(out, "word/settings.xml"))
    styles = _part(out, "word/styles.xml")
    assert re.search(r'w:styleId="Table".*?<w:insideV [^>]*w:val="single"', styles, re.DOTALL)  # bordered tables


def test_typst_command_answers_compile_as_pandoc_calls_it(tmp_path, capsys):
    from gkreport.typst_command import main as typst_main

    (tmp_path / "fonts").mkdir()
    source = tmp_path / "in.typ"
    source.write_text("#set page(paper: \"a5\")\n= 标题\n正文 #sys.inputs.at(\"who\", default: \"\")\n", encoding="utf-8")
    assert typst_main(["compile", "--root", str(tmp_path), "--font-path", str(tmp_path / "fonts"), "--input", "who=gk", str(source), str(tmp_path / "out.pdf")]) == 0
    assert "正文 gk" in " ".join(pdf_pages(tmp_path / "out.pdf"))
    assert typst_main(["c", str(source)]) == 0 and (tmp_path / "in.pdf").is_file()
    source.write_text("#let x = (\n", encoding="utf-8")
    assert typst_main(["compile", str(source), str(tmp_path / "bad.pdf")]) == 1
    assert "error" in capsys.readouterr().err and not (tmp_path / "bad.pdf").exists()
    assert typst_main(["--version"]) == 0 and capsys.readouterr().out.startswith("typst 0.")


# ---------------------------------------------------------------- the skeleton and the official template


def test_new_skeleton_has_all_three_tables(capsys, tmp_path):
    source = tmp_path / "report.md"
    assert main(["new", "--org", "XX县XX局", "--year", "2024", "-o", str(source)]) == 0
    capsys.readouterr()
    main(["check", str(source), "--format", "json"])
    assert "missing-table" not in capsys.readouterr().out


def test_blank_official_template_has_all_three_tables(capsys, shared_reports):
    main(["check", str(shared_reports / "official-template-2021.docx"), "--format", "json"])
    assert "missing-table" not in capsys.readouterr().out


def test_html_title_block(capsys, tmp_path):
    out = tmp_path / "r.html"
    status, _, err = build(capsys, REPO / "tests" / "fixtures" / FIVE_DIGITS, "-o", out)
    assert status == 0, err
    html = out.read_text(encoding="utf-8")
    assert re.search(r'<h1 class="title">2024年XX市XX区XX管理局<br />\s*政府信息公开工作年度报告</h1>', html)
    assert "2025-01-20" not in html and 'class="date"' not in html
    assert re.search(r'<div class="gk-signature"[^>]*>.*XX市XX区XX管理局.*2025年1月20日', html, re.DOTALL)


def test_html_title_lines_centred_in_the_browser(capsys, tmp_path):
    """Chromium (Debian's, through Playwright): each line of the title centred on the text column,
    the body indented two characters, the signature to the right."""
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("/usr/bin/chromium is absent: make install installs it")
    sync_api = pytest.importorskip("playwright.sync_api")
    out = tmp_path / "r.html"
    status, _, err = build(capsys, REPO / "tests" / "fixtures" / FIVE_DIGITS, "-o", out)
    assert status == 0, err
    measure = """() => {
      const column = document.body.getBoundingClientRect();
      const title = document.querySelector('h1.title');
      const lines = [...title.childNodes].filter(n => n.nodeType === 3 && n.textContent.trim()).map(n => {
        const range = document.createRange(); range.selectNodeContents(n); const r = range.getBoundingClientRect();
        return [r.left - column.left, column.right - r.right];
      });
      const signature = [...document.querySelectorAll('.gk-signature p')].map(p => {
        const range = document.createRange(); range.selectNodeContents(p); const r = range.getBoundingClientRect();
        return [r.left, r.right];
      });
      return {lines, signature, width: column.width};
    }"""
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=["--no-sandbox", "--disable-gpu"], timeout=30_000)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 1200})
            page.goto(out.as_uri())
            found = page.evaluate(measure)
            page.screenshot(path=str(OUTPUT / "pages" / "html-title.png") if (OUTPUT / "pages").is_dir() else str(tmp_path / "t.png"))
        finally:
            browser.close()
    assert len(found["lines"]) == 2
    for left, right in found["lines"]:
        assert abs(left - right) < 2, found  # centred: as much room on either side
    (org_left, org_right), (date_left, date_right) = found["signature"]
    assert date_left > org_left and org_right < date_right  # the date starts right of the body's name, ends further right


@pytest.mark.parametrize("kind", ["word", "typst"])
def test_no_page_ends_on_a_heading_or_a_lead_in(pages, kind):
    """A heading keeps with what follows it, and the sentence introducing table 三 with the table."""
    headings = ("一、总体情况", "（一）主动公开", "（二）依申请公开", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")
    ends = []
    for shift in SHIFTS:
        for number, page in enumerate(pdf_pages(pages[f"five-{shift}"][kind])[:-1], 1):
            lines = [re.sub(r"\s+", "", line) for line in page.splitlines() if line.strip()][:-1]  # less the page number
            if lines[-1] in headings or lines[-1].endswith("推算填写。"):
                ends.append((shift, number, lines[-1]))
    assert not ends, ends


@pytest.mark.parametrize("ask", ["metadata", "environment"])
def test_title_block_of_a_report_without_tables(pandoc_bin, ask):
    """sign applies to a document the filter would otherwise pass through untouched (no table in it)."""
    meta = "gk-check:\n  sign: true\n" if ask == "metadata" else ""
    source = f"---\ntitle: 2024年XX县XX局政府信息公开工作年度报告\norg: XX县XX局\ndate: 2025-01-31\n{meta}---\n\n正文。\n"
    env = _venv_env()
    if ask == "environment":
        env["GK_CHECK_SIGN"] = "true"
    result = subprocess.run([pandoc_bin, "-f", "markdown", "-t", "html", "--filter", "gk-check", "--standalone"],
                            input=source.encode(), env=env, capture_output=True, check=True)
    html = result.stdout.decode()
    assert re.search(r'<h1 class="title">2024年XX县XX局<br />\s*政府信息公开工作年度报告</h1>', html)
    assert "2025-01-31" not in html and "2025年1月31日" in html
