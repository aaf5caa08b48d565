"""Reading one cell's text into a value, exactly (int or Decimal, never float).

Policy for what people write in published tables (documented in the README):

* a number: ASCII or full-width digits (no other digit: "58¹", "①", "٣" are text), thousands separators ("1,234", "1，234"), a sign for
  signed cells ("-7", "+3", "减4", "增3"), a unit suffix ("251000元" is converted to 万元,
  "85637.6331万元") -> ``given``;
* nothing, "/", "／", "—", "–", "-", "无", "空" -> ``blank``: an unknown.  The engine fills
  it where the rules determine it; a blank left undetermined reads as 0 (an info finding);
* "?" or "？" -> ``ask``: the author wants it computed; left undetermined it is a warning;
* anything else -> ``invalid``: an error finding names the cell; it is never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import NamedTuple

from gkreport.cellmarkup import meaning
from gkreport.spec import AMOUNT, COUNT, SIGNED

GIVEN = "given"
BLANK = "blank"
ASK = "ask"
INVALID = "invalid"
DEDUCED = "deduced"  # a value this tool filled in an earlier run (re-read from its own output)
MISSING = "missing"  # the cell is absent from the table as written

BLANK_TEXTS = frozenset({"", "/", "—", "–", "-", "--", "——", "无", "空", "－", "\\"})
ASK_TEXTS = frozenset({"?", "??"})

Number = int | Decimal
AMOUNT_DECIMALS = 4  # an amount in 万元 is written with at most 4 decimals (more is a warning, never an error)


class CellValue(NamedTuple):
    raw: str
    state: str
    value: Number | None = None
    problem: str = ""  # invalid: "text" | "negative" | "fraction" | "ambiguous"; given: "decimals" (an amount written with more than 4)

    @property
    def known(self) -> bool:
        return self.state == GIVEN


_NUMBER = re.compile(r"^([+-]?)([0-9]+(?:,[0-9]{3})*|[0-9]+)(?:\.([0-9]+))?$")
_FULL_WIDTH_DIGITS = frozenset("０１２３４５６７８９")
_SIGN_WORDS = {"增": "+", "减": "-", "增加": "+", "减少": "-"}


@lru_cache(maxsize=65536)
def parse_cell(text: str, kind: str = COUNT) -> CellValue:
    raw = text
    text = meaning(text or "")  # footnote marks, struck text and links: see cellmarkup
    if text is None or _foreign_digit(text):
        return CellValue(raw, INVALID, problem="text")
    text = unicodedata.normalize("NFKC", text).strip()
    text = re.sub(r"\s+", "", text).replace("，", ",")
    if text in BLANK_TEXTS:
        return CellValue(raw, BLANK)
    if text in ASK_TEXTS:
        return CellValue(raw, ASK)
    sign = ""
    for word, symbol in _SIGN_WORDS.items():
        if text.startswith(word):
            sign, text = symbol, text[len(word):]
            break
    scale, allowed = Decimal(1), AMOUNT_DECIMALS
    for unit, factor in (("万元", Decimal(1)), ("元", Decimal("0.0001")), ("件", 1), ("个", 1), ("条", 1), ("项", 1)):
        if text.endswith(unit) and len(text) > len(unit):
            text, scale = text[: -len(unit)], Decimal(factor)
            allowed = 2 if unit == "元" else AMOUNT_DECIMALS  # 元 to the fen
            break
    match = _NUMBER.match(text)
    if not match:
        return CellValue(raw, INVALID, problem="text")
    if sign and match.group(1):
        return CellValue(raw, INVALID, problem="text")
    sign = sign or match.group(1)
    digits, fraction = match.group(2).replace(",", ""), match.group(3)
    try:
        number = Decimal(f"{sign}{digits}.{fraction}" if fraction is not None else f"{sign}{digits}") * scale
    except InvalidOperation:  # pragma: no cover - the regex admits only valid literals
        return CellValue(raw, INVALID, problem="text")
    return _typed(raw, number, kind, len(fraction or "") > allowed)


def _foreign_digit(text: str) -> bool:
    """A digit other than ASCII or full-width: superscript ("58¹" is no 581), subscript, circled,
    Arabic-Indic and other scripts' digits.  NFKC would turn several into ASCII digits."""
    return any(ch.isdigit() and not ch.isascii() and ch not in _FULL_WIDTH_DIGITS for ch in text)


def _typed(raw: str, number: Decimal, kind: str, many_decimals: bool = False) -> CellValue:
    if kind == AMOUNT:
        if number < 0:
            return CellValue(raw, INVALID, number, "negative")
        number = number.normalize() if number == number.to_integral_value() else number
        return CellValue(raw, GIVEN, number, "decimals" if many_decimals else "")
    if number != number.to_integral_value():
        return CellValue(raw, INVALID, number, "fraction")
    integer = int(number)
    if kind != SIGNED and integer < 0:
        return CellValue(raw, INVALID, integer, "negative")
    return CellValue(raw, GIVEN, integer)


_ASKED_DECIMALS = re.compile(r"保留\s*([0-9一二三四五六])\s*位小数")


def asked_decimals(text: str) -> int | None:
    """The decimals a header asks amounts to be written with ("保留4位小数"), or None."""
    match = _ASKED_DECIMALS.search(text)
    if not match:
        return None
    digit = match.group(1)
    return int(digit) if digit.isdigit() else "一二三四五六".index(digit) + 1


def format_number(value: Number | None) -> str:
    """How a value is written back into a table: plain digits, no separators."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)
