"""Findings: every problem or fact the checker reports, with a stable code.

A finding names the table, the row and column by their official labels, the value given and
the value expected, and the suspect cells.  Its message is rendered from a template of the
catalogue below, in Chinese (default) or English.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

ERROR = "error"
WARNING = "warning"
INFO = "info"

TABLE_NAMES = {
    "zh": {"active": "表二(主动公开)", "requests": "表三(依申请公开)", "appeals": "表四(复议诉讼)", None: "全文"},
    "en": {"active": "table 2 (active)", "requests": "table 3 (requests)", "appeals": "table 4 (appeals)", None: "report"},
}
TABLE_SHORT = {
    "zh": {"active": "表二", "requests": "表三", "appeals": "表四"},
    "en": {"active": "table 2", "requests": "table 3", "appeals": "table 4"},
}
SEVERITY_NAMES = {"zh": {ERROR: "错误", WARNING: "警告", INFO: "提示"}, "en": {ERROR: "error", WARNING: "warning", INFO: "info"}}

# code: (severity, Chinese template, English template).  Templates may use {row}, {column},
# {given}, {expected}, {suspects}, {hint} and the finding's own params.
CATALOG: dict[str, tuple[str, str, str]] = {
    "row-total-mismatch": (
        ERROR,
        "行“{row}”的总计为 {given}，但各列之和为 {expected}",
        "row “{row}”: total is {given} but its columns add up to {expected}",
    ),
    "column-total-mismatch": (
        ERROR,
        "列“{column}”的(七)总计为 {given}，但各办理结果之和为 {expected}",
        "column “{column}”: (七)总计 is {given} but the results add up to {expected}",
    ),
    "balance-mismatch": (
        ERROR,
        "列“{column}”不满足 一+二=(七)+四：新收+上年结转={lhs}，办理总计+结转下年度={rhs}",
        "column “{column}” breaks 一+二=(七)+四: new + carried over = {lhs}, handled + carried forward = {rhs}",
    ),
    "block-total-mismatch": (
        ERROR,
        "“{column}”为 {given}，但同组四项之和为 {expected}",
        "“{column}” is {given} but the four results of its group add up to {expected}",
    ),
    "suspect-cell": (
        ERROR,
        "最可能出错的单元格：行“{row}”列“{column}”，填写 {given}，应为 {expected}{hint}",
        "most likely wrong cell: row “{row}”, column “{column}”: {given} given, {expected} expected{hint}",
    ),
    "ambiguous-location": (
        WARNING,
        "无法唯一确定出错的单元格，以下各组改动都能使表格平衡：{alternatives}{more}",
        "the wrong cell cannot be located uniquely; each of these changes would balance the table: {alternatives}{more}",
    ),
    "unlocated-error": (
        WARNING,
        "表格不平衡，且无法用不超过 {limit} 个单元格的改动使其平衡，请逐项核对",
        "the table does not balance and no change of at most {limit} cells balances it; check every figure",
    ),
    "value-deduced": (
        INFO,
        "行“{row}”列“{column}”空缺，已按勾稽关系推算为 {expected}",
        "row “{row}”, column “{column}” was empty; deduced from the rules as {expected}",
    ),
    "values-computed": (
        INFO,
        "按勾稽关系推算出 {count} 个单元格的值（{tables}）；逐项列出请用 {how}",
        "the values of {count} cells were computed from the rules ({tables}); list them one by one with {how}",
    ),
    "blanks-deduced-zero": (
        INFO,
        "{count} 个空白单元格按勾稽关系推定为 0",
        "{count} blank cells are determined by the rules to be 0",
    ),
    "blank-read-as-zero": (
        INFO,
        "{count} 个空白单元格无法由勾稽关系确定，按 0 处理",
        "{count} blank cells are not determined by the rules and read as 0",
    ),
    "total-not-filled": (
        WARNING,
        "行“{row}”列“{column}”按勾稽关系应为 {expected}，但表中所列各项只合计 {shown}，其余 {rest} 在无法确定的空白或缺失单元格中（{cells}），为免总计与所列各项不符，未自动填写",
        (
            "row “{row}”, column “{column}” is {expected} by the rules, but the parts shown add up to {shown}; the other {rest} "
            "are in blank or missing cells the rules do not determine ({cells}), so the total is not filled in"
        ),
    ),
    "value-undetermined": (
        WARNING,
        "行“{row}”列“{column}”要求计算(?)，但勾稽关系不能唯一确定其值",
        "row “{row}”, column “{column}” asks to be computed (?) but the rules do not determine it",
    ),
    "not-a-number": (
        ERROR,
        "行“{row}”列“{column}”的内容“{given}”不是数字",
        "row “{row}”, column “{column}”: “{given}” is not a number",
    ),
    "negative-value": (
        ERROR,
        "行“{row}”列“{column}”为负数 {given}，此处只能填非负数",
        "row “{row}”, column “{column}”: {given} is negative; only non-negative values belong here",
    ),
    "fractional-count": (
        ERROR,
        "行“{row}”列“{column}”为 {given}，此处应为整数",
        "row “{row}”, column “{column}”: {given} is not a whole number",
    ),
    "too-many-decimals": (
        WARNING,
        "行“{row}”列“{column}”为 {given}，金额最多保留 4 位小数",
        "row “{row}”, column “{column}”: {given} has more than 4 decimals",
    ),
    "unknown-row": (
        WARNING,
        "无法识别的行“{given}”，已忽略",
        "row “{given}” is not part of the official table and was ignored",
    ),
    "missing-rows": (
        WARNING,
        "表格缺少以下行：{rows}",
        "the table lacks these rows: {rows}",
    ),
    "unknown-name": (
        ERROR,
        "数据块中的名称“{given}”不是本表的行或列{suggestions}",
        "data block: “{given}” names no row or column of this table{suggestions}",
    ),
    "bad-data-block": (
        ERROR,
        "数据块无法读取：{reason}",
        "the data block cannot be read: {reason}",
    ),
    "placed-by-position": (
        INFO,
        "表头无法识别，数值按官方列序放置",
        "the header is not legible; values were placed by the official column order",
    ),
    "prose-table-mismatch": (
        WARNING,
        "正文“{sentence}”中{claim}为 {given} 件，而表格“{row}”为 {expected}",
        "the text “{sentence}” gives {claim} as {given}, the table (“{row}”) as {expected}",
    ),
    "prose-parts-mismatch": (
        WARNING,
        "正文“{sentence}”所列各项之和为 {expected}，与所称总数 {given} 不符",
        "the text “{sentence}”: its parts add up to {expected}, not the {given} it states",
    ),
    "prose-percentage-mismatch": (
        WARNING,
        "正文“{sentence}”中 {part} 件所占比例 {given} 与所述总数（{totals}）都对不上",
        "the text “{sentence}”: {part} is not {given} of any total it states ({totals})",
    ),
    "prose-not-compared": (
        INFO,
        "正文“{sentence}”中的数字无法明确对应到表格单元格，未作比对",
        "the figures of “{sentence}” cannot be tied to one cell of the tables; not compared",
    ),
    "prose-empty-figure": (
        WARNING,
        "正文“{sentence}”缺少数字",
        "the text “{sentence}” lacks its number",
    ),
    "carryover-mismatch": (
        ERROR,
        "本年“二、上年结转”列“{column}”为 {given}，但上年报告“四、结转下年度继续办理”为 {expected}",
        "column “{column}”: carried over {given}, but last year's report carried forward {expected}",
    ),
    "in-force-drift": (
        WARNING,
        "“{row}”现行有效件数为 {given}，按上年 {previous} + 本年制发 − 本年废止应为 {expected}（修订或机构调整可能导致差异）",
        "“{row}”: {given} in force, last year's {previous} + issued − abolished gives {expected} (amendments or reorganisations can explain it)",
    ),
    "copied-section": (
        WARNING,
        "“{section}”与上年报告相同部分的文字相似度为 {similarity}%，疑似照搬（内容雷同）",
        "“{section}” is {similarity}% similar to the same section of last year's report (copied text)",
    ),
    "format-changed": (
        WARNING,
        "本年报告采用 {given} 年版格式，上年报告采用 {expected} 年版格式",
        "this report uses the {given} format, last year's the {expected} format",
    ),
    "previous-unreadable": (
        WARNING,
        "无法读取上年报告：{reason}",
        "last year's report cannot be read: {reason}",
    ),
    "previous-not-a-report": (
        WARNING,
        "上年报告 {path} 不是政府信息公开工作年度报告（既没有统计表，也看不出年度），未作比对",
        "last year's report {path} is not an annual disclosure report (no table, no year): not compared",
    ),
    "late-publication": (
        WARNING,
        "报告发布日期 {given} 晚于法定期限 {expected}（{level}：条例第四十九条）",
        "published on {given}, after the legal deadline {expected} ({level}; Regulations art. 49)",
    ),
    "unplaced-row": (
        ERROR,
        "行“{given}”（数字：{figures}）对应不到本表的任何一行，本表保持原样",
        "the row “{given}” (figures: {figures}) fits no row of this table; the table is left as written",
    ),
    "duplicate-row": (
        ERROR,
        "行“{row}”重复出现（“{given}”，数字：{figures}），本表保持原样",
        "the row “{row}” is written twice (“{given}”, figures: {figures}); the table is left as written",
    ),
    "figure-count-mismatch": (
        ERROR,
        "行“{row}”写有 {count} 个数字（{given}），该行应有 {expected} 列，无法确定各数字所在的列，本表保持原样",
        "the row “{row}” holds {count} figures ({given}) for {expected} columns; which column each belongs to cannot be told, "
        "the table is left as written",
    ),
    "unreadable-table": (
        WARNING,
        "本表的数字无法从这段文字中逐格读出（{count} 行的数字无法对齐到行列），本表未检查，请核对原文",
        "the figures of this table cannot be read cell by cell from this text ({count} rows could not be placed); it was not checked",
    ),
    "ambiguous-reading": (
        WARNING,
        "行“{row}”连写的数字“{given}”有 {count} 种读法（{readings}），无法确定，相关单元格未检查",
        "the glued figures “{given}” of the row “{row}” can be read {count} ways ({readings}); those cells are not checked",
    ),
    "glued-unbalanced": (
        ERROR,
        "连写数字的任何一种读法（共 {count} 种）都不能使本表的勾稽关系成立：表格有错误，但读法确定之前无法指出错在哪一格",
        "no reading of the glued figures ({count} in all) makes the table's rules hold: the table holds an error, "
        "which cannot be located while the reading is open",
    ),
    "glued-row-unbalanced": (
        ERROR,
        "行“{row}”连写的数字“{given}”无论怎样拆分，总计都不等于各项之和：该行有错误，但无法指出错在哪一格",
        "the glued figures “{given}” of the row “{row}” do not add up to their total however they are split: the row holds an error "
        "that cannot be located",
    ),
    "glued-cells": (
        INFO,
        "本表数字连写、没有分隔，已按勾稽关系拆分到各单元格",
        "the figures of this table are glued together; they were split into cells by the table's arithmetic",
    ),
    "row-placed-by-position": (
        INFO,
        "行标签“{given}”无法识别，按官方行序视为“{row}”",
        "the row label “{given}” is not legible; by the official row order it is “{row}”",
    ),
    "internal-error": (
        ERROR,
        "处理本表时发生内部错误（{reason}），本表保持原样",
        "internal error while processing this table ({reason}); the table is left as written",
    ),
    "internal-error-document": (
        ERROR,
        "处理本文件时发生内部错误（{reason}）",
        "internal error while processing this file ({reason})",
    ),
    "missing-section": (
        WARNING,
        "报告缺少以下部分：{sections}",
        "the report lacks these sections: {sections}",
    ),
    "section-order": (
        WARNING,
        "报告各部分的顺序不符合规定格式（实际顺序：{found}）",
        "the sections are not in the official order (found: {found})",
    ),
    "missing-table": (
        WARNING,
        "报告中没有找到本表",
        "this table was not found in the report",
    ),
    "format-year-mismatch": (
        WARNING,
        "本表采用 {given} 年版格式，但 {year} 年度报告应采用 {expected} 年版格式",
        "this table uses the {given} format, but a report for {year} must use the {expected} format",
    ),
}


class Suspect(NamedTuple):
    row: str
    column: str
    given: Any
    expected: Any
    cell: tuple[str, str] | None = None

    def to_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "given": _json_value(self.given), "expected": _json_value(self.expected)}


@dataclass
class Finding:
    code: str
    table: str | None = None
    row: str | None = None
    column: str | None = None
    given: Any = None
    expected: Any = None
    suspects: list[Suspect] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    severity: str = ""

    def __post_init__(self) -> None:
        if not self.severity:
            self.severity = CATALOG[self.code][0]

    def message(self, lang: str = "zh") -> str:
        _, zh, en = CATALOG[self.code]
        template = en if lang == "en" else zh
        if not self.row:  # table 四 has one unnamed row: name the column alone
            template = template.replace("行“{row}”列", "").replace("row “{row}”, column ", "column ")
        values = {
            "row": self.row or "",
            "column": self.column or "",
            "given": _text(self.given),
            "expected": _text(self.expected),
            "hint": "",
        }
        values.update({k: _text(_in_lang(v, lang)) for k, v in self.params.items()})
        if self.params.get("hint"):
            values["hint"] = _HINTS[lang == "en"][self.params["hint"]]
        values["more"] = _more(self.params.get("more"), lang)
        if self.code == "values-computed":
            names = TABLE_NAMES["en" if lang == "en" else "zh"]
            unit = "" if lang == "en" else " 个"
            values["tables"] = ("、" if lang != "en" else ", ").join(f"{names.get(t, t)} {n}{unit}" for t, n in self.params["tables"].items())
        values["suggestions"] = did_you_mean(self.params.get("suggestions"), lang)
        return template.format(**values)

    def to_dict(self, lang: str = "zh") -> dict:
        return {
            "code": self.code,
            "severity": self.severity,
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "given": _json_value(self.given),
            "expected": _json_value(self.expected),
            "suspects": [s.to_dict() for s in self.suspects],
            "message": self.message(lang),
        }

    def line(self, lang: str = "zh") -> str:
        """One line for a terminal or pandoc's stderr: severity, table, code, message, and
        ``[row / column: given → expected]`` where the message leaves them out."""
        table = TABLE_NAMES["en" if lang == "en" else "zh"].get(self.table, self.table or "")
        sev = SEVERITY_NAMES["en" if lang == "en" else "zh"][self.severity]
        line = f"[{sev}] {table + ' ' if table else ''}{self.code}: {self.message(lang)}"
        return line + self._place(line)

    def _place(self, line: str) -> str:
        row, column = self.row or None, self.column or None
        given, expected = (None if v is None or v == "" else _text(v) for v in (self.given, self.expected))
        # a row or column counts as named when its last part is ("… / (七)总计" is named by "(七)总计")
        named = all(part.split(" / ")[-1] in line for part in (row, column) if part)
        shown = all(v in line for v in (given, expected) if v is not None)
        if named and shown:
            return ""
        where = " / ".join(p for p in (row, column) if p)
        values = f"{given or '—'} → {expected or '—'}" if (given or expected) else ""
        return f" [{': '.join(p for p in (where, values) if p)}]"


_HINTS = {
    False: {"typo": "（疑似笔误：只差一位数字）", "swap": "（疑似相邻数字颠倒）"},
    True: {"typo": " (likely a typo: one digit differs)", "swap": " (likely two adjacent digits swapped)"},
}


def _more(count, lang: str) -> str:
    """The tail of a list cut short: how many items were left out."""
    if not count:
        return ""
    return f" (and {count} more)" if lang == "en" else f"（另有 {count} 组，从略）"


def did_you_mean(names, lang: str = "zh") -> str:
    """The tail of a message about an unknown name: the closest known names, if any."""
    if not names:
        return ""
    if lang == "en":
        return "; did you mean " + " or ".join(f"“{n}”" for n in names) + "?"
    return "，是否指" + "或".join(f"“{n}”" for n in names) + "？"


def _in_lang(value: Any, lang: str) -> Any:
    """A parameter given in both languages (``{"zh": …, "en": …}``) in the one asked for."""
    if isinstance(value, dict) and "zh" in value and "en" in value:
        return value["en" if lang == "en" else "zh"]
    return value


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, (list, tuple)):
        return "、".join(_text(v) for v in value)
    from gkreport.values import format_number

    return format_number(value) if not isinstance(value, str) else value


def _json_value(value: Any) -> Any:
    """Counts stay JSON integers; amounts become strings so no digit is lost to a float."""
    from decimal import Decimal

    if isinstance(value, Decimal):
        return _text(value)
    return value


SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}
COMPUTED = frozenset({"value-deduced", "blanks-deduced-zero"})  # infos about the values filled in


def by_severity(findings: list[Finding]) -> list[Finding]:
    """Errors, then warnings, then infos; each in the order found."""
    return sorted(findings, key=lambda f: SEVERITY_ORDER.get(f.severity, 3))


def brief(findings: list[Finding], verbose: bool = False, how: str = "verbose") -> list[Finding]:
    """What a person reads: errors first, then warnings, then infos, the infos about computed
    values summed up in one ``values-computed`` line unless ``verbose`` (``how`` says how to get them)."""
    ordered = by_severity(findings)
    computed = [f for f in ordered if f.code in COMPUTED]
    if verbose or not computed:
        return ordered
    per_table: dict[str | None, int] = {}
    for finding in computed:
        count = finding.params.get("count", 1) if finding.code == "blanks-deduced-zero" else 1
        per_table[finding.table] = per_table.get(finding.table, 0) + (count if isinstance(count, int) else 1)
    line = Finding("values-computed", params={"count": sum(per_table.values()), "how": how, "tables": per_table})
    return [f for f in ordered if f.code not in COMPUTED] + [line]


def count_by_severity(findings: list[Finding]) -> dict[str, int]:
    counts = {ERROR: 0, WARNING: 0, INFO: 0}
    for finding in findings:
        counts[finding.severity] += 1
    return counts
