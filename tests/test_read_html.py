"""The in-process HTML reader (gkreport.readers.html): real and generated government pages, GBK,
layout and nested tables, broken markup, empty cells, navigation, metadata; hypothesis for robustness."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gkreport.grid import GridCell
from gkreport.model import Heading, Paragraph, Table
from gkreport.readers.files import ReadError, read_document
from gkreport.readers.html import read_html
from gkreport.checks.report import check_model
from gkreport.services.check import check_document
from gkreport.testing.forms import make_report
from gkreport.testing.pages import BROKEN, report_page, table_html
from gkreport.testing.values import consistent_appeals, consistent_requests
from gkreport.testing.variants import Style


def page(
    tmp_path: Path, body: str, head: str = '<meta charset="utf-8">', name: str = "page.html", encoding: str = "utf-8"
) -> Path:
    path = tmp_path / name
    path.write_bytes(f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>".encode(encoding))
    return path


def tables(document) -> list[list[list[tuple[str, int, int]]]]:
    return [[[(c.text, c.rowspan, c.colspan) for c in row] for row in b.grid] for b in document.blocks if isinstance(b, Table)]


def texts(document) -> list[tuple[str, str]]:
    return [(type(b).__name__, b.text) for b in document.blocks if not isinstance(b, Table)]


def findings(result) -> list[tuple]:
    return [(f.code, f.severity, f.table, f.row, f.column, f.given, f.expected, f.message("en")) for f in result.findings]


def requests_page(tmp_path: Path, values: dict, fmt: str = "2021", wrap=lambda table: table, **kwargs) -> Path:
    table = table_html(random.Random(1), "requests", fmt, values)
    body = f"<h1>2024年XX局政府信息公开工作年度报告</h1><p>三、收到和处理政府信息公开申请情况</p>{wrap(table)}"
    return page(tmp_path, body, **kwargs)


# ---------------------------------------------------------------- the real page


@pytest.fixture(scope="module")
def shanghai():
    from conftest import SHARED_REPORTS

    path = SHARED_REPORTS / "shanghai-gov-office-2019.html"
    if not path.is_file():
        pytest.skip("../shared/domain/reports is absent")
    return path


def test_shanghai_reads_back_cell_for_cell(shanghai):
    document = read_html(shanghai)
    assert document.metadata["title"] == "2019年上海市人民政府办公厅政府信息公开工作年度报告"
    result = check_model(document)
    assert (result.year, result.format) == (2019, "2019")
    assert [(t.table, t.format) for t in result.tables] == [("active", "2019"), ("requests", "2019"), ("appeals", "2019")]
    active, requests, appeals = (t.recognized.cells for t in result.tables)
    hand_read = [
        (active, "regulations", "made", 13),
        (active, "regulations", "total_published", 524),
        (active, "normative_documents", "total_published", 368),
        (active, "licensing", "decisions", 0),
        (active, "procurement", "procurement_items", 6),
        (active, "procurement", "procurement_amount", Decimal("25.1")),  # 251000元
        (requests, "new", "natural", 821),
        (requests, "new", "total", 859),
        (requests, "carried_over", "natural", 18),
        (requests, "granted", "natural", 258),
        (requests, "unavailable_not_held", "natural", 252),
        (requests, "rejected_petition", "natural", 148),
        (requests, "handled_total", "total", 805),
        (requests, "carried_forward", "natural", 72),
        (appeals, "cases", "reconsideration_upheld", 5),
        (appeals, "cases", "reconsideration_pending", 2),
        (appeals, "cases", "reconsideration_total", 7),
        (appeals, "cases", "direct_suit_upheld", 8),
        (appeals, "cases", "direct_suit_pending", 1),
        (appeals, "cases", "direct_suit_total", 9),
    ]
    for cells, row, column, value in hand_read:
        assert cells[(row, column)].value == value, (row, column)
    # &nbsp; cells are blank, not zero and not lost: the checker deduces them
    assert requests[("new", "research")].state == "blank" and requests[("granted", "total")].state == "blank"
    assert appeals[("cases", "suit_after_total")].state == "blank"
    assert result.tables[1].checked.values[("granted", "total")] == 272


def test_shanghai_same_tables_and_findings_as_the_pandoc_path(shanghai):
    ours = check_model(read_html(shanghai))
    pandoc = check_document(read_document(shanghai))
    assert findings(ours) == findings(pandoc)
    assert {f.code for f in ours.findings if f.severity == "warning"} == {"prose-table-mismatch", "prose-percentage-mismatch"}
    for mine, theirs in zip(ours.tables, pandoc.tables, strict=True):
        assert mine.recognized.cells == theirs.recognized.cells
        assert mine.checked.values == theirs.checked.values


def test_shanghai_text_is_read_in_order_with_its_sections(shanghai):
    document = read_html(shanghai)
    paragraphs = [b.text for b in document.blocks if isinstance(b, Paragraph)]
    assert paragraphs[0] == "2019年上海市人民政府办公厅政府信息公开工作年度报告" and paragraphs[1] == "发布日期：2020-01-31"
    kinds = [type(b).__name__ for b in document.blocks]
    assert kinds.count("Table") == 3
    heading = paragraphs.index("四、政府信息公开行政复议、行政诉讼情况")  # after a <br> that opens its <p>
    assert paragraphs[heading + 1] == "五、政府信息公开工作存在的主要问题及改进情况" and paragraphs[-1] == "无。"
    assert not any(f.code == "missing-section" for f in check_model(document).findings)


# ---------------------------------------------------------------- generated CMS pages


@pytest.mark.parametrize("seed", range(8))
def test_generated_cms_pages_read_back_exactly(tmp_path, seed):
    """Navigation, breadcrumb, scripts, GBK or UTF-8, layout tables, &nbsp; zeros, labels split by <br>."""
    rng = random.Random(seed)
    report = make_report(rng, style=Style())
    path = tmp_path / "report.html"
    path.write_bytes(report_page(rng, report))
    document = read_html(path)
    result = check_model(document)
    assert [t.table for t in result.tables] == ["active", "requests", "appeals"]
    for table in result.tables:
        assert table.checked.values == report.truth[table.table]
    assert not [f for f in result.findings if f.severity != "info"]
    assert document.metadata["title"].endswith("政府信息公开工作年度报告")
    everything = "\n".join(text for _, text in texts(document))
    for chrome in ("网站地图", "当前位置", "政府信息公开指南", "网站标识码", "_hmt", "font-family"):
        assert chrome not in everything  # menus, breadcrumb, footer, scripts and styles are left out
    assert all(text in everything for _, paragraphs in report.words.sections for text in paragraphs)


def test_gbk_page_declared_gb2312(tmp_path):
    """Characters outside GB2312 (镕, 堃) in a page declaring gb2312, as GBK pages do."""
    values = consistent_requests(random.Random(2))
    body = "<p>朱镕基路XX局、李堃同志</p>"
    path = requests_page(
        tmp_path, values, head='<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', encoding="gbk"
    )
    path.write_bytes(path.read_bytes().replace(b"<h1>", body.encode("gbk") + b"<h1>"))
    document = read_html(path)
    assert ("Paragraph", "朱镕基路XX局、李堃同志") in texts(document)
    assert check_model(document).tables[0].checked.values == values


@pytest.mark.parametrize(
    "head, encoding, bom",
    [
        ("", "gbk", b""),  # nothing declared: UTF-8 fails, GB18030 reads it
        ('<meta charset="utf-8">', "gbk", b""),  # declared wrongly: sniffed
        ('<meta charset="gb2312">', "utf-8", b""),  # declared wrongly the other way
        ('<meta charset="gb2312">', "utf-8", b"\xef\xbb\xbf"),  # a byte-order mark wins
        ('<meta charset="iso-8859-1">', "utf-8", b""),  # a Western charset on a Chinese page is not trusted
        ('<meta charset="big5">', "big5", b""),
    ],
)
def test_encodings(tmp_path, head, encoding, bom):
    title, text = ("2024年年度報告", "政府資訊公開") if encoding == "big5" else ("2024年年度报告", "政府信息公开")
    path = tmp_path / "page.html"
    path.write_bytes(bom + f"<html><head>{head}<title>{title}</title></head><body><p>{text}</p></body></html>".encode(encoding))
    document = read_html(path)
    assert document.metadata["title"] == title
    assert texts(document) == [("Paragraph", text)]


# ---------------------------------------------------------------- layout and nested tables


def test_report_inside_a_layout_table(tmp_path):
    values = consistent_requests(random.Random(3))
    appeals = consistent_appeals(random.Random(3))
    rng = random.Random(4)
    inner = (
        "<h1>2024年XX局政府信息公开工作年度报告</h1><p>一、总体情况</p><p>本年度，本局认真贯彻条例。</p>"
        f"<p>三、收到和处理政府信息公开申请情况</p>{table_html(rng, 'requests', '2021', values)}"
        f"<p>四、政府信息公开行政复议、行政诉讼情况</p>{table_html(rng, 'appeals', '2021', appeals)}"
        "<p>五、存在的主要问题及改进情况</p>"
    )
    body = (
        '<table width="1000"><tr><td width="200">'
        '<table><tr><td><a href="#">机构概况</a></td></tr><tr><td>政策文件</td></tr></table></td>'
        f'<td width="800">{inner}</td></tr><tr><td colspan="2">XX局 2025年1月20日</td></tr></table>'
    )
    document = read_html(page(tmp_path, body))
    assert len(tables(document)) == 2  # the two data tables; neither the layout table nor the one-column menu
    assert ("Heading", "2024年XX局政府信息公开工作年度报告") in texts(document)
    assert ("Paragraph", "本年度，本局认真贯彻条例。") in texts(document)
    assert ("Paragraph", "机构概况") in texts(document)  # a one-column table is read as paragraphs, not dropped
    assert texts(document)[-1] == ("Paragraph", "XX局 2025年1月20日")
    result = check_model(document)
    assert [t.table for t in result.tables] == ["requests", "appeals"]
    assert result.tables[0].checked.values == values and result.tables[1].checked.values == appeals


def test_nested_tables_are_found_at_any_depth(tmp_path):
    values = consistent_requests(random.Random(5))
    data = table_html(random.Random(5), "requests", "2021", values)
    wrap = lambda t: f"<table><tr><td><div><table><tr><td><h3>表三</h3>{t}</td><td>右栏</td></tr></table></div></td></tr></table>"  # noqa: E731
    document = read_html(requests_page(tmp_path, values, wrap=wrap))
    assert ("Heading", "表三") in texts(document) and ("Paragraph", "右栏") in texts(document)
    assert len(tables(document)) == 1
    assert check_model(document).tables[0].checked.values == values
    assert data  # the same table, found inside two layout tables


def test_a_cell_of_prose_makes_a_layout_table(tmp_path):
    prose = "本机关严格落实条例要求，主动公开各类信息。" * 10 + "依申请公开工作规范有序。"
    document = read_html(page(tmp_path, f"<table><tr><td>左</td><td><p>{prose}</p><p>第二段。</p></td></tr></table>"))
    assert tables(document) == []
    assert texts(document) == [("Paragraph", "左"), ("Paragraph", prose), ("Paragraph", "第二段。")]


def test_a_data_table_with_a_note_row_stays_a_table(tmp_path):
    note = "注：本表数据统计期限为2024年1月1日至12月31日，单位为件。"
    document = read_html(
        page(tmp_path, f"<table><tr><td>行政许可</td><td>12</td></tr><tr><td colspan=2>{note}</td></tr></table>")
    )
    assert tables(document) == [[[("行政许可", 1, 1), ("12", 1, 1)], [(note, 1, 2)]]]


def test_role_presentation_is_a_layout_table(tmp_path):
    document = read_html(page(tmp_path, '<table role="presentation"><tr><td>甲</td><td>乙</td></tr></table>'))
    assert tables(document) == [] and texts(document) == [("Paragraph", "甲"), ("Paragraph", "乙")]


# ---------------------------------------------------------------- cells


def test_cell_text_lines_are_joined_sensibly(tmp_path):
    body = (
        "<table><tr><td>本年新<br />制作数量</td><td><p>法人或</p><p>其他组织</p></td><td>12<br>34</td>"
        "<td><p>12</p>3</td><td><p align=center><span style='font-size:10pt'>1,234</span></p></td>"
        "<td>Total<br>cases</td><td>合计<br>5</td><td><p>7<script>var x = 1;</script></p></td></tr></table>"
    )
    (grid,) = tables(read_html(page(tmp_path, body)))
    assert [c[0] for c in grid[0]] == ["本年新制作数量", "法人或其他组织", "12 34", "12 3", "1,234", "Total cases", "合计 5", "7"]


def test_empty_cells_are_blank(tmp_path):
    body = (
        "<table><tr><td></td><td>&nbsp;</td><td><p>&nbsp;</p></td><td>\u3000</td>"
        "<td> <br> </td><td><o:p></o:p></td><td>0</td></tr></table>"
    )
    (grid,) = tables(read_html(page(tmp_path, body)))
    assert [c[0] for c in grid[0]] == ["", "", "", "", "", "", "0"]


def test_blank_cells_of_table_three_are_blank_values_not_zeros(tmp_path):
    values = consistent_requests(random.Random(6))
    html = table_html(random.Random(0), "requests", "2021", values)
    html = html.replace('font-family:宋体">0</span>', 'font-family:宋体">&nbsp;</span>')
    path = page(tmp_path, f"<p>2024年年度报告</p>{html}")
    result = check_model(read_html(path))
    cells = result.tables[0].recognized.cells
    zeros = [key for key, value in values.items() if value == 0]
    assert zeros and all(cells[key].state == "blank" for key in zeros)
    assert result.tables[0].checked.values == values


def test_spans_read_as_a_browser_reads_them(tmp_path):
    body = (
        '<table><tr><td rowspan="2px">甲</td><td colspan=" 2 ">乙</td><td rowspan="abc">丙</td></tr>'
        '<tr><td colspan="0">丁</td><td rowspan="0">戊</td><td>己</td></tr><tr><td>庚</td><td rowspan="99">辛</td></tr></table>'
    )
    assert tables(read_html(page(tmp_path, body))) == [
        [[("甲", 2, 1), ("乙", 1, 2), ("丙", 1, 1)], [("丁", 1, 1), ("戊", 2, 1), ("己", 1, 1)], [("庚", 1, 1), ("辛", 1, 1)]]
    ]


# ---------------------------------------------------------------- broken markup


def test_broken_markup_reads_as_a_browser_builds_it(tmp_path):
    def read(name):
        return read_html(page(tmp_path, BROKEN[name], head=""))

    cells = [[("行政许可", 1, 1), ("12", 1, 1), ("3", 1, 1)], [("行政处罚", 1, 1), ("4", 1, 1), ("5", 1, 1)]]
    assert tables(read("unclosed cells and rows")) == [cells]
    assert texts(read("unclosed cells and rows")) == [("Paragraph", "后文")]
    document = read("table left open at the end")
    assert tables(document) == [[[("行政许可", 1, 1), ("12", 1, 1)]]] and texts(document) == [
        ("Paragraph", "二、主动公开政府信息情况")
    ]
    document = read("table inside an open p (no doctype)")
    assert tables(document) == [cells] and texts(document) == [("Paragraph", "说明如下："), ("Paragraph", "表后文字")]
    document = read("text between rows (foster parenting)")
    assert texts(document) == [("Paragraph", "注：单位为件")]  # moved before the table, as a browser shows it
    assert tables(document) == [[[("行政许可", 1, 1), ("12", 1, 1)], [("行政处罚", 1, 1), ("4", 1, 1)]]]
    assert tables(read("font misnested across cells")) == [[[("行政许可", 1, 1), ("12", 1, 1)]]]
    document = read("inner table never closed")  # </td> cannot close the outer cell: 外层二 is a cell of the inner table
    assert tables(document) == [[[("行政许可", 1, 1), ("12", 1, 1)], [("外层二", 1, 1)]]]
    assert [t for k, t in texts(document)] == ["外层", "后文"]
    document = read("Word paste debris")
    assert texts(document) == [("Paragraph", "一、总体情况")] and tables(document) == [[[("行政许可", 1, 1), ("12", 1, 1)]]]
    assert tables(read("stray end tags")) == [[[("行政许可", 1, 1), ("12", 1, 1)]]]
    document = read("rows outside a table")
    assert texts(document)[0] == ("Paragraph", "行政许可12") and tables(document) == [[[("行政处罚", 1, 1), ("4", 1, 1)]]]
    document = read("two html documents in one file")
    assert texts(document) == [("Paragraph", "前文")] and tables(document) == [[[("行政许可", 1, 1), ("12", 1, 1)]]]
    assert [row[0][0] for row in tables(read("footer and rows in the wrong order"))[0]] == ["信息内容", "行政许可", "合计"]
    assert tables(read("table inside a span and a form")) == [[[("行政许可", 1, 1), ("12", 1, 1)]]]
    assert tables(read("entities without semicolons")) == [[[("行政许可", 1, 1), ("12", 1, 1), ("3", 1, 1)]]]
    assert tables(read("br and select inside a table")) == [[[("行政许可事项", 1, 1), ("12", 1, 1)]]]
    assert tables(read("a less-than sign in a cell")) == [[[("数量<5件", 1, 1), ("1 < 2", 1, 1)]]]
    assert texts(read("end br and unclosed list")) == [
        ("Paragraph", "一"),
        ("Paragraph", "二"),
        ("Paragraph", "甲\n乙"),
        ("Paragraph", "丙丁"),
    ]
    document = read("comment never closed")
    assert texts(document) == [("Paragraph", "前文")] and tables(document) == []
    assert tables(read("junk spans")) == [[[("行政许可", 2, 1), ("12", 1, 2)], [("3", 1, 1), ("4", 1, 1)]]]
    document = read("caption and th")
    assert texts(document) == [("Paragraph", "表二 主动公开")]
    assert tables(document) == [[[("信息内容", 1, 1), ("数量", 1, 1)], [("行政许可", 1, 1), ("12", 1, 1)]]]


def test_every_broken_sample_has_an_expectation():
    import inspect

    source = inspect.getsource(test_broken_markup_reads_as_a_browser_builds_it)
    assert [name for name in BROKEN if f'read("{name}")' not in source] == []


# ---------------------------------------------------------------- text, navigation, metadata


def test_headings_paragraphs_lists_and_line_breaks(tmp_path):
    body = (
        "<h1>2024年XX局<br>政府信息公开工作年度报告</h1><h2>一、总体情况</h2><div>div 的文字<p>段落</p>尾巴</div>"
        "<ul><li>第一项</li><li>第二项</li></ul><p>第一行<br>第二行<br><br>第三行</p><pre>甲  乙\n丙</pre>"
        "<p>主动公开信息&nbsp;&nbsp;条</p><p>&nbsp;</p><h3>　</h3>"
    )
    document = read_html(page(tmp_path, body))
    assert texts(document) == [
        ("Heading", "2024年XX局政府信息公开工作年度报告"),
        ("Heading", "一、总体情况"),
        ("Paragraph", "div 的文字"),
        ("Paragraph", "段落"),
        ("Paragraph", "尾巴"),
        ("Paragraph", "第一项"),
        ("Paragraph", "第二项"),
        ("Paragraph", "第一行\n第二行\n第三行"),
        ("Paragraph", "甲 乙\n丙"),
        ("Paragraph", "主动公开信息  条"),  # &nbsp; is kept: the empty figure stays visible to the prose check
    ]
    assert [b.level for b in document.blocks if isinstance(b, Heading)] == [1, 2]
    assert document.metadata["title"] == "2024年XX局政府信息公开工作年度报告"


def test_a_table_flattened_into_paragraphs_stays_text(tmp_path):
    cells = ["一、本年新收政府信息公开申请数量", "3", "0", "0", "0", "0", "0", "3"]
    document = read_html(page(tmp_path, "".join(f"<p>{c}</p>" for c in cells) + "<p>行政许可 | 12 | 3</p>"))
    assert tables(document) == []
    assert [t for _, t in texts(document)] == cells + ["行政许可 | 12 | 3"]


def test_navigation_is_left_out_but_never_the_report(tmp_path):
    body = (
        '<header><a href="/">首页</a></header><nav><a>政务公开</a></nav><div id="topNav">网站导航</div>'
        '<div class="sub-menu"><ul><li>政府信息公开年报</li></ul></div><div class="breadcrumbs">当前位置：首页 &gt; 年报</div>'
        '<div role="navigation">快速通道</div><aside>友情链接</aside>'
        '<div class="article-footer">XX局<br>2025年1月20日</div>'  # the report's signature in a "footer"
        '<div class="footer-note">本报告中数据统计期限为2024年1月1日至12月31日。</div>'  # a sentence
        '<div class="nav-content"><table><tr><td>行政许可</td><td>12</td></tr></table></div>'  # a table
        "<header><h1>2024年XX局政府信息公开工作年度报告</h1></header>"  # a heading
        '<div class="footer">版权所有：XX局 网站标识码 3100000001</div><div class="canvas">画布</div><p class="footnote">脚注</p>'
    )
    document = read_html(page(tmp_path, body))
    assert texts(document) == [
        ("Paragraph", "XX局\n2025年1月20日"),
        ("Paragraph", "本报告中数据统计期限为2024年1月1日至12月31日。"),
        ("Heading", "2024年XX局政府信息公开工作年度报告"),
        ("Paragraph", "画布"),
        ("Paragraph", "脚注"),
    ]
    assert tables(document) == [[[("行政许可", 1, 1), ("12", 1, 1)]]]


@pytest.mark.parametrize(
    "head, body, title",
    [
        (
            '<title>XX市人民政府</title><meta name="ArticleTitle" content="2024年XX局政府信息公开工作年度报告">',
            "",
            "2024年XX局政府信息公开工作年度报告",
        ),
        (
            "<title>XX市人民政府门户网站</title>",
            "<h1>2024年XX局政府信息公开工作年度报告</h1>",
            "2024年XX局政府信息公开工作年度报告",
        ),
        (
            "<title>XX市人民政府门户网站</title>",
            "<p>首页</p><p>XX局2024年政府信息公开工作年度报告</p>",
            "XX局2024年政府信息公开工作年度报告",
        ),
        ("<title>XX市人民政府门户网站</title>", "<p>正文</p>", "XX市人民政府门户网站"),
        ("", "<p>正文</p>", None),
    ],
)
def test_title(tmp_path, head, body, title):
    assert read_html(page(tmp_path, body, head=head)).metadata.get("title") == title


def test_publication_date_from_meta(tmp_path):
    head = '<meta name="PubDate" content="2025-01-20 09:30"><meta name="keywords" content="年报">'
    document = read_html(page(tmp_path, "<p>2024年年度报告</p>", head=head))
    assert document.metadata["date"] == "2025-01-20 09:30"
    head = '<meta property="article:published_time" content="2025-03-02T08:00:00+08:00">'
    assert read_html(page(tmp_path, "", head=head)).metadata["date"] == "2025-03-02T08:00:00+08:00"
    assert "date" not in read_html(page(tmp_path, "", head='<meta name="date" content="unknown">')).metadata


# ---------------------------------------------------------------- errors and robustness


def test_read_errors(tmp_path):
    with pytest.raises(ReadError) as missing:
        read_html(tmp_path / "absent.html")
    assert missing.value.kind == "missing" and "absent.html" in str(missing.value)
    with pytest.raises(ReadError) as folder:
        read_html(tmp_path)
    assert folder.value.kind == "not-a-file"
    binary = tmp_path / "renamed.html"
    binary.write_bytes(b"%PDF-1.4\x00\x01\x02" * 100)
    with pytest.raises(ReadError) as wrong:
        read_html(binary)
    assert wrong.value.kind == "binary" and "renamed.html" in wrong.value.message("en")
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    assert read_html(empty).blocks == []


def test_a_page_nested_thousands_deep_is_read(tmp_path):
    depth = 5000
    document = read_html(
        page(tmp_path, "<div>" * depth + "深处" + "</div>" * depth + "<table><tr><td>a</td><td>1</td></tr></table>")
    )
    assert ("Paragraph", "深处") in texts(document) and tables(document)


_TAGS = [
    "p",
    "div",
    "table",
    "tr",
    "td",
    "th",
    "tbody",
    "br",
    "span",
    "h1",
    "h3",
    "ul",
    "li",
    "script",
    "style",
    "pre",
    "caption",
    "nav",
    "font",
]
_ATTRIBUTES = ['rowspan="2"', 'colspan="0"', 'rowspan="x"', 'class="nav"', 'role="presentation"', 'colspan="99999"', ""]
_fragment = st.lists(
    st.one_of(
        st.builds(lambda t, a: f"<{t} {a}>", st.sampled_from(_TAGS), st.sampled_from(_ATTRIBUTES)),
        st.builds(lambda t: f"</{t}>", st.sampled_from(_TAGS)),
        st.sampled_from(
            ["12", "行政许可", "&nbsp;", "&", "<", "<!--", "-->", "<![CDATA[", "\u3000", "一、总体情况", "2024年1月2日", "。"]
        ),
        st.text(max_size=8),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_fragment, st.sampled_from(["utf-8", "gb18030"]))
def test_random_fragments_never_raise(tmp_path, fragment, encoding):
    path = tmp_path / "fragment.html"
    path.write_bytes(fragment.encode(encoding, "replace"))
    try:
        document = read_html(path)
    except ReadError:
        return
    for block in document.blocks:
        if isinstance(block, Table):
            assert all(isinstance(c, GridCell) and c.rowspan >= 1 and 1 <= c.colspan <= 1000 for row in block.grid for c in row)
    check_model(document)  # and the checker takes whatever the reader gives


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_random_bytes_never_raise_anything_but_read_error(tmp_path, data):
    path = tmp_path / "bytes.html"
    path.write_bytes(data)
    try:
        read_html(path)
    except ReadError:
        pass
