"""Tab completion in ``%%gkreport`` cells, for every front end (it runs in the kernel).

An IPython completion matcher (API v2) that completes, in a cell starting with ``%%gkreport``:

* on the first line: the table (``active``, ``requests``, ``appeals``, ``二``/``三``/``四``), the
  options, and the values of ``--format`` and ``--lang``;
* at the start of a body line (also after ``|`` in a pipe table): the row names — short names,
  official labels, aliases, English keys — and, for table 四, the groups (复议, 直接起诉, 复议后起诉)
  and group + result names (复议维持);
* inside ``{…}``, after ``row.`` and in the second field of a CSV line: the column names of that row.

A prefix may be typed in Simplified or Traditional characters (``國家`` completes 国家秘密).  Every
name comes from ``gkreport.spec`` (through ``sparse``'s own name tables where they exist), so the
completions are exactly the names the cell accepts.  Inside a ``%%gkreport`` cell the Python
completions are suppressed: they mean nothing there.
"""

from __future__ import annotations

import re
from functools import cache

from IPython.core.completer import CompletionContext, SimpleCompletion, SimpleMatcherResult, context_matcher

from gkreport.spec import APPEALS_GROUPS, APPEALS_LEAVES, FORMATS, TABLES, spec_for
from gkreport.services.tablesource import TABLE_ALIASES

from gkreport.kernels_ext.help import format_asked

MAGIC = re.compile(r"^\s*%%gkreport\b")
OPTIONS = ("--year", "--format", "--lang", "-o", "--output", "--expand")
OPTION_VALUES = {"--format": FORMATS, "--lang": ("zh", "en")}
# the name being typed: back to a separator of the three body forms ("1.属" is one name)
_FRAGMENT = re.compile(r"(?:\d{1,2}\.)?[^\s{},:|.，：]*$")


@cache
def row_names(table: str, fmt: str) -> tuple[str, ...]:
    """The names a body line may start with, short names first (table 四: groups, then group + result)."""
    if table == "appeals":
        groups = [name for key, label, short in APPEALS_GROUPS for name in (short, label.split(" / ")[-1], key)]
        combined = [short + leaf for _, _, short in APPEALS_GROUPS for _, _, leaf in APPEALS_LEAVES]
        return _unique(groups + combined)
    spec = spec_for(table, fmt)
    return _unique([r.short for r in spec.rows] + [r.label for r in spec.rows] + [a for r in spec.rows for a in r.aliases] + [r.key for r in spec.rows])


@cache
def column_names(table: str, fmt: str, row: str | None) -> tuple[str, ...]:
    """The names of the columns of ``row`` (a row key; table 四: a group key, whose columns are the
    results), or of every column."""
    if table == "appeals":
        return _unique([n for _, label, short in APPEALS_LEAVES for n in (short, label)] + [key for key, _, _ in APPEALS_LEAVES])
    spec = spec_for(table, fmt)
    columns = spec.columns_of(spec.row(row)) if row else spec.columns
    return _unique([c.short for c in columns] + [c.label for c in columns] + [a for c in columns for a in c.aliases] + [c.key for c in columns])


def _unique(names) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n for n in names if n))


def _prefix_matches(names, typed: str) -> list[str]:
    """Names starting with what was typed, or with its Simplified form (OpenCC) when it differs."""
    if not typed:
        return list(names)
    prefixes = {typed}
    if not typed.isascii():
        from gkreport.labels import simplified

        prefixes.add(simplified(typed))
    return [n for n in names if any(n.startswith(p) for p in prefixes)]


def _header(first_line: str) -> tuple[list[str], str | None]:
    """The tables and formats the first line asks for (every one when it does not say)."""
    words = first_line.split()[1:]
    tables = [TABLE_ALIASES[w] for w in words if w in TABLE_ALIASES]
    return tables[:1] or list(TABLES), format_asked(words)


