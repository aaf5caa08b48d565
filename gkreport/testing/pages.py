"""Government web pages for the HTML reader: generated reports published the way CMS pages
publish them, and broken markup seen on real pages.  Used by bench/read_html.py,
bench/html_parsers.py and tests/test_read_html.py.

``report_page(rng, report) -> bytes`` renders a ``forms.Report`` (the same report its ``.text()``
gives as flattened text) as a whole page: a site header with a navigation menu and a breadcrumb,
a ``<style>`` and scripts, the report in a ``<div>`` or in a layout ``<table>``, Word-pasted
paragraphs with inline styles, the three tables in the official layout with real
``rowspan``/``colspan`` (cells wrapped in ``<p><span style>``, zeros sometimes left as ``&nbsp;``,
header labels sometimes broken by ``<br>``), a site footer; UTF-8 or GBK (declared gb2312, as
these sites do).

``BROKEN`` maps a name to a small page with one kind of broken markup found on real pages.
"""

from __future__ import annotations

import random
from html import escape

from gkreport.spec import official_layout, spec_for
from gkreport.testing.forms import Report
from gkreport.testing.prose import TABLE_OF_SECTION
from gkreport.testing.variants import Style, value_text

NAV = ("首页", "政务公开", "政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报", "互动交流", "办事服务")
STYLE = """<style type="text/css">
body{margin:0;font-family:"Microsoft YaHei",SimSun;font-size:14px}
.nav ul li{float:left;width:120px}.main{width:1000px;margin:0 auto}
.TRS_Editor P{margin-top:5px;margin-bottom:5px;line-height:1.8;font-family:宋体;font-size:12pt}
</style>"""
SCRIPTS = """<script type="text/javascript">var _hmt=_hmt||[];(function(){var hm=document.createElement("script");
hm.src="/stat.js?id=1";var s=document.getElementsByTagName("script")[0];s.parentNode.insertBefore(hm,s);})();
if(a<b&&c>d){document.write("<p>不支持的浏览器</p>")}</script>"""
FOOTER = (
    '<div class="footer"><p>主办：XX市人民政府办公厅&nbsp;&nbsp;承办：XX市大数据中心</p>'
    '<p>网站标识码：3100000001&nbsp;&nbsp;沪ICP备05003357号&nbsp;&nbsp;<a href="#">网站地图</a></p></div>'
)
SPLIT_LABELS = {
    "本年新制作数量": "本年新<br />制作数量",
    "本年新公开数量": "本年新<br />公开数量",
    "法人或其他组织": "法人或<br>其他组织",
}


def report_page(rng: random.Random, report: Report) -> bytes:
    """The report as a CMS page (bytes in the page's encoding)."""
    org = report.org
    gbk = rng.random() < 0.5
    title = report.words.title
    charset = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />' if gbk else '<meta charset="utf-8">'
    head = (
        f"<head>{charset}<title>{title}_{org}</title>"
        f'<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="{report.words.iso_date} 09:30">'
        f'<meta name="ContentSource" content="{org}">{STYLE}{SCRIPTS}</head>'
    )
    nav = "".join(f'<li><a href="/col{n}/index.html">{item}</a></li>' for n, item in enumerate(NAV))
    chrome = (
        f'<div class="header"><img src="/images/logo.png" alt="{org}"></div>'
        f'<div class="nav"><ul>{nav}</ul></div>'
        '<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="#">政务公开</a> &gt; 政府信息公开年报</div>'
    )
    body = [_title(rng, title), f'<p style="text-align:center">发布日期：{report.words.iso_date}&nbsp;&nbsp;来源：{org}</p>']
    for number, (heading, paragraphs) in enumerate(report.words.sections):
        body.append(_section_heading(rng, heading))
        body += [_paragraph(text) for text in paragraphs]
        table = TABLE_OF_SECTION.get(number)
        if table:
            body.append(table_html(rng, table, report.format, report.truth[table], report.style))
    body.append(f'<p style="text-align:right">{org}</p><p style="text-align:right">{report.words.date}</p>')
    content = f'<div class="TRS_Editor">{"".join(body)}</div>'
    if rng.random() < 0.5:  # the report inside a layout table, as many older sites do
        side = "".join(f'<tr><td><a href="#">{item}</a></td></tr>' for item in NAV[2:6])
        content = (
            '<table width="1000" border="0" cellspacing="0" cellpadding="0" align="center"><tr>'
            f'<td width="200" valign="top" class="left-menu"><table width="100%">{side}</table></td>'
            f'<td width="800" valign="top">{content}</td></tr></table>'
        )
    doctype = '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">'
    page = f'{doctype}<html>{head}<body>{chrome}<div class="main">{content}</div>{FOOTER}</body></html>'
    return page.encode("gb18030" if gbk else "utf-8")


def _title(rng: random.Random, title: str) -> str:
    if rng.random() < 0.5:
        return f'<h1 class="title">{title}</h1>'
    return f'<p align="center"><strong><span style="font-size:22px;font-family:方正小标宋简体">{title}</span></strong></p>'


def _section_heading(rng: random.Random, heading: str) -> str:
    if rng.random() < 0.5:
        return f"<h3>{heading}</h3>"
    return f'<p style="text-indent:2em"><strong><span style="font-family:黑体">{heading}</span></strong></p>'


