"""The command line: ``gk``.

Argument parsing and printing, nothing else: one function per subcommand (``cmd_<name>``)
registered in ``COMMANDS``, each calling the services (``gkreport.services``) and printing what
they return.  Nothing imports this module.

Exit status: 0 no error finding (warnings allowed), 1 some error finding, 2 an input could
not be read or the command line is wrong.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Callable

from gkreport import __version__
from gkreport.findings import ERROR, INFO, TABLE_SHORT, WARNING, by_severity, count_by_severity
from gkreport.readers.files import ReadError
from gkreport.services.check import (
    EXIT_ERRORS,
    EXIT_OK,
    EXIT_UNREADABLE,
    EXTRACT_COLUMNS,
    FileReport,
    cell_records,
    check_against_previous,
    check_file,
    exit_status,
    summarize,
)

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "year": "{year}年",
        "year-unknown": "年度未知",
        "table": "{name}({format})",
        "no-tables": "未发现统计表",
        "subtotal": "  小计：错误 {errors}，警告 {warnings}，提示 {infos}",
        "total": "合计：{files} 个文件，{tables} 张表；错误 {errors}，警告 {warnings}，提示 {infos}",
        "total-unreadable": "；无法读取 {unreadable} 个文件",
        "unreadable": "gk：{message}",
        "unreadable-heading": "{path}  无法读取",
        "unexpected": "读取或检查时发生意外错误",
    },
    "en": {
        "year": "{year}",
        "year-unknown": "year unknown",
        "table": "{name} ({format})",
        "no-tables": "no statistical table found",
        "subtotal": "  subtotal: {errors} error{errors_s}, {warnings} warning{warnings_s}, {infos} info{infos_s}",
        "total": "total: {files} file{files_s}, {tables} table{tables_s}; {errors} error{errors_s}, "
        "{warnings} warning{warnings_s}, {infos} info{infos_s}",
        "total-unreadable": "; {unreadable} file{unreadable_s} could not be read",
        "unreadable": "gk: {message}",
        "unreadable-heading": "{path}  unreadable",
        "unexpected": "unexpected error while reading or checking",
    },
}


def tr(lang: str, key: str, **values: Any) -> str:
    """A fixed string in the language; every integer ``n`` also gives ``n_s``, an English plural "s"."""
    plurals = {f"{k}_s": "" if v == 1 else "s" for k, v in values.items() if isinstance(v, int)}
    return TEXT["en" if lang == "en" else "zh"][key].format(**values, **plurals)


# ---------------------------------------------------------------- output helpers


def _utf8(stream):
    """The stream, reconfigured to UTF-8 when the locale says otherwise."""
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
    if encoding not in ("utf-8", "utf8") and hasattr(stream, "reconfigure"):
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")
        except Exception:  # noqa: BLE001 - an odd stream: write what it accepts
            pass
    return stream


def write_lines(lines: list[str], stream=None) -> None:
    stream = _utf8(stream or sys.stdout)
    for line in lines:
        stream.write(line + "\n")
    stream.flush()


def write_json(data: Any, stream=None) -> None:
    write_lines([json.dumps(data, ensure_ascii=False, indent=2)], stream)


def warn(message: str) -> None:
    write_lines([message], sys.stderr)


def output_allowed(command: str, output, inputs, folders, lang: str) -> bool:
    """False, with the reason on stderr, when ``output`` is an input or inside a folder being read."""
    from gkreport.services.safeio import OutputError, check_output

    try:
        check_output(output, inputs, folders)
    except OutputError as exc:
        warn(f"{command}: {exc.message(lang)}")
        return False
    return True


def write_output(command: str, output, text: str, inputs, lang: str) -> bool:
    """``text`` written to ``output`` atomically, never over an input; False (said on stderr) when refused or failed."""
    from gkreport.services.safeio import OutputError, write_text

    if not output_allowed(command, output, inputs, (), lang):
        return False
    try:
        write_text(output, text)
    except OutputError as exc:
        warn(f"{command}: {exc.message(lang)}")
        return False
    return True


def text_report(report: FileReport, lang: str) -> list[str]:
    if report.error is not None:
        return [tr(lang, "unreadable-heading", path=report.path)]
    year = tr(lang, "year", year=report.year) if report.year else tr(lang, "year-unknown")
    names = TABLE_SHORT["en" if lang == "en" else "zh"]
    tables = " ".join(tr(lang, "table", name=names.get(t.table, t.table), format=t.format) for t in report.tables)
    lines = [f"{report.path}  {year}  {tables or tr(lang, 'no-tables')}"]
    lines += ["  " + f.line(lang) for f in by_severity(report.findings)]
    counts = count_by_severity(report.findings)
    lines.append(tr(lang, "subtotal", errors=counts[ERROR], warnings=counts[WARNING], infos=counts[INFO]))
    return lines


# ---------------------------------------------------------------- subcommands


def cmd_check(args: argparse.Namespace) -> int:
    lang = args.lang
    reports = []
    for path in args.files:
        report = check_file(path, args.from_format)
        if report.error is not None:
            warn(tr(lang, "unreadable", message=report.error.message(lang)))
        elif args.previous:
            check_against_previous(report, args.previous, args.from_format)
        reports.append(report)
    summary = summarize(reports)
    if args.output_format == "json":
        write_json({"files": [r.to_dict(lang) for r in reports], "summary": summary})
    else:
        lines = []
        for report in reports:
            lines += text_report(report, lang)
        total = tr(lang, "total", **summary)
        if summary["unreadable"]:
            total += tr(lang, "total-unreadable", **summary)
        lines.append(total)
        write_lines(lines)
    return exit_status(reports)


def cmd_extract(args: argparse.Namespace) -> int:
    import io

    if args.output not in (None, "-") and not output_allowed("gk extract", args.output, args.files, (), args.lang):
        return EXIT_UNREADABLE
    reports = [check_file(path, args.from_format) for path in args.files]
    for report in reports:
        if report.error is not None:
            warn(tr(args.lang, "unreadable", message=report.error.message(args.lang)))
    out = io.StringIO()
    if args.output_format == "csv":
        import csv

        from gkreport.services.csvsafe import safe_row

        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(EXTRACT_COLUMNS)
        for report in reports:
            writer.writerows(safe_row(record[k] for k in EXTRACT_COLUMNS) for record in cell_records(report))
    else:
        files = []
        for report in reports:
            entry = {"path": report.path, "year": report.year, "format": report.format, "tables": []}
            for record in cell_records(report):
                if not entry["tables"] or entry["tables"][-1]["table"] != record["table"]:
                    entry["tables"].append({"table": record["table"], "format": record["format"], "cells": []})
                entry["tables"][-1]["cells"].append({k: record[k] for k in EXTRACT_COLUMNS[3:]})
            if report.error is not None:
                entry["error"] = report.error.message(args.lang)
            files.append(entry)
        out.write(json.dumps({"files": files}, ensure_ascii=False, indent=2) + "\n")
    if args.output in (None, "-"):
        stream = _utf8(sys.stdout)
        stream.write(out.getvalue())
        stream.flush()
    elif not write_output("gk extract", args.output, out.getvalue(), args.files, args.lang):
        return EXIT_UNREADABLE
    return EXIT_UNREADABLE if any(r.error is not None for r in reports) else EXIT_OK


def cmd_audit(args: argparse.Namespace) -> int:
    from contextlib import ExitStack

    from gkreport.services.audit import FindingWriter, Limits, audit, scan, skipped_message, summary
    from gkreport.services.safeio import OutputError, atomic_output

    found = scan(args.paths)
    if args.out and not output_allowed("gk audit", args.out, found.files, [p for p in args.paths if os.path.isdir(p)], args.lang):
        return EXIT_UNREADABLE
    bar = None
    if sys.stderr.isatty():
        import shutil

        from tqdm import tqdm

        # a terminal that reports no size (some ptys) gets 80x24, else tqdm would draw nothing
        size = shutil.get_terminal_size()
        bar = tqdm(total=len(found.files), unit="file", file=sys.stderr, leave=False, ncols=size.columns, nrows=size.lines)
    limits = Limits(args.time_limit, args.memory_limit)
    records = []
    try:
        with ExitStack() as outputs:  # the findings file is renamed into place only when every file was audited
            writer = None
            if args.out:
                temp = outputs.enter_context(atomic_output(args.out))
                writer = outputs.enter_context(FindingWriter(temp, args.out.lower().endswith(".csv")))
                for path, kind, detail in found.skipped:
                    writer.skipped(path, kind, detail, args.lang)
            try:
                for record in audit(found.files, args.from_format, args.lang, args.jobs, bar.update if bar else None, limits):
                    records.append(record)
                    if writer:
                        writer.write(record)
            finally:
                if bar:
                    bar.close()
    except OutputError as exc:
        warn(f"gk audit: {exc.message(args.lang)}")
        return EXIT_UNREADABLE
    counts = summary(records, found.skipped)
    if args.output_format == "json":
        skipped = [{"path": path, "kind": kind, "detail": detail} for path, kind, detail in found.skipped]
        write_json({"summary": counts, "skipped": skipped})
    else:
        write_lines(audit_table(counts, args.lang))
    for path, kind, detail in found.skipped:
        warn(tr(args.lang, "unreadable", message=skipped_message(path, kind, detail, args.lang)))
    for record in records:
        if "error" in record:
            warn(tr(args.lang, "unreadable", message=record["error"]))
    if counts["unreadable"] or counts["skipped_by_kind"].get("unreadable-directory"):
        return EXIT_UNREADABLE
    return EXIT_ERRORS if counts["errors"] else EXIT_OK


def audit_table(counts: dict, lang: str) -> list[str]:
    labels = AUDIT_LABELS["en" if lang == "en" else "zh"]
    keys = ("files", "tables", "errors", "warnings", "infos", "unreadable", "over_limit", "skipped")
    rows = [(labels[key], str(counts[key])) for key in keys]
    rows += [(f"  {code}", str(n)) for code, n in counts["by_code"].items()]
    from gkreport.services.audit import SKIP_NAMES

    names = SKIP_NAMES["en" if lang == "en" else "zh"]
    rows += [(f"  {names[kind]}", str(n)) for kind, n in counts["skipped_by_kind"].items()]
    width = max(_width(name) for name, _ in rows) + 2
    return [name + " " * (width - _width(name)) + value for name, value in rows]


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


AUDIT_LABELS = {
    "zh": {"files": "文件", "tables": "识别的统计表", "errors": "错误", "warnings": "警告", "infos": "提示", "unreadable": "无法读取的文件",
           "over_limit": "超出时间或内存限制", "skipped": "跳过的路径"},
    "en": {"files": "files", "tables": "tables found", "errors": "errors", "warnings": "warnings", "infos": "infos", "unreadable": "unreadable files",
           "over_limit": "over the time or memory limit", "skipped": "paths skipped"},
}


def cmd_build(args: argparse.Namespace) -> int:
    """SRC (.md or .ipynb) -> OUT (.docx, .pdf, .html): see gkreport.services.build."""
    from gkreport.services.build import BuildError, build

    try:
        result = build(args.source, args.output, draft=args.draft, strict=args.strict, lang=args.lang)
    except BuildError as exc:
        if exc.details:
            _utf8(sys.stderr).write(exc.details)
        warn(f"gk build: {exc.message(args.lang)}")
        return EXIT_ERRORS if exc.details else EXIT_UNREADABLE
    _utf8(sys.stderr).write(result.messages)
    write_lines([str(result.output)])
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from pathlib import Path

    from gkreport.services.skeleton import skeleton

    text = skeleton(args.org, args.year, args.fmt, args.level, args.date)
    if args.output in (None, "-"):
        write_lines([text.rstrip("\n")])
        return EXIT_OK
    path = Path(args.output)
    if path.exists() and not args.force:
        warn(f"gk new: {path} 已存在（用 --force 覆盖）" if args.lang != "en" else f"gk new: {path} exists (--force overwrites it)")
        return EXIT_UNREADABLE
    if not write_output("gk new", path, text, [], args.lang):
        return EXIT_UNREADABLE
    write_lines([str(path)])
    return EXIT_OK


def cmd_aggregate(args: argparse.Namespace) -> int:
    """Combine the reports of many bodies: checked first, same year and format, summed cell by cell."""
    from gkreport.services.aggregate import AggregateError, aggregate

    if args.output not in (None, "-") and not output_allowed("gk aggregate", args.output, args.reports, (), args.lang):
        return EXIT_UNREADABLE
    try:
        combined = aggregate(args.reports, org=args.org, force=args.force, lang=args.lang)
    except AggregateError as exc:
        warn(f"gk aggregate: {exc.message(args.lang)}")
        return EXIT_UNREADABLE
    text = combined.to_csv() if args.output_format == "csv" else combined.to_markdown(args.org)
    if args.output in (None, "-"):
        write_lines([text.rstrip("\n")])
    elif not write_output("gk aggregate", args.output, text, args.reports, args.lang):
        return EXIT_UNREADABLE
    else:
        write_lines([args.output])
    return EXIT_OK


def cmd_reference_doc(args: argparse.Namespace) -> int:
    """The path of a bundled template, for plain pandoc: --reference-doc "$(gk reference-doc)"."""
    from gkreport.services.build import TEMPLATES, template

    write_lines([str(template(TEMPLATES[args.kind]))])
    return EXIT_OK


FIX_TEXT = {
    "zh": {
        "converted": "  已用 LibreOffice 将 {source} 转换为 DOCX 后检查",
        "fill": "  填入 {table} 行“{row}”列“{column}”：{value}",
        "fill-appeals": "  填入 {table} 列“{column}”：{value}",
        "commented": "  → 批注",
    },
    "en": {
        "converted": "  converted from {source} to DOCX with LibreOffice, then checked",
        "fill": "  filled {table} row “{row}”, column “{column}”: {value}",
        "fill-appeals": "  filled {table} column “{column}”: {value}",
        "commented": "  → comment",
    },
}


def cmd_fix(args: argparse.Namespace) -> int:
    """The clerk's DOCX -> a copy with the blank totals filled and the errors commented (gkreport.services.fix)."""
    from gkreport.services.fix import FixError, fix

    lang = "en" if args.lang == "en" else "zh"
    try:
        outcome = fix(args.source, args.output, lang=lang, strict=args.strict)
    except (FixError, ReadError) as exc:
        warn(f"gk fix: {exc.message(lang)}")
        return EXIT_UNREADABLE
    shown = outcome.reported_findings()
    report = FileReport.of(args.source, outcome.result, shown)
    texts = FIX_TEXT[lang]
    lines = text_report(report, lang)
    head, body, subtotal = lines[:1], lines[1:-1], lines[-1]
    if outcome.converted:
        head.append(texts["converted"].format(source=args.source))
    body = [line + (texts["commented"] if outcome.commented(finding) else "") for line, finding in zip(body, by_severity(shown))]
    names = TABLE_SHORT[lang]
    fills = [
        texts["fill" if f.row else "fill-appeals"].format(table=names.get(f.table, f.table), row=f.row, column=f.column, value=f.text)
        for f in outcome.fills
    ]
    write_lines(head + body + fills + [subtotal, outcome.summary(lang)])
    return exit_status([report])


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "check": cmd_check,
    "extract": cmd_extract,
    "audit": cmd_audit,
    "build": cmd_build,
    "new": cmd_new,
    "aggregate": cmd_aggregate,
    "reference-doc": cmd_reference_doc,
    "fix": cmd_fix,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gk",
        description="政府信息公开工作年度报告统计表的检查工具 / checks the tables of the annual "
        "government-information-disclosure report",
    )
    parser.add_argument("--version", action="version", version=f"gk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser(
        "check",
        help="检查报告中的统计表 / check the tables of one or more reports",
        description="检查报告中的统计表 / check the tables of one or more reports",
    )
    check.add_argument("files", nargs="+", metavar="FILE", help=".md .txt .html .docx or pandoc .json")
    check.add_argument("--format", dest="output_format", choices=("text", "json"), default="text", help="output (default text)")
    check.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the messages (default zh)")
    check.add_argument("--from", dest="from_format", metavar="FORMAT", help="pandoc reader, overriding the file extension")
    check.add_argument("--previous", metavar="LAST", help="last year's report of the same body: carry-over, 现行有效件数, copied text")

    extract = sub.add_parser("extract", help="统计表数据 / the recognized tables as data", description="统计表数据 / the recognized tables as data")
    extract.add_argument("files", nargs="+", metavar="FILE")
    extract.add_argument("--format", dest="output_format", choices=("json", "csv"), default="json", help="output (default json)")
    extract.add_argument("--lang", choices=("zh", "en"), default="zh")
    extract.add_argument("--from", dest="from_format", metavar="FORMAT")
    extract.add_argument("-o", "--output", metavar="FILE", help="default: standard output")

    audit = sub.add_parser("audit", help="批量检查 / check every report under the paths", description="批量检查 / check every report under the paths")
    audit.add_argument("paths", nargs="+", metavar="PATH", help="files and folders")
    audit.add_argument("--out", metavar="FINDINGS", help="write every finding to a .csv or .jsonl file")
    audit.add_argument("--format", dest="output_format", choices=("text", "json"), default="text", help="summary output (default text)")
    audit.add_argument("--lang", choices=("zh", "en"), default="zh")
    audit.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")
    audit.add_argument("--from", dest="from_format", metavar="FORMAT")
    audit.add_argument("--time-limit", type=float, default=60.0, metavar="SECONDS", help="per file; a file over it is reported (default 60)")
    audit.add_argument("--memory-limit", type=int, default=2048, metavar="MB", help="per worker process; a file over it is reported (default 2048)")

    build = sub.add_parser("build", help="生成文档 / build the document", description="生成文档 / SRC (.md or .ipynb) -> OUT (.docx, .pdf or .html)")
    build.add_argument("source", metavar="SRC")
    build.add_argument("-o", "--output", required=True, metavar="OUT")
    build.add_argument("--draft", action="store_true", help="show the findings in the document (Word comments, highlights, an appendix)")
    build.add_argument("--strict", action="store_true", help="an error stops the build")
    build.add_argument("--lang", choices=("zh", "en"), default="zh")

    new = sub.add_parser("new", help="新建报告 / write the skeleton of a report", description="新建报告 / write the skeleton of a report")
    new.add_argument("--org", required=True, help="the issuing body, e.g. XX区XX局")
    new.add_argument("--year", type=int, required=True)
    new.add_argument("--format", dest="fmt", choices=("2021", "2019"), help="default: by the year")
    new.add_argument("--level", choices=("department", "government"), default="department")
    new.add_argument("--date", help="publication date, YYYY-MM-DD")
    new.add_argument("-o", "--output", metavar="FILE", help="default: standard output")
    new.add_argument("--force", action="store_true", help="overwrite FILE")
    new.add_argument("--lang", choices=("zh", "en"), default="zh")

    fixer = sub.add_parser(
        "fix",
        help="检查并补全 Word 报告 / fill and comment a Word report",
        description="检查 Word 报告，写出补全合计、批注错误的副本（原文件不变） / check a Word report and write a copy "
        "with the blank totals filled and the errors commented (the original is never modified)",
    )
    fixer.add_argument("source", metavar="REPORT", help=".docx (.doc and .wps are converted with LibreOffice when installed)")
    fixer.add_argument("-o", "--output", metavar="OUT", help="the copy, a .docx (default: REPORT.checked.docx beside it)")
    fixer.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the messages and comments (default zh)")
    fixer.add_argument("--strict", action="store_true", help="an error: no copy is written")

    combine = sub.add_parser("aggregate", help="汇总多个单位的报告 / combine the reports of many bodies", description="汇总 / sum the tables of many reports, checked first")
    combine.add_argument("reports", nargs="+", metavar="REPORT")
    combine.add_argument("-o", "--output", metavar="FILE", help="combined.md (or .csv with --format csv); default: standard output")
    combine.add_argument("--org", help="the combining body, for the title")
    combine.add_argument("--format", dest="output_format", choices=("md", "csv"), default="md", help="md: a report with the combined tables; csv: each body's key figures")
    combine.add_argument("--force", action="store_true", help="combine inputs with error findings too")
    combine.add_argument("--lang", choices=("zh", "en"), default="zh")

    reference = sub.add_parser(
        "reference-doc", help="模板路径 / the path of the bundled template, for plain pandoc",
        description='模板路径 / prints the path of the bundled template: pandoc report.md --filter gk-check --reference-doc "$(gk reference-doc)" -o report.docx; '
        'pandoc report.md --filter gk-check --pdf-engine=typst --template "$(gk reference-doc typst)" -o report.pdf',
    )
    reference.add_argument("kind", nargs="?", choices=("docx", "typst", "css"), default="docx",
                           help="docx: reference.docx (--reference-doc); typst: gkreport.typst (--template); css: gkreport.css (--css)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # usage errors (2), --help and --version (0)
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else EXIT_UNREADABLE)
    command = COMMANDS.get(args.command or "")
    if command is None:
        parser.print_help(_utf8(sys.stderr))
        return EXIT_UNREADABLE
    try:
        return command(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader of our output went away (e.g. `| head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERRORS
    except Exception as exc:  # noqa: BLE001 - the last guard: a message, never a traceback
        lang = getattr(args, "lang", "zh")
        warn(f"gk: {tr(lang, 'unexpected')}: {type(exc).__name__}: {exc}")
        return EXIT_UNREADABLE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
