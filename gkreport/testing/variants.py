"""What real reports vary in how they write the same table: the style of one report.

A ``Style`` is drawn once per report (``draw_style(rng, form, fmt)``) and says how its clerk,
its CMS and its PDF tool wrote labels and figures, after what the published samples show
(../shared/domain/reports) and FORMAT.md's "What real published reports look like":

* brackets and punctuation half-width "(一)" or full-width "（一）", sometimes mixed in one table;
  curly or straight quotes around 三安全一稳定; numbering "1." or "1、", "(一) 予以公开" with a space;
* spaces inside header words ("商业 企业", as 001 copies them), header words broken over lines
  ("本年新" / "制作数量", as taojiang's cells), a 2019 header cut to its first line ("本年新", 003);
* Traditional characters now and then (OpenCC), parts of labels redacted "****" (001), short forms
  ("(二)部分公开" without its note);
* zero cells left blank or written "/", "—", "-", "无" — only the marks the form can show (a
  blank left empty vanishes in text with no separator); result rows' 总计 left blank (Shanghai);
* amounts: the fee with 4 decimals ("18.8710"), or exact to the fen ("24252.311082"); the 2019
  procurement amount in 元 ("251000元", "1203456.78元"); 本年增/减 as "-7", "减7" or "+3";
  thousands separators ("2,293").
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from gkreport.spec import AMOUNT, SIGNED
from gkreport.values import format_number

MARKS = ("/", "—", "-", "无")
# Forms that can show an empty cell: a separator, a line of its own, or its place in a column.
SHOWS_EMPTY = frozenset({"pipe", "cells", "tabs", "bar-lines", "abag", "layout"})
# Forms where a "-" between figures would read as a sign: cells glued or joined by one space.
NO_DASH = frozenset({"glued", "vertical"})

SHORT_FORMS = {
    "(二)部分公开(区分处理的,只计这一情形,不计其他情形)": "(二)部分公开",
    '3.危及"三安全一稳定"': "3.危及三安全一稳定",
    "本年收费金额(单位:万元)": "本年收费金额(万元)",
    "采购总金额": "采购总金额(单位:万元)",
}
HEADER_BREAKS = {  # header cells a page breaks over two lines (<br>, a narrow cell)
    "本年新制作数量": ("本年新", "制作数量"),
    "本年新公开数量": ("本年新", "公开数量"),
    "法人或其他组织": ("法人或", "其他组织"),
    "商业企业": ("商业", "企业"),
    "科研机构": ("科研", "机构"),
    "上一年项目数量": ("上一年", "项目数量"),
}
SPACED = {"商业企业": "商业 企业", "科研机构": "科研 机构", "社会公益组织": "社会公益 组织"}
FULL_WIDTH = str.maketrans({"(": "（", ")": "）", ":": "：", ",": "，"})


@dataclass(frozen=True)
class Style:
    brackets: str = "half"  # "half" | "full" | "mixed" (each label on its own)
    curly: bool = False  # 3.危及“三安全一稳定”
    numbering_comma: bool = False  # 1、属于国家秘密
    numbering_space: bool = False  # (一) 予以公开
    spaced_headers: bool = False  # 商业 企业
    header_breaks: bool = False  # 本年新 / 制作数量 on two lines
    cut_headers: bool = False  # 2019: 本年新 (the rest of the header lost)
    short_forms: bool = False
    traditional: float = 0.0  # share of labels written in Traditional characters
    redaction: float = 0.0  # share of labels with a part redacted "****"
    blank: str | None = None  # how a zero is left blank: "", a mark, or None (written 0)
    blank_share: float = 0.0  # share of zero cells left blank
    blank_totals: bool = False  # the 总计 column of the result rows left empty (Shanghai 2019)
    fee_decimals: int | None = None  # 4: "18.8710"; 6: exact to the fen; None: as the value is
    decimals_note: bool = False  # the fee header asks for 4 decimals ("保留4位小数")
    yuan: bool = False  # 2019: the procurement amount in 元
    signed: str = "-"  # "-": -7 / "减": 减7 / "+": +3 and -7
    thousands: bool = False  # 2,293


def draw_style(rng: random.Random, form: str, fmt: str) -> Style:
    """A report's style: most reports plain, some with one or several of the variations."""
    marks = [m for m in MARKS if not (m == "-" and form in NO_DASH)]
    blanks = ([""] if form in SHOWS_EMPTY else []) + marks
    blank = rng.choice(blanks) if rng.random() < 0.35 else None
    return Style(
        brackets=rng.choices(("half", "full", "mixed"), (5, 4, 1))[0],
        curly=rng.random() < 0.5,
        numbering_comma=rng.random() < 0.1,
        numbering_space=rng.random() < 0.1,
        spaced_headers=rng.random() < 0.3,
        header_breaks=rng.random() < 0.2,
        cut_headers=fmt == "2019" and rng.random() < 0.15,
        short_forms=rng.random() < 0.2,
        traditional=0.3 if rng.random() < 0.08 else 0.0,
        redaction=0.2 if rng.random() < 0.1 else 0.0,
        blank=blank,
        blank_share=rng.choice((0.3, 1.0)) if blank is not None else 0.0,
        blank_totals=form in SHOWS_EMPTY and rng.random() < 0.08,
        fee_decimals=rng.choices((None, 4, 6), (5, 4, 1))[0],
        decimals_note=rng.random() < 0.1,
        yuan=fmt == "2019" and rng.random() < 0.3,
        signed=rng.choices(("-", "减", "+"), (6, 2, 2))[0],
        thousands=form != "glued" and rng.random() < 0.1,
    )


