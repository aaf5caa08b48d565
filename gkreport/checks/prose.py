"""The prose against the tables, and against itself.

Sentences of the report that state a figure the tables hold ("共收到申请2件", "予以公开及部分公开
258件", "行政复议7件") are compared with the table; a mismatch is a warning quoting the sentence
and naming the cell.  The prose is also checked against itself: a stated total against its
stated parts ("共计4782条，其中…"), a percentage against the figures it is a share of (allowing
for rounding or truncation at the precision written), and a slot where a number is missing
("主动公开信息  条").  A sentence that names a figure in a way the patterns cannot tie to one
cell is left alone: guessing would make false warnings.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

from gkreport.findings import Finding
from gkreport.labels import to_simplified
from gkreport.spec import figures

NUMBER = r"(\d[\d,，]*)\s*"  # a figure, and the space some reports write before its unit ("225 条")
# (what the sentence says, the figure it states (``spec.figures``: the cells summed), pattern); the number must follow the phrase.
CLAIMS = (
    ("本年新收申请", "new", rf"(?:收到|受理|接收|新收)[^。；，,、]{{0,14}}?申请(?:共|共计|总计)?{NUMBER}件"),
    ("上年结转申请", "carried_over", rf"上年(?:度)?结转(?:的)?(?:政府信息公开)?(?:申请)?{NUMBER}件"),
    ("结转下年度", "carried_forward", rf"(?:{NUMBER}件[^。；，,\d]{{0,16}}(?:结转|顺延)(?:到|至)?下(?:一)?年度)|(?:结转下(?:一)?年度(?:继续办理)?{NUMBER}件)"),
    ("办理申请", "handled", rf"(?:答复|办结|办理完成|办理)[^。；，,、]{{0,10}}?申请(?:共|共计)?{NUMBER}件"),
    ("予以公开及部分公开", "granted_or_partial", rf"予以公开(?:及|和|与)部分公开(?:的)?(?:共)?{NUMBER}件"),
    ("予以公开", "granted", rf"(?<!不)予以公开(?!及|和|与)(?:的)?{NUMBER}件"),
    ("部分公开", "partial", rf"(?<!及|和|与)部分公开(?:的)?{NUMBER}件"),
    ("不予公开", "withheld", rf"不予公开(?:的)?{NUMBER}件"),
    ("无法提供", "unavailable", rf"无法提供(?:的)?{NUMBER}件"),
    ("本机关不掌握相关信息", "not_held", rf"本机关不掌握相关(?:政府)?信息(?:的)?{NUMBER}件"),
    ("不予处理", "rejected", rf"不予处理(?:的)?{NUMBER}件"),
    ("重复申请", "repeated", rf"重复申请(?:的)?{NUMBER}件"),
    ("其他处理", "other_handling", rf"其他处理(?:的)?{NUMBER}件"),
    ("行政复议", "reconsideration", rf"(?:行政)?复议(?:案件)?(?:共)?{NUMBER}件"),
    ("行政诉讼", "litigation", rf"(?:行政)?诉讼(?:案件)?(?:共)?{NUMBER}件"),
)
# Table 二: (what the sentence says, the figure: cells any one of which it may mean, pattern).
ACTIVE_CLAIMS = (
    ("规章", "regulations", rf"(?:制发|出台|公开|发布|制定)(?:了)?规章(?:共)?{NUMBER}(?:件|部|个)"),
    ("规范性文件", "normative_documents", rf"(?:制发|出台|公开|发布|制定)(?:了)?(?:行政)?规范性文件(?:共)?{NUMBER}(?:件|份|个)"),
    ("行政许可", "licensing", rf"行政许可(?:决定|事项|案件)?(?:共)?{NUMBER}(?:件|项|个)"),
    ("行政处罚", "penalties", rf"行政处罚(?:决定|案件)?(?:共)?{NUMBER}(?:件|项|个)"),
    ("行政强制", "coercion", rf"行政强制(?:措施|决定|案件)?(?:共)?{NUMBER}(?:件|项|个)"),
)
# Words one of which a sentence must hold for each claim's pattern to be tried at all.
_KEYWORDS = {
    "本年新收申请": ("申请",),
    "上年结转申请": ("结转",),
    "结转下年度": ("下年度", "下一年度"),
    "办理申请": ("申请",),
    "予以公开及部分公开": ("部分公开",),
    "予以公开": ("予以公开",),
    "部分公开": ("部分公开",),
    "不予公开": ("不予公开",),
    "无法提供": ("无法提供",),
    "本机关不掌握相关信息": ("不掌握",),
    "不予处理": ("不予处理",),
    "重复申请": ("重复申请",),
    "其他处理": ("其他处理",),
    "行政复议": ("复议",),
    "行政诉讼": ("诉讼",),
}
_OTHER_YEAR = re.compile(r"去年|上一年度?(?!结转)|同比|较上年|比上年|较\d{4}年|累计")
_SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")


def _number(text: str) -> int:
    return int(re.sub(r"[,，]", "", text))


def _cell_total(table, cells) -> int | None:
    """The sum of the cells the table has, or None when not known."""
    values = table.checked.values
    spec = table.recognized.spec
    total = 0
    found = False
    for cell in cells:
        if cell not in spec.cells:
            continue
        value = values.get(cell)
        if value is None:
            return None
        total += value
        found = True
    return total if found else None


def _where(table, cells) -> tuple[str, str]:
    spec = table.recognized.spec
    cells = [c for c in cells if c in spec.cells]
    labels = [spec.describe(c) for c in cells]
    return " + ".join(r or c for r, c in labels), labels[0][1] if labels else ""


def prose_findings(paragraphs: list[tuple[str | None, str]], tables: list) -> list[Finding]:
    """``paragraphs``: (section number, text) of every paragraph that is not a table."""
    by_kind = {t.table: t for t in tables if t.checked is not None}
    findings: list[Finding] = []
    for section, text in paragraphs:
        text = to_simplified(text)
        findings += _empty_slots(text)
        findings += _parts_against_total(text)
        if section not in ("一", "三", "四", None):
            continue
        for sentence in _SENTENCE.findall(text):
            if _OTHER_YEAR.search(sentence):
                continue
            claims = _claims(sentence, by_kind)
            findings += claims
            if not claims and section == "三" and _UNREAD.search(sentence) and not _read_any(sentence):
                findings.append(Finding("prose-not-compared", params={"sentence": sentence.strip()}))
        findings += _percentages(text, by_kind)
    return findings


_UNREAD = re.compile(r"(?:公开|处理|提供|申请|复议|诉讼)[^。；，,]{0,8}?" + NUMBER + r"件")


def _read_any(sentence: str) -> bool:
    """Whether some claim pattern reads a figure of the sentence (matching the table or not)."""
    return any(re.search(pattern, sentence) for name, _, pattern in CLAIMS if any(w in sentence for w in _KEYWORDS[name]))


def _claims(sentence: str, by_kind: dict) -> list[Finding]:
    out = []
    taken: list[tuple[int, int]] = []
    active = by_kind.get("active")
    if active is not None:
        for name, figure_name, pattern in ACTIVE_CLAIMS:
            if name not in sentence:  # cheap test first: a pattern is compiled only when it can match
                continue
            figure = figures()[figure_name]
            cells, row = figure.cells, figure.cells[0][0]
            for match in re.finditer(pattern, sentence):
                stated = _number(match.group(1))
                if figure.any_of:
                    values = {active.checked.values.get(cell) for cell in cells} - {None}
                else:
                    values = {_cell_total(active, cells)} - {None}
                if values and stated not in values:
                    label = active.recognized.spec.row(row).label if row in {r.key for r in active.recognized.spec.rows} else name
                    out.append(Finding("prose-table-mismatch", table="active", row=label, given=stated, expected="、".join(str(v) for v in sorted(values)), params={"claim": name, "sentence": sentence.strip()}))
    for name, figure_name, pattern in CLAIMS:
        kind, cells = figures()[figure_name].table, figures()[figure_name].cells
        table = by_kind.get(kind)
        if table is None or not any(word in sentence for word in _KEYWORDS[name]):
            continue
        for match in re.finditer(pattern, sentence):
            span = match.span()
            if any(a <= span[0] < b or a < span[1] <= b for a, b in taken):
                continue  # a longer claim ("予以公开及部分公开") already read these words
            taken.append(span)
            stated = _number(next(g for g in match.groups() if g))
            actual = _cell_total(table, cells)
            if actual is None or stated == actual:
                continue
            row, column = _where(table, cells)
            out.append(
                Finding(
                    "prose-table-mismatch",
                    table=kind,
                    row=row,
                    column=column,
                    given=stated,
                    expected=actual,
                    params={"claim": name, "sentence": sentence.strip()},
                )
            )
    return out


# "共计4782条，其中…", "共公布政府信息2599条，（其中…25条、68条…）", "共计3437条，包括：…"
_PARTS = re.compile(r"共(?:计)?[^\d。；;，,]{0,12}?" + NUMBER + r"(条|件|个|篇)[^。]*?[。，,；;]?\s*([(（])?\s*(?:其中|包括)[:：]?([^。]*)")


def _parts_against_total(text: str) -> list[Finding]:
    out = []
    for match in _PARTS.finditer(text):
        total, unit, opened, rest = _number(match.group(1)), match.group(2), match.group(3), match.group(4)
        if opened:
            rest = re.split(r"[)）]", rest)[0]  # the parts end where the parenthesis closes
        parts = [_number(n) for n in re.findall(NUMBER + unit, rest)]
        # the parts may be a selection ("其中…等"): they contradict the total when they exceed it, or
        # when the list is exhaustive (it ends with "其他"/"其余") and falls short
        exhaustive = re.search(r"(?:其他|其余|其它)[^、，,；;]{0,8}?\d", rest) is not None
        if len(parts) >= 2 and (sum(parts) > total or (exhaustive and sum(parts) != total)):
            out.append(Finding("prose-parts-mismatch", given=total, expected=sum(parts), params={"sentence": match.group(0).strip()}))
    return out


_PERCENT = re.compile(NUMBER + r"件[，,]?\s*占(?:比)?(\d+(?:\.\d+)?)%")
_STATED_TOTAL = re.compile(r"(?:共|总计|合计)[^。；，,]{0,12}?" + NUMBER + r"件")


def _percentages(text: str, by_kind: dict) -> list[Finding]:
    matches = list(_PERCENT.finditer(text))
    if not matches:
        return []
    totals = {_number(m.group(1)) for m in _STATED_TOTAL.finditer(text)}
    handled_figure = figures()["handled"]
    requests = by_kind.get(handled_figure.table)
    if requests is not None:
        handled = _cell_total(requests, handled_figure.cells)
        if handled:
            totals.add(handled)
    out = []
    for match in matches:
        part, percent = _number(match.group(1)), Decimal(match.group(2))
        if not totals:
            continue
        if not any(_consistent(part, total, percent) for total in totals if total):
            sentence = next((s for s in _SENTENCE.findall(text) if match.group(0) in s), match.group(0))
            out.append(Finding("prose-percentage-mismatch", given=f"{percent}%", params={"part": part, "totals": sorted(totals), "sentence": sentence.strip()}))
    return out


def _consistent(part: int, total: int, percent: Decimal) -> bool:
    """Whether part/total, rounded or truncated to the decimals written, is the percentage."""
    exact = Fraction(part * 100, total)
    places = max(0, -percent.as_tuple().exponent)
    step = Fraction(1, 10**places)
    stated = Fraction(percent)
    return abs(exact - stated) <= step / 2 or stated <= exact < stated + step


_EMPTY = re.compile(r"(?:信息|申请|文件|案件|件数|数量|共计|共|公开|收到|办理)[ \u3000_]+(条|件|个|篇)")


def _empty_slots(text: str) -> list[Finding]:
    return [Finding("prose-empty-figure", params={"sentence": m.group(0).strip()}) for m in _EMPTY.finditer(text)]
