"""The three official tables, in both official formats, as data.

Everything the rest of the package knows about the format lives here: rows, columns,
their official labels and aliases, which cells exist, the value type of every cell, the
arithmetic rules, and the official layout with its merged cells.  See FORMAT.md of the
domain folder for the source of each fact.

Names: a table is ``active`` (二 主动公开), ``requests`` (三 依申请) or ``appeals``
(四 复议诉讼); a format is ``"2021"`` or ``"2019"``; a cell is addressed by the pair
``(row_key, column_key)``.
"""

from __future__ import annotations

from typing import NamedTuple

from dataclasses import dataclass, field
from functools import cache, cached_property

TABLES = ("active", "requests", "appeals")
FORMATS = ("2021", "2019")

TABLE_TITLES = {
    "active": "主动公开政府信息情况",
    "requests": "收到和处理政府信息公开申请情况",
    "appeals": "政府信息公开行政复议、行政诉讼情况",
}
TABLE_SECTION = {"active": "二", "requests": "三", "appeals": "四"}

# Value types of a cell.
COUNT = "count"  # non-negative integer
SIGNED = "signed"  # integer, may be negative (本年增/减)
AMOUNT = "amount"  # non-negative decimal in 万元, at most 4 decimals

CellKey = tuple[str, str]


class Column(NamedTuple):
    key: str
    label: str
    kind: str = COUNT
    aliases: tuple[str, ...] = ()
    group: str = ""  # the header label spanning this column, e.g. "法人或其他组织"
    short: str = ""  # short Chinese name for data blocks, e.g. "复议维持"

    @property
    def display(self) -> str:
        return f"{self.group} / {self.label}" if self.group else self.label


class Row(NamedTuple):
    key: str
    label: str
    aliases: tuple[str, ...] = ()
    group: str = ""  # the merged label spanning this row, e.g. "(三)不予公开"
    block: str = ""  # table 二 only: "第二十条第(一)项"
    columns: tuple[str, ...] = ()  # table 二 only: the columns this row has
    short: str = ""

    @property
    def display(self) -> str:
        return f"{self.group} / {self.label}" if self.group else self.label


class Rule(NamedTuple):
    """sum(coefficient * cell) == 0 over the terms; ``kind`` names the family for findings."""

    kind: str  # "row-total" | "column-total" | "balance" | "block-total"
    terms: tuple[tuple[CellKey, int], ...]
    target: CellKey  # the cell that holds the stated total (used to word findings)

    @property
    def cells(self) -> tuple[CellKey, ...]:
        return tuple(cell for cell, _ in self.terms)


class LayoutCell(NamedTuple):
    """One cell of the official layout: a fixed text, or the value of ``ref``."""

    text: str = ""
    rowspan: int = 1
    colspan: int = 1
    ref: CellKey | None = None
    role: str = "label"  # "corner" | "header" | "label" | "value"


class Layout(NamedTuple):
    ncols: int
    header: tuple[tuple[LayoutCell, ...], ...]
    body: tuple[tuple[LayoutCell, ...], ...]
    label_columns: int  # how many leading columns of the body hold labels


@dataclass(frozen=True)
class TableSpec:
    table: str
    format: str
    rows: tuple[Row, ...]
    columns: tuple[Column, ...]
    rules: tuple[Rule, ...] = ()
    column_groups: tuple[str, ...] = field(default=())

    @property
    def title(self) -> str:
        return TABLE_TITLES[self.table]

    def row(self, key: str) -> Row:
        return self._rows_by_key[key]

    def column(self, key: str) -> Column:
        return self._columns_by_key[key]

    def columns_of(self, row: Row) -> tuple[Column, ...]:
        if row.columns:
            return tuple(self.column(k) for k in row.columns)
        return self.columns

    @cached_property
    def cells(self) -> tuple[CellKey, ...]:
        return tuple((r.key, c.key) for r in self.rows for c in self.columns_of(r))

    def kind_of(self, cell: CellKey) -> str:
        return self.column(cell[1]).kind

    def describe(self, cell: CellKey) -> tuple[str, str]:
        """Official (row, column) labels of a cell, qualified by group where needed."""
        row, column = self.row(cell[0]), self.column(cell[1])
        row_label = row.display if row.label else ""
        return row_label, column.display

    @cached_property
    def _rows_by_key(self) -> dict[str, Row]:
        return _index(self.rows)

    @cached_property
    def _columns_by_key(self) -> dict[str, Column]:
        return _index(self.columns)


