"""A pandoc document checked in place: the job of the ``gk-check`` filter, as a function.

``check_pandoc_document(doc, options)`` reads the panflute document into the document model,
checks it and returns the result with the *plan*: the edits that put each checked table in the
official layout (and the title block, and the draft appendix).  The filter carries the plan out
only when the whole of it could be made, so that a failure leaves the document as it came.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import panflute as pf

from gkreport.blocks import inlines
from gkreport.checks.report import ReportResult
from gkreport.findings import by_severity, count_by_severity
from gkreport.options import FilterOptions, previous_candidates
from gkreport.render import titleblock
from gkreport.render.pagination import keep_with_table
from gkreport.render.pandoc import RenderContext, fill_in_place, render_official
from gkreport.render.placement import replacement
from gkreport.services.check import TableSummary, check_document, previous_findings


@dataclass
class DocumentCheck:
    result: ReportResult
    plan: list[Callable[[], None]] = field(default_factory=list)  # the edits, none made yet

    def apply(self) -> None:
        for edit in self.plan:
            edit()


def check_pandoc_document(doc: pf.Doc, options: FilterOptions) -> DocumentCheck:
    """The findings of ``doc`` and the edits that render its tables as ``options`` ask."""
    result = check_document(doc)
    if options.previous:
        result.findings += previous_findings(result, _previous_path(doc, options))
    plan = []
    context = RenderContext(doc.format, options.lang, options.fill, options.draft)  # one per document: Word comment numbers
    for table in result.tables:
        if table.checked is None or not table.elements or not table.recognized.cells:
            continue  # internal error, or a table whose figures could not be read: left exactly as written
        first = table.elements[0].origin
        if options.layout == "keep" and table.span is None:  # as written, only filled where the cells are known
            if options.fill and table.recognized.intact and len(table.elements) == 1 and first.tag == "Table":
                plan.append(lambda first=first, table=table: fill_in_place(first, table.recognized.positions, table.checked))
            continue
        official = render_official(table.checked, context)
        edits = replacement(table, official)
        if edits:
            owner = first.parent
            plan.extend(edits)
            plan.append(lambda official=official, owner=owner: keep_with_table(official, doc.format, owner))
    if options.sign:  # the title balanced, the date moved from under it to the signature
        plan.append(lambda: titleblock.apply(doc))
    if options.draft:
        appendix = findings_appendix(result.findings, options.lang)
        plan.append(lambda: doc.content.extend(appendix))
    return DocumentCheck(result, plan)


def findings_appendix(findings, lang: str) -> list[pf.Block]:
    """Draft mode: the findings listed at the end of the document."""
    shown = [f for f in by_severity(findings) if f.severity != "info"]
    title = "附：检查发现的问题" if lang != "en" else "Appendix: findings"
    none = "无" if lang != "en" else "none"
    items = [pf.ListItem(pf.Plain(*inlines(f.line(lang)))) for f in shown] or [pf.ListItem(pf.Plain(pf.Str(none)))]
    return [pf.Header(*inlines(title), level=1, classes=["unnumbered"]), pf.Div(pf.BulletList(*items), classes=["gk-findings"])]


def _previous_path(doc: pf.Doc, options: FilterOptions) -> str:
    """Last year's report: the metadata ``previous`` as the literal path typed (not its Markdown
    reading), relative to the source's folder; the first candidate that exists, else the first."""
    entry = doc.metadata.content.get("gk-check") if doc.metadata is not None else None
    value = entry.content.get("previous") if entry is not None and hasattr(entry, "content") and hasattr(entry.content, "get") else None
    candidates = (previous_candidates(value) if value is not None else []) or [options.previous]
    folder = Path(options.source_dir)
    paths = [Path(c) if Path(c).is_absolute() else folder / c for c in candidates]
    return str(next((p for p in paths if p.exists()), paths[0]))


def summary_line(result: ReportResult, lang: str = "zh") -> str:
    """The filter's last line: tables recognized, findings by severity, values deduced."""
    counts = count_by_severity(result.findings)
    deduced = sum(TableSummary.of(t).deduced for t in result.tables)
    tables = len(result.tables)
    if lang == "en":
        def n(count, word):
            return f"{count} {word}{'' if count == 1 else 's'}"

        return (
            f"gk-check: {n(tables, 'table')}, {n(counts['error'], 'error')}, {n(counts['warning'], 'warning')}, "
            f"{n(counts['info'], 'note')}, {deduced} deduced"
        )
    return f"gk-check：识别 {tables} 张表，错误 {counts['error']} 个，警告 {counts['warning']} 个，提示 {counts['info']} 个，推算 {deduced} 个"