# ---------------------------------------------------------------- labels


def label_text(rng: random.Random, text: str, style: Style, role: str) -> str:
    """A label, header or corner as this report writes it."""
    if style.short_forms and text in SHORT_FORMS:
        text = SHORT_FORMS[text]
    if style.decimals_note and text.startswith("本年收费金额"):
        text = text.replace("万元)", "万元,保留4位小数)") if "万元)" in text else text + "(保留4位小数)"
    if role == "header" and style.spaced_headers and text in SPACED:
        text = SPACED[text]
    if role == "header" and style.header_breaks and text in HEADER_BREAKS:
        text = "\n".join(HEADER_BREAKS[text])
    if role == "header" and style.cut_headers and text in ("本年新制作数量", "本年新公开数量"):
        text = "本年新"
    if style.curly:
        text = text.replace('"三安全一稳定"', "“三安全一稳定”")
    if style.numbering_comma and len(text) > 2 and text[0].isdigit() and text[1] == ".":
        text = text[0] + "、" + text[2:]
    if style.numbering_space and text.startswith("(") and ")" in text[:4]:
        close = text.index(")") + 1
        text = text[:close] + " " + text[close:]
    if style.brackets == "full" or (style.brackets == "mixed" and rng.random() < 0.5):
        text = text.translate(FULL_WIDTH)
    if style.redaction and role in ("label", "group") and len(text) >= 8 and rng.random() < style.redaction:
        text = redacted(rng, text)
    if style.traditional and rng.random() < style.traditional:
        text = traditional(text)
    return text


def redacted(rng: random.Random, text: str) -> str:
    """A part of the label replaced by "****", its numbering kept (as 001 shows)."""
    start = next((i for i, ch in enumerate(text) if i >= 2 and ch not in "()（）、.．一二三四五六七八1234567890"), 2)
    length = rng.randint(2, max(2, min(8, len(text) - start - 2)))
    at = rng.randint(start, max(start, len(text) - length - 1))
    return text[:at] + "****" + text[at + length :]


@cache
def _to_traditional():
    import opencc

    return opencc.OpenCC("s2t")


def traditional(text: str) -> str:
    return _to_traditional().convert(text)


# ---------------------------------------------------------------- figures


def value_text(value, kind: str, style: Style, column: str) -> str:
    """A figure as written (the value itself, never anything else)."""
    if kind == AMOUNT:
        return amount_text(value, style, column)
    if kind == SIGNED:
        if value < 0:
            return f"减{-value}" if style.signed == "减" else str(value)
        return f"+{value}" if style.signed == "+" and value > 0 else str(value)
    if style.thousands and value >= 1000:
        return f"{value:,}"
    return str(value)


def amount_text(value: Decimal, style: Style, column: str) -> str:
    if column == "procurement_amount" and style.yuan:
        yuan = value * 10000
        return (format_number(yuan.to_integral()) if yuan == yuan.to_integral() else f"{yuan:.2f}") + "元"
    if style.fee_decimals and value != 0 and -value.as_tuple().exponent <= style.fee_decimals:
        return f"{value:.{style.fee_decimals}f}"
    return format_number(value)


def amount_value(rng: random.Random, value: Decimal, style: Style, column: str) -> Decimal:
    """The true amount, drawn again where the style writes it finer: in 元 to the fen, or in
    万元 with six decimals."""
    if column == "procurement_amount" and style.yuan:
        return Decimal(rng.randint(0, 10**9)) / 10**6 if rng.random() < 0.5 else Decimal(rng.randint(0, 10**5) * 100) / 10**4
    if style.fee_decimals == 6 and value:
        return Decimal(rng.randint(1, 10**11)) / 10**6
    return value


def blank_text(rng: random.Random, value, style: Style) -> str | None:
    """What is written for a zero left blank, or None when it is written as 0."""
    if style.blank is None or value != 0 or rng.random() >= style.blank_share:
        return None
    return style.blank
