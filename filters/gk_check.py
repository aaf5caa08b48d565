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

from gkreport.model import DATA_BLOCK_CLASSES

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
    if os.environ.get("GK_CHECK_SIGN", "").strip().lower() in ("1", "true", "yes", "on"):
        return True
    return b'"gk-build"' in raw or (b'"gk-check"' in raw and b'"sign"' in raw)


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

    from gkreport.blocks import load

    document = load(raw.decode("utf-8"))
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
    from gkreport.findings import brief
    from gkreport.options import BUILD_KEY, from_metadata

    options = from_metadata(doc.get_metadata("gk-check", None), build=doc.get_metadata(BUILD_KEY, None))
    if doc.metadata is not None and BUILD_KEY in doc.metadata.content:
        del doc.metadata.content[BUILD_KEY]  # gk build's options are not the document's metadata
    for problem in options.problems:
        _say(f"gk-check: option not understood, default used: {problem}" if options.lang == "en" else f"gk-check: 无法识别的选项（已使用默认值）：{problem}")
    try:
        from gkreport.services.document import check_pandoc_document, summary_line

        checked = check_pandoc_document(doc, options)
        checked.apply()  # every table was rendered before the first one is replaced
    except RecursionError:  # the caller tries again on a deep stack
        raise
    except Exception as exc:  # noqa: BLE001 - never crash pandoc
        _internal(exc, options.lang)
        return False, 1 if options.strict else 0
    for finding in brief(checked.result.findings, options.verbose, "gk-check: {verbose: true}"):
        _say(finding.line(options.lang))
    _say(summary_line(checked.result, options.lang))
    if options.strict and any(f.severity == "error" for f in checked.result.findings):
        return True, 1
    return True, 0


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
