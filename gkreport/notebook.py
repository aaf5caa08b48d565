"""A notebook of ``%%gkreport`` cells and Markdown cells, as the report's Markdown source.

Markdown cells are taken as written; each ``%%gkreport`` cell becomes its table as a pandoc
grid table in the official layout (the Markdown representation the magic displays), checked
again from the cell's own source so the document never depends on stale outputs.  Other code
cells are the author's working and are left out.  (``nbconvert --to markdown`` would take the
HTML representation and ``pandoc x.ipynb`` the plain-text one; neither is a table gk-check can
recognize reliably.)
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from .tablesource import SourceError, check_source


def notebook_markdown(path: str | Path) -> str:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    parts = []
    for cell in data.get("cells", []):
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        if cell.get("cell_type") in ("markdown", "raw"):
            parts.append(source.strip("\n"))
        elif cell.get("cell_type") == "code" and source.lstrip().startswith("%%gkreport"):
            parts.append(_table_markdown(source.lstrip()))
    return "\n\n".join(p for p in parts if p) + "\n"


def _attribute(text: str) -> str:
    """A pandoc attribute value between double quotes."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _table_markdown(source: str) -> str:
    line, _, body = source.partition("\n")
    try:
        words = shlex.split(line)[1:]
    except ValueError:  # an unbalanced quote: the magic refuses the cell, the document reports it
        from .sparse import MAGIC_LINE_ATTRIBUTE

        fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", body)), default=0))
        return f'{fence}{{.gkreport {MAGIC_LINE_ATTRIBUTE}="{_attribute(line.strip())}"}}\n{body.strip()}\n{fence}'

    table = next((w for w in words if not w.startswith("-")), None)
    options = {words[i]: words[i + 1] for i in range(len(words) - 1) if words[i] in ("--year", "--format")}
    if table and words.index(table) > 0 and words[words.index(table) - 1] in ("--year", "--format", "-o", "--output", "--lang"):
        table = None
    try:
        year = int(options["--year"]) if "--year" in options else None
        result = check_source(body, table, options.get("--format"), year)
    except (SourceError, ValueError):
        return f"```gkreport\n{body.strip()}\n```"  # gk-check reports what is wrong with it
    return result.to_markdown()
