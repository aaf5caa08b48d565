"""Consistent random tables: values drawn so that every rule of FORMAT.md holds, for every
table and format, and the Markdown pipe tables an author types them in.

``consistent_requests``, ``consistent_appeals`` and ``consistent_active`` give
{(row_key, column_key): value} for every cell of the table; ``pipe_requests``, ``pipe_appeals``
and ``pipe_active`` write them as Markdown pipe tables with the label styles seen in real reports.
"""

from __future__ import annotations

import random
import re
from decimal import Decimal

from gkreport.spec import ACTIVE_BLOCKS, APPEALS_GROUPS, APPEALS_LEAVES, spec_for
from gkreport.values import format_number

PARTS = ("natural", "business", "research", "nonprofit", "legal", "other_org")


def consistent_requests(rng: random.Random, fmt: str = "2021", size: str = "large") -> dict[tuple[str, str], int]:
    """Table 三 with every identity holding.  ``size``: "large" (a city government: several
    applicant columns in use, figures up to 60 a cell), "medium", or "small" (a department or a
    township: a few requests, nearly all from natural persons)."""
    spec = spec_for("requests", fmt)
    leaves = [r.key for r in spec.rows if r.group and r.key != "handled_total"]
    in_use, share, high, forward_high = SIZES[size]
    values: dict[tuple[str, str], int] = {}
    for column in PARTS:
        dense = rng.random() < in_use[column]
        for leaf in leaves:
            values[(leaf, column)] = rng.randint(1, high) if dense and rng.random() < share else 0
        handled = sum(values[(leaf, column)] for leaf in leaves)
        forward = rng.randint(0, forward_high) if dense else 0
        carried = rng.randint(0, min(handled + forward, 5))
        values[("handled_total", column)] = handled
        values[("carried_forward", column)] = forward
        values[("carried_over", column)] = carried
        values[("new", column)] = handled + forward - carried
    for row in spec.rows:
        values[(row.key, "total")] = sum(values[(row.key, c)] for c in PARTS)
    return values


# size -> (chance that each applicant column is in use, share of result rows filled in a column in
# use, largest figure of a cell, largest number carried forward)
SIZES = {
    "large": (dict.fromkeys(PARTS, 0.6), 0.4, 60, 6),
    "medium": ({"natural": 0.9, "business": 0.5, "research": 0.1, "nonprofit": 0.1, "legal": 0.3, "other_org": 0.3}, 0.25, 20, 3),
    "small": ({"natural": 0.8, "business": 0.2, "research": 0.02, "nonprofit": 0.02, "legal": 0.1, "other_org": 0.1}, 0.12, 6, 2),
}


def consistent_appeals(rng: random.Random) -> dict[tuple[str, str], int]:
    values = {}
    for group, _, _ in APPEALS_GROUPS:
        parts = [rng.choice([0, 0, 1, 2, 5]) for _ in range(4)]
        for (leaf, _, _), value in zip(APPEALS_LEAVES, parts + [sum(parts)]):
            values[("cases", f"{group}_{leaf}")] = value
    return values


def consistent_active(rng: random.Random, fmt: str = "2021") -> dict:
    spec = spec_for("active", fmt)
    values = {}
    for cell in spec.cells:
        kind = spec.kind_of(cell)
        if kind == "amount":
            values[cell] = Decimal(rng.randint(0, 10**6)) / 10000
        elif kind == "signed":
            values[cell] = rng.randint(-9, 9)
        else:
            values[cell] = rng.randint(0, 3000)
    return values


# The largest count a body publishes in a cell of table 二, by row then column (a regulation a
# year or none, thousands of licensing decisions).
ACTIVE_HIGHS = {
    "regulations": {"issued": 3, "abolished": 2, "in_force": 30, "made": 3, "published": 3, "total_published": 30},
    "normative_documents": {"issued": 40, "abolished": 10, "in_force": 300, "made": 40, "published": 40, "total_published": 300},
    "coercion": {"decisions": 200},
    "fees": {"previous_items": 60},
}


def realistic_active(rng: random.Random, fmt: str = "2021") -> dict:
    """Table 二 with figures of the size bodies publish: few regulations, many decisions."""
    spec = spec_for("active", fmt)
    values = {}
    for cell in spec.cells:
        kind = spec.kind_of(cell)
        if kind == "amount":
            values[cell] = Decimal(rng.randint(0, 10**6)) / 10000 if rng.random() < 0.7 else Decimal(0)
        elif kind == "signed":
            values[cell] = rng.randint(-9, 9) if rng.random() < 0.6 else 0
        else:
            high = ACTIVE_HIGHS.get(cell[0], {}).get(cell[1], 5000 if cell[1] == "decisions" else 600)
            values[cell] = rng.randint(0, high) if rng.random() < 0.8 else 0
    return values


def row_label(row, prefix_group: bool, numbering: str) -> str:
    label = row.label
    if numbering == "full":
        label = label.replace("(", "（").replace(")", "）")
    elif numbering == "none":
        label = re.sub(r"^(\([一二三四五六七八]\)|[一二三四]、|\d\.)", "", label)
    if prefix_group and row.group and not row.group.startswith("三、"):
        group = row.group if numbering != "full" else row.group.replace("(", "（").replace(")", "）")
        return f"{group} {label}"
    return label


def text(value) -> str:
    return format_number(value)


def pipe_requests(values, fmt="2021", prefix_group=True, numbering="half", replace=None, convert=None) -> str:
    """``replace`` maps cells to the text written instead of their value (e.g. "" or "?")."""
    replace = replace or {}
    spec = spec_for("requests", fmt)
    header = ["项目"] + [c.label for c in spec.columns]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in spec.rows:
        cells = [row_label(row, prefix_group, numbering)]
        for column in spec.columns:
            cell = (row.key, column.key)
            cells.append(replace[cell] if cell in replace else text(values[cell]))
        lines.append("| " + " | ".join(cells) + " |")
    table = "\n".join(lines) + "\n"
    return convert(table) if convert else table


def pipe_appeals(values) -> str:
    spec = spec_for("appeals", "2021")
    header = [c.group.replace(" / ", "") + c.label for c in spec.columns]
    row = [text(values[("cases", c.key)]) for c in spec.columns]
    return "| " + " | ".join(header) + " |\n|" + "---|" * len(header) + "\n| " + " | ".join(row) + " |\n"


def pipe_active(values, fmt="2021", split=False) -> str:
    spec = spec_for("active", fmt)
    width = max(len(spec.columns_of(r)) for r in spec.rows) + 1
    tables = []
    for block in ACTIVE_BLOCKS[fmt]:
        rows = [r for r in spec.rows if r.block == block]
        columns = spec.columns_of(rows[0])
        lines = [[block] + [""] * (width - 1), ["信息内容"] + [c.label for c in columns] + [""] * (width - 1 - len(columns))]
        for row in rows:
            lines.append([row.label] + [text(values[(row.key, c.key)]) for c in columns] + [""] * (width - 1 - len(columns)))
        tables.append(lines)
    if split:
        return "\n".join(_pipe(t[0], t[1:]) for t in tables)
    return _pipe(tables[0][0], [line for t in tables for line in t][1:])


def _pipe(header, rows) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out) + "\n"
