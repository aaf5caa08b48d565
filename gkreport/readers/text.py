"""A report published as plain text (copied from a page, extracted from a PDF, kept by a scraper).

Every line is a ``Paragraph``: the recognizer finds the tables in the run of lines, whatever
shape they were flattened to, and the checker decides which lines are section headings.
Header lines a scraper or a page puts before the body ("标题: …", "发布时间: …") become
metadata: the title, and the publication date (for the deadline check).
"""

from __future__ import annotations

import re

from gkreport.model import Document, Paragraph

_FIELD = re.compile(r"^\s*(标题|题\s*目|名\s*称|发布时间|发布日期|成文日期|时间)\s*[:：]\s*(.+?)\s*$")
_DATE = re.compile(r"(20\d\d)\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
_TITLE = re.compile(r"(20\d\d)\s*年.*(政府信息公开|政务公开).*报告")
_HEAD_LINES = 12


def read_text(text: str, path: str = "") -> Document:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    metadata: dict[str, str] = {}
    for line in lines[:_HEAD_LINES]:
        match = _FIELD.match(line)
        if not match:
            continue
        name, value = match.group(1).replace(" ", ""), match.group(2)
        if name in ("标题", "题目", "名称") and "title" not in metadata:
            metadata["title"] = value
        elif name != "标题" and "date" not in metadata:
            date = _DATE.search(value)
            if date:
                metadata["date"] = f"{date.group(1)}-{int(date.group(2)):02d}-{int(date.group(3)):02d}"
    if "title" not in metadata:
        title = next((line.strip() for line in lines[:_HEAD_LINES] if _TITLE.search(line) and len(line.strip()) <= 80), None)
        if title:
            metadata["title"] = title
    return Document([Paragraph(line, origin=i) for i, line in enumerate(lines)], metadata, path)
