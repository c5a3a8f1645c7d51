"""Site templates learned from the corpus itself: a line that recurs in many documents of one site is
that site's template (navigation, footer, newsletter box), whatever its language.

Pass 1 of a run counts, per site, in how many documents each normalised line hash occurs (a map over
shards, then a merge). Lines whose hashes are kept as flat uint64 arrays per site, as cc_net does."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from ..hashing import hash_lines

# A line is a site's template when it occurs in at least this share of the site's documents, and the
# site has at least MIN_DOCS documents in the run (two pages of a site share too much by chance).
MIN_DOCS = 3
MIN_SHARE = 0.5


@dataclass
class TemplateCounts:
    """Per site: number of documents, and for each line hash the number of documents holding it."""

    docs: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    hashes: dict[str, list[np.ndarray]] = field(default_factory=lambda: defaultdict(list))

    def add(self, site: str | None, lines: list[str]) -> None:
        """Map step: one document's distinct line hashes."""
        key = site or ""
        self.docs[key] += 1
        self.hashes[key].append(np.unique(hash_lines(lines)))

    def merge(self, other: "TemplateCounts") -> None:
        """Reduce step: fold another shard's counts in."""
        for key, n in other.docs.items():
            self.docs[key] += n
            self.hashes[key].extend(other.hashes[key])

    def table(self) -> "TemplateTable":
        sites = {}
        for key, arrays in self.hashes.items():
            n = self.docs[key]
            if n < MIN_DOCS or not arrays:
                continue
            values, counts = np.unique(np.concatenate(arrays), return_counts=True)
            keep = counts >= max(2, int(np.ceil(MIN_SHARE * n)))
            sites[key] = (values[keep], counts[keep] / n)
        return TemplateTable(sites)


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
        idx = np.searchsorted(values, hashes)
        idx[idx >= len(values)] = 0
        found = values[idx] == hashes if len(values) else np.zeros(len(hashes), bool)
        out[found] = shares[idx[found]]
        return out

    def summary(self) -> dict[str, int]:
        """Number of template lines learned per site (for the report)."""
        return {site or "(no site)": int(len(v)) for site, (v, _) in sorted(self.sites.items())}
