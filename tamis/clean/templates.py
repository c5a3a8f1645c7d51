"""Site templates learned from the corpus itself: a line that recurs in many documents of one site is
that site's template (navigation, footer, newsletter box), whatever its language.

Pass 1 of a run counts, per site, in how many documents each normalised line hash occurs (a map over
pieces, then a reduce by partition: `tamis.sharded_counts`; `TemplateCounts` is the same count in
one process). Lines whose hashes are kept as flat uint64 arrays per site, as cc_net does."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import xxhash

from ..dedup.shingles import sorted_unique, sorted_unique_counts
from ..hashing import folding_core, hash_lines
from .blocks import split_lines

# A line is a site's template when it occurs in at least this share of the site's documents, and the
# site has at least MIN_DOCS documents in the run (two pages of a site share too much by chance).
MIN_DOCS = 3
MIN_SHARE = 0.5


def min_pages(pages: int) -> int:
    """Pages of a site of `pages` that must hold a line for it to be template."""
    return max(2, int(np.ceil(MIN_SHARE * pages)))


@dataclass
class TemplateCounts:
    """Per site, the distinct line hashes of each document, and the document's key: its url (without
    fragment), or its content when it has no url.

    A page is counted once. Crawls hold one url many times (re-crawls, captures by several tools);
    counted once per copy, three captures of one article make every line of it "template" and the
    article is removed from all three. Equal content under two urls is counted twice: it is as often a
    shell page (a consent wall, a page whose content failed to load) as an alias of one page."""

    hashes: dict[str, list[np.ndarray]] = field(default_factory=lambda: defaultdict(list))
    keys: dict[str, list[np.ndarray]] = field(default_factory=lambda: defaultdict(list))
    sizes: dict[str, list[np.ndarray]] = field(default_factory=lambda: defaultdict(list))

    def add(self, site: str | None, lines: list[str], url: str | None = None) -> None:
        """Map step: one document's distinct line hashes, under its key."""
        self._add(site, hash_lines(lines), url)

    def add_text(self, site: str | None, text: str, url: str | None = None) -> None:
        """`add` of the lines of a document's text (`blocks.split_lines`)."""
        self._add(site, page_line_hashes(text), url)

    def _add(self, site: str | None, line_hashes: np.ndarray, url: str | None) -> None:
        site = site or ""
        hashes = sorted_unique(line_hashes)
        page = url.split("#", 1)[0] if url else None
        key = xxhash.xxh3_64_intdigest(page.encode("utf-8") if page else hashes.tobytes())
        self.hashes[site].append(hashes)
        self.keys[site].append(np.array([key], dtype=np.uint64))
        self.sizes[site].append(np.array([len(hashes)], dtype=np.int64))

    def table(self) -> "TemplateTable":
        sites = {}
        for site, arrays in self.hashes.items():
            first = _first_of_each_page(np.concatenate(self.keys[site]))
            n = int(first.sum())
            if n < MIN_DOCS:
                continue
            hashes = np.concatenate(arrays)[np.repeat(first, np.concatenate(self.sizes[site]))]
            values, counts = sorted_unique_counts(hashes)
            keep = counts >= min_pages(n)
            sites[site] = (values[keep], counts[keep] / n)
        return TemplateTable(sites)


def page_line_hashes(text: str) -> np.ndarray:
    """`hash_lines(split_lines(text))`. The count pass hashes every line of every record before any is
    cleaned; in C, a line of ASCII and `hashing.fold_table` characters is split, folded and hashed
    without becoming a Python string. The other lines (CJK, a combining mark) go through `hash_lines`."""
    folding = folding_core()
    if folding is None:
        return hash_lines(split_lines(text))
    raw, others = folding.line_hashes(text)
    hashes = np.frombuffer(raw, dtype=np.uint64)
    if others:
        hashes = hashes.copy()
        hashes[[k for k, _, _ in others]] = hash_lines([text[a:b] for _, a, b in others])
    return hashes


def _first_of_each_page(keys: np.ndarray) -> np.ndarray:
    """For document keys in input order: True where the key was not seen before."""
    first = np.zeros(len(keys), dtype=bool)
    first[np.unique(keys, return_index=True)[1]] = True
    return first


@dataclass
class TemplateTable:
    """For each site, the template line hashes (sorted) and the share of documents holding each."""

    sites: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)

    def share(self, site: str | None, hashes: np.ndarray) -> np.ndarray:
        """For each line hash of a document, the share of its site's documents that hold it (0 if none)."""
        out = np.zeros(len(hashes), dtype=np.float32)
        entry = self.sites.get(site or "")
        if entry is None or len(hashes) == 0:
            return out
        values, shares = entry
        idx = values.searchsorted(hashes)
        idx[idx >= len(values)] = 0
        found = values[idx] == hashes if len(values) else np.zeros(len(hashes), bool)
        out[found] = shares[idx[found]]
        return out

    def summary(self) -> dict[str, int]:
        """Number of template lines learned per site (for the report)."""
        return {site or "(no site)": int(len(v)) for site, (v, _) in sorted(self.sites.items())}
