"""What a shop's product page says about itself in its metadata, for the locator.

A product page names itself: schema.org `Product` data (JSON-LD or microdata) or `og:type=product`.
On such a page customer reviews are the buyers' comments, not the product's content (rule `review` in
`locate.py`); elsewhere (a service page's testimonials, a film review) a `review` box is content.

It also describes the product in that data (`"description"`) and shows the same text on the page,
beside a buy box, bundles, testimonials and product grids that often outweigh it. The block that
shows the described text is an anchor: the locator prefers the elements that hold it (rule `anchor`).
"""
from __future__ import annotations

import html
import re

from .metadata import Marked, has_type, marked_elements
from .switches import ON
from .walk import Page

PREFIX = 60           # characters of a description matched against the blocks' text
MIN_DESCRIPTION = 40  # shorter descriptions ("Black, size M") would match anywhere
MIN_BLOCK = 20        # a block this long that a description starts with shows it (a tagline)
_TAG = re.compile(r"<[^>]+>")
_PRODUCT_TYPES = frozenset({"Product", "ProductGroup", "IndividualProduct", "ProductModel"})
# Rule `rating-only`: the properties that say a Product object describes a thing sold (a price, its
# variants, a stock or manufacturer's number, a brand). One with none of them, only a name, a
# description and a star rating (`aggregateRating`, `review`), is the rating snippet a service firm
# or a blog adds for search results: its page is no shop's product page.
_SOLD = ("offers", "hasvariant", "sku", "mpn", "gtin", "productid", "brand", "manufacturer")


def _is_product(obj: dict) -> bool:
    """A JSON-LD object whose @type is a product type."""
    return has_type(obj, _PRODUCT_TYPES)


def _sold(obj: dict) -> bool:
    """The Product object has a property of a thing sold (see `_SOLD`)."""
    return any(key.lower().startswith(_SOLD) for key in obj)


def is_product_page(tree, ld_objects: list[dict], marked: Marked | None = None) -> bool:
    """The page's metadata says it sells one thing: a schema.org Product (JSON-LD with a property of
    a thing sold, rule `rating-only`; or microdata) or `og:type` product."""
    if any(_is_product(obj) and (_sold(obj) or not ON("rating-only")) for obj in ld_objects):
        return True
    # Every og:type tag counts: a shop's theme and an SEO plugin each write one (`article`, then
    # `og:product`), and the first is not always the right one.
    if any((og.attributes.get("content") or "").lower().replace("og:", "").startswith("product")
           for og in (tree.head or tree.root).css('meta[property="og:type"]')):
        return True
    marked = marked or marked_elements(tree)
    return any("schema.org/Product" in itemtype for itemtype in marked.itemtypes)


def descriptions(ld_objects: list[dict]) -> list[str]:
    """The `description` texts of the page's JSON-LD Product objects, as plain text."""
    out = []
    for obj in ld_objects:
        if not _is_product(obj):
            continue
        text = obj.get("description")
        if isinstance(text, str):
            if "<" in text or "&" in text:
                text = html.unescape(_TAG.sub(" ", text))
            text = " ".join(text.split())
            if len(text) >= MIN_DESCRIPTION:
                out.append(text)
    return out


def anchor_blocks(page: Page, texts: list[str]) -> list[int]:
    """Indices of the blocks that show the start of one of `texts` (the first such block per text): a
    block holding its first PREFIX characters, or a block of some length it starts with (a tagline
    in a paragraph of its own)."""
    found = []
    blocks = page.blocks
    for text in texts:
        prefix = text[:PREFIX].rstrip(".… ")
        for i, block in enumerate(blocks):
            if prefix in block.text or (len(block.text) >= MIN_BLOCK and text.startswith(block.text)):
                found.append(i)
                break
    return found
