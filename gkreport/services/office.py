"""LibreOffice, when it is installed: converting a document to another format with ``soffice --headless``.

``gk fix`` converts ``.doc`` and ``.wps`` files to DOCX through it; the tests render DOCX pages
with it.  Each conversion runs with its own LibreOffice profile (``-env:UserInstallation``), so
it neither waits for nor disturbs a LibreOffice the user has open.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

CONVERT_TIMEOUT = 180  # seconds: the first start of a fresh profile takes a few


class OfficeError(Exception):
    """A conversion that did not produce its file; ``str()`` says why (LibreOffice's own words)."""


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


# Writer's print setting "comments: in margins" (SwPostItMode::InMargins).  LibreOffice 7.4 has no PDF
# export option for it (ExportNotesInMargin came later), but its PDF export follows the print setting.
COMMENTS_IN_MARGIN = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Office.Writer/Print/Content"><prop oor:name="Note" oor:op="fuse"><value>4</value></prop></item>
</oor:items>
"""


def convert(source: str | Path, target: str, outdir: str | Path, profile: str | Path | None = None, comments_in_margin: bool = False) -> Path:
    """Convert ``source`` into ``outdir``; ``target`` is LibreOffice's ``--convert-to`` argument
    ("docx", "pdf", "odt").  ``profile``: a LibreOffice profile folder to use (and keep) instead of a
    fresh one; ``comments_in_margin``: a PDF shows the Word comments in the right margin (a fresh
    profile is used).  Returns the converted file."""
    program = soffice_path()
    if program is None:
        raise OfficeError("LibreOffice (soffice) is not installed")
    source, outdir = Path(source).resolve(), Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gk-office-") as scratch:
        home = Path(profile) if profile is not None and not comments_in_margin else Path(scratch)
        if comments_in_margin:
            (home / "user").mkdir(parents=True, exist_ok=True)
            (home / "user" / "registrymodifications.xcu").write_text(COMMENTS_IN_MARGIN, encoding="utf-8")
        command = [
            program,
            f"-env:UserInstallation={home.resolve().as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            str(source),
        ]
        try:
            done = subprocess.run(command, check=False, capture_output=True, timeout=CONVERT_TIMEOUT, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as exc:
            raise OfficeError(f"LibreOffice did not finish in {CONVERT_TIMEOUT} s") from exc
        except OSError as exc:
            raise OfficeError(exc.strerror or str(exc)) from exc
    produced = outdir / f"{source.stem}.{target.split(':')[0]}"
    if not produced.is_file():
        said = (done.stderr or done.stdout).decode("utf-8", "replace").strip()
        raise OfficeError(said.splitlines()[-1] if said else f"exit status {done.returncode}, no output")
    return produced
