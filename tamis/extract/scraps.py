"""Rule `no-content`: what is left of a page after extraction is a few words and not one sentence.

A shop's sold-out item ("Sold Out"), a category page rendered by script (its sort menu: "Sort:
Relevance / Top sales / Price: low to high"), a page reduced to its heading: such scraps are no
document, and a corpus is better without them than with a record that reads like a menu. The page is
kept as a removal with its reason, so the run still accounts for it. A short text that holds a
sentence (a one-line notice, a CJK paragraph, whose words are not split by spaces) stays. Measured on
wcxb-dev, whose annotators leave such pages empty: 4 pages changed, 2 of them from F1 0 to 1.
"""
from __future__ import annotations

import re

SCRAPS_WORDS = 10     # fewer words than this ...
SCRAPS_CHARS = 80     # ... and fewer characters than this ...
_SENTENCE_END = re.compile(r"[.!?…。！？]['\"’”)\]]*$")   # ... and no line ends as a sentence


def scraps(lines: list[str]) -> bool:
    """The lines are a few words that make no sentence."""
    size = 0
    for t in lines:     # a page's text is long: stop at SCRAPS_CHARS rather than count it all
        size += len(t)
        if size >= SCRAPS_CHARS:
            return False
    if sum(len(t.split()) for t in lines) >= SCRAPS_WORDS:
        return False
    return not any(_SENTENCE_END.search(t.rstrip()) for t in lines)
