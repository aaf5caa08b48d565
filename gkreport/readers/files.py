"""Reading an input file into a panflute ``Doc`` with the bundled pandoc.

``read_document(path, from_format=None)`` picks the pandoc reader from the extension
(``.md``/``.markdown`` -> markdown, ``.html``/``.htm`` -> html, ``.docx`` -> docx, ``.json`` ->
pandoc JSON loaded directly, ``.txt`` -> ``text``: a report copied as plain text, read without
pandoc by ``textdoc.doc_from_text``, because pandoc's markdown reader turns "****" redactions
into emphasis and runs flattened table rows together); ``from_format`` overrides it
(``--from markdown`` reads a .txt file as Markdown).

Text inputs are decoded here, not by pandoc (which only accepts UTF-8): UTF-8 (with or without
a BOM) first, then GB18030, which covers GBK and GB2312 pages.  The text goes to pandoc on
stdin.  Binary readers (docx, odt, epub) get the file path.

Every failure is a ``ReadError`` with a message in Chinese or English; no other exception
leaves ``read_document``.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import panflute as pf

from gkreport.blocks import load
from gkreport.readers.decode import decode_text
from gkreport.readers.errors import ReadError

READERS_BY_EXTENSION = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".odt": "odt",
    ".json": "json",
    ".pdf": "pdf",
}
BINARY_READERS = frozenset({"docx", "odt", "epub"})
UNSUPPORTED_EXTENSIONS = {".doc": "Word 97-2003 (.doc)", ".wps": "WPS", ".xls": "Excel", ".xlsx": "Excel"}
PANDOC_TIMEOUT = 120  # seconds

def reader_for(path: str | Path, from_format: str | None = None) -> str:
    if from_format:
        return from_format
    suffix = Path(path).suffix.lower()
    if suffix in UNSUPPORTED_EXTENSIONS:
        raise ReadError("unsupported", path, UNSUPPORTED_EXTENSIONS[suffix])
    return READERS_BY_EXTENSION.get(suffix, "markdown")


def read_document(path: str | Path, from_format: str | None = None) -> pf.Doc:
    try:
        return _read_document(Path(path), from_format)
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - the promise is: only ReadError leaves
        raise ReadError("unreadable", path, f"{type(exc).__name__}: {exc}") from exc




def read_model(path: str | Path, from_format: str | None = None):
    """Any input as a ``model.Document``; only ``ReadError`` escapes."""
    try:
        reader = reader_for(path, from_format)
        if reader == "text":
            from gkreport.readers.text import read_text as text_document

            return text_document(read_text(path), str(path))
        if reader == "html":
            from gkreport.readers.html import read_html

            return read_html(path)
        if reader == "docx":
            from gkreport.readers.docx import read_docx

            return read_docx(path)
        if reader == "pdf":
            from gkreport.readers.pdf import read_pdf

            return read_pdf(path)
        from gkreport.readers.pandoc import document_from_pandoc

        document = document_from_pandoc(read_document(path, from_format))
        document.path = str(path)
        return document
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - the promise is: only ReadError leaves
        raise ReadError("unreadable", path, f"{type(exc).__name__}: {exc}") from exc


def read_text(path: str | Path) -> str:
    """A text file's content, decoded as ``read_document`` decodes it; only ``ReadError`` escapes."""
    path = Path(path)
    if not path.exists():
        raise ReadError("missing", path)
    if not path.is_file():
        raise ReadError("not-a-file", path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError("unreadable", path, exc.strerror or str(exc)) from exc
    return decode_text(data, path)


def _read_document(path: Path, from_format: str | None) -> pf.Doc:
    if not path.exists():
        raise ReadError("missing", path)
    if not path.is_file():
        raise ReadError("not-a-file", path)
    reader = reader_for(path, from_format)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError("unreadable", path, exc.strerror or str(exc)) from exc
    if reader.split("+")[0].split("-")[0] in BINARY_READERS:
        return _run_pandoc(path, ["-f", reader, str(path)], None)
    text = decode_text(data, path)
    if reader == "json":
        return _load_json(text, path)
    if reader == "text":
        from gkreport.readers.textdoc import doc_from_text

        return doc_from_text(text)
    return _run_pandoc(path, ["-f", reader], text)


def pandoc_path() -> str:
    """The pandoc inside the pypandoc-binary wheel.  (``pypandoc.get_pandoc_path()`` prefers a pandoc
    on PATH — a system pandoc too old for merged cells, or the link in .venv/bin itself.)"""
    import pypandoc

    bundled = Path(pypandoc.__file__).parent / "files" / "pandoc"
    if bundled.is_file():
        return str(bundled)
    try:
        return pypandoc.get_pandoc_path()
    except Exception as exc:  # noqa: BLE001
        raise ReadError("pandoc-missing", "", str(exc)) from exc


def _run_pandoc(path: Path, args: list[str], text: str | None) -> pf.Doc:
    command = [pandoc_path(), *args, "-t", "json"]
    try:
        done = subprocess.run(
            command,
            input=text.encode("utf-8") if text is not None else None,
            capture_output=True,
            timeout=PANDOC_TIMEOUT,
        )
    except subprocess.TimeoutExpired as exc:
        raise ReadError("pandoc-timeout", path, str(PANDOC_TIMEOUT)) from exc
    except OSError as exc:
        raise ReadError("pandoc-missing", path, exc.strerror or str(exc)) from exc
    if done.returncode != 0:
        stderr = done.stderr.decode("utf-8", "replace").strip()
        lines = [line for line in stderr.splitlines() if line.strip()]
        errors = [line for line in lines if not line.startswith("[WARNING]")] or lines
        first = errors[0] if errors else f"exit status {done.returncode}"
        raise ReadError("pandoc-failed", path, first)
    return _load_json(done.stdout.decode("utf-8", "replace"), path)


def _load_json(text: str, path: Path) -> pf.Doc:
    try:
        doc = load(text)
    except Exception as exc:  # noqa: BLE001 - panflute asserts on foreign JSON
        raise ReadError("bad-json", path, f"{type(exc).__name__}: {exc}") from exc
    if not isinstance(doc, pf.Doc):
        raise ReadError("bad-json", path, "not a pandoc document")
    return doc
