"""From a report source to the document to publish: ``gk build SRC -o OUT``.

SRC is Markdown or a notebook (its ``%%gkreport`` cells become the tables); OUT is ``.docx``
(pandoc with ``templates/reference.docx``, GB/T 9704 styles, then every row of the official
tables made unsplittable and their widths set in twips: ``gkreport.render.docxlayout``), ``.pdf``
(pandoc's typst writer with ``templates/gkreport.typst``, compiled by the ``typst`` package: no
LaTeX, no LibreOffice) or ``.html``.  The bundled pandoc runs gk-check on the way, with ``sign``
(the GB/T 9704 title block: ``gkreport.render.titleblock``); ``draft`` makes the findings visible in the
document, ``strict`` stops on an error.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from gkreport.options import BUILD_KEY
from gkreport.services.safeio import OutputError, atomic_output, check_output

FORMATS = {".docx": "docx", ".pdf": "pdf", ".html": "html", ".htm": "html"}
TEMPLATES = {"docx": "reference.docx", "typst": "gkreport.typst", "css": "gkreport.css"}
CJK_FONT_PACKAGE = "fonts-noto-cjk"


class BuildError(Exception):
    """Why the document could not be built; ``message(lang)`` for the user."""

    def __init__(self, zh: str, en: str, details: str = ""):
        super().__init__(zh)
        self.zh, self.en, self.details = zh, en, details

    def message(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


@dataclass
class BuildResult:
    output: Path
    messages: str  # what gk-check wrote (findings and summary)


def template(name: str) -> Path:
    return Path(str(files("gkreport.templates").joinpath(name)))


def gk_check_command() -> str:
    beside = Path(sys.executable).parent / "gk-check"
    return str(beside) if beside.exists() else (shutil.which("gk-check") or "gk-check")


def cjk_fonts() -> list[str]:
    """Chinese fonts fontconfig knows, else the CJK font files in the usual folders."""
    try:
        listed = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=20).stdout
        found = [line.split(":")[0] for line in listed.splitlines() if line.strip()]
        if found:
            return found
    except (OSError, subprocess.SubprocessError):
        pass
    folders = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts", Path.home() / ".local/share/fonts"]
    return [str(p) for folder in folders if folder.is_dir() for p in folder.rglob("*") if "CJK" in p.name or "Fandol" in p.name]


def build(source: str | Path, output: str | Path, draft: bool = False, strict: bool = False, lang: str = "zh") -> BuildResult:
    from gkreport.readers.files import pandoc_path

    source, output = Path(source), Path(output)
    kind = FORMATS.get(output.suffix.lower())
    if kind is None:
        raise BuildError(f"不支持的输出格式：{output.suffix}（可用 .docx、.pdf、.html）", f"unsupported output {output.suffix} (use .docx, .pdf or .html)")
    if not source.is_file():
        raise BuildError(f"文件不存在：{source}", f"file not found: {source}")
    try:
        check_output(output, [source])
    except OutputError as exc:
        raise BuildError(exc.message("zh"), exc.message("en")) from exc
    if kind == "pdf" and not cjk_fonts():
        raise BuildError(
            f"找不到中文字体，无法生成 PDF。请安装 {CJK_FONT_PACKAGE}：sudo apt-get install {CJK_FONT_PACKAGE}",
            f"no Chinese font found, so no PDF: install {CJK_FONT_PACKAGE} (sudo apt-get install {CJK_FONT_PACKAGE})",
        )
    folder = source.resolve().parent  # pandoc runs there: `previous` and images are relative to the document
    source = source.resolve()
    with tempfile.TemporaryDirectory() as work, _written(output) as target:
        options = Path(work) / "gk-build.json"  # JSON is YAML: a metadata file pandoc reads
        options.write_text(json.dumps({BUILD_KEY: {"lang": lang, "sign": True, "draft": draft, "strict": strict}}), encoding="utf-8")
        notebook, refused = None, False  # the notebook's %%gkreport cells say what reading them found
        if source.suffix.lower() == ".ipynb":
            from gkreport.services.notebook import notebook_source

            notebook = notebook_source(source, lang)
            refused = strict and notebook.has_error
            markdown = Path(work) / (source.stem + ".md")
            markdown.write_text(notebook.markdown, encoding="utf-8")
            source = markdown
        if refused:  # strict: nothing is written, but gk-check still says what else it finds
            target = Path(work) / ("refused" + output.suffix)
        command = [pandoc_path(), str(source), "--metadata-file", str(options), "--filter", gk_check_command(), "--standalone"]
        if kind == "docx":
            command += ["--reference-doc", str(template(TEMPLATES["docx"])), "-o", str(target)]
        elif kind == "html":
            command += ["--embed-resources", "--css", str(template(TEMPLATES["css"])), "-o", str(target)]
        else:
            typ = Path(work) / "report.typ"
            command += ["-t", "typst", "--template", str(template(TEMPLATES["typst"])), "-o", str(typ)]
        result = subprocess.run(command, cwd=folder, capture_output=True)
        messages = result.stderr.decode("utf-8", "replace")
        if notebook is not None:
            messages = notebook.with_filter_messages(messages, lang)
        if refused:
            raise BuildError("严格模式：笔记本的表格有错误，未生成文档", "strict mode: the notebook's tables have errors, nothing was written", messages)
        if result.returncode != 0:
            raise _pandoc_failure(result.returncode, messages, output)
        if kind == "docx":
            from gkreport.render.docxlayout import fix_tables

            fix_tables(target)
        if kind == "pdf":
            import typst

            try:
                typst.compile(str(typ), output=str(target))
            except Exception as exc:  # noqa: BLE001 - typst reports its own errors
                raise BuildError("typst 无法生成 PDF", "typst could not make the PDF", f"{messages}{exc}") from exc
    return BuildResult(output, messages)


@contextmanager
def _written(output: Path):
    """The path pandoc or typst writes to: a temporary file renamed over ``output`` only on success."""
    try:
        with atomic_output(output) as target:
            yield Path(target).resolve()  # pandoc runs in the document's folder
    except OutputError as exc:
        raise BuildError(exc.message("zh"), exc.message("en")) from exc


STRICT_STOP = "Filter returned error status 1"  # what pandoc says when gk-check stops a strict build


def _pandoc_failure(status: int, messages: str, output: Path) -> BuildError:
    """The real cause: strict mode stopped by an error, pandoc killed by a signal, or pandoc's own error."""
    if STRICT_STOP in messages:
        return BuildError("严格模式：表格有错误，未生成文档", "strict mode: the tables have errors, nothing was written", messages)
    if status < 0:
        name = _signal_name(-status)
        return BuildError(
            f"pandoc 被信号 {name} 终止，未能写出 {output}（磁盘已满或超出文件大小限制？）",
            f"pandoc was killed by {name} while writing {output} (disk full or file size limit?)",
            messages,
        )
    lines = [line for line in messages.splitlines() if line.strip() and not line.startswith("[WARNING]")]
    reason = next((line for line in lines if line.lower().startswith("pandoc")), lines[-1] if lines else f"exit status {status}")
    return BuildError(f"pandoc 出错，未生成文档：{reason}", f"pandoc failed, nothing was written: {reason}", messages)


def _signal_name(number: int) -> str:
    import signal

    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
