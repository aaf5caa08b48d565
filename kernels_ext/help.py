"""The help of ``%%gkreport``: usage, every option, the three forms of body with an example each,
and, for a chosen table, the names of its rows and columns — in Chinese, or English on request.

``%%gkreport?`` (and Shift+Tab on the magic) shows ``magic_help("zh")``, the docstring of both
magics; ``%%gkreport requests?`` (or ``%gkreport --help requests``) shows ``magic_help(lang,
"requests", fmt)`` with the table's names; ``%%gkreport --lang en?`` and ``%%gkreport requests
--lang en?`` the same in English.  The names come from ``gkreport.spec``.
"""

from __future__ import annotations

import itertools
import re

from gkreport.spec import (
    APPEALS_GROUPS,
    APPEALS_LEAVES,
    DEFAULT_FORMAT,
    FORMATS,
    TABLE_SECTION,
    TABLE_TITLES,
    TABLES,
    format_for_year,
    spec_for,
)

_GENERAL = {
    "zh": """\
%%gkreport [表] [选项] —— 检查单元格里的一张统计表：补全总计，指出写错的单元格，按官方格式显示。

用法
  %%gkreport [active|requests|appeals] [--year 年份] [--format 2019|2021] [-o 变量名] [--lang zh|en] [--expand]

选项
  表                   active（表二 主动公开）、requests（表三 依申请公开）、appeals（表四 复议诉讼），
                       也可写 二、三、四；省略时按正文判断
  --year 年份          报告年度：2020 年及以前用 2019 年版格式，2021 年起用 2021 年版
  --format 2019|2021   官方格式（国办公开办函〔2019〕60号 / 〔2021〕30号），优先于 --year；默认 2021
  -o, --output 变量名  把结果（GkTable）存入该变量：.values、.findings、.to_markdown()、.to_html()
  --lang zh|en         提示信息的语言（默认中文）
  --expand             用命名空间中的变量替换正文里的 $变量（默认原样使用正文）

正文的三种写法（只需写非零的单元格；总计留空或不写，自动计算）
  1. 稀疏形式（YAML）：行: {列: 值}，或 行.列: 值
       %%gkreport requests
       新收: {自然人: 58, 商业企业: 7, 法律服务机构: 1}
       上年结转.自然人: 2
       予以公开: {自然人: 40, 商业企业: 7, 法律服务机构: 1}
       部分公开.自然人: 20
  2. Markdown 管道表（也可粘贴 pandoc 网格表）；应写全各行，这里只示开头三行
       %%gkreport requests
       | 项目 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |
       |---|---|---|---|---|---|---|---|
       | 一、本年新收政府信息公开申请数量 | 58 | 7 | 0 | 0 | 1 | 0 |  |
       | 二、上年结转政府信息公开申请数量 | 2 | 0 | 0 | 0 | 0 | 0 |  |
       | (一)予以公开 | 60 | 7 | 0 | 0 | 1 | 0 |  |
  3. CSV：每行“行,列,值”
       %%gkreport requests
       新收,自然人,2
       部分公开,自然人,2

单元格的值：数字（1,234、全角数字亦可）；空白、/、—、无 表示未知，由勾稽关系推算；? 表示请求推算。

相关命令
  %%gkreport 表?             该表的全部行名和列名，例如 %%gkreport requests?（--format 2019 看 2019 年版）
  %gkreport --new 表         空表骨架（稀疏形式），并放入下一个单元格
  %gkcheck [文件]            检查报告文件；不带参数时检查本会话的全部表格，并注明各表来自哪个单元格
  Tab                        补全表名、行名、列名（简体或繁体前缀均可）
  English: %%gkreport --lang en?   or   %%gkreport requests --lang en?
""",
    "en": """\
%%gkreport [TABLE] [options] -- check one statistical table written in the cell: fill the totals,
locate a wrong cell, show the table in the official layout.

Usage
  %%gkreport [active|requests|appeals] [--year YEAR] [--format 2019|2021] [-o NAME] [--lang zh|en] [--expand]

Options
  TABLE                active (table 2, proactive disclosure), requests (table 3, requests),
                       appeals (table 4, reconsideration and litigation); also 二, 三, 四;
                       guessed from the body when omitted
  --year YEAR          the report's year: up to 2020 the 2019 format, from 2021 the 2021 format
  --format 2019|2021   the official format (国办公开办函〔2019〕60号 / 〔2021〕30号), before --year; default 2021
  -o, --output NAME    keep the result (a GkTable) in NAME: .values, .findings, .to_markdown(), .to_html()
  --lang zh|en         language of the messages (default Chinese)
  --expand             substitute $name in the body from the namespace (the body is otherwise used as written)

Three ways to write the body (only the non-zero cells; totals left out or blank are computed)
  1. the sparse form (YAML): row: {column: value}, or row.column: value
       %%gkreport requests
       新收: {自然人: 58, 商业企业: 7, 法律服务机构: 1}
       上年结转.自然人: 2
       予以公开: {自然人: 40, 商业企业: 7, 法律服务机构: 1}
       部分公开.自然人: 20
  2. a Markdown pipe table (a pandoc grid table works too) with every row; only the first three shown here
       %%gkreport requests
       | 项目 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |
       |---|---|---|---|---|---|---|---|
       | 一、本年新收政府信息公开申请数量 | 58 | 7 | 0 | 0 | 1 | 0 |  |
       | 二、上年结转政府信息公开申请数量 | 2 | 0 | 0 | 0 | 0 | 0 |  |
       | (一)予以公开 | 60 | 7 | 0 | 0 | 1 | 0 |  |
  3. CSV lines "row,column,value"
       %%gkreport requests
       新收,自然人,2
       部分公开,自然人,2

Cell values: numbers (1,234 and full-width digits too); blank, /, —, 无 are unknowns the rules
fill in; ? asks for the value to be computed.

Related
  %%gkreport TABLE?          every row and column name of the table, e.g. %%gkreport requests --lang en?
  %gkreport --new TABLE      an empty table in the sparse form, also put in the next cell
  %gkcheck [FILE]            check a report file; alone, every table of this session, with the cell it came from
  Tab                        completes table, row and column names (Simplified or Traditional prefixes)
""",
}

