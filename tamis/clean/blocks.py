"""Blocks: the unit the cleaner decides on. Plain text gives one block per non-empty line; the HTML
extractor gives one block per block-level element, with hints from the markup."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..native import core


@dataclass(slots=True)
class Block:
    """`source[start:end] == text` (stripped of surrounding spaces).

    `hints` come from markup when there was any: `tag` (h1..h6, p, li, pre, td, ...), `container`
    (nav, aside, footer, header, comment, figcaption, form, menu, ...), `link_density` (0..1 share of
    the text inside links). Plain text has none. `split_blocks` makes its blocks in C
    (`_core.blocks`), which sets these four slots without calling `__init__`: keep them the fields."""

    text: str
    start: int
    end: int
    hints: dict = field(default_factory=dict)


def split_lines(source: str) -> list[str]:
    """The texts of `split_blocks(source)`, without the blocks (the template count needs no offsets)."""
    if core is not None:
        bounds = np.frombuffer(core.split_lines(source), dtype=np.int64).tolist()
        return [source[a:b] for a, b in zip(bounds[::2], bounds[1::2])]
    return [b.text for b in split_blocks(source)]


def split_blocks(source: str) -> list[Block]:
    """One block per non-blank line of `source`, with exact offsets."""
    if core is not None:
        return core.blocks(source, Block)
    blocks = []
    pos = 0
    for raw in source.splitlines(keepends=True):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            blocks.append(Block(stripped, pos + lead, pos + lead + len(stripped)))
        pos += len(raw)
    return blocks
