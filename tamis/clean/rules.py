"""Line rules: evidence from the line itself. Each rule is a small named function that returns a reason
code (the line is boilerplate) or None. `line_reason` runs them in order; the first that fires wins.

The lines that motivated each rule are in tests/test_rules.py."""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from ..hashing import normalize

# A `contains` phrase only condemns a short line: an article sentence that mentions "privacy policy"
# in passing is content.
CONTAINS_MAX_WORDS = 30

# `@media(max-width: 600px) {.adace_adsense_5a2 {display:block !important;}}`, `.x { color: red }`
_CSS = re.compile(
    r"^\s*(@media|@import|@font-face|@keyframes|@charset)\b"
    r"|^[\s\S]{0,200}\{[^{}]*\b[\w-]+\s*:\s*[^;{}]+;?[^{}]*\}\s*\}?\s*$"
)
# `(adsbygoogle = window.adsbygoogle || []).push({});`, `var _gaq = _gaq || [];`, `});`
_SCRIPT = re.compile(
    r"(\bwindow\.\w+|\bdocument\.(write|getElement|createElement|querySelector)|\bfunction\s*\(|=>\s*\{"
    r"|\.push\(\{|\bvar\s+\w+\s*=|\bconst\s+\w+\s*=|googletag\.|__\w+__\s*=)"
    r"|^[\s});\]]+$"
)
# "Lea también: <another story's title>", "READ MORE | <title>": a label, then a colon or a bar.
_LABEL = re.compile(r"^\W*([^:|»]{2,40}?)\s*[:|»]")
_DIGIT = re.compile(r"\d")
_CODE_CHARS = re.compile(r"[{};=<>()\[\]|&$]")
# "2,933 Views", "12 Comments", "0 Shares", "5 min read": a count and a unit word, nothing else.
_COUNTER = re.compile(r"^[+-]?\d[\d,.\s]*[kKmM]?\s*(\w+\s*){1,2}$|^(\w+\s*){1,2}[:(]?\s*\d[\d,.]*\s*\)?$")
# "The post <title> appeared first on <site>." (WordPress feed footer)
FEED_FOOTER = re.compile(r"^The post (?P<title>.+?) appeared first on (?P<publisher>.+?)\.?\s*$")


def code_residue(line: str) -> str | None:
    """CSS rules and JavaScript left in the text by a feed or a careless flattener."""
    if ("{" in line or "@" in line) and _CSS.search(line):
        return "css"
    if ("(" in line or "=" in line or "}" in line) and _SCRIPT.search(line):
        # A sentence may say "window.open" in passing; code is dense in brackets and operators.
        density = len(_CODE_CHARS.findall(line)) / max(len(line), 1)
        if density > 0.04 or len(line) < 40:
            return "script"
    return None


def feed_footer(line: str) -> str | None:
    """WordPress' "The post X appeared first on Y." (the publisher goes to provenance)."""
    return "feed-footer" if FEED_FOOTER.match(line) else None


def counter(line: str) -> str | None:
    """Counters: "2,933 Views", "12 Comments", "Shares: 40"."""
    if len(line) <= 40 and _DIGIT.search(line) and _COUNTER.match(line):
        words = re.findall(r"[^\W\d_]+", line)
        # "Chapter 3", "Step 2", "Top 10" are headings, not counters: a counter's unit is a plural or
        # a known unit; keep it simple and generic: a lower-case or plural unit word.
        if words and (words[-1].endswith("s") or words[-1].islower() or len(words) == 2):
            return "counter"
    return None


@lru_cache(maxsize=1)
def lexicon() -> tuple[dict[str, str], dict[str, list[tuple[tuple[str, ...], str]]], dict[str, str]]:
    """Every language's phrases: ({whole line: category}, {first word: [(phrase words, category)]},
    {label before a colon: category}).

    Contained phrases are indexed by their first word: a line is then checked with one dictionary
    look-up per word, where a regex alternation of every phrase cost ten times more per line."""
    whole: dict[str, str] = {}
    contains: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    prefix: dict[str, str] = {}
    folder = resources.files("tamis.clean") / "lexicon"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".tsv"):
            continue
        for row in entry.read_text(encoding="utf-8").splitlines():
            parts = row.split("\t")
            if len(parts) != 3:
                continue
            match, category, phrase = parts
            words = tuple(normalize(phrase).split())
            if not words:
                continue
            if match == "line":
                whole.setdefault(" ".join(words), category)
            elif match == "prefix":
                prefix.setdefault(" ".join(words), category)
            elif match == "contains":
                entries = contains.setdefault(words[0], [])
                if all(w != words for w, _ in entries):
                    entries.append((words, category))
    return whole, contains, prefix


def lexicon_phrase(line: str, norm: str | None = None) -> str | None:
    """A boilerplate phrase from the lexicon: the whole line ("Privacy Policy", "Impressum") or, in a
    short line, a phrase inside it ("Liked it? Take a second to support X on Patreon!")."""
    norm = normalize(line) if norm is None else norm
    whole, contains, prefix = lexicon()
    category = whole.get(norm)
    if category:
        return f"boilerplate:{category}"
    label = _LABEL.match(line)
    if label:
        category = prefix.get(normalize(label.group(1)))
        if category:
            return f"boilerplate:{category}"
    words = norm.split()
    if len(words) <= CONTAINS_MAX_WORDS:
        for i, word in enumerate(words):
            for phrase, category in contains.get(word, ()):
                if tuple(words[i:i + len(phrase)]) == phrase:
                    return f"boilerplate:{category}"
    return None


def line_reason(line: str, norm: str | None = None) -> str | None:
    """The first line rule that fires, or None."""
    return code_residue(line) or feed_footer(line) or counter(line) or lexicon_phrase(line, norm)
