"""Why an input cannot be read: ``ReadError``, with a message in Chinese or English."""

from __future__ import annotations

from pathlib import Path

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
    "nested": (
        "无法读取文件 {path}：嵌套层次过深（块中套块，超出可处理的深度）",
        "cannot read {path}: nested too deeply (blocks inside blocks beyond what can be processed)",
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