def _row_key(table: str, formats: list[str], written: str) -> str | None:
    """The key of the row a written name means (table 四: the group), if exactly one."""
    from gkreport.labels import fold

    folded = fold(written)
    if table == "appeals":
        keys = {key for key, label, short in APPEALS_GROUPS if folded in {fold(short), fold(label), fold(key)}}
    else:
        keys = {r.key for f in formats for r in spec_for(table, f).rows if folded in {fold(n) for n in (r.short, r.label, r.key, *r.aliases) if n}}
    return keys.pop() if len(keys) == 1 else None


def body_completions(first_line: str, before_cursor: str) -> tuple[str, list[str], str]:
    """What is being typed on a body line, its completions, and their kind ("row" or "column")."""
    tables, fmt = _header(first_line)
    formats = [fmt] if fmt else list(FORMATS)
    typed = _FRAGMENT.search(before_cursor).group()
    line = before_cursor[: len(before_cursor) - len(typed)]
    stripped = line.strip()
    names: list[str] = []
    kind = "row" if stripped in ("", "|") else "column"
    if kind == "row":  # the start of a line
        names = [n for t in tables for f in formats for n in row_names(t, f)]
    else:
        row = _row_of(line)
        if row is not None:
            for t in tables:
                key = _row_key(t, formats, row) if row else None
                if row and key is None:
                    continue
                names += [n for f in formats if t == "appeals" or key is None or _has_row(t, f, key) for n in column_names(t, f, key)]
    return typed, _prefix_matches(_unique(names), typed), kind


def _has_row(table: str, fmt: str, key: str) -> bool:
    return any(r.key == key for r in spec_for(table, fmt).rows)


def _row_of(line: str) -> str | None:
    """The row name a column is being typed for ('' when unknown), or None when no column goes here."""
    csv = re.fullmatch(r"\s*([^,{}:]+),\s*", line)
    if csv:
        return csv.group(1).strip()
    dotted = re.fullmatch(r"\s*([^,{}:.]+)\.\s*", line)
    if dotted:
        return dotted.group(1).strip()
    braced = re.fullmatch(r"\s*([^,{}:]+)[:：]\s*\{(?:[^{}]*,\s*)?", line)
    if braced:
        return braced.group(1).strip()
    return None


def header_completions(before_cursor: str) -> tuple[str, list[str]]:
    """What is being typed on the ``%%gkreport`` line, and its completions."""
    typed = re.search(r"\S*$", before_cursor).group()
    words = before_cursor.split()[1:]
    done = words[:-1] if typed else words  # the words before the one being typed
    previous = done[-1] if done else None
    if previous in OPTION_VALUES:
        return typed, _prefix_matches(OPTION_VALUES[previous], typed)
    if typed.startswith("-"):
        return typed, _prefix_matches(OPTIONS, typed)
    if any(w in TABLE_ALIASES for w in done) or previous in ("--year", "-o", "--output"):
        return typed, []  # the table is given, or a value of the user's own comes here
    return typed, _prefix_matches(TABLES, typed)


@context_matcher()
def gkreport_matcher(context: CompletionContext) -> SimpleMatcherResult:
    """Names of tables, rows and columns in a ``%%gkreport`` cell."""
    lines = context.full_text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or not MAGIC.match(lines[first]) or context.cursor_line < first:
        return {"completions": [], "suppress": False}
    before = context.text_until_cursor
    if context.cursor_line == first:
        typed, names = header_completions(before)
        kind = "table" if names and names[0] in TABLES else "option"
    else:
        typed, names, kind = body_completions(lines[first], before)
    return {"completions": [SimpleCompletion(n, type=kind) for n in names], "matched_fragment": typed, "suppress": True, "ordered": True}


def register(shell) -> None:
    """Add the matcher to the shell's completer (once, however often the extension is loaded)."""
    matchers = shell.Completer.custom_matchers
    if gkreport_matcher not in matchers:
        matchers.append(gkreport_matcher)