_WORDS = {
    "zh": {
        "rows": "行（简称 — 官方名称；也可写的别名在括号里）",
        "columns": "列",
        "columns_of": "列（因行而异）",
        "aliases": "也可写",
        "groups": "组（行政复议、行政诉讼的两类）",
        "results": "每组的结果",
        "example": "例：",
        "format": "{title}（{fmt}年版）",
        "other_format": "另一版本：--format {other}",
        "sep": "；",
    },
    "en": {
        "rows": "Rows (short name — official label; other accepted names in brackets)",
        "columns": "Columns",
        "columns_of": "Columns (by row)",
        "aliases": "also",
        "groups": "Groups (reconsideration, and the two kinds of litigation)",
        "results": "Results of each group",
        "example": "Example: ",
        "format": "{title} ({fmt} format)",
        "other_format": "the other format: --format {other}",
        "sep": "; ",
    },
}


def magic_help(lang: str = "zh", table: str | None = None, fmt: str | None = None) -> str:
    """The help text; with ``table``, followed by the names of that table's rows and columns."""
    lang = "en" if lang == "en" else "zh"
    text = _GENERAL[lang]
    if table in TABLES:
        text += "\n" + table_names(table, fmt or DEFAULT_FORMAT, lang)
    return text


def table_names(table: str, fmt: str, lang: str = "zh") -> str:
    words = _WORDS["en" if lang == "en" else "zh"]
    spec = spec_for(table, fmt)
    other = next(f for f in FORMATS if f != fmt)
    title = f"{TABLE_SECTION[table]}、{TABLE_TITLES[table]}"
    lines = [f"%%gkreport {table} — " + words["format"].format(title=title, fmt=fmt) + words["sep"] + words["other_format"].format(other=other)]
    if table == "appeals":
        lines.append(words["groups"])
        lines += [f"  {short} — {label}（{key}）" for key, label, short in APPEALS_GROUPS]
        lines.append(words["results"])
        lines += [f"  {short} — {label}（{key}）" for key, label, short in APPEALS_LEAVES]
        lines.append(f"{words['example']}复议: {{维持: 1, 尚未审结: 1}}　直接起诉维持: 1")
        return "\n".join(lines) + "\n"
    lines.append(words["rows"])
    for row in spec.rows:
        names = [n for n in (*row.aliases, row.key) if n and n != row.short]
        group = f"{row.group} / " if row.group else ""
        extra = f"（{words['aliases']}：{'、'.join(names)}）" if names else ""
        columns = ""
        if row.columns:
            columns = "：" + "、".join(spec.column(c).short or spec.column(c).label for c in row.columns)
        lines.append(f"  {row.short} — {group}{row.label}{extra}{columns}")
    lines.append(words["columns_of"] if any(r.columns for r in spec.rows) else words["columns"])
    for column in spec.columns:
        names = [n for n in (*column.aliases, column.key) if n and n != column.short]
        group = f"{column.group} / " if column.group else ""
        extra = f"（{words['aliases']}：{'、'.join(names)}）" if names else ""
        lines.append(f"  {column.short} — {group}{column.label}{extra}")
    return "\n".join(lines) + "\n"


def help_request(line: str) -> tuple[str, str | None, str | None] | None:
    """(lang, table, format) when a ``%%gkreport``/``%gkreport`` line asks for help (ends with ``?``
    or holds ``--help``/``-h``), else None."""
    words = line.rstrip().removesuffix("?").split()
    if not line.rstrip().endswith("?") and not {"--help", "-h"} & set(words):
        return None
    from gkreport.services.tablesource import TABLE_ALIASES

    table = next((TABLE_ALIASES[w] for w in words if w in TABLE_ALIASES), None)
    lang = "en" if "--lang" in words and words[words.index("--lang") + 1 :][:1] == ["en"] else "zh"
    return lang, table, format_asked(words)


def format_asked(words: list[str]) -> str | None:
    """The format the words of a ``%%gkreport`` line ask for: ``--format``, else the one of ``--year``."""
    fmt = year = None
    for option, value in itertools.pairwise(words):
        if option == "--format" and value in FORMATS:
            fmt = value
        elif option == "--year" and value.isdigit():
            year = int(value)
    return fmt or format_for_year(year)


_EMPTY_HELP_CELL = re.compile(r"^\s*%%gkreport(\s[^\n]*)\?\s*$")


def empty_help_cell(lines: list[str]) -> list[str]:
    """An input transformer: a cell that is only ``%%gkreport TABLE …?`` becomes ``%gkreport --help
    TABLE …`` (IPython refuses a cell magic with an empty body before the magic could answer)."""
    match = _EMPTY_HELP_CELL.match("".join(lines))
    return [f"%gkreport --help{match.group(1)}\n"] if match else lines
