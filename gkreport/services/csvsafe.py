"""CSV cells a spreadsheet will not run: the OWASP rule against formula injection.

Audit inputs are published pages anyone could have written, and a spreadsheet opening our CSV
runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (tab and carriage return
lead to the same through some importers).  Such a text cell gets a leading ``'``, which makes
the spreadsheet show it as text.  A number stays a number: an ``int`` or ``Decimal`` is written
as it is, and so is a text that is exactly a decimal literal (``-7``, ``+3``, ``-0.5``), which a
spreadsheet reads as that number and nothing else.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(v) for v in values]
