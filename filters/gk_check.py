"""``gk-check``: the pandoc JSON filter.

    pandoc report.md --filter gk-check -o report.docx

Recognizes the three statistical tables, checks them, fills what the rules determine and
puts each in the official layout; writes one line per finding to stderr, then a summary.
Options: the ``gk-check`` metadata map (see ``gkreport.options``).  With ``strict: true`` an
error makes the filter exit with status 1, so pandoc fails and writes nothing.

The filter must never make pandoc fail otherwise: a table it cannot process is left as
written, with a finding; an unexpected failure leaves the whole document as it came.

Pre-scan: most documents pandoc converts hold none of the three tables.  Before anything is
parsed, the raw JSON is searched for a candidate: a ``"t":"Table"`` settles it at once; a weaker
hint (``gkreport``/``gk``, a ``|`` or a full-width ``｜`` that may belong to a table flattened into
a paragraph) is confirmed with ``json`` + ``pandocfilters.walk``, a small walker much lighter than
panflute's element tree (a ``|`` inside code is no candidate).  No candidate: the input goes back
byte for byte, and neither panflute nor the rest of gkreport is imported.

A failure inside the filter leaves the document exactly as it came: every table is rendered
before the first one is replaced.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys

DATA_BLOCK_CLASSES = frozenset({"gkreport", "gk"})
_TABLE = re.compile(rb'"t"\s*:\s*"Table"')
# Words of the three tables (UTF-8): a table flattened into paragraphs with no "|" still has them.
_TABLE_WORDS = ("政府信息公开申请", "第二十条", "行政复议", "结果维持")
_QUICK = re.compile(rb'"gkreport"|"gk"|\||\xef\xbd\x9c|\\u[fF][fF]5[cC]|' + b"|".join(w.encode() for w in _TABLE_WORDS))


class _Found(Exception):
    pass


def _visit(key, value, _format, _meta):
    if key == "Table":
        raise _Found
    if key == "CodeBlock":
        if DATA_BLOCK_CLASSES.intersection(value[0][1]):
            raise _Found
    elif key == "Str" and ("|" in value or "｜" in value or any(word in value for word in _TABLE_WORDS)):
        raise _Found
    return None


def has_candidates(raw: bytes) -> bool:
    """Whether the pandoc JSON may hold a table this filter handles (false positives are harmless)."""
    if _TABLE.search(raw) is not None:
        return True
    if _QUICK.search(raw) is None:
        return False
    try:
        import pandocfilters
    except ImportError:  # pragma: no cover - declared dependency; stay correct without it
        return True
    try:
        document = json.loads(raw)
        pandocfilters.walk(document.get("blocks", []), _visit, "", document.get("meta", {}))
    except _Found:
        return True
    except Exception:  # noqa: BLE001 - let the full path decide (and report) what is wrong
        return True
    return False


def wants_title_block(raw: bytes) -> bool:
    """``sign`` may be asked for a document without tables too (``gk build``, or the metadata)."""
    return os.environ.get("GK_CHECK_SIGN", "").strip().lower() in ("1", "true", "yes", "on") or (b'"gk-check"' in raw and b'"sign"' in raw)


def main(doc=None):
    """panflute convention: with ``doc`` transform it in process and return it; else stdin -> stdout.

    pandoc passes the output format as the first argument; it and any other argument are ignored.
    Strict mode with an error ends in ``SystemExit(1)`` in both cases.
    """
    if doc is not None:
        return _in_process(doc)
    raw = sys.stdin.buffer.read()
    if not has_candidates(raw) and not wants_title_block(raw):
        sys.stdout.buffer.write(raw)
        sys.stdout.buffer.flush()
        return None
    try:
        try:
            data, status = _filtered(raw)
        except RecursionError:  # a deeply nested document (as gk check reads it): again, on a deep stack
            from gkreport.services.deepstack import run_deep

            data, status = run_deep(_filtered, raw)
    except Exception as exc:  # noqa: BLE001 - never crash pandoc
        _internal(exc)
        data, status = raw, (1 if _env_strict() else 0)
    if status:
        sys.exit(status)  # strict: nothing on stdout, pandoc reports "Error running filter"
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return None


def _filtered(raw: bytes) -> tuple[bytes, int]:
    """The filtered document as pandoc JSON (the input itself after an internal failure), and the exit status."""
    import panflute as pf

    import gkreport.blocks  # noqa: F401 - teaches panflute the raw formats of newer pandocs

    document = pf.load(io.StringIO(raw.decode("utf-8")))
    done, status = transform(document)
    if not done:
        return raw, status  # internal failure: the document exactly as it came
    out = io.StringIO()
    pf.dump(document, out)
    return out.getvalue().encode("utf-8"), status


def _in_process(doc):
    try:
        try:
            _, status = _transform_or_restore(doc)
        except RecursionError:
            from gkreport.services.deepstack import run_deep

            _, status = run_deep(_transform_or_restore, doc)
    except Exception as exc:  # noqa: BLE001 - never crash the caller
        _internal(exc)
        status = 1 if _env_strict() else 0
    if status:
        sys.exit(status)
    return doc


def _transform_or_restore(doc) -> tuple[bool, int]:
    """``transform``; after a failure the blocks are put back as they came (a ``RecursionError`` is raised again)."""
    snapshot = doc.content.to_json()  # ~1 ms on a full report; restored only after a failure
    try:
        done, status = transform(doc)
    except RecursionError:
        _restore(doc, snapshot)
        raise
    except Exception as exc:  # noqa: BLE001 - never crash the caller
        _internal(exc)
        done, status = False, (1 if _env_strict() else 0)
    if not done:
        _restore(doc, snapshot)
    return done, status


def _restore(doc, snapshot) -> None:
    """Put the blocks back as they came (the check may have changed some before failing)."""
    import panflute as pf

    if doc.content.to_json() == snapshot:
        return
    version = list(doc.api_version or (1, 23, 1))
    original = pf.load(io.StringIO(json.dumps({"pandoc-api-version": version, "meta": {}, "blocks": snapshot})))
    doc.content = list(original.content)


def transform(doc) -> tuple[bool, int]:
    """Check and rewrite ``doc`` in place; returns (done, exit status).

    ``done`` is False after an internal failure: the caller then outputs the document as it came.
    """
    from gkreport.options import from_metadata

    options = from_metadata(doc.get_metadata("gk-check", None))
    for problem in options.problems:
        _say(f"gk-check: option not understood, default used: {problem}" if options.lang == "en" else f"gk-check: 无法识别的选项（已使用默认值）：{problem}")
    try:
        result, plan = _check(doc, options)
        for action in plan:  # every table is rendered before the first one is replaced
            action()
    except RecursionError:  # the caller tries again on a deep stack
        raise
    except Exception as exc:  # noqa: BLE001 - never crash pandoc
        _internal(exc, options.lang)
        return False, 1 if options.strict else 0
    for line in finding_lines(result.findings, options.lang, options.verbose):
        _say(line)
    _say(summary(result, options.lang))
    if options.strict and any(f.severity == "error" for f in result.findings):
        return True, 1
    return True, 0


def _check(doc, options):
    from gkreport.render import titleblock
    from gkreport.render.pagination import keep_with_table
    from gkreport.render.placement import replacement
    from gkreport.render.pandoc import fill_in_place, render_official
    from gkreport.checks.report import check_document

    result = check_document(doc)
    if options.previous:
        result.findings += _against_previous(result, _previous_paths(doc, options.previous))
    plan = []
    for table in result.tables:
        if table.checked is None or not table.elements or not table.recognized.cells:
            continue  # internal error, or a table whose figures could not be read: left exactly as written
        first = table.elements[0].origin
        if options.layout == "keep" and table.span is None:  # as written, only filled where the cells are known
            if options.fill and table.recognized.intact and len(table.elements) == 1 and first.tag == "Table":
                plan.append(lambda first=first, table=table: fill_in_place(first, table.recognized.positions, table.checked))
            continue
        official = render_official(table.checked, options.fill, options.draft, doc.format, options.lang)
        actions = replacement(table, official)
        if actions:
            owner = first.parent
            plan.extend(actions)
            plan.append(lambda official=official, owner=owner: keep_with_table(official, doc.format, owner))
    if options.sign:  # the title balanced, the date moved from under it to the signature
        plan.append(lambda: titleblock.apply(doc))
    if options.draft:
        appendix = findings_appendix(result.findings, options.lang)
        plan.append(lambda: doc.content.extend(appendix))
    return result, plan


def findings_appendix(findings, lang: str) -> list:
    """Draft mode: the findings listed at the end of the document."""
    import panflute as pf

    from gkreport.blocks import inlines
    from gkreport.findings import by_severity

    shown = [f for f in by_severity(findings) if f.severity != "info"]
    title = "附：检查发现的问题" if lang != "en" else "Appendix: findings"
    items = [pf.ListItem(pf.Plain(*inlines(f.line(lang)))) for f in shown] or [pf.ListItem(pf.Plain(pf.Str("无" if lang != "en" else "none")))]
    return [pf.Header(*inlines(title), level=1, classes=["unnumbered"]), pf.Div(pf.BulletList(*items), classes=["gk-findings"])]


def _previous_paths(doc, previous: str) -> list[str]:
    """The metadata ``previous`` as the literal path typed (not its Markdown reading), else the option's value."""
    from gkreport.options import previous_candidates

    options = doc.metadata.content.get("gk-check") if doc.metadata is not None else None
    value = options.content.get("previous") if options is not None and hasattr(options, "content") and hasattr(options.content, "get") else None
    return (previous_candidates(value) if value is not None else []) or [previous]


