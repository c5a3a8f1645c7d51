"""The document model that flows through every stage.

A `Document` is one input record (or one article split out of it). A `Span` is a removed stretch of the
input text with a stable reason code, so that every output can be explained. A `Result` is what the
public API (`clean_text`, `extract_html`) returns for one input.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import NamedTuple


class Span(NamedTuple):
    """A removed stretch `text[start:end]` of the input, with the reason it was removed. Immutable, as
    the frozen dataclass it was, and made in half its time (0.25 against 0.53 µs; `spans_of`: 0.11): a
    page's every removed line is one, and their making was 1.6% of a run."""

    start: int
    end: int
    reason: str
    text: str = ""

    # A span's (start, end), the order spans are listed in: a sort key read in C, not a call per span.
    bounds = staticmethod(itemgetter(0, 1))

    def as_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "reason": self.reason, "text": self.text}


_new_tuple = tuple.__new__


def spans_of(rows: Iterable[tuple[int, int, str, str]]) -> list[Span]:
    """The spans of (start, end, reason, text) rows: what `Span(*row)` makes, without the Python call
    its __new__ is (a page's every removed line is a span)."""
    return [_new_tuple(Span, row) for row in rows]


@dataclass(slots=True)
class Article:
    """One article found in a page: the main one or a secondary one glued after it."""

    text: str
    title: str | None = None
    role: str = "main"
    provenance: dict = field(default_factory=dict)
    # `hashing.normalize(text)`, when the cleaner had it at hand (it normalises every line to decide):
    # dedup signs it instead of normalising the text once more.
    normalized: str | None = field(default=None, repr=False, compare=False)


@dataclass(slots=True)
class Result:
    """What `clean_text` and `extract_html` return: `.text`/`.title` of the main article, all
    `.articles` (main first), the `.removed` spans with reasons, and `.meta` (page type, language...)."""

    articles: list[Article]
    removed: list[Span]
    meta: dict = field(default_factory=dict)
    # `hashing.normalize` of the whole input text, when the cleaner had it at hand (as `Article.normalized`).
    source_normalized: str | None = field(default=None, repr=False, compare=False)

    @property
    def main(self) -> Article | None:
        return self.articles[0] if self.articles else None

    @property
    def text(self) -> str:
        return self.articles[0].text if self.articles else ""

    @property
    def title(self) -> str | None:
        return self.articles[0].title if self.articles else None

    @property
    def provenance(self) -> dict:
        return self.articles[0].provenance if self.articles else {}


@dataclass(slots=True)
class Document:
    """One input record as read: `id`, raw `text` (or `html`), and what is known of it."""

    id: str
    text: str = ""
    html: str | None = None
    url: str | None = None
    title: str | None = None
    meta: dict = field(default_factory=dict)

    @property
    def site(self) -> str | None:
        return site_of(self.url)


def site_of(url: str | None) -> str | None:
    """The host of a url without a leading `www.`, the key under which site templates are learned."""
    if not url:
        return None
    rest = url.split("://", 1)[-1]
    host = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].split("@")[-1].split(":")[0].lower()
    return host[4:] if host.startswith("www.") else (host or None)
