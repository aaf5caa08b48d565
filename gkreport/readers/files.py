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

import codecs
import io
import re
import subprocess
from pathlib import Path

import panflute as pf

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
ENCODINGS = ("utf-8-sig", "gb18030")
PANDOC_TIMEOUT = 120  # seconds

_MESSAGES = {
    "missing": ("文件不存在：{path}", "file not found: {path}"),
    "not-a-file": ("不是文件：{path}", "not a file: {path}"),
    "unreadable": ("无法读取文件 {path}：{detail}", "cannot read {path}: {detail}"),
    "undecodable": (
        "无法解码文件 {path}：既不是 UTF-8 也不是 GB18030 编码的文本",
        "cannot decode {path}: the text is neither UTF-8 nor GB18030",
    ),
    "binary": (
        "文件 {path} 不是文本文件（含有二进制内容），请指定正确的格式（--from）",
        "{path} is not a text file (it holds binary data); name its format with --from",
    ),
    "unsupported": (
        "不支持的文件类型 {path}（{detail}），请先转换为 DOCX、HTML 或文本",
        "unsupported file type {path} ({detail}); convert it to DOCX, HTML or text first",
    ),
    "pandoc-missing": ("找不到内置的 pandoc：{detail}", "the bundled pandoc cannot be found: {detail}"),
    "pandoc-failed": ("pandoc 无法读取 {path}：{detail}", "pandoc cannot read {path}: {detail}"),
    "pandoc-timeout": ("pandoc 读取 {path} 超时（{detail} 秒）", "pandoc timed out reading {path} ({detail} s)"),
    "bad-json": ("{path} 不是有效的 pandoc JSON：{detail}", "{path} is not valid pandoc JSON: {detail}"),
    "docx-invalid": ("{path} 不是有效的 Word（DOCX）文件：{detail}", "{path} is not a valid Word (DOCX) file: {detail}"),
    "docx-legacy": (
        "{path} 是 Word 97-2003（.doc）或 WPS（.wps）格式的文件，请在 Word 或 WPS 中另存为 DOCX",
        "{path} is a Word 97-2003 (.doc) or WPS (.wps) file; save it as DOCX in Word or WPS",
    ),
    "pdf-scanned": (
        "{path} 是扫描件（没有文字层），请先做文字识别（OCR），再用识别出的文字检查",
        "{path} is a scan (it has no text layer): run text recognition (OCR) on it first and check the text it gives",
    ),
    "pdf-no-text": (
        "{path} 没有可提取的文字（可能是文字已转为图形的 PDF），请先做文字识别（OCR）或取得原始文档",
        "{path} holds no text to extract (its text may have been turned into shapes): run OCR on it or get the source document",
    ),
    "pdf-unmapped": (
        "{path} 的文字无法解码（字体缺少字符编码映射），请先做文字识别（OCR）或取得原始文档",
        "the text of {path} cannot be decoded (its fonts map no characters): run OCR on it or get the source document",
    ),
    "pdf-encrypted": (
        "{path} 是加密的 PDF，需要密码才能打开，请提供未加密的文件",
        "{path} is an encrypted PDF that needs a password to open; provide an unencrypted copy",
    ),
    "pdf-broken": (
        "{path} 不是有效的 PDF 文件（文件已损坏或格式不对）",
        "{path} is not a valid PDF file (it is damaged or not a PDF)",
    ),
}


class ReadError(Exception):
    """An input that cannot be read.  ``str()`` is the Chinese message; ``message("en")`` English."""

    def __init__(self, kind: str, path: str | Path, detail: str = "") -> None:
        self.kind = kind
        self.path = str(path)
        self.detail = detail
        super().__init__(self.message("zh"))

    def message(self, lang: str = "zh") -> str:
        zh, en = _MESSAGES[self.kind]
        return (en if lang == "en" else zh).format(path=self.path, detail=self.detail)


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


def decode_text(data: bytes, path: str | Path = "") -> str:
    """UTF-8 (BOM or not), then GB18030; UTF-16 or UTF-32 (as Windows tools save "Unicode" text)
    by its byte-order mark, or UTF-16 without one when one byte order reads as plain text; any other
    file with NUL bytes or control debris is binary."""
    unicode = _utf16_or_32(data)
    if unicode is not None:
        if _looks_binary(unicode):
            raise ReadError("binary", path)
        return unicode
    if b"\x00" in data:
        raise ReadError("binary", path)
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            raise ReadError("binary", path)
        return text
    raise ReadError("undecodable", path)


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _utf16_or_32(data: bytes) -> str | None:
    """The text of a UTF-16 or UTF-32 file, or None when the bytes are not that."""
    for bom, encoding in _BOMS:  # UTF-32 first: its little-endian mark starts like UTF-16's
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    if len(data) < 4 or len(data) % 2 or b"\x00" not in data:
        return None
    readings = []
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        readings.append((_plain_share(text[:4096]), text))
    best = max(readings, default=None, key=lambda reading: reading[0])
    return best[1] if best is not None and best[0] >= 0.8 else None


def _plain_share(text: str) -> float:
    """The share of characters a Chinese or English report is made of: ASCII text, CJK ideographs and punctuation,
    full-width forms.  The wrong byte order of UTF-16 scores low (ASCII turns into rare ideographs)."""
    if not text:
        return 0.0
    plain = sum(1 for ch in text if " " <= ch <= "~" or ch in "\t\n\r" or "\u3000" <= ch <= "\u303f" or "\u4e00" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
    return plain / len(text)


_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # control characters text does not hold (tabs, breaks and feeds it does)


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    if not sample:
        return False
    return len(_CONTROL.findall(sample)) > max(2, len(sample) // 100)


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
        doc = pf.load(io.StringIO(text))
    except Exception as exc:  # noqa: BLE001 - panflute asserts on foreign JSON
        raise ReadError("bad-json", path, f"{type(exc).__name__}: {exc}") from exc
    if not isinstance(doc, pf.Doc):
        raise ReadError("bad-json", path, "not a pandoc document")
    return doc
