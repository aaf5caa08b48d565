"""A checked table as one HTML ``<table>`` in the official layout, for notebooks.

Real ``rowspan``/``colspan``; deduced values marked (class ``gk-deduced``); each cell named by
an error finding highlighted (class ``gk-error``) with the message as its tooltip; the findings
listed under the table.  Styles are inline so they survive JupyterLab, classic Notebook and VS
Code, which may drop ``<style>`` elements; every piece of text is escaped.

Colours come from JupyterLab's CSS variables, each mixed with the theme's text colour so that it
keeps WCAG AA contrast in the light and the dark theme alike (``tests/test_browser.py`` measures
it).  Outside JupyterLab each variable falls back to the light theme's colour; a browser without
``color-mix`` keeps the fixed colour declared before it.
"""

from __future__ import annotations

from html import escape

from gkreport.findings import Finding
from gkreport.grid import DEDUCED_CLASS
from gkreport.render.view import ERROR_CLASS, table_view

_BORDER = "border:1px solid var(--jp-border-color1,#999);padding:2px 6px;"
_STYLE = {
    "corner": _BORDER + "font-size:85%;text-align:left;",
    "header": _BORDER + "text-align:center;font-weight:bold;",
    "label": _BORDER + "text-align:left;font-weight:normal;",
    "value": _BORDER + "text-align:center;",
}


def _ink(variable: str, fallback: str) -> str:
    """A theme colour darkened (light theme) or lightened (dark theme) towards the text colour."""
    return f"color:{fallback};color:color-mix(in srgb,var({variable},{fallback}) 60%,var(--jp-content-font-color0,#000));"


def _tint(variable: str, default: str, fallback: str) -> str:
    """A light wash of a theme colour over whatever the background is."""
    return f"background:{fallback};background:color-mix(in srgb,var({variable},{default}) 14%,transparent);"


_DEDUCED = _tint("--jp-brand-color1", "#1976d2", "#e8f1fb") + _ink("--jp-brand-color1", "#1a4f8a") + "font-style:italic;"
_ERROR = (
    "background:var(--jp-rendermime-error-background,#fde2e1);"
    + _ink("--jp-error-color1", "#a40000")
    + "font-weight:bold;outline:2px solid var(--jp-error-color1,#d33);"
)
_SEVERITY_COLOR = {
    "error": _ink("--jp-error-color1", "#a40000"),
    "warning": _ink("--jp-warn-color1", "#8a5a00"),
    "info": "color:#555;color:var(--jp-content-font-color2,#555);",
}


def html_table(checked, findings: list[Finding], lang: str = "zh", title: str = "", listed: list[Finding] | None = None) -> str:
    """``findings`` mark the cells; ``listed`` (default: all of them) are listed under the table."""
    spec = checked.spec
    view = table_view(checked, findings=findings, lang=lang)
    layout = view.layout

    def cell_html(cell, tag: str) -> str:
        spans = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (f' colspan="{cell.colspan}"' if cell.colspan > 1 else "")
        if cell.ref is None:
            return f'<{tag} class="gk-{cell.role}"{spans} style="{_STYLE[cell.role]}">{escape(cell.text)}</{tag}>'
        shown = view.cells[cell.ref]
        classes, style, tip = ["gk-value"], _STYLE["value"], ""
        if shown.deduced:
            classes.append(DEDUCED_CLASS)
            style += _DEDUCED
            tip = "按勾稽关系推算" if lang != "en" else "deduced from the rules"
        if shown.errors:
            classes.append(ERROR_CLASS)
            style += _ERROR
            tip = "；".join(shown.errors)
        title_attr = f' title="{escape(tip)}"' if tip else ""
        return f'<td class="{" ".join(classes)}"{spans}{title_attr} style="{style}">{escape(shown.text)}</td>'

    head = "".join("<tr>" + "".join(cell_html(c, "th") for c in row) + "</tr>" for row in layout.header)
    body = "".join(
        "<tr>" + "".join(cell_html(c, "th" if c.ref is None else "td") for c in row) + "</tr>" for row in layout.body
    )
    caption = f'<caption style="caption-side:top;text-align:left;font-weight:bold;">{escape(title)}</caption>' if title else ""
    table = (
        f'<table class="gk-table" data-table="{spec.table}" data-format="{spec.format}" '
        f'style="border-collapse:collapse;font-size:13px;margin:4px 0;">{caption}'
        + (f"<thead>{head}</thead>" if head else "")
        + f"<tbody>{body}</tbody></table>"
    )
    return table + findings_html(findings if listed is None else listed, lang)


def findings_html(findings: list[Finding], lang: str = "zh") -> str:
    if not findings:
        return ""
    items = "".join(
        f'<li class="gk-{f.severity}" style="{_SEVERITY_COLOR[f.severity]}">{escape(f.line(lang))}</li>' for f in findings
    )
    return f'<ul class="gk-findings" style="margin:4px 0 8px 1.2em;padding:0;font-size:12px;">{items}</ul>'