def _against_previous(result, candidates: list[str]) -> list:
    """The year-over-year findings against last year's report (read, never written): the first
    candidate path that exists, else the first."""
    from pathlib import Path

    from gkreport.cli import previous_findings

    folder = Path(os.environ.get("GK_CHECK_SOURCE_DIR", "."))
    paths = [Path(c) if Path(c).is_absolute() else folder / c for c in candidates]
    path = next((p for p in paths if p.exists()), paths[0])
    return previous_findings(result, str(path))


def finding_lines(findings, lang: str = "zh", verbose: bool = False) -> list[str]:
    """The lines for stderr: errors first, then warnings, then infos, the values filled in summed up
    in one line unless ``verbose``."""
    from gkreport.findings import brief

    return [finding_line(f, lang) for f in brief(findings, verbose, "gk-check: {verbose: true}")]


def finding_line(finding, lang: str = "zh") -> str:
    """``Finding.line``, plus ``[row / column: given → expected]`` where its message leaves them out."""
    from gkreport.values import format_number

    def text(value):
        return None if value is None or value == "" else value if isinstance(value, str) else format_number(value)

    line = finding.line(lang)
    row, column, given, expected = (text(getattr(finding, k)) for k in ("row", "column", "given", "expected"))
    # a row or column counts as named when its last part is ("… / (七)总计" is named by "(七)总计")
    named = all(part.split(" / ")[-1] in line for part in (row, column) if part)
    shown = all(v in line for v in (given, expected) if v is not None)
    if named and shown:
        return line
    where = " / ".join(p for p in (row, column) if p)
    values = f"{given or '—'} → {expected or '—'}" if (given or expected) else ""
    return f"{line} [{': '.join(p for p in (where, values) if p)}]"