def _paragraph(text: str) -> str:
    return (
        '<p class="MsoNormal" style="text-indent:32pt;line-height:28pt">'
        f'<span style="font-family:仿宋_GB2312;font-size:16pt">{escape(text)}</span><o:p></o:p></p>'
    )


def table_html(rng: random.Random, table: str, fmt: str, values: dict, style: Style | None = None) -> str:
    """One table in the official layout, cells as Word pastes them into CMS editors (figures
    written in the report's style: an amount in 元, a sign written 减)."""
    layout = official_layout(table, fmt)
    spec = spec_for(table, fmt)
    blank_zeros = rng.random() < 0.5  # as the Shanghai page leaves them
    split = rng.random() < 0.5

    def cell(c) -> str:
        spans = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + (f' colspan="{c.colspan}"' if c.colspan > 1 else "")
        if c.ref is None:
            content = SPLIT_LABELS.get(c.text, escape(c.text)) if split else escape(c.text)
        else:
            value = values[c.ref]
            written = value_text(value, spec.kind_of(c.ref), style or Style(), c.ref[1])
            content = "&nbsp;" if blank_zeros and value == 0 else escape(written)
        return (
            f'<td{spans} style="border:solid windowtext 1.0pt;padding:0cm 5.4pt" nowrap="nowrap">'
            f'<p align="center"><span style="font-size:10.5pt;font-family:宋体">{content}</span></p></td>'
        )

    rows = "".join("<tr>" + "".join(cell(c) for c in row) + "</tr>" for row in layout.header + layout.body)
    attributes = 'border="1" cellspacing="0" cellpadding="0" align="center" style="border-collapse:collapse"'
    return f"<table {attributes}><tbody>{rows}</tbody></table>"


# ---------------------------------------------------------------- broken markup seen on real pages

_CELLS = "<tr><td>行政许可<td>12<td>3</tr><tr><td>行政处罚<td>4<td>5</tr>"
BROKEN = {
    "unclosed cells and rows": f"<table>{_CELLS}</table><p>后文",
    "table left open at the end": "<p>二、主动公开政府信息情况<table><tr><td>行政许可<td>12",
    "table inside an open p (no doctype)": f"<p>说明如下：<table>{_CELLS}</table>表后文字</p>",
    "text between rows (foster parenting)": (
        "<table><tr><td>行政许可</td><td>12</td></tr>注：单位为件<tr><td>行政处罚</td><td>4</td></tr></table>"
    ),
    "font misnested across cells": "<table><tr><td><font face=宋体>行政许可</td><td>12</font></td></tr></table><p>后文</p>",
    "inner table never closed": (
        "<table><tr><td>外层<table><tr><td>行政许可<td>12</td></tr></td><td>外层二</td></tr></table><p>后文</p>"
    ),
    "Word paste debris": (
        '<?xml:namespace prefix = o ns = "urn:schemas-microsoft-com:office:office" />'
        "<p class=MsoNormal><![if !supportLists]>一、<![endif]>总体情况<o:p></o:p></p>"
        "<!--[if gte mso 9]><xml><w:WordDocument></w:WordDocument></xml><![endif]-->"
        "<table class=MsoNormalTable><tr><td><p class=MsoNormal>行政许可<o:p></o:p></p></td>"
        "<td><p>12<o:p></o:p></p></td></tr></table>"
    ),
    "stray end tags": "</td></tr></table></div><table><tr><td>行政许可</td></p><td>12</td></span></tr></table></div><p>后文",
    "rows outside a table": "<div><tr><td>行政许可</td><td>12</td></tr></div><table><tr><td>行政处罚<td>4</table>",
    "two html documents in one file": (
        "<html><body><p>前文</p></body></html>"
        "<html><head><title>二</title></head><body><table><tr><td>行政许可<td>12</table></body></html>"
    ),
    "footer and rows in the wrong order": (
        "<table><tfoot><tr><td>合计<td>16</tr></tfoot><tbody><tr><td>行政许可<td>12</tr></tbody>"
        "<thead><tr><th>信息内容<th>数量</tr></thead></table>"
    ),
    "table inside a span and a form": (
        "<span style=font-size:12pt><form><table><tr><td>行政许可<td>12</table></form></span><p>后文</p>"
    ),
    "junk spans": '<table><tr><td rowspan="2px">行政许可</td><td colspan=" 2 ">12</td></tr><tr><td>3</td><td>4</td></tr></table>',
    "entities without semicolons": (
        "<table><tr><td>行政许可&nbsp&nbsp</td><td>&#49;&#x32;</td><td>&ensp;3&emsp;</td></tr></table>"
    ),
    "br and select inside a table": (
        "<table><br><tr><td>行政许可<br>事项</td><td>12</td></tr><select><option>友情链接</select></table>"
    ),
    "a less-than sign in a cell": "<table><tr><td>数量<5件</td><td>1 < 2</td></tr></table><p>后文</p>",
    "end br and unclosed list": "<ul><li>一<li>二</ul><p>甲</br>乙<div>丙<span>丁",
    "comment never closed": "<p>前文</p><!-- 统计代码 <table><tr><td>行政许可<td>12</table><p>后文</p>",
    "caption and th": (
        "<table><caption>表二 主动公开</caption><tr><th>信息内容</th><th>数量</th></tr>"
        "<tr><th>行政许可</th><td>12</td></tr></table>"
    ),
}
