"""Remake ``examples/clerk-report.docx`` and ``docs/gk-fix-page.png``.

The example is the official template (../shared/domain/reports/official-template-2021.docx) filled
as a clerk fills it: the 总计 of row 一, the (七)总计 row and the totals of table 四 left blank,
one figure of table 三 mistyped (44 for 34).  The picture is page 2 of ``gk fix``'s copy of it as
LibreOffice prints it, the comments in the margin.  Needs the shared reports and LibreOffice.

Usage: python docs/make_fix_example.py
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
from pathlib import Path

import docx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from docxfill import fill_template  # noqa: E402
from tablegen import consistent_active, consistent_appeals, consistent_requests  # noqa: E402

from gkreport.services.fix import fix  # noqa: E402
from gkreport.services.office import convert  # noqa: E402

COLUMNS = ("natural", "business", "research", "nonprofit", "legal", "other_org", "total")
WRONG = ("withheld_internal", "natural")


def main() -> None:
    rng = random.Random(2024)
    requests = consistent_requests(rng)
    while requests[WRONG] != 34:  # a figure whose typo reads naturally
        requests = consistent_requests(rng)
    truth = {"active": consistent_active(rng), "requests": requests, "appeals": consistent_appeals(rng)}
    blank = {("requests", ("handled_total", c)) for c in COLUMNS} | {("requests", ("new", "total"))}
    blank |= {("appeals", ("cases", f"{group}_total")) for group in ("reconsideration", "direct_suit", "suit_after")}
    example = ROOT / "examples" / "clerk-report.docx"
    fill_template(example, truth, blank=blank, written={("requests", WRONG): "44"})
    document = docx.Document(str(example))
    document.core_properties.author = document.core_properties.last_modified_by = "XX区XX局"  # not the template's author
    document.save(str(example))
    with tempfile.TemporaryDirectory() as work:
        fixed = fix(example, Path(work) / "clerk-report.checked.docx")
        pdf = convert(fixed.output, "pdf", work, comments_in_margin=True)
        page = Path(work) / "page"
        crop = ["-x", "40", "-y", "280", "-W", "820", "-H", "770"]  # table 三 and the margin, at 110 dpi
        subprocess.run(["pdftoppm", "-r", "110", "-f", "2", "-l", "2", *crop, "-png", "-singlefile", str(pdf), str(page)], check=True)
        (ROOT / "docs" / "gk-fix-page.png").write_bytes(page.with_suffix(".png").read_bytes())
    print(fixed.summary())


if __name__ == "__main__":
    main()
