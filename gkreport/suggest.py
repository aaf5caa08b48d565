""""Did you mean": the known names closest to an unknown one.

Names are compared folded (``labels.fold``: width, Traditional characters, spaces, punctuation and
numbering removed), by difflib's ratio, so ``部份公开`` finds ``部分公开`` and ``復議`` finds ``复议``.
"""

from __future__ import annotations

import difflib

from gkreport.labels import fold


def closest(name: str, known, limit: int = 3, cutoff: float = 0.5, margin: float = 0.1) -> list[str]:
    """Up to ``limit`` of ``known`` nearest to ``name``, best first: those at least ``cutoff`` alike and
    within ``margin`` of the best (so a clear best match comes alone).  The first spelling of each
    folded name is the one offered."""
    by_folded: dict[str, str] = {}
    for candidate in known:
        by_folded.setdefault(fold(candidate) or candidate, candidate)
    key = fold(name) or name
    if key in by_folded:
        return [by_folded[key]]
    matcher = difflib.SequenceMatcher(b=key)
    scored = []
    for folded in by_folded:
        matcher.set_seq1(folded)
        ratio = matcher.ratio()
        if ratio >= cutoff:
            scored.append((-ratio, folded))
    scored.sort()
    if not scored:
        return []
    best = -scored[0][0]
    return [by_folded[f] for score, f in scored[:limit] if -score >= best - margin]


def argument_hint(message: str, options, lang: str = "zh") -> str:
    """"Did you mean" for an argparse error: an unknown option among ``options``, or a value off its choices."""
    import re

    from gkreport.findings import did_you_mean

    names: list[str] = []
    unknown = re.search(r"unrecognized arguments: (.*)", message)
    if unknown:
        for word in unknown.group(1).split():
            if word.startswith("-"):
                names += closest(word, options)
    choice = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
    if choice:
        names += closest(choice.group(1), re.findall(r"'([^']*)'", choice.group(2)))
    return did_you_mean(names, lang)