def _index(items) -> dict:
    return {item.key: item for item in items}


# ---------------------------------------------------------------- table 三 (requests)

REQUESTS_COLUMNS = (
    Column("natural", "自然人", short="自然人"),
    Column("business", "商业企业", group="法人或其他组织", short="商业企业"),
    Column("research", "科研机构", group="法人或其他组织", short="科研机构"),
    Column("nonprofit", "社会公益组织", group="法人或其他组织", short="社会公益组织"),
    Column("legal", "法律服务机构", group="法人或其他组织", short="法律服务机构"),
    Column("other_org", "其他", group="法人或其他组织", aliases=("其他组织",), short="其他"),
    Column("total", "总计", aliases=("合计",), short="总计"),
)

_RESULTS = "三、本年度办理结果"
_WITHHELD = "(三)不予公开"
_UNAVAILABLE = "(四)无法提供"
_NOT_PROCESSED = "(五)不予处理"
_OTHER = "(六)其他处理"


def _requests_rows(fmt: str) -> tuple[Row, ...]:
    head = (
        Row("new", "一、本年新收政府信息公开申请数量", ("本年新收", "新收申请"), short="新收"),
        Row("carried_over", "二、上年结转政府信息公开申请数量", ("上年结转",), short="上年结转"),
        Row("granted", "(一)予以公开", group=_RESULTS, short="予以公开"),
        Row(
            "partial",
            "(二)部分公开(区分处理的,只计这一情形,不计其他情形)",
            ("部分公开",),
            group=_RESULTS,
            short="部分公开",
        ),
        Row("withheld_secret", "1.属于国家秘密", group=_WITHHELD, short="国家秘密"),
        Row("withheld_law", "2.其他法律行政法规禁止公开", group=_WITHHELD, short="法律法规禁止"),
        Row(
            "withheld_security",
            '3.危及"三安全一稳定"',
            ("危及三安全一稳定",),
            group=_WITHHELD,
            short="三安全一稳定",
        ),
        Row("withheld_third_party", "4.保护第三方合法权益", group=_WITHHELD, short="第三方权益"),
        Row("withheld_internal", "5.属于三类内部事务信息", group=_WITHHELD, short="内部事务"),
        Row("withheld_process", "6.属于四类过程性信息", group=_WITHHELD, short="过程性信息"),
        Row("withheld_enforcement", "7.属于行政执法案卷", group=_WITHHELD, short="执法案卷"),
        Row("withheld_query", "8.属于行政查询事项", group=_WITHHELD, short="查询事项"),
        Row(
            "unavailable_not_held",
            "1.本机关不掌握相关政府信息",
            ("本机关不掌握相关信息",),
            group=_UNAVAILABLE,
            short="不掌握",
        ),
        Row("unavailable_to_make", "2.没有现成信息需要另行制作", group=_UNAVAILABLE, short="另行制作"),
        Row("unavailable_unclear", "3.补正后申请内容仍不明确", group=_UNAVAILABLE, short="仍不明确"),
        Row("rejected_petition", "1.信访举报投诉类申请", group=_NOT_PROCESSED, short="信访举报投诉"),
        Row("rejected_repeat", "2.重复申请", group=_NOT_PROCESSED, short="重复申请"),
        Row("rejected_publication", "3.要求提供公开出版物", group=_NOT_PROCESSED, short="公开出版物"),
        Row("rejected_mass", "4.无正当理由大量反复申请", group=_NOT_PROCESSED, short="大量反复申请"),
        Row(
            "rejected_confirm",
            "5.要求行政机关确认或重新出具已获取信息",
            group=_NOT_PROCESSED,
            short="确认或重新出具",
        ),
    )
    if fmt == "2021":
        other = (
            Row(
                "other_no_correction",
                "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                ("申请人无正当理由逾期不补正",),
                group=_OTHER,
                short="逾期不补正",
            ),
            Row(
                "other_no_fee",
                "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                ("申请人逾期未按收费通知要求缴纳费用",),
                group=_OTHER,
                short="逾期未缴费",
            ),
            Row("other_other", "3.其他", group=_OTHER, short="其他处理其他"),
        )
    else:
        other = (Row("other", "(六)其他处理", group=_RESULTS, short="其他处理"),)
    tail = (
        Row("handled_total", "(七)总计", group=_RESULTS, short="办理总计"),
        Row("carried_forward", "四、结转下年度继续办理", ("结转下年度",), short="结转下年度"),
    )
    return head + other + tail


