"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds: each item or entry becomes a document with its HTML content."""
from __future__ import annotations

import html as html_lib
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from tamis.document import Document
from tamis.io.decode import decode_bytes
from tamis.io.streams import read_all
from tamis.io.unreadable import Unreadable

ITEM_TAG = {"rss": "{*}item", "RDF": "{*}item", "feed": "{*}entry"}
# RSS 2.0 (no namespace), RSS 1.0 and Atom; other namespaces (media:content, media:description) are not content
FEED_SPACES = ("", "{http://purl.org/rss/1.0/}", "{http://www.w3.org/2005/Atom}")
CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_DATE = "{http://purl.org/dc/elements/1.1/}date"
RDF_ABOUT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"


def _tags(*names: str) -> tuple[str, ...]:
    return tuple(space + name for name in names for space in FEED_SPACES)


# Most complete first: RSS content:encoded, Atom content, RSS description, Atom summary.
CONTENT_TAGS = (CONTENT_ENCODED, *_tags("content", "description", "summary"))
ID_TAGS = _tags("guid", "id")
TITLE_TAGS = _tags("title")
LINK_TAGS = _tags("link")
DATE_TAGS = (*_tags("pubDate", "published", "updated"), DC_DATE)


def read_feed(path: Path, stem: str, compression: str = "") -> Iterator[Document | Unreadable]:
    text = decode_bytes(read_all(path, compression), html=True)  # reads the XML declaration's encoding
    root = _parse(text)
    if root is None:
        yield Unreadable(stem, "bad-xml", "no XML element could be parsed")
        return
    kind = etree.QName(root).localname
    if kind not in ITEM_TAG:
        yield Unreadable(stem, "not-a-feed", f"root element <{kind}>", status="skipped")
        return
    for number, item in enumerate(root.iter(ITEM_TAG[kind]), 1):
        yield _item_document(item, f"{stem}:{number}")


def _parse(text: str):
    # no entities resolved, no network: a feed is untrusted input (XXE, billion laughs)
    parser = etree.XMLParser(encoding="utf-8", recover=True, resolve_entities=False, no_network=True)
    try:
        return etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError:
        return None


def _item_document(item, fallback_id: str) -> Document | Unreadable:
    doc_id = _first_text(item, ID_TAGS) or item.get(RDF_ABOUT) or fallback_id
    content = next((markup for tag in CONTENT_TAGS if (markup := _markup(item.find(tag)))), "")
    if not content:
        return Unreadable(doc_id, "no-text", "item without content, description or summary")
    published = _first_text(item, DATE_TAGS)
    return Document(doc_id, html=content, url=_link(item), title=_first_text(item, TITLE_TAGS),
                    meta={"published": published} if published else {})


def _markup(element) -> str:
    """An element's content as HTML: escaped HTML is unescaped by the parser, inline XHTML serialised,
    and Atom `type="text"` escaped so that it stays text."""
    if element is None:
        return ""
    if len(element):
        inner = (element.text or "") + "".join(etree.tostring(child, encoding=str) for child in element)
        return inner.strip()
    text = (element.text or "").strip()
    return html_lib.escape(text, quote=False) if element.get("type") == "text" else text


def _first_text(item, tags: tuple[str, ...]) -> str | None:
    for tag in tags:
        element = item.find(tag)
        if element is not None and element.text and element.text.strip():
            return element.text.strip()
    return None


def _link(item) -> str | None:
    """RSS `<link>url</link>`, or Atom `<link rel="alternate" href="url"/>` (no rel means alternate)."""
    for link in (link for tag in LINK_TAGS for link in item.findall(tag)):
        href = link.get("href")
        if href and link.get("rel", "alternate") == "alternate":
            return href.strip()
        if link.text and link.text.strip():
            return link.text.strip()
    return None
