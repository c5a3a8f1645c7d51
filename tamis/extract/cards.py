"""Rule `offers`: on a product page, a row of other products' cards is no part of the product.

A shop's product page shows, inside or right after the product's own box, carousels and grids of
other products ("Similar items", "Customers also bought", the same model in other colours): cards
that each hold a title, a price and a link. Their text often outweighs the product's own description.
The evidence is shape alone, in any language: an element with CARDS_MIN or more children that each
hold a price (a short block with a currency sign next to a number) and little else (at most
CARD_CHARS characters, at most CARD_PRICES prices), when nearly all its children that show text
(ROW_SHARE) are such. Those children are the cards; their blocks leave the main content.

A shop's category page marked up as a Product has the same rows, and there they are the content:
the rule applies only when the kept text outside the cards is OFFERS_REST of the cards' or more.
"""
from __future__ import annotations

import re

from .switches import ON
from .walk import Page, outermost

CARDS_MIN = 4       # children holding a price each make a row of cards ...
CARD_CHARS = 400    # ... when each holds at most this many characters ...
CARD_PRICES = 4     # ... and at most this many prices (a price, a former price, a unit price)
ROW_SHARE = 0.8     # ... and at least this share of the row's children showing text hold a price
OFFERS_REST = 0.4   # the kept text outside the cards must be this share of the cards' text
PRICE_CHARS = 40    # a price block is this short at most
_PRICE = re.compile(r"[$€£¥₹₽₩₺₴₪฿₫₱]\s?\d|\d\s?[$€£¥₹₽₩₺₴₪฿₫₱]")


def price_blocks(page: Page) -> list[int]:
    """Indices of the short blocks that read as a price: `$153.43`, `+ $72.02 delivery`, `12,99 €`.
    (Currency codes are left out: `155 GSM` or `4 GB` read as one.)"""
    return [i for i, b in enumerate(page.blocks) if b.chars <= PRICE_CHARS and _PRICE.search(b.text)]


def offer_cards(page: Page) -> list[int]:
    """Element ids of the cards of rows of other products (see the module's docstring)."""
    prices = price_blocks(page)
    if len(prices) < CARDS_MIN:
        return []
    parent, first, end = page.parent, page.first, page.end
    per_child: dict[int, set[int]] = {}     # element -> its children that hold a price
    count: dict[int, int] = {}              # element -> prices in its subtree
    for i in prices:
        e = page.blocks[i].owner
        while e >= 0:
            count[e] = count.get(e, 0) + 1
            p = parent[e]
            if p >= 0:
                per_child.setdefault(p, set()).add(e)
            e = p
    chars = None
    cards: list[int] = []
    for g, children in per_child.items():
        if len(children) < CARDS_MIN:
            continue
        if chars is None:
            chars = [0]
            for b in page.blocks:
                chars.append(chars[-1] + b.chars)
        small = [c for c in children if count[c] <= CARD_PRICES and chars[end[c]] - chars[first[c]] <= CARD_CHARS]
        if len(small) < CARDS_MIN or len(small) < len(children):
            continue
        # A row is cards when nearly all its children that show text hold a price: a grid where a
        # few prices sit among many other boxes is a page's layout, not a row of offers.
        shown = sum(1 for d in range(g + 1, page.last[g]) if parent[d] == g and end[d] > first[d])
        if len(small) >= ROW_SHARE * shown:
            cards.extend(small)
    # Only the outermost cards: a card of a row nested in another card's row is removed with it.
    return outermost(page, sorted(cards))


def drop_offers(page: Page, kept: list[int], removed: dict[int, str]) -> list[int]:
    """Rule `offers`: `kept` (block indices) less the blocks of other products' cards, each of
    them given the reason `offers` in `removed`; `kept` itself when the cards are the page's content."""
    cards = offer_cards(page)
    if not cards:
        return kept
    inside = set()
    for c in cards:
        inside.update(range(page.first[c], page.end[c]))
    out = [i for i in kept if i not in inside]
    if len(out) == len(kept) or not ON("offers"):
        return kept
    blocks = page.blocks
    if sum(blocks[i].chars for i in out) < OFFERS_REST * sum(blocks[i].chars for i in kept if i in inside):
        return kept
    for i in kept:
        if i in inside:
            removed[i] = "offers"
    return out