REQUESTS_RESULT_GROUPS = (_WITHHELD, _UNAVAILABLE, _NOT_PROCESSED, _OTHER)
REQUESTS_CORNER = "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)"


def _requests_rules(rows: tuple[Row, ...]) -> tuple[Rule, ...]:
    parts = [c.key for c in REQUESTS_COLUMNS if c.key != "total"]
    leaves = [r.key for r in rows if r.group and r.key != "handled_total"]
    rules = [
        Rule("row-total", (((r.key, "total"), 1),) + tuple(((r.key, p), -1) for p in parts), (r.key, "total"))
        for r in rows
    ]
    for c in REQUESTS_COLUMNS:
        rules.append(
            Rule(
                "column-total",
                ((("handled_total", c.key), 1),) + tuple(((leaf, c.key), -1) for leaf in leaves),
                ("handled_total", c.key),
            )
        )
    for c in REQUESTS_COLUMNS:
        rules.append(
            Rule(
                "balance",
                (
                    (("new", c.key), 1),
                    (("carried_over", c.key), 1),
                    (("handled_total", c.key), -1),
                    (("carried_forward", c.key), -1),
                ),
                ("carried_forward", c.key),
            )
        )
    return tuple(rules)


# ---------------------------------------------------------------- table 四 (appeals)

APPEALS_GROUPS = (
    ("reconsideration", "行政复议", "复议"),
    ("direct_suit", "行政诉讼 / 未经复议直接起诉", "直接起诉"),
    ("suit_after", "行政诉讼 / 复议后起诉", "复议后起诉"),
)
APPEALS_LEAVES = (
    ("upheld", "结果维持", "维持"),
    ("corrected", "结果纠正", "纠正"),
    ("other", "其他结果", "其他结果"),
    ("pending", "尚未审结", "尚未审结"),
    ("total", "总计", "总计"),
)
APPEALS_COLUMNS = tuple(
    Column(f"{g}_{leaf}", label, group=glabel, short=f"{gshort}{lshort}")
    for g, glabel, gshort in APPEALS_GROUPS
    for leaf, label, lshort in APPEALS_LEAVES
)
APPEALS_ROW = Row("cases", "", short="")


def _appeals_rules() -> tuple[Rule, ...]:
    rules = []
    for g, _, _ in APPEALS_GROUPS:
        total = ("cases", f"{g}_total")
        parts = tuple((("cases", f"{g}_{leaf}"), -1) for leaf, _, _ in APPEALS_LEAVES[:-1])
        rules.append(Rule("block-total", ((total, 1),) + parts, total))
    return tuple(rules)


# ---------------------------------------------------------------- table 二 (active)

ARTICLE_1 = "第二十条第(一)项"
ARTICLE_5 = "第二十条第(五)项"
ARTICLE_6 = "第二十条第(六)项"
ARTICLE_8 = "第二十条第(八)项"
ARTICLE_9 = "第二十条第(九)项"

