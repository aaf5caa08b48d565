"""The report's six sections and its three official tables, in both official formats, as data.

Everything the rest of the package knows about the format lives here: the sections and the
words their headings hold, which format a year uses, the tables' rows and columns, their
official labels and aliases, which cells exist, the value type of every cell, the arithmetic
rules (with the totals they sum into and the named sides of the balance), the rules across
years, what tells one format from the other, the figures a report states in words, and the
official layout with its merged cells.  See FORMAT.md of the domain folder for the source of
each fact.

Names: a table is ``active`` (二 主动公开), ``requests`` (三 依申请) or ``appeals``
(四 复议诉讼); a format is ``"2021"`` or ``"2019"``; a cell is addressed by the pair
``(row_key, column_key)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import NamedTuple

TABLES = ("active", "requests", "appeals")
FORMATS = ("2021", "2019")  # the newest first
DEFAULT_FORMAT = "2021"  # when neither the table nor the report's year tells

# The first report year each format is used for: 国办公开办函〔2019〕60号 for the 2019 and 2020
# reports, 〔2021〕30号 from the 2021 report on.
FORMAT_SINCE = {"2021": 2021, "2019": 2019}


def format_for_year(year: int | None) -> str | None:
    """The format a report of ``year`` must use (before the first format: the first)."""
    if year is None:
        return None
    return next((fmt for fmt in FORMATS if FORMAT_SINCE[fmt] <= year), FORMATS[-1])


def year_of_format(fmt: str) -> int:
    """A year whose report uses the format (its first): the year, where only the format is known."""
    return FORMAT_SINCE[fmt]


TABLE_TITLES = {
    "active": "主动公开政府信息情况",
    "requests": "收到和处理政府信息公开申请情况",
    "appeals": "政府信息公开行政复议、行政诉讼情况",
}
TABLE_SECTION = {"active": "二", "requests": "三", "appeals": "四"}
# The names a writer may give a table (a data block's ``table:``): its key, section number, short name.
TABLE_NAMES = {
    "active": "active",
    "二": "active",
    "表二": "active",
    "主动公开": "active",
    "requests": "requests",
    "三": "requests",
    "表三": "requests",
    "依申请": "requests",
    "依申请公开": "requests",
    "appeals": "appeals",
    "四": "appeals",
    "表四": "appeals",
    "复议诉讼": "appeals",
}


class Section(NamedTuple):
    number: str
    title: str
    words: tuple[str, ...]  # a heading holding one of these (folded) opens the section


# The six sections (both formats); real reports vary the headings, so they are matched by their words.
SECTIONS = (
    Section("一", "总体情况", ("总体情况",)),
    Section("二", TABLE_TITLES["active"], ("主动公开",)),
    Section("三", TABLE_TITLES["requests"], ("收到和处理", "依申请", "申请情况")),
    Section("四", TABLE_TITLES["appeals"], ("行政复议", "行政诉讼")),
    Section("五", "存在的主要问题及改进情况", ("主要问题", "问题及改进", "改进情况")),
    Section("六", "其他需要报告的事项", ("其他需要报告", "其他事项")),
)
SECTION_NUMBERS = tuple(section.number for section in SECTIONS)

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
    """sum(coefficient * cell) == 0 over the terms; ``kind`` names the family for findings.

    A sum rule (every kind but ``balance``) says its target is the total of its other cells.  A
    balance names its two sides (``sides``: name -> cells), which its findings state the sums of.
    """

    kind: str  # "row-total" | "column-total" | "balance" | "block-total"
    terms: tuple[tuple[CellKey, int], ...]
    target: CellKey  # the cell that holds the stated total (used to word findings)
    sides: tuple[tuple[str, tuple[CellKey, ...]], ...] = ()

    @property
    def cells(self) -> tuple[CellKey, ...]:
        return tuple(cell for cell, _ in self.terms)

    @property
    def is_sum(self) -> bool:
        return self.kind != "balance"


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

    @cached_property
    def totals(self) -> frozenset[CellKey]:
        """The cells a sum rule adds up into (the 总计 column and rows of 三, each group's 总计 of 四)."""
        return frozenset(rule.target for rule in self.rules if rule.is_sum)

    def is_total(self, cell: CellKey) -> bool:
        return cell in self.totals

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

_APPLICANTS = "申请人情况"  # the header spanning every column
_ORGANISATIONS = "法人或其他组织"  # the header spanning five of them (no subtotal column)
REQUESTS_COLUMN_GROUPS = (_APPLICANTS, _ORGANISATIONS)
REQUESTS_COLUMNS = (
    Column("natural", "自然人", short="自然人"),
    Column("business", "商业企业", group=_ORGANISATIONS, short="商业企业"),
    Column("research", "科研机构", group=_ORGANISATIONS, short="科研机构"),
    Column("nonprofit", "社会公益组织", group=_ORGANISATIONS, short="社会公益组织"),
    Column("legal", "法律服务机构", group=_ORGANISATIONS, short="法律服务机构"),
    Column("other_org", "其他", group=_ORGANISATIONS, aliases=("其他组织",), short="其他"),
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
    for c in REQUESTS_COLUMNS:  # the identity printed in the corner: 一 + 二 = (七)总计 + 四
        received = (("new", c.key), ("carried_over", c.key))
        settled = (("handled_total", c.key), ("carried_forward", c.key))
        terms = tuple((cell, 1) for cell in received) + tuple((cell, -1) for cell in settled)
        rules.append(Rule("balance", terms, ("carried_forward", c.key), (("lhs", received), ("rhs", settled))))
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
APPEALS_TOP_GROUPS = tuple(dict.fromkeys(label.split(" / ")[0] for _, label, _ in APPEALS_GROUPS))  # 行政复议, 行政诉讼
APPEALS_SUIT_GROUPS = tuple(label.split(" / ")[1] for _, label, _ in APPEALS_GROUPS if " / " in label)  # 行政诉讼's two parts
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

BLOCK_TITLE = "第二十条第({})项"  # a block of table 二 is titled by the item of 条例 art. 20 it discloses
ARTICLE_1 = BLOCK_TITLE.format("一")
ARTICLE_5 = BLOCK_TITLE.format("五")
ARTICLE_6 = BLOCK_TITLE.format("六")
ARTICLE_8 = BLOCK_TITLE.format("八")
ARTICLE_9 = BLOCK_TITLE.format("九")

ACTIVE_CONTENT_HEADER = "信息内容"  # the header of each block's label column

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
ACTIVE_BLOCKS = {
    "2021": (ARTICLE_1, ARTICLE_5, ARTICLE_6, ARTICLE_8),
    "2019": (ARTICLE_1, ARTICLE_5, ARTICLE_6, ARTICLE_8, ARTICLE_9),
}


# ---------------------------------------------------------------- the registry


@cache
def spec_for(table: str, fmt: str) -> TableSpec:
    if table == "requests":
        rows = _requests_rows(fmt)
        return TableSpec("requests", fmt, rows, REQUESTS_COLUMNS, _requests_rules(rows), REQUESTS_COLUMN_GROUPS)
    if table == "appeals":
        groups = APPEALS_TOP_GROUPS + APPEALS_SUIT_GROUPS
        return TableSpec("appeals", fmt, (APPEALS_ROW,), APPEALS_COLUMNS, _appeals_rules(), groups)
    if table == "active":
        if fmt == "2021":
            return TableSpec("active", fmt, ACTIVE_ROWS_2021, ACTIVE_COLUMNS_2021)
        return TableSpec("active", fmt, ACTIVE_ROWS_2019, ACTIVE_COLUMNS_2019)
    raise KeyError(f"unknown table {table!r}")


def all_specs() -> tuple[TableSpec, ...]:
    return tuple(spec_for(t, f) for t in TABLES for f in FORMATS)


@cache
def official_texts() -> tuple[str, ...]:
    """Every text the official format prints: section titles and heading words, table titles, labels,
    aliases, groups, block titles, the corner and the header words."""
    texts = [section.title + "".join(section.words) for section in SECTIONS] + [REQUESTS_CORNER, ACTIVE_CONTENT_HEADER]
    for spec in all_specs():
        texts.append(spec.title)
        for item in spec.rows + spec.columns:
            texts += [item.label, item.group, *item.aliases]
        texts += [r.block for r in spec.rows] + list(spec.column_groups)
    return tuple(text for text in texts if text)


@cache
def row_order(table: str) -> tuple[str, ...]:
    """The row keys of a table in both formats, in official order: each format's rows, with the
    rows only the other format has where that format places them (2019's single (六)其他处理
    before 2021's three)."""
    order = [r.key for r in spec_for(table, FORMATS[0]).rows]
    for fmt in FORMATS[1:]:
        previous = None
        for row in spec_for(table, fmt).rows:
            if row.key not in order:
                order.insert(order.index(previous) + 1 if previous else 0, row.key)
            previous = row.key
    return tuple(order)


class Markers(NamedTuple):
    """What one format of a table has and the other has not: what tells the format a table is written in."""

    rows: frozenset[str]  # row keys
    columns: frozenset[str]  # official column labels
    blocks: frozenset[str]  # block titles (table 二)


@cache
def format_markers(table: str, fmt: str) -> Markers:
    mine = spec_for(table, fmt)
    others = [spec_for(table, f) for f in FORMATS if f != fmt]

    def only(items) -> frozenset[str]:
        return frozenset(items(mine)).difference(*(items(other) for other in others))

    return Markers(
        only(lambda spec: (r.key for r in spec.rows)),
        only(lambda spec: (c.label for c in spec.columns)),
        only(lambda spec: (r.block for r in spec.rows if r.block)),
    )


@cache
def rows_of_group(group: str) -> tuple[str, ...]:
    """The row keys of table 三 a result group ("(三)不予公开") stands for, in either format: its
    rows, or the row that is the group itself (2019's single (六)其他处理 row)."""
    rows = {r.key: r for fmt in FORMATS for r in spec_for("requests", fmt).rows}
    return tuple(key for key in row_order("requests") if group in (rows[key].group, rows[key].label))


# ---------------------------------------------------------------- figures stated in words


class Figure(NamedTuple):
    """A figure a report states in words ("收到申请58件"), as cells of one table: their sum, or
    (``any_of``) any one of them.  Cells the table's format lacks are left out."""

    table: str
    cells: tuple[CellKey, ...]
    any_of: bool = False


def _row_totals(*rows: str) -> Figure:
    return Figure("requests", tuple((row, "total") for row in rows))


def _stock(row: str) -> Figure:
    """A count of 规章 or 规范性文件: what was made, published or is in force (either format)."""
    return Figure("active", tuple((row, c) for c in ("issued", "in_force", "made", "published", "total_published")), any_of=True)


@cache
def figures() -> dict[str, Figure]:
    """The figures prose and summaries name, by name (built on first use: it reads both formats of 三)."""
    return {
        "new": _row_totals("new"),
        "carried_over": _row_totals("carried_over"),
        "carried_forward": _row_totals("carried_forward"),
        "handled": _row_totals("handled_total"),
        "granted": _row_totals("granted"),
        "partial": _row_totals("partial"),
        "granted_or_partial": _row_totals("granted", "partial"),
        "withheld": _row_totals(*rows_of_group(_WITHHELD)),
        "unavailable": _row_totals(*rows_of_group(_UNAVAILABLE)),
        "not_held": _row_totals("unavailable_not_held"),
        "rejected": _row_totals(*rows_of_group(_NOT_PROCESSED)),
        "repeated": _row_totals("rejected_repeat"),
        "other_handling": _row_totals(*rows_of_group(_OTHER)),
        "reconsideration": Figure("appeals", (("cases", "reconsideration_total"),)),
        "litigation": Figure("appeals", (("cases", "direct_suit_total"), ("cases", "suit_after_total"))),
        "regulations": _stock("regulations"),
        "normative_documents": _stock("normative_documents"),
        "licensing": Figure("active", (("licensing", "decisions"),)),
        "penalties": Figure("active", (("penalties", "decisions"),)),
        "coercion": Figure("active", (("coercion", "decisions"),)),
    }


# ---------------------------------------------------------------- rules across years


class CarryRule(NamedTuple):
    """``row`` this year = ``previous_row`` last year, column by column (an error)."""

    table: str
    row: str
    previous_row: str


class StockRule(NamedTuple):
    """``stock`` this year = ``stock`` last year + ``added`` − ``removed``, on each of ``rows`` of
    ``format``: a warning at most (amendments and reorganisations break it)."""

    table: str
    format: str
    rows: tuple[str, ...]
    stock: str
    added: str
    removed: str


CARRY_OVER = CarryRule("requests", "carried_over", "carried_forward")  # 二、上年结转 = last year's 四、结转下年度继续办理
IN_FORCE = StockRule("active", "2021", ("regulations", "normative_documents"), "in_force", "issued", "abolished")


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
        (LayoutCell(REQUESTS_CORNER, rowspan=3, colspan=3, role="corner"), LayoutCell(_APPLICANTS, colspan=7, role="header")),
        (
            LayoutCell(cols[0].label, rowspan=2, role="header"),
            LayoutCell(_ORGANISATIONS, colspan=5, role="header"),
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
    reconsideration, suit = APPEALS_TOP_GROUPS
    direct, after = APPEALS_SUIT_GROUPS
    header = (
        (LayoutCell(reconsideration, colspan=5, role="header"), LayoutCell(suit, colspan=10, role="header")),
        tuple(LayoutCell(label, rowspan=2, role="header") for label in leaves)
        + (LayoutCell(direct, colspan=5, role="header"), LayoutCell(after, colspan=5, role="header")),
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
        headers = tuple(LayoutCell(c.label, colspan=span, role="header") for c in columns)
        body.append((LayoutCell(ACTIVE_CONTENT_HEADER, role="header"),) + headers)
        for row in rows:
            body.append((LayoutCell(row.label),) + _values(spec, row, span))
    return Layout(width + 1, (), tuple(body), 1)
