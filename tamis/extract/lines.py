"""The text cleaner's line evidence, applied to the blocks the markup kept.

The same evidence as `tamis.clean.analyse` without its feature matrix (the learned model and the
segmentation are not used here: the markup already placed these blocks in the main content): line rules
(`tamis.clean.rules.line_reason`: code residue, feed footers, counters, boilerplate phrases of the
lexicon), provenance lines (bylines, "Via X": removed, their names go to provenance) and, given a
template table from a first pass over the corpus, the site's template lines. A line repeated in the
page is kept: inside the main content it is a table row or a recipe step.
"""
from __future__ import annotations

from ..clean.blocks import Block
from ..clean.cleaner import line_evidence as one_line, shown_code, template_lines
from ..document import site_of
from ..hashing import hash_normalized, normalize

LONG_LINE = 400   # characters


def line_evidence(blocks: list[Block], url: str | None = None,
                  templates=None) -> tuple[list[str | None], list[dict | None]]:
    """Per block: (reason to remove it or None, provenance it tells or None)."""
    reasons: list[str | None] = []
    found: list[dict | None] = []
    norms = []
    for block in blocks:
        if templates is None and len(block.text) > LONG_LINE:
            # A paragraph this long is past every line rule's reach (phrases condemn short lines,
            # provenance lines and counters are short) and the markup already vouched for it.
            reasons.append(None)
            found.append(None)
            continue
        norm = normalize(block.text)
        norms.append(norm)
        reason, prov = one_line(block.text, norm)
        reasons.append(reason)
        found.append(prov)
    if templates is not None and blocks:
        template_lines(reasons, templates.share(site_of(url), hash_normalized(norms)))
    shown_code(blocks, reasons)
    return reasons, found
