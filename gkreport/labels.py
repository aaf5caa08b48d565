"""Lenient matching of the labels people write against the official ones.

``fold`` reduces a label to its letters: Unicode width folded (NFKC), Traditional characters
converted to Simplified (OpenCC), whitespace, quotes, punctuation, numbering ("(一)", "一、",
"1.") and parenthesised annotations removed.  ``LabelIndex`` finds which official entries a
written label may mean: exact folded match, then a redaction-tolerant pattern ("****"
matches anything), then containment (the longest official label inside the text).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from gkreport.spec import official_texts

_NUMBERING = re.compile(r"\([一二三四五六七八九十]{1,3}\)|(?<![一二三四五六七八九十])[一二三四五六七八九十]{1,3}、|\(\d{1,2}\)|\d{1,2}[.、](?!\d)")
_ANNOTATION = re.compile(r"\([^()]*\)")
_DROP = re.compile(r"[\s\"'“”‘’「」『』《》<>〈〉,.:;!?、。·・\-—–_/|()\[\]{}【】]+")


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    folded = _fold_once(text or "")
    if folded.isascii() or not any(unicodedata.combining(ch) for ch in folded):
        return folded
    # Removing spaces can join a combining mark to its letter: fold until nothing changes.
    for _ in range(3):
        again = _fold_once(folded)
        if again == folded:
            break
        folded = again
    return folded


def _fold_once(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("【", "(").replace("】", ")").replace("〔", "(").replace("〕", ")")
    text = re.sub(r"\s+", "", text)
    text = _NUMBERING.sub("", text)
    text = _ANNOTATION.sub("", text)
    text = _DROP.sub("", text)
    return text if _all_simplified(text) else simplified(text)


_simplified_chars: frozenset[str] | None = None


def _all_simplified(text: str) -> bool:
    """True when every character is one the official labels use (no conversion can change it).

    Loading OpenCC costs more than checking a whole report, so it is loaded only for text
    with other characters: Traditional ones, or words that are in no official label.
    """
    global _simplified_chars
    if _simplified_chars is None:
        _simplified_chars = frozenset("".join(official_texts()))
    return all(ch.isascii() or ch in _simplified_chars for ch in text)


_converter = None


@lru_cache(maxsize=8192)
def simplified(text: str) -> str:
    """Traditional -> Simplified Chinese through OpenCC (imported on first use only)."""
    global _converter
    if _converter is None:
        import opencc

        _converter = opencc.OpenCC("t2s")
    return _converter.convert(text)


# Characters that exist only in Traditional writing and are common in these reports; text without
# any of them is taken as Simplified, so prose is not sent through OpenCC for nothing.
_TRADITIONAL = frozenset(
    "請開處複議訴們這個來時國說為與對於會從還當發經業機關資訊報書區縣鄉鎮員門內網統計結轉總辦類與體將應"
    "權無條項數據護權審據讓導規範範圍彙匯準確實際產際節點運營製檢測監決層級務專協調邊際歷屆變層認證館廳"
)


def to_simplified(text: str) -> str:
    """Prose in Simplified characters: converted (OpenCC) only when a Traditional character shows."""
    return simplified(text) if any(ch in _TRADITIONAL for ch in text) else text


class LabelIndex:
    """Maps folded official labels (and aliases) to keys."""

    def __init__(self, entries: list[tuple[str, str]]):
        # entries: (label or alias, key); several labels may share a key
        self.exact: dict[str, set[str]] = {}
        for label, key in entries:
            folded = fold(label)
            if folded:
                self.exact.setdefault(folded, set()).add(key)
        self.by_length = sorted(self.exact, key=len, reverse=True)

    def match(self, text: str, contains: bool = True) -> set[str]:
        """Keys the written label may mean (empty when none; several when ambiguous)."""
        folded = fold(text)
        if not folded:
            return set()
        if folded in self.exact:
            return set(self.exact[folded])
        if "*" in folded:
            return self._match_redacted(folded)
        if contains:
            for label in self.by_length:
                if len(label) >= 2 and label in folded:
                    return set(self.exact[label])
        return set()

    def _match_redacted(self, folded: str) -> set[str]:
        pieces = [re.escape(p) for p in re.split(r"\*+", folded)]
        if sum(len(p) for p in pieces) < 2:
            return set()
        pattern = re.compile(".*".join(pieces))
        found: set[str] = set()
        for label, keys in self.exact.items():
            if pattern.fullmatch(label):
                found |= keys
        if not found:
            for label, keys in self.exact.items():
                if len(label) >= 2 and pattern.search(label):
                    found |= keys
        return found
