"""Options of the pandoc filter: the ``gk-check`` metadata map, with environment fallbacks.

=========  ========================  ==================  ==========================
key        values                    default             environment fallback
=========  ========================  ==================  ==========================
strict     true / false              false               ``GK_CHECK_STRICT``
fill       true / false              true                ``GK_CHECK_FILL``
layout     official / keep           official            ``GK_CHECK_LAYOUT``
lang       zh / en                   zh                  ``GK_CHECK_LANG``
draft      true / false              false               ``GK_CHECK_DRAFT``
sign       true / false              false               ``GK_CHECK_SIGN``
previous   path of last year's       (none)              ``GK_CHECK_PREVIOUS``
           report (read only)
verbose    true / false              false               ``GK_CHECK_VERBOSE``
source-dir folder ``previous`` is     working directory   ``GK_CHECK_SOURCE_DIR``
           relative to
=========  ========================  ==================  ==========================

``previous`` is a path, but pandoc reads every metadata string as Markdown (``*x*.md`` arrives as
an emphasised "x" and ".md"): ``previous_candidates`` writes the inlines back as the Markdown they
came from, so the path is the literal string the author typed.  It is resolved against
``source-dir`` (pandoc does not tell a JSON filter where the document is; ``GK_CHECK_SOURCE_DIR``),
else the working directory (``gk build`` runs pandoc in the document's folder).

``gk build`` passes its own options (``lang``, ``sign``, ``draft``, ``strict``) as the metadata map
``gk-build`` (a metadata file, so the author's ``gk-check`` map is not replaced): the author's
``gk-check`` wins over it, and it over the environment.

``draft`` makes the findings visible in the document (Word comments on the wrong cells in
DOCX; highlighted cells in HTML and PDF; a findings appendix); ``sign`` sets the title block of
GB/T 9704 (``gkreport.render.titleblock``): the title broken evenly where the words allow, no date under
it, and the document closed with the issuing body (``org``) and the date (``date``) in Chinese.
``gk build`` sets ``sign``, and ``draft`` with ``--draft``.

``verbose`` lists on stderr every value filled in (by default they are summed up in one line).

Metadata wins over the environment.  A value or a key that is not understood is reported, with
the closest known ones, and the default is used.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

_CHOICES = {"layout": ("official", "keep"), "lang": ("zh", "en")}
_BOOLEANS = {"true": True, "yes": True, "on": True, "1": True, "false": False, "no": False, "off": False, "0": False}


@dataclass
class FilterOptions:
    strict: bool = False
    fill: bool = True
    layout: str = "official"
    lang: str = "zh"
    draft: bool = False
    sign: bool = False
    previous: str = ""
    verbose: bool = False
    source_dir: str = "."
    problems: list[str] = field(default_factory=list)  # options that were not understood


NAMES = ("strict", "fill", "layout", "lang", "draft", "sign", "previous", "verbose", "source-dir")
BUILD_KEY = "gk-build"  # the options gk build passes


def from_metadata(metadata: dict | None, environ=None, build: dict | None = None) -> FilterOptions:
    """``metadata`` is the plain value of the ``gk-check`` key (``doc.get_metadata("gk-check")``),
    ``build`` that of ``gk-build``."""
    environ = os.environ if environ is None else environ
    options = FilterOptions()
    given = metadata if isinstance(metadata, dict) else {}
    passed = build if isinstance(build, dict) else {}
    if metadata not in (None, {}) and not isinstance(metadata, dict):
        options.problems.append(f"gk-check: {metadata!r}")
    unknown = [str(key) for key in given if key not in NAMES]
    wrong_values: list[tuple[str, object, tuple[str, ...]]] = []
    for name in NAMES:
        value = given.get(name, passed.get(name, environ.get("GK_CHECK_" + name.upper().replace("-", "_"))))
        if value is None or value == "":
            continue
        if name in ("previous", "source-dir"):
            setattr(options, name.replace("-", "_"), str(value))
            continue
        text = str(value).strip().lower()
        if name in _CHOICES:
            if text in _CHOICES[name]:
                setattr(options, name, text)
            else:
                wrong_values.append((name, value, _CHOICES[name]))
        elif isinstance(value, bool):
            setattr(options, name, value)
        elif text in _BOOLEANS:
            setattr(options, name, _BOOLEANS[text])
        else:
            wrong_values.append((name, value, ("true", "false")))
    if not unknown and not wrong_values:
        return options
    from gkreport.findings import did_you_mean  # the language is known only now
    from gkreport.suggest import closest

    for key in unknown:
        options.problems.append(f"{key}{did_you_mean(closest(key, NAMES), options.lang)}")
    for name, value, choices in wrong_values:
        options.problems.append(f"{name}: {value!r}{did_you_mean(closest(str(value), choices), options.lang)}")
    return options


_MARKS = {"Emph": "*", "Strong": "**", "Strikeout": "~~", "Superscript": "^", "Subscript": "~"}
_SMART = {"\u2013": "--", "\u2014": "---", "\u2026": "...", "\u2019": "'", "\u2018": "'"}


def previous_candidates(value) -> list[str]:
    """The literal texts a metadata value (panflute ``MetaInlines``/``MetaString``) may have been
    typed as, most likely first: emphasis written ``*`` or ``_``, pandoc's smart punctuation undone,
    and pandoc's plain reading last."""
    import panflute as pf

    def write(elements, emphasis: str) -> str:
        out = []
        for elem in elements:
            name = type(elem).__name__
            if isinstance(elem, pf.Str):
                out.append("".join(_SMART.get(ch, ch) for ch in elem.text))
            elif isinstance(elem, (pf.Space, pf.SoftBreak, pf.LineBreak)):
                out.append(" ")
            elif isinstance(elem, (pf.Code, pf.RawInline)):
                out.append(elem.text)
            elif isinstance(elem, pf.Quoted):
                quote = '"' if elem.quote_type == "DoubleQuote" else "'"
                out.append(quote + write(elem.content, emphasis) + quote)
            elif name in _MARKS:
                mark = _MARKS[name]
                if name in ("Emph", "Strong"):
                    mark = mark.replace("*", emphasis)
                out.append(mark + write(elem.content, emphasis) + mark)
            elif hasattr(elem, "content"):
                out.append(write(elem.content, emphasis))
            else:
                out.append(pf.stringify(elem))
        return "".join(out)

    if isinstance(value, pf.MetaString):
        return [value.text]
    if isinstance(value, (pf.MetaInlines, pf.MetaBlocks)):
        elements = value.content
        if isinstance(value, pf.MetaBlocks):
            elements = [inline for block in value.content for inline in getattr(block, "content", [])]
        found = [write(elements, "*"), write(elements, "_"), pf.stringify(value)]
        return [text.strip() for text in dict.fromkeys(found) if text.strip()]
    return [pf.stringify(value)] if value is not None else []
