"""A generated report: its format and form, the true values, the style it is written in, and
the text written (``Out``, with where each keyed piece of it stands)."""

from __future__ import annotations

from dataclasses import dataclass, field

from gkreport.testing.prose import Words
from gkreport.testing.tables import WrittenTable
from gkreport.testing.variants import Style


@dataclass
class Report:
    format: str
    form: str
    truth: dict  # table -> {cell: true value}
    style: Style
    words: Words
    tables: dict[str, WrittenTable]
    seed: int  # the writer's own choices (blank lines, spaces, page geometry) hang on it
    body: str = ""
    offsets: dict = field(default_factory=dict)

    @property
    def year(self) -> int:
        return self.words.year

    @property
    def org(self) -> str:
        return self.words.org

    def text(self) -> str:
        return self.body


class Out:
    """Text being written, with where each keyed piece stands."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.offsets: dict = {}
        self.length = 0

    def add(self, text: str, key=None) -> None:
        if key is not None:
            self.offsets.setdefault(key, (self.length, self.length + len(text)))
        self.parts.append(text)
        self.length += len(text)

    def text(self) -> str:
        return "".join(self.parts)