ACTIVE_COLUMNS_2021 = (
    Column("issued", "本年制发件数", short="制发"),
    Column("abolished", "本年废止件数", short="废止"),
    Column("in_force", "现行有效件数", short="现行有效"),
    Column("decisions", "本年处理决定数量", aliases=("处理决定数量",), short="处理决定"),
    Column("fee_amount", "本年收费金额(单位:万元)", AMOUNT, aliases=("本年收费金额",), short="收费金额"),
)
ACTIVE_ROWS_2021 = (
    Row("regulations", "规章", block=ARTICLE_1, columns=("issued", "abolished", "in_force"), short="规章"),
    Row(
        "normative_documents",
        "行政规范性文件",
        ("规范性文件",),
        block=ARTICLE_1,
        columns=("issued", "abolished", "in_force"),
        short="规范性文件",
    ),
    Row("licensing", "行政许可", block=ARTICLE_5, columns=("decisions",), short="行政许可"),
    Row("penalties", "行政处罚", block=ARTICLE_6, columns=("decisions",), short="行政处罚"),
    Row("coercion", "行政强制", block=ARTICLE_6, columns=("decisions",), short="行政强制"),
    Row("fees", "行政事业性收费", block=ARTICLE_8, columns=("fee_amount",), short="行政事业性收费"),
)

ACTIVE_COLUMNS_2019 = (
    Column("made", "本年新制作数量", short="新制作"),
    Column("published", "本年新公开数量", short="新公开"),
    Column("total_published", "对外公开总数量", short="对外公开总数"),
    Column("previous_items", "上一年项目数量", short="上一年项目"),
    Column("change", "本年增/减", SIGNED, aliases=("本年增减",), short="增减"),
    Column("decisions", "处理决定数量", aliases=("本年处理决定数量",), short="处理决定"),
    Column("procurement_items", "采购项目数量", short="采购项目"),
    Column("procurement_amount", "采购总金额", AMOUNT, aliases=("采购总金额(单位:万元)",), short="采购金额"),
)
_ITEMS_2019 = ("previous_items", "change", "decisions")
ACTIVE_ROWS_2019 = (
    Row("regulations", "规章", block=ARTICLE_1, columns=("made", "published", "total_published"), short="规章"),
    Row(
        "normative_documents",
        "规范性文件",
        ("行政规范性文件",),
        block=ARTICLE_1,
        columns=("made", "published", "total_published"),
        short="规范性文件",
    ),
    Row("licensing", "行政许可", block=ARTICLE_5, columns=_ITEMS_2019, short="行政许可"),
    Row("other_services", "其他对外管理服务事项", block=ARTICLE_5, columns=_ITEMS_2019, short="其他对外管理服务事项"),
    Row("penalties", "行政处罚", block=ARTICLE_6, columns=_ITEMS_2019, short="行政处罚"),
    Row("coercion", "行政强制", block=ARTICLE_6, columns=_ITEMS_2019, short="行政强制"),
    Row("fees", "行政事业性收费", block=ARTICLE_8, columns=("previous_items", "change"), short="行政事业性收费"),
    Row(
        "procurement",
        "政府集中采购",
        block=ARTICLE_9,
        columns=("procurement_items", "procurement_amount"),
        short="政府集中采购",
    ),
)
ACTIVE_BLOCKS = {"2021": (ARTICLE_1, ARTICLE_5, ARTICLE_6, ARTICLE_8), "2019": (ARTICLE_1, ARTICLE_5, ARTICLE_6, ARTICLE_8, ARTICLE_9)}


# ---------------------------------------------------------------- the registry


