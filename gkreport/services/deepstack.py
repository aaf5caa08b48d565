"""Running a function on a thread with a deep stack, for deeply nested documents.

panflute loads, walks and dumps a document recursively, and Python's JSON decoder recurses too:
a quotation nested in a quotation a few hundred times (pandoc reads and writes thousands) exceeds
Python's default recursion limit of 1000.  ``run_deep`` runs the same code on a thread whose
stack is large enough for ``RECURSION_LIMIT`` frames; callers try the ordinary way first and
come here only after a ``RecursionError``, so a normal document pays nothing.
"""

from __future__ import annotations

import sys

RECURSION_LIMIT = 30_000  # frames; about 7,000 levels of nested quotations
STACK_BYTES = 256 * 1024 * 1024  # reserved address space, touched only as deep as the stack goes


def run_deep(function, *args):
    """``function(*args)`` on a thread with a large stack and a high recursion limit; its result or exception."""
    import threading

    outcome: dict = {}

    def target() -> None:
        try:
            outcome["value"] = function(*args)
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller's thread
            outcome["error"] = exc

    previous_size = threading.stack_size(STACK_BYTES)
    previous_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous_limit, RECURSION_LIMIT))
    try:
        thread = threading.Thread(target=target, name="gkreport-deep")
        thread.start()
        thread.join()
    finally:
        threading.stack_size(previous_size)
        sys.setrecursionlimit(previous_limit)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
