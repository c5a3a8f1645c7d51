"""The text cleaner's line evidence, applied to the blocks the markup kept.

The same evidence as `tamis.clean.analyse` without its feature matrix (the learned model and the
segmentation are not used here: the markup already placed these blocks in the main content): line rules
(`tamis.clean.rules.page_reasons`: code residue, feed footers, counters, boilerplate phrases of the
lexicon), provenance lines (bylines, "Via X": removed, their names go to provenance) and, given a
template table from a first pass over the corpus, the site's template lines. A line repeated in the
page is kept: inside the main content it is a table row or a recipe step.
"""
from __future__ import annotations

import re

from ..clean.blocks import Block
from ..clean.cleaner import page_evidence, shown_code, template_lines
from ..clean.rules import lexicon
from ..document import site_of
from ..hashing import hash_normalized, normalize, normalize_lines
from .switches import ON

LONG_LINE = 400   # characters
CREDIT_MAX = 200  # characters of a line that the copyright sign marks as a credit
# A caption's credit at the end of a line: "(Image: Getty)", ", photo: Name", "| Foto: Name".
_CREDIT_TAIL = re.compile(r"[(,|]\s*([^\W\d_][^\W\d_ ]*(?: [^\W\d_]+)?)\s*:\s*[^():|]{1,80}\)?\s*$")


def line_evidence(blocks: list[Block], url: str | None = None,
                  templates=None) -> tuple[list[str | None], list[dict | None]]:
    """Per block: (reason to remove it or None, provenance it tells or None), judged for the page at
    once (`tamis.clean.cleaner.page_evidence`)."""
    reasons: list[str | None] = [None] * len(blocks)
    found: list[dict | None] = [None] * len(blocks)
    # A paragraph longer than LONG_LINE is past every line rule's reach (phrases condemn short lines,
    # provenance lines and counters are short) and the markup already vouched for it; with site
    # templates every block is hashed.
    judged = [i for i, b in enumerate(blocks) if templates is not None or len(b.text) <= LONG_LINE]
    if not judged:
        return reasons, found
    texts = [blocks[i].text for i in judged]
    norms = normalize_lines(texts)
    for i, reason, info in zip(judged, *page_evidence(texts, norms)):
        reasons[i], found[i] = reason, info
    if templates is not None:
        template_lines(reasons, templates.share(site_of(url), hash_normalized(norms)))
    shown_code(blocks, reasons)
    _credits(blocks, reasons)
    _post_numbers(blocks, reasons)
    return reasons, found


# Rule `post-number`: "#12" alone, all of it a link: a forum post's permalink (XenForo, vBulletin, SMF),
# numbering the posts of a thread; a chart's rank ("#1" before a film, a best seller) is no link and
# the gold keeps its number (wcxb-dev: "#N" lines in 24 pages' output and 2 pages' gold; unlinked ones
# too, an IMDb chart lost 0.065: forum +0.0007 linked only).
_POST_NUMBER = re.compile(r"^#\s?\d{1,7}$")


def _post_numbers(blocks: list[Block], reasons: list[str | None]) -> None:
    for i, block in enumerate(blocks):
        if (reasons[i] is None and block.text[:1] == "#" and block.hints.get("link_density", 0.0) >= 0.5
                and _POST_NUMBER.match(block.text) and ON("post-number")):
            reasons[i] = "post-number"


def _credits(blocks: list[Block], reasons: list[str | None]) -> None:
    """Rule `credit`: a short line bearing the copyright sign is a picture's credit ("Das Team beim
    Start. © AFP / Name", "© Getty Images") or a copyright notice, in any language: articles cite
    no copyright signs in their prose. So is a short line ending with a credit label and a name,
    after a bracket, comma or bar ("... (Image: Getty)", "Name, photo: Archives"): a caption with its
    credit. The labels are the lexicon's `prefix credit` rows (Foto, Bild, Image, Photo...)."""
    prefix = lexicon()[2]
    for i, block in enumerate(blocks):
        text = block.text
        if reasons[i] is not None or len(text) > CREDIT_MAX:
            continue
        if "©" in text or ":" in text and (tail := _CREDIT_TAIL.search(text)) \
                and prefix.get(normalize(tail.group(1))) == "credit":
            if ON("credit"):
                reasons[i] = "credit"