def summary(result, lang: str = "zh") -> str:
    from gkreport.findings import count_by_severity

    counts = count_by_severity(result.findings)
    deduced = sum(len(t.checked.deduced) for t in result.tables if t.checked is not None)
    if lang == "en":
        def n(count, word):
            return f"{count} {word}{'' if count == 1 else 's'}"

        return (
            f"gk-check: {n(len(result.tables), 'table')}, {n(counts['error'], 'error')}, {n(counts['warning'], 'warning')}, "
            f"{n(counts['info'], 'note')}, {deduced} deduced"
        )
    return f"gk-check：识别 {len(result.tables)} 张表，错误 {counts['error']} 个，警告 {counts['warning']} 个，提示 {counts['info']} 个，推算 {deduced} 个"


def _env_strict() -> bool:
    return os.environ.get("GK_CHECK_STRICT", "").strip().lower() in ("1", "true", "yes", "on")


def _internal(exc: Exception, lang: str = "zh") -> None:
    if isinstance(exc, RecursionError):
        _say("gk-check: the document is nested too deeply to be processed (blocks inside blocks); left unchanged"
             if lang == "en" else "gk-check：文档嵌套层次过深（块中套块），无法处理，保持原样")
        return
    _say(f"gk-check: internal error, document left unchanged: {type(exc).__name__}: {exc}")


def _say(line: str) -> None:
    """One line on stderr, in UTF-8 whatever the locale (and on a text-only stream too)."""
    stream = sys.stderr
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(line + "\n")
        return
    stream.flush()
    buffer.write((line + "\n").encode("utf-8", "replace"))
    buffer.flush()


if __name__ == "__main__":
    main()
