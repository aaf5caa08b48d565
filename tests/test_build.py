"""gk new and gk build: official-style DOCX and PDF, draft mode, strict mode, missing fonts."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile

import pytest

from gkreport.cli import main

docx = pytest.importorskip("docx")
pypdf = pytest.importorskip("pypdf")
from docx.shared import Mm  # noqa: E402


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
    tables = re.findall(r"<w:tbl>.*?</w:tbl>", xml, re.S)
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
    cell = re.search(r"<w:tc>(?:(?!</w:tc>).)*commentRangeStart(?:(?!</w:tc>).)*</w:tc>", xml, re.S).group(0)
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
    import gkreport.build

    monkeypatch.setattr(gkreport.build, "cjk_fonts", lambda: [])
    status, _, err = build(capsys, repo_root / "examples" / "report.md", "-o", tmp_path / "x.pdf")
    assert status == 2 and "fonts-noto-cjk" in err and not (tmp_path / "x.pdf").exists()


def test_html_build_and_bad_output(capsys, repo_root, tmp_path):
    status, _, _ = build(capsys, repo_root / "examples" / "report.md", "-o", tmp_path / "r.html")
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert status == 0 and 'class="gk-signature"' in html and "rowspan=" in html
    status, _, err = build(capsys, repo_root / "examples" / "report.md", "-o", tmp_path / "r.odt")
    assert status == 2 and "docx" in err