@cache
def spec_for(table: str, fmt: str) -> TableSpec:
    if table == "requests":
        rows = _requests_rows(fmt)
        return TableSpec("requests", fmt, rows, REQUESTS_COLUMNS, _requests_rules(rows), ("申请人情况", "法人或其他组织"))
    if table == "appeals":
        return TableSpec(
            "appeals", fmt, (APPEALS_ROW,), APPEALS_COLUMNS, _appeals_rules(), ("行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉")
        )
    if table == "active":
        if fmt == "2021":
            return TableSpec("active", fmt, ACTIVE_ROWS_2021, ACTIVE_COLUMNS_2021)
        return TableSpec("active", fmt, ACTIVE_ROWS_2019, ACTIVE_COLUMNS_2019)
    raise KeyError(f"unknown table {table!r}")


def all_specs() -> tuple[TableSpec, ...]:
    return tuple(spec_for(t, f) for t in TABLES for f in FORMATS)


# ---------------------------------------------------------------- official layouts


@cache
def official_layout(table: str, fmt: str) -> Layout:
    spec = spec_for(table, fmt)
    if table == "requests":
        return _requests_layout(spec)
    if table == "appeals":
        return _appeals_layout(spec)
    return _active_layout(spec)


def _values(spec: TableSpec, row: Row, span: int = 1) -> tuple[LayoutCell, ...]:
    return tuple(LayoutCell(colspan=span, ref=(row.key, c.key), role="value") for c in spec.columns_of(row))


def _requests_layout(spec: TableSpec) -> Layout:
    cols = spec.columns
    header = (
        (LayoutCell(REQUESTS_CORNER, rowspan=3, colspan=3, role="corner"), LayoutCell("申请人情况", colspan=7, role="header")),
        (
            LayoutCell(cols[0].label, rowspan=2, role="header"),
            LayoutCell("法人或其他组织", colspan=5, role="header"),
            LayoutCell(cols[6].label, rowspan=2, role="header"),
        ),
        tuple(LayoutCell(c.label, role="header") for c in cols[1:6]),
    )
    body = []
    results = [r for r in spec.rows if r.group]
    for row in spec.rows:
        cells: list[LayoutCell] = []
        if not row.group:
            cells.append(LayoutCell(row.label, colspan=3))
        else:
            if row is results[0]:
                cells.append(LayoutCell(_RESULTS, rowspan=len(results)))
            if row.group == _RESULTS:
                cells.append(LayoutCell(row.label, colspan=2))
            else:
                members = [r for r in results if r.group == row.group]
                if row is members[0]:
                    cells.append(LayoutCell(row.group, rowspan=len(members)))
                cells.append(LayoutCell(row.label))
        body.append(tuple(cells) + _values(spec, row))
    return Layout(10, header, tuple(body), 3)


def _appeals_layout(spec: TableSpec) -> Layout:
    leaves = [label for _, label, _ in APPEALS_LEAVES]
    header = (
        (LayoutCell("行政复议", colspan=5, role="header"), LayoutCell("行政诉讼", colspan=10, role="header")),
        tuple(LayoutCell(label, rowspan=2, role="header") for label in leaves)
        + (LayoutCell("未经复议直接起诉", colspan=5, role="header"), LayoutCell("复议后起诉", colspan=5, role="header")),
        tuple(LayoutCell(label, role="header") for label in leaves * 2),
    )
    return Layout(15, header, (_values(spec, APPEALS_ROW),), 0)


def _active_layout(spec: TableSpec) -> Layout:
    # 2021: a label column and three value columns.  2019 has blocks of one, two and
    # three values, so its value area is six columns wide (spans 6, 3 and 2).
    width = 3 if spec.format == "2021" else 6
    body = []
    for block in ACTIVE_BLOCKS[spec.format]:
        rows = [r for r in spec.rows if r.block == block]
        columns = spec.columns_of(rows[0])
        span = width // len(columns)
        body.append((LayoutCell(block, colspan=width + 1, role="header"),))
        body.append((LayoutCell("信息内容", role="header"),) + tuple(LayoutCell(c.label, colspan=span, role="header") for c in columns))
        for row in rows:
            body.append((LayoutCell(row.label),) + _values(spec, row, span))
    return Layout(width + 1, (), tuple(body), 1)
