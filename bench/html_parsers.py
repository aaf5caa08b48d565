"""Which HTML parser reads government pages best: each candidate against what Chromium builds.

Usage: python bench/html_parsers.py [--pages 40] [--rounds 5]

For every page (the broken-markup samples of gkreport.testing.pages.BROKEN, the Shanghai page when
../shared/domain/reports is there, generated CMS pages) Chromium (Debian's /usr/bin/chromium through
Playwright) gives the truth a clerk sees: every table in document order with its rows (thead, tbody,
tfoot) and cells (text, rowspan, colspan), and the text of the page outside scripts and styles.
Each candidate parser builds its tree from the same decoded text and is scored on how many pages it
reads exactly as the browser does; then parse + table walk is timed on the generated pages,
candidates taking turns.  A candidate that is not installed is reported as such.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import subprocess
import time
from pathlib import Path

from gkreport.testing.forms import make_report
from gkreport.testing.pages import BROKEN, report_page

SHANGHAI = Path(__file__).resolve().parent.parent.parent / "shared" / "domain" / "reports" / "shanghai-gov-office-2019.html"
CHROMIUM = "/usr/bin/chromium"
HIDDEN = {"script", "style", "noscript", "template", "title"}
_SPACE = re.compile(r"\s+")

_BROWSER_JS = """() => {
  const norm = s => s.replace(/\\s+/g, '');
  const tables = Array.from(document.querySelectorAll('table')).map(t =>
    Array.from(t.rows).map(r => Array.from(r.cells).map(c => [norm(c.textContent), c.rowSpan, c.colSpan])));
  const hidden = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TITLE']);
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  let text = '';
  while (walker.nextNode()) { if (!hidden.has(walker.currentNode.parentNode.nodeName)) text += walker.currentNode.data; }
  return [tables, norm(text)];
}"""


def norm(text: str) -> str:
    """Whitespace left out: where a parser puts a space (pandoc: at every <br> and between blocks) is
    style, not structure; what is compared is which text lands in which cell, in which order."""
    return _SPACE.sub("", text)


def span(value) -> int:
    match = re.match(r"\s*(\d+)", value or "")
    return max(1, int(match.group(1))) if match else 1


# ---------------------------------------------------------------- candidates: (tables, text) of a page


def lexbor(page: str):
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(page)
    tables = []
    for table in tree.css("table"):
        rows = []
        for section in _ordered_sections(
            [c for c in table.iter() if c.tag in ("thead", "tbody", "tfoot", "tr")], lambda n: n.tag
        ):
            for row in [section] if section.tag == "tr" else [r for r in section.iter() if r.tag == "tr"]:
                cells = [c for c in row.iter() if c.tag in ("td", "th")]
                rows.append(
                    [
                        [norm(c.text(deep=True)), span(c.attributes.get("rowspan")), span(c.attributes.get("colspan"))]
                        for c in cells
                    ]
                )
        tables.append(rows)
    text = "".join(
        n.text_content or "" for n in tree.root.traverse(include_text=True) if n.is_text_node and n.parent.tag not in HIDDEN
    )
    return tables, norm(text)


def _lxml_result(root):
    tables = []
    for table in root.iter("table"):
        rows = []
        for section in _ordered_sections([c for c in table if c.tag in ("thead", "tbody", "tfoot", "tr")], lambda n: n.tag):
            for row in [section] if section.tag == "tr" else [r for r in section if r.tag == "tr"]:
                cells = [c for c in row if c.tag in ("td", "th")]
                rows.append([[norm("".join(_element_text(c))), span(c.get("rowspan")), span(c.get("colspan"))] for c in cells])
        tables.append(rows)
    return tables, norm("".join(_document_order(root)))


def _element_text(element):
    """The text of an lxml subtree, comments and processing instructions left out (their tails kept)."""
    if isinstance(element.tag, str) and element.text:
        yield element.text
    for child in element:
        yield from _element_text(child)
        if child.tail:
            yield child.tail


def _document_order(root):
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag not in HIDDEN and element.text:
            yield element.text
        if element.tail and element.getparent() is not None and element.getparent().tag not in HIDDEN:
            yield element.tail


def lxml_html(page: str):
    import lxml.html

    return _lxml_result(lxml.html.document_fromstring(page))


def html5lib_lxml(page: str):
    import warnings

    import html5lib

    warnings.filterwarnings("ignore", module="html5lib")
    tree = html5lib.parse(page, treebuilder="lxml", namespaceHTMLElements=False)
    return _lxml_result(tree.getroot())


def _soup(page: str, builder: str):
    import warnings

    from bs4 import BeautifulSoup, NavigableString, XMLParsedAsHTMLWarning
    from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

    warnings.filterwarnings("ignore", category=XMLParsedAsHTMLWarning)

    soup = BeautifulSoup(page, builder)
    tables = []
    for table in soup.find_all("table"):
        rows = []
        children = [c for c in table.children if getattr(c, "name", None) in ("thead", "tbody", "tfoot", "tr")]
        for section in _ordered_sections(children, lambda n: n.name):
            for row in [section] if section.name == "tr" else section.find_all("tr", recursive=False):
                cells = row.find_all(["td", "th"], recursive=False)
                rows.append([[norm(c.get_text()), span(c.get("rowspan")), span(c.get("colspan"))] for c in cells])
        tables.append(rows)
    skip = (Comment, Declaration, Doctype, ProcessingInstruction)
    text = "".join(
        s
        for s in soup.find_all(string=True)
        if not isinstance(s, skip) and isinstance(s, NavigableString) and s.parent.name not in HIDDEN
    )
    return tables, norm(text)


def bs4_lxml(page: str):
    return _soup(page, "lxml")


def bs4_html_parser(page: str):
    return _soup(page, "html.parser")


def pandoc(page: str):
    import io

    import panflute as pf

    from gkreport.readers.pandoc import grid_from_panflute
    from gkreport.readers.files import pandoc_path

    done = subprocess.run([pandoc_path(), "-f", "html", "-t", "json"], input=page.encode(), capture_output=True, check=True)
    doc = pf.load(io.StringIO(done.stdout.decode()))
    tables = []

    def visit(elem, _doc):
        if isinstance(elem, pf.Table):
            tables.append([[[norm(c.text), c.rowspan, c.colspan] for c in row] for row in grid_from_panflute(elem)])

    doc.walk(visit)
    return tables, norm("".join(pf.stringify(block) for block in doc.content))


def _ordered_sections(children, tag):
    """HTMLTableElement.rows order: thead sections, then bodies and bare rows, then tfoot."""
    return (
        [c for c in children if tag(c) == "thead"]
        + [c for c in children if tag(c) in ("tbody", "tr")]
        + [c for c in children if tag(c) == "tfoot"]
    )


CANDIDATES = {
    "selectolax (Lexbor)": lexbor,
    "lxml.html (libxml2)": lxml_html,
    "html5lib (lxml tree)": html5lib_lxml,
    "BeautifulSoup + lxml": bs4_lxml,
    "BeautifulSoup + html.parser (stdlib)": bs4_html_parser,
    "pandoc -f html (today)": pandoc,
}


def browser_truth(pages: dict[str, str]) -> dict:
    from playwright.sync_api import sync_playwright

    truth = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(java_script_enabled=True)
        for name, html in pages.items():
            page.set_content(html, wait_until="domcontentloaded")
            tables, text = page.evaluate(_BROWSER_JS)
            truth[name] = (tables, text)
        browser.close()
    return truth


def pages_to_compare(count: int) -> dict[str, str]:
    pages = dict(BROKEN)
    if SHANGHAI.is_file():
        pages["shanghai-gov-office-2019.html"] = SHANGHAI.read_text(encoding="utf-8")
    rng = random.Random(5)
    for n in range(count):
        data = report_page(rng, make_report(rng))
        pages[f"generated page {n}"] = _decode(data)
    return pages


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=20, help="generated pages (besides the broken samples and Shanghai)")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    pages = pages_to_compare(args.pages)
    truth = browser_truth(pages)
    generated = [html for name, html in pages.items() if name.startswith("generated")]
    print(
        f"{len(pages)} pages: {len(BROKEN)} broken samples, Shanghai, {args.pages} generated CMS pages; truth = Chromium's DOM\n"
    )
    available = {}
    for name, function in CANDIDATES.items():
        try:
            function("<p>x</p>")
        except ImportError as exc:
            print(f"{name:38} not installed ({exc.name})")
            continue
        available[name] = function
    timings: dict[str, list[float]] = {name: [] for name in available}
    for _ in range(args.rounds):
        for name, function in available.items():
            if name.startswith("pandoc") and len(timings[name]) >= 1:
                continue  # a subprocess per page: one round says enough
            start = time.perf_counter()
            for html in generated:
                function(html)
            timings[name].append((time.perf_counter() - start) * 1000 / len(generated))
    print(f"{'candidate':38} {'tables as Chromium':>18} {'text as Chromium':>17} {'ms/page':>8}")
    for name, function in available.items():
        tables_ok, text_ok, wrong = 0, 0, []
        for page_name, html in pages.items():
            try:
                tables, text = function(html)
            except Exception as exc:  # noqa: BLE001 - a crash is a result here
                wrong.append(f"{page_name} (raised {type(exc).__name__})")
                continue
            tables_ok += tables == truth[page_name][0]
            text_ok += text == truth[page_name][1]
            if tables != truth[page_name][0] or text != truth[page_name][1]:
                wrong.append(
                    page_name
                    + ("" if tables == truth[page_name][0] else " [tables]")
                    + ("" if text == truth[page_name][1] else " [text]")
                )
        print(
            f"{name:38} {tables_ok:>11} / {len(pages):<4} {text_ok:>10} / {len(pages):<4} {statistics.median(timings[name]):8.2f}"
        )
        for item in wrong:
            print(f"    differs: {item}")


if __name__ == "__main__":
    main()
