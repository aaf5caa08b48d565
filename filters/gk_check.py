"""``gk-check``: the pandoc JSON filter.

    pandoc report.md --filter gk-check -o report.docx

Recognizes the three statistical tables, checks them, fills what the rules determine and
puts each in the official layout; writes one line per finding to stderr, then a summary.
Options: the ``gk-check`` metadata map (see ``gkreport.options``).  With ``strict: true`` an
error makes the filter exit with status 1, so pandoc fails and writes nothing.

The filter must never make pandoc fail otherwise: a table it cannot process is left as
written, with a finding; an unexpected failure leaves the whole document as it came.

Pre-scan: most documents pandoc converts hold none of the three tables.  Before anything is
parsed, a regular-expression scan of the raw JSON looks for a candidate (a Table, a
``gkreport``/``gk`` data block, a ``|`` that may belong to a flattened table); when there is
none, the input is handed back byte for byte without importing panflute or building its tree.
The design names pandocfilters for this pre-scan; a walk with it would first have to parse the
whole JSON, which is most of what the scan saves, so the scan uses neither it nor ``json``.
"""

from __future__ import annotations

import io
import re
import sys

_CANDIDATE = re.compile(rb'"t"\s*:\s*"Table"|"gkreport"|"gk"|\|')


def has_candidates(raw: bytes) -> bool:
    """Whether the pandoc JSON may hold a table this filter handles (false positives are harmless)."""
    return _CANDIDATE.search(raw) is not None


def main(doc=None):
    """panflute convention: with ``doc`` transform it in process and return it; else stdin -> stdout."""
    if doc is not None:
        return transform(doc)
    raw = sys.stdin.buffer.read()
    if not has_candidates(raw):
        sys.stdout.buffer.write(raw)
        return None
    import panflute as pf

    document = pf.load(io.StringIO(raw.decode("utf-8")))
    transform(document)
    out = io.StringIO()
    pf.dump(document, out)
    sys.stdout.buffer.write(out.getvalue().encode("utf-8"))
    return None


def transform(doc):
    from gkreport.options import from_metadata

    options = from_metadata(doc.get_metadata("gk-check", None))
    for problem in options.problems:
        _say(f"gk-check: 无法识别的选项 {problem}，已使用默认值" if options.lang != "en" else f"gk-check: option not understood, default used: {problem}")
    try:
        result = _apply(doc, options)
    except Exception as exc:  # noqa: BLE001 - never crash pandoc
        _say(f"gk-check: internal error, document left unchanged: {type(exc).__name__}: {exc}")
        return doc
    for finding in result.findings:
        _say(finding.line(options.lang))
    _say(_summary(result, options.lang))
    if options.strict and any(f.severity == "error" for f in result.findings):
        sys.exit(1)
    return doc


def _apply(doc, options):
    from gkreport.blocks import replace
    from gkreport.render import fill_in_place, render_official
    from gkreport.report import check_document

    result = check_document(doc)
    for table in result.tables:
        if table.checked is None:
            continue
        first, *rest = table.elements
        if options.layout == "keep" and first.tag == "Table":
            if options.fill:
                fill_in_place(first, table.recognized.positions, table.checked)
            continue
        replace(first, [render_official(table.checked, fill=options.fill)])
        for element in rest:
            replace(element, [])
    return result


def _summary(result, lang: str) -> str:
    from gkreport.findings import count_by_severity

    counts = count_by_severity(result.findings)
    deduced = sum(len(t.checked.deduced) for t in result.tables if t.checked is not None)
    if lang == "en":
        return (
            f"gk-check: {len(result.tables)} tables, {counts['error']} errors, {counts['warning']} warnings, "
            f"{counts['info']} notes, {deduced} values deduced"
        )
    return f"gk-check：识别 {len(result.tables)} 张表，错误 {counts['error']} 个，警告 {counts['warning']} 个，提示 {counts['info']} 个，推算 {deduced} 个"


def _say(line: str) -> None:
    sys.stderr.buffer.write((line + "\n").encode("utf-8"))
    sys.stderr.buffer.flush()


if __name__ == "__main__":
    main()
