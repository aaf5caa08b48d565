"""The title and the signature of the report as GB/T 9704-2012 sets them (the filter's ``sign``).

- The title on one line when it fits the type area, else broken where the words allow into lines
  as even as possible, never a line of one character ("2024年XX区XX局" / "政府信息公开工作年度报告").
- No date under the title: the ``date`` of the metadata moves to the signature.
- After the body, one blank line, then the issuing body (``org``) two characters in from the
  right and the date in Chinese ("2025年1月20日") under it, its first character two characters
  right of the body's first; a date longer than that is set two characters in from the right and
  the body moves left to keep the offset (GB/T 9704-2012, 7.3.5.2).
"""

from __future__ import annotations

import math
import re
from html import escape as html_escape
from itertools import combinations, pairwise

import panflute as pf

from gkreport.blocks import inlines, raw_block
from gkreport.render import geometry as g
from gkreport.render.colwidths import text_em
from gkreport.render.pagination import keep_with_next

SIGNATURE_CLASS = "gk-signature"
SIGNATURE_STYLE = "GK Signature"  # its paragraph style in templates/reference.docx

# Where a title may break: between the body and the name of the report ("…局" / "政府信息公开…"),
# after the year ("2024年" / "…"); less willingly after a part of the body's name whose last
# character names its kind ("…海淀区" / "人民政府办公室…"), which may belong to a longer name.
_BREAK_BEFORE = re.compile(r"政府信息公开|关于|年度报告")
_AFTER_YEAR = re.compile(r"\d{4}年度?")
_AFTER_PART = re.compile(r"人民政府|办公室|办公厅|委员会|管理局|街道|中心|政府|[省市区县旗镇乡局厅委办院署部会所站队]")
_PART_PENALTY_EM = 5.0  # a break inside the body's name is taken only if it evens the lines by more than this
_TITLE_LINE_EM = g.pt(g.TYPE_AREA_MM[0]) / g.TITLE_PT - 1.5  # a line of the 2号 title, less room for
# the spacing Word and typst add between Chinese and Latin characters


def title_lines(title: str, capacity_em: float = _TITLE_LINE_EM) -> list[str]:
    """The title in the lines it is set in: the fewest lines, then the most even ones."""
    if text_em(title) <= capacity_em:
        return [title]
    words = [m.span() for m in _BREAK_BEFORE.finditer(title)]
    stops = {m.end(): _PART_PENALTY_EM for m in _AFTER_PART.finditer(title)}
    stops.update({m.end(): 0.0 for m in _AFTER_YEAR.finditer(title)})
    stops.update({start: 0.0 for start, _ in words})
    stops = {s: cost for s, cost in stops.items() if 2 <= s <= len(title) - 2 and not any(a < s < b for a, b in words)}
    return _balanced(title, stops, capacity_em) or _even(title, capacity_em)


def _even(title: str, capacity_em: float) -> list[str]:
    """No word boundary fits: the fewest lines of about equal length (so none of one character)."""
    count = min(math.ceil(text_em(title) / capacity_em), max(1, len(title) // 2))
    bounds = [round(i * len(title) / count) for i in range(count + 1)]
    return [title[a:b] for a, b in pairwise(bounds)]


def _balanced(title: str, stops: dict[int, float], capacity_em: float) -> list[str] | None:
    for count in range(2, len(stops) + 2):
        best: tuple[float, list[str]] | None = None
        for cuts in combinations(sorted(stops), count - 1):
            bounds = [0, *cuts, len(title)]
            lines = [title[a:b] for a, b in pairwise(bounds)]
            widths = [text_em(line) for line in lines]
            if max(widths) > capacity_em or min(len(line) for line in lines) < 2:
                continue
            score = max(widths) - min(widths) + sum(stops[c] for c in cuts)
            if best is None or score < best[0]:
                best = (score, lines)
        if best is not None:
            return best[1]
    return None


def chinese_date(text: str) -> str:
    """2025-01-20 -> 2025年1月20日 (GB/T 9704: the year in full, no leading zeros); else as written."""
    match = re.fullmatch(r"\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\s*", text)
    if not match:
        return text.strip()
    year, month, day = match.groups()
    return f"{year}年{int(month)}月{int(day)}日"


def signature_indents(org: str, date: str) -> tuple[float, float]:
    """Right indents, in characters, of the body's name and of the date (GB/T 9704-2012 7.3.5.2)."""
    org_em, date_em = text_em(org), text_em(date)
    if not org:
        return 0.0, 2.0
    if not date:
        return 2.0, 0.0
    date_right = org_em - date_em  # with the body two characters in, the date starting two characters right of it
    if date_right >= 2:
        return 2.0, date_right
    return 2.0 + (2 - date_right), 2.0


def apply(doc: pf.Doc) -> None:
    """Break the title, take the date from under it, and close the document with the signature."""
    title = doc.get_metadata("title", None)
    if isinstance(title, str) and title.strip():
        lines = title_lines(title.strip())
        if len(lines) > 1:
            words = [part for i, line in enumerate(lines) for part in ([pf.LineBreak()] if i else []) + inlines(line)]
            doc.metadata["title"] = pf.MetaInlines(*words)
    org = str(doc.get_metadata("org", "") or "").strip()
    date = chinese_date(str(doc.get_metadata("date", "") or ""))
    if "date" in doc.metadata.content:
        del doc.metadata.content["date"]
    closing = signature(org, date, doc.format)
    if closing and len(doc.content):
        keep_with_next(doc.content, len(doc.content) - 1, doc.format)  # never the signature alone on a page
    doc.content.extend(closing)


def signature(org: str, date: str, output_format: str) -> list:
    lines = [(text, indent) for text, indent in zip((org, date), signature_indents(org, date)) if text]
    if not lines:
        return []
    if output_format == "docx":
        return [raw_block(_docx_paragraph(text, indent, first=i == 0), "openxml") for i, (text, indent) in enumerate(lines)]
    if output_format == "typst":
        body = "\n".join(f"#align(right, pad(right: {indent:g}em, {_typst_string(text)}))" for text, indent in lines)
        return [raw_block(f"#v({g.LINE_PITCH_PT}pt)\n#block(width: 100%)[#set par(first-line-indent: 0pt)\n{body}\n]", "typst")]
    # HTML and the rest: the indents as styles, which the HTML writers keep and the others drop
    rows = [pf.Div(pf.Para(*inlines(text)), attributes={"style": f"text-align: right; text-indent: 0; padding-right: {indent:g}em"})
            for text, indent in lines]
    return [pf.Div(*rows, classes=[SIGNATURE_CLASS], attributes={"style": "margin-top: 1.8em"})]


def _docx_paragraph(text: str, indent_chars: float, first: bool) -> str:
    before = f' w:before="{g.twips(g.LINE_PITCH_PT)}"' if first else ""  # one blank line after the body
    keep = "<w:keepNext/>" if first else ""
    return (
        f'<w:p><w:pPr><w:pStyle w:val="{SIGNATURE_STYLE.replace(" ", "")}"/>{keep}<w:spacing{before} w:after="0"/>'
        f'<w:ind w:right="{g.twips(indent_chars * g.BODY_PT)}" w:firstLine="0"/><w:jc w:val="right"/></w:pPr>'
        f'<w:r><w:t xml:space="preserve">{html_escape(text, quote=False)}</w:t></w:r></w:p>'
    )


def _typst_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
