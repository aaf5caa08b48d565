"""Formatting inside a value cell, kept as pandoc Markdown so it is neither lost nor read as digits.

A figure in a published table may carry a footnote mark (``58^1^``, ``58[^1]``, ``58<sup>1</sup>``),
a correction (``~~60~~ 58``) or a link.  Flattened to text these become ``581``, ``60 58`` or
``582``: another number.  So a cell's text keeps them as Markdown (``markup``, from panflute
inlines), and the policy of what they mean is here (``meaning``, used by ``values.parse_cell``):

* a superscript or subscript, and a note, is a mark on the figure, not part of it: ``58^1^`` is 58;
* struck-out text is not the value: ``~~60~~ 58`` is 58; a cell with nothing but struck text has
  no value left and is reported as not a number (it is not silently blank);
* a link is read as its text: ``[58](http://…)`` is 58;
* raw HTML or other raw markup is not interpreted: the cell is not a number.

The text stays Markdown all the way: the grid-table writer puts it in the table as it is, and
``inlines`` turns it back into panflute inlines for the official table, so the mark, the
struck figure, the note and the link are in the output as the author wrote them.
"""

from __future__ import annotations

import re

MARKUP_CHARACTERS = frozenset("^~[`")
_GAP = "\x01"

_TOKEN = re.compile(
    r"~~(?P<strike>.+?)~~"
    r"|\^\[(?P<note>(?:\\.|[^\]\\])*)\]"
    r"|\^(?P<sup>(?:\\.|[^\^\s\\])+)\^"
    r"|~(?P<sub>(?:\\.|[^~\s\\])+)~"
    r"|\[(?P<link>(?:\\.|[^\]\\])*)\]\((?P<url>[^)\s]*)\)"
    r"|`(?P<raw>[^`]*)`\{=(?P<format>[\w-]+)\}"
)


def _escape(text: str, characters: str) -> str:
    return re.sub("([" + re.escape(characters) + "])", r"\\\1", text)


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def markup(elem, inner: str) -> str | None:
    """The Markdown for a formatting element whose text is ``inner``; None for any other element."""
    import panflute as pf

    if isinstance(elem, pf.Superscript):
        return "^" + _escape(inner, "^\\ ") + "^"
    if isinstance(elem, pf.Subscript):
        return "~" + _escape(inner, "~\\ ") + "~"
    if isinstance(elem, pf.Strikeout):
        return "~~" + inner + "~~"
    if isinstance(elem, pf.Note):
        return "^[" + _escape(pf.stringify(elem).strip(), "]\\") + "]"
    if isinstance(elem, pf.Link):
        return "[" + _escape(inner, "]\\") + "](" + elem.url + ")"
    if isinstance(elem, pf.RawInline):
        return f"`{elem.text.replace('`', '')}`{{={elem.format}}}"
    return None


def meaning(text: str) -> str | None:
    """The text a value is read from: marks and struck text removed, links by their text.

    None when the formatting leaves no figure to read (only struck text, raw markup).
    """
    if not MARKUP_CHARACTERS.intersection(text):
        return text
    struck = False

    def replace(match: re.Match) -> str:
        nonlocal struck
        if match.group("link") is not None:
            return _unescape(match.group("link"))
        if match.group("raw") is not None:
            return "\x00"  # raw markup: no figure is read from the cell
        struck = struck or match.group("strike") is not None
        return _GAP  # a mark or struck text: removed at either end of the figure, never inside it

    plain = _TOKEN.sub(replace, text).strip(_GAP + " \t\n")
    if "\x00" in plain or _GAP in plain:  # "58^1^2", "5~~6~~8": no one figure to read
        return None
    if struck and not plain:
        return None
    return plain


def inlines(text: str) -> list:
    """The panflute inlines of a cell's text (words, and the formatting of ``markup``)."""
    import panflute as pf

    from gkreport.blocks import inlines as words
    from gkreport.blocks import raw_inline

    if not MARKUP_CHARACTERS.intersection(text):
        return words(text)
    out: list = []
    position = 0
    for match in _TOKEN.finditer(text):
        out += _spaced(words(text[position : match.start()]), text[position : match.start()])
        if match.group("strike") is not None:
            out.append(pf.Strikeout(*inlines(match.group("strike"))))
        elif match.group("note") is not None:
            out.append(pf.Note(pf.Para(*words(_unescape(match.group("note"))))))
        elif match.group("sup") is not None:
            out.append(pf.Superscript(*words(_unescape(match.group("sup")))))
        elif match.group("sub") is not None:
            out.append(pf.Subscript(*words(_unescape(match.group("sub")))))
        elif match.group("link") is not None:
            out.append(pf.Link(*words(_unescape(match.group("link"))), url=match.group("url")))
        else:
            out.append(raw_inline(match.group("raw"), match.group("format")))
        position = match.end()
    out += _spaced(words(text[position:]), text[position:])
    return out


def _spaced(items: list, text: str) -> list:
    """Words between two marks, with the spaces that separated them from the marks."""
    import panflute as pf

    if not text.strip():
        return [pf.Space()] if text else []
    return ([pf.Space()] if text[0].isspace() else []) + items + ([pf.Space()] if text[-1].isspace() else [])
