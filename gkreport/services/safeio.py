"""Writing an output without harming an input or the file already there.

``check_output(output, inputs, folders)`` refuses an output that is one of the inputs (the same
file after resolving links: a symlink named as the output counts as the file it points to) or
that lies inside a folder being read (``gk audit`` would audit its own findings).

``atomic_output(target)`` gives a temporary path in the target's own folder; the caller (or
pandoc, or typst) writes there, and only when the block ends without an exception is the file
renamed over the target (``os.replace``: one step, so a reader, or a concurrent writer, sees the
old file or the new one, never half of one).  On a failure the temporary file is removed and
the target is left as it was.  A target that is a symlink is written through: the file it points
to is replaced, the link stays.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_MESSAGES = {
    "is-input": ("输出文件 {output} 就是输入文件 {input}，已拒绝写入（会毁掉输入）", "the output {output} is the input {input}: refused (it would destroy the input)"),
    "inside-input": (
        "输出文件 {output} 位于被检查的目录 {input} 之内，已拒绝写入（会检查到自己的输出）",
        "the output {output} is inside the folder being read, {input}: refused (the run would read its own output)",
    ),
    "is-directory": ("输出路径 {output} 是一个目录", "the output {output} is a folder"),
    "write-failed": ("无法写入 {output}：{reason}", "cannot write {output}: {reason}"),
}


class OutputError(Exception):
    """An output refused or not written; ``message(lang)`` says why."""

    def __init__(self, kind: str, output: str | Path, input: str | Path = "", reason: str = ""):
        self.kind, self.output, self.input, self.reason = kind, str(output), str(input), reason
        super().__init__(self.message("zh"))

    def message(self, lang: str = "zh") -> str:
        zh, en = _MESSAGES[self.kind]
        return (en if lang == "en" else zh).format(output=self.output, input=self.input, reason=self.reason)


def _real(path: str | Path) -> Path:
    return Path(os.path.realpath(os.path.abspath(path)))


def _same(a: str | Path, b: str | Path) -> bool:
    try:
        return os.path.samefile(a, b)  # hard links too
    except OSError:
        return _real(a) == _real(b)


def check_output(output: str | Path, inputs=(), folders=()) -> None:
    """Raise ``OutputError`` when writing ``output`` would overwrite an input or land in a folder being read."""
    if Path(output).is_dir():
        raise OutputError("is-directory", output)
    for name in inputs:
        if _same(output, name):
            raise OutputError("is-input", output, name)
    real = _real(output)
    for folder in folders:
        if real.is_relative_to(_real(folder)):
            raise OutputError("inside-input", output, folder)


def _mode_for(target: Path) -> int:
    """The target's permissions if it exists, else what a plain ``open`` would give (umask)."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


@contextmanager
def atomic_output(target: str | Path) -> Iterator[Path]:
    """A temporary path beside ``target``; renamed over it when the block succeeds.

    A failure of our own (an ``OSError`` while writing or renaming) becomes ``OutputError``;
    any other exception passes through after the temporary file is removed.
    """
    target = _real(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # the target's extension last: pandoc and typst choose the format by it
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f".part{target.suffix}", dir=target.parent)
        os.close(handle)
    except OSError as exc:
        raise OutputError("write-failed", target, reason=exc.strerror or str(exc)) from exc
    temp = Path(name)
    try:
        yield temp
        os.chmod(temp, _mode_for(target))
        os.replace(temp, target)
    except OSError as exc:
        _remove(temp)
        raise OutputError("write-failed", target, reason=exc.strerror or str(exc)) from exc
    except BaseException:
        _remove(temp)
        raise


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def write_text(target: str | Path, text: str) -> None:
    """``text`` in UTF-8 at ``target``, atomically."""
    with atomic_output(target) as temp, open(temp, "w", encoding="utf-8", newline="") as stream:
        stream.write(text)
        stream.flush()
        os.fsync(stream.fileno())
