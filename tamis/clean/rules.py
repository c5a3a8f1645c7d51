"""Line rules: evidence from the line itself, each returning a reason code (the line is boilerplate) or
None. In order of precedence: code residue (`css`, `script`), the feed footer, counters, and the
lexicon's boilerplate phrases (whole line, "label:" prefix, phrase contained in a short line, a long
line dense in cookie-banner terms).
`page_reasons` runs them over a page at once; `line_reason` is the same for one line.

The lines that motivated each rule are in tests/test_rules.py."""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from itertools import compress

import numpy as np

from ..hashing import normalize
from ..native import core
from .features import _char_counts

# A `contains` phrase only condemns a short line: an article sentence that mentions "privacy policy"
# in passing is content.
CONTAINS_MAX_WORDS = 30

# `@media(max-width: 600px) {.adace_adsense_5a2 {display:block !important;}}`, `.x { color: red }`
# The first "property: value" is taken atomically and the rest possessively: written with plain
# quantifiers, a long line with a "{" and many colons but no "}" (a cut-off JSON blob) backtracked
# cubically, and 100 KB of it held the cleaner for hours.
_CSS = re.compile(
    r"^\s*(@media|@import|@font-face|@keyframes|@charset)\b"
    r"|^[\s\S]{0,200}?\{(?>[^{}]*?\b[\w-]+\s*:\s*[^;{}]+)[^{}]*+\}\s*\}?\s*$"
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
# "2,933 Views", "12 Comments", "0 Shares", "5 min read": a count and a unit word, nothing else. The one to
# three words are written \w+(?:\s+\w+){0,2}\s*, not (\w+\s*){1,3}: the same strings (a start in \w,
# then \w and \s with at most three runs of \w), without trying every way to cut a word in three
# (20 µs for "November 19, 2019"; 2% of a run).
_COUNTER = re.compile(r"^[+-]?\d[\d,.\s]*[kKmM]?\s*\w+(?:\s+\w+){0,2}\s*$"
                      r"|^\w+(?:\s+\w+){0,2}\s*[:(]?\s*\d[\d,.]*\s*\)?$")
# "The post <title> appeared first on <site>." (WordPress feed footer)
FEED_FOOTER = re.compile(r"^The post (?P<title>.+?) appeared first on (?P<publisher>.+?)\.?\s*$")


SCRIPT_DENSITY = 0.04  # a script line: this share of code characters ({};=<>()[]|&$) ...
SCRIPT_SHORT = 40      # ... or shorter than this


def feed_footer(line: str) -> str | None:
    """WordPress' "The post X appeared first on Y." (the publisher goes to provenance)."""
    return "feed-footer" if FEED_FOOTER.match(line) else None


def counter(line: str, norm: str | None = None) -> str | None:
    """Counters: "2,933 Views", "Shares: 40", "5 min read", "10h ago": a count and a unit that the
    lexicon lists (`unit` rows). A unit list, not the shape of the words: "200 g Zucker", "390 kcal"
    (a recipe) and "Judith C(157)" (a forum author and her posts) have the shape of a counter. `norm`
    is the line normalised (hashing.normalize), if the caller has it."""
    if len(line) <= COUNTER_MAX_CHARS and _DIGIT.search(line) and _COUNTER.match(line):
        # The line's words without their digits: "2,933 Views" -> "views", "10h ago" -> "h ago".
        norm = normalize(line) if norm is None else norm
        unit = " ".join(filter(None, (w.strip("0123456789") for w in norm.split())))
        if unit in lexicon()[3]:
            return "counter"
    return None


@lru_cache(maxsize=1)
def lexicon() -> tuple[dict[str, str], dict[str, list[tuple[tuple[str, ...], str]]], dict[str, str], set[str],
                       dict[str, list[tuple[tuple[str, ...], str]]]]:
    """Every language's phrases: ({whole line: category}, {first word: [(phrase words, category)]},
    {label before a colon: category}, {unit of a counter}, {first word: [(term words, category)]}).

    Contained phrases are indexed by their first word: a line is then checked with one dictionary
    look-up per word, where a regex alternation of every phrase cost ten times more per line."""
    whole: dict[str, str] = {}
    contains: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    prefix: dict[str, str] = {}
    units: set[str] = set()
    terms: dict[str, list[tuple[tuple[str, ...], str]]] = {}
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
            elif match == "unit":
                units.add(" ".join(words))
            elif match in ("contains", "term"):
                entries = (contains if match == "contains" else terms).setdefault(words[0], [])
                if all(w != words for w, _ in entries):
                    entries.append((words, category))
    return whole, contains, prefix, units, terms


def line_reason(line: str, norm: str | None = None) -> str | None:
    """The first line rule that fires, or None."""
    return page_reasons([line], [normalize(line) if norm is None else norm])[0]


# Gates: a rule's regex runs only on the lines whose character counts (features._char_counts, one
# pass over the page in C) say it could match. Cleaning decides on every line of every page, and
# most lines are prose that no rule condemns: before the gates, trying each rule on each line was
# a third of the cleaner's time.
COUNTER_MAX_CHARS = 40
LABEL_MAX_AT = 120
# Where a line starts with "The post ": found with str.find on "\n" + the words. The regex
# `^The post ` with re.M has no literal to skip ahead with and tried every character of every page.
FEED_START = "The post "


def _line_starts(joined: str, head: str) -> list[int]:
    """Positions in `joined` where a line (after a newline, or at 0) starts with `head`."""
    found = [0] if joined.startswith(head) else []
    at = joined.find("\n" + head)
    while at >= 0:
        found.append(at + 1)
        at = joined.find("\n" + head, at + 1)
    return found


def page_reasons(texts: list[str], norms: list[str], counts: dict | None = None) -> list[str | None]:
    """`line_reason` of every line of a page: `norms` are the lines normalised (hashing.normalize),
    `counts` the page's character counts if already computed."""
    counts = counts if counts is not None else _char_counts(texts)
    n = len(texts)
    whole, contains, prefix, _, terms = lexicon()
    first_words = contains.keys()
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    reasons: list[str | None] = [None] * n

    # Lowest precedence first: a rule that ranks higher overwrites.
    short = (counts["words"] <= CONTAINS_MAX_WORDS).nonzero()[0].tolist()
    if short and core is not None:  # the lines holding a word of a phrase, found in C
        hits = core.word_hits([norms[i] for i in short], _gate_words())
        short = list(compress(short, np.frombuffer(hits, dtype=np.float32).tolist()))
    for i in short:
        words = norms[i].split()
        if len(words) <= CONTAINS_MAX_WORDS and not first_words.isdisjoint(words):
            reasons[i] = _contained_phrase(words, contains)
    long = (counts["words"] >= CONSENT_MIN_WORDS).nonzero()[0].tolist()
    # Most pages name no cookie, and a page that does names it on few lines: the lines are found
    # from where each cookie term occurs in the long lines joined, not by a search of every line.
    for k in _lines_holding(norms, long, _consent_anchors()):
        i = long[k]
        reasons[i] = consent(norms[i].split(), terms) or reasons[i]
    # "Home | About | Contact", "Kommentare geschlossen | Trackback-URL": a row of the site's links.
    rows = (counts["separators"] > 0) & (counts["words"] <= CONTAINS_MAX_WORDS)
    for i in rows.nonzero()[0].tolist():
        reasons[i] = link_row(texts[i], whole) or reasons[i]
    label_at = counts["label_at"]
    for i in ((label_at >= 2) & (label_at <= LABEL_MAX_AT)).nonzero()[0].tolist():
        label = _LABEL.match(texts[i])
        category = label and prefix.get(normalize(label.group(1)))
        if category:
            reasons[i] = f"boilerplate:{category}"
    for i, category in enumerate(map(whole.get, norms)):
        if category:
            reasons[i] = f"boilerplate:{category}"
    for i in ((lengths <= COUNTER_MAX_CHARS) & (counts["digit"] > 0)).nonzero()[0].tolist():
        reasons[i] = counter(texts[i], norms[i]) or reasons[i]
    if n:
        starts = counts["starts"]
        for pos in _line_starts(counts["joined"], FEED_START):
            i = int(np.searchsorted(starts, pos, side="right")) - 1
            reasons[i] = feed_footer(texts[i]) or reasons[i]
    # A sentence may say "window.open" in passing; code is dense in brackets and operators.
    dense = (counts["code"] / np.maximum(lengths, 1) > SCRIPT_DENSITY) | (lengths < SCRIPT_SHORT)
    for i in ((counts["script_marks"] > 0) & dense).nonzero()[0].tolist():
        if _SCRIPT.search(texts[i]):
            reasons[i] = "script"
    for i in (counts["css_marks"] > 0).nonzero()[0].tolist():
        if _CSS.search(texts[i]):
            reasons[i] = "css"
    return reasons


_ROW_SEPARATORS = re.compile(r"\s*[|»›•·]\s*")
ROW_PART_WORDS = 5  # a part of a link row is this short ...
ROW_HITS = 0.5      # ... and this share of the parts at least are lexicon entries of their own


def link_row(line: str, whole: dict[str, str]) -> str | None:
    """A line of short parts between separators, half of them or more boilerplate entries of the
    lexicon: the site's menu or a post's footer links, whatever the other parts say."""
    parts = [normalize(part) for part in _ROW_SEPARATORS.split(line)]
    parts = [part for part in parts if part]
    if len(parts) < 2 or any(part.count(" ") >= ROW_PART_WORDS for part in parts):
        return None
    hits = [whole[part] for part in parts if part in whole]
    if len(hits) < ROW_HITS * len(parts):
        return None
    return f"boilerplate:{max(hits, key=hits.count)}"  # a tie goes to the first part, not to set order


# A cookie banner's paragraph: "We and our 389 partners store and access personal data, like browsing
# data or unique identifiers, on your device... cookies". Too long for a `contains` phrase (an article
# may mention "privacy policy" in passing), so the evidence is density: several consent terms of the
# lexicon (`term` rows: "consent", "personal data", "Einwilligung", "consentement") beside a cookie
# (category `cookie`): a text about privacy rarely names cookies, a tutorial about cookies rarely
# asks for consent.
CONSENT_MIN_WORDS = 12
CONSENT_TERMS = 2            # consent terms besides the cookie ...
CONSENT_WORDS_PER_TERM = 20  # ... and one at least every this many words: a banner is dense in them; a
                             # whole page on one line (an article, then the site's cookie policy) is not


def consent(words: list[str], terms: dict) -> str | None:
    """Rule `boilerplate:consent` on a line's normalised words."""
    hits: list[str] = []
    for i, word in enumerate(words):
        for term, category in terms.get(word, ()):
            if tuple(words[i:i + len(term)]) == term:
                hits.append(category)
                break
    consents = len(hits) - hits.count("cookie")
    if "cookie" in hits and consents >= CONSENT_TERMS and len(words) <= CONSENT_WORDS_PER_TERM * consents:
        return "boilerplate:consent"
    return None


@lru_cache(maxsize=1)
def _gate_words() -> set[str]:
    """One word of each `contains` phrase, its longest: a line that holds the phrase holds that word.
    The gate passes 18,756 of 155,108 short lines of aeb-dev's captures, where each phrase's first
    word ("on", "your", "more") passed 43,884, each to be looked at word by word in Python.
    A normalised line's words are runs of \\w between spaces: `core.word_hits` finds them as
    `str.split` does (it lower-cases them, which leaves a normalised word as it is), so it passes
    every line that holds a gate word and no other."""
    return {max(words, key=len) for entries in lexicon()[1].values() for words, _ in entries}


def _lines_holding(norms: list[str], rows: list[int], needles: tuple[str, ...]) -> list[int]:
    """The positions k, in order, of the lines `norms[rows[k]]` that contain one of `needles` (no
    needle holds a line break)."""
    joined = "\n".join([norms[i] for i in rows])
    at: set[int] = set()
    for needle in needles:
        pos = joined.find(needle)
        while pos >= 0:
            at.add(pos)
            pos = joined.find(needle, pos + 1)
    if not at:
        return []
    ends = np.cumsum([len(norms[i]) + 1 for i in rows])  # where each line's break falls, + 1
    return sorted(set(np.searchsorted(ends, sorted(at), side="right").tolist()))


@lru_cache(maxsize=1)
def _consent_anchors() -> tuple[str, ...]:
    """The cookie terms, as substrings: a line that holds none needs no word-by-word look."""
    return tuple(sorted({" ".join(term) for entries in lexicon()[4].values()
                         for term, category in entries if category == "cookie"}))


def _contained_phrase(words: list[str], contains: dict) -> str | None:
    for i, word in enumerate(words):
        for phrase, category in contains.get(word, ()):
            if tuple(words[i:i + len(phrase)]) == phrase:
                return f"boilerplate:{category}"
    return None
