"""Provenance lines: who published, authored or first ran a text. Each is recognised on its own line,
stored in the document's `provenance`, and removed from the text with its reason code.

- "The post X appeared first on Y."  -> publisher Y          (reason `feed-footer`)
- "Authored by A via B"              -> authors [A], via B   (reason `provenance:via`)
- "Via X" / "Source: X"              -> via X                (reason `provenance:via`)
- "By A and B" / "Written by A"      -> authors [A, B]       (reason `byline`)
"""
from __future__ import annotations

import re

from .clean.rules import FEED_FOOTER

_NAME = r"[^\W\d_][\w.'’-]*(?:\s+[^\W\d_][\w.'’-]*){0,4}"
_AUTHORED_VIA = re.compile(r"^(?:Authored|Written|Posted)\s+by\s+(?P<authors>.+?)\s+via\s+(?P<via>.+?)[.,:;]?\s*$", re.I)
_VIA = re.compile(r"^(?:Via|Source)\s*:?\s+(?P<via>[^.!?]{2,60}?)\.?\s*$", re.I)
_BYLINE = re.compile(rf"^(?:By|Written by|Posted by|Authored by|Von|Par|Por|Di|Door)\s*:?\s+(?P<authors>{_NAME}(?:\s*(?:,|and|&|und|et|y|e)\s+{_NAME})*)\s*$")
_SPLIT_NAMES = re.compile(r"\s*(?:,|\band\b|&|\bund\b|\bet\b|\by\b|\be\b)\s*")


def _names(text: str) -> list[str]:
    return [n.strip() for n in _SPLIT_NAMES.split(text) if n.strip()]


def _look_like_names(names: list[str]) -> bool:
    """"Jane Roe", "J. R. Smith": every word capitalised (a sentence "By the end of..." is not)."""
    return bool(names) and all(w[0].isupper() for n in names for w in n.split())


# Every provenance line starts with one of these words (checked first: most lines are not provenance).
_FIRST_WORDS = {"the", "via", "source", "by", "written", "posted", "authored", "von", "par", "por", "di", "door"}


def provenance_line(line: str) -> tuple[str, dict] | None:
    """If `line` is a provenance line: (reason, what it tells); else None."""
    if len(line) > 200 or line.split(None, 1)[0].rstrip(":").lower() not in _FIRST_WORDS:
        return None
    m = FEED_FOOTER.match(line)
    if m:
        return "feed-footer", {"publisher": m.group("publisher").strip()}
    m = _AUTHORED_VIA.match(line)
    if m:
        return "provenance:via", {"authors": _names(m.group("authors")), "via": m.group("via").strip()}
    m = _VIA.match(line)
    if m:
        return "provenance:via", {"via": m.group("via").strip()}
    m = _BYLINE.match(line)
    if m and _look_like_names(_names(m.group("authors"))):
        return "byline", {"authors": _names(m.group("authors"))}
    return None


def candidate_lines(norms: list[str]) -> list[int]:
    """Indices of the lines, given normalised (`hashing.normalize`), whose first word is a provenance
    word: the only ones `provenance_line` needs to read."""
    return [i for i, norm in enumerate(norms) if norm.partition(" ")[0] in _FIRST_WORDS]


def merge(into: dict, found: dict) -> dict:
    """Add what `found` tells to `into`: lists are extended without repeats, the first scalar wins."""
    for key, value in found.items():
        if isinstance(value, list):
            have = into.setdefault(key, [])
            have.extend(v for v in value if v not in have)
        elif value and key not in into:
            into[key] = value
    return into
