"""What the report shows, gathered from a run's passes (small: counts, a few clusters and samples)."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

CLUSTERS = 20          # largest duplicate clusters shown
CLUSTER_MEMBERS = 12   # members listed per cluster
TEMPLATE_SITES = 30    # sites whose template lines are shown


@dataclass
class ReportData:
    summary: dict
    removed: Counter = field(default_factory=Counter)          # reason -> spans removed, all inputs
    removed_chars: Counter = field(default_factory=Counter)    # reason -> characters removed
    not_kept: Counter = field(default_factory=Counter)         # ledger reason -> inputs not kept
    templates: list[dict] = field(default_factory=list)        # site, lines, examples
    template_sites: int = 0
    clusters: list[dict] = field(default_factory=list)         # kept, title, size, members
    cluster_count: int = 0
    samples: list[dict] = field(default_factory=list)          # see tamis.stages._sample

    @classmethod
    def gather(cls, summary: dict, seen: dict, corpus, duplicates: dict, templates) -> "ReportData":
        """`seen`: the write pass's counts and samples; `corpus`: ids and the document store."""
        per_site = templates.summary() if templates is not None else {}
        top_sites = sorted(per_site.items(), key=lambda kv: (-kv[1], kv[0]))[:TEMPLATE_SITES]
        examples = seen["template_lines"]
        template_rows = [{"site": site, "lines": n,
                          "examples": examples.get("" if site == "(no site)" else site, [])}
                         for site, n in top_sites]
        members = defaultdict(list)
        for dup in duplicates.values():
            members[dup.duplicate_of].append(dup)
        for ms in members.values():
            ms.sort(key=lambda m: m.id)
        largest = sorted(members.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:CLUSTERS]
        wanted = {canon for canon, _ in largest} | {m.id for _, ms in largest for m in ms[:CLUSTER_MEMBERS]}
        titles = {}
        for row, doc_id in enumerate(corpus.ids):
            if doc_id in wanted:
                doc = corpus.store.doc(row)
                titles[doc_id] = (doc.get("title"), doc["text"][:240], doc.get("provenance", {}).get("url"))
        clusters = [{"kept": canon, "size": len(ms) + 1, "about": titles.get(canon),
                     "members": [{"id": m.id, "kind": m.kind, "score": float(m.score), "about": titles.get(m.id)}
                                 for m in ms[:CLUSTER_MEMBERS]]}
                    for canon, ms in largest]
        return cls(summary=summary, removed=seen["removed"], removed_chars=seen["removed_chars"],
                   not_kept=seen["not_kept"], templates=template_rows, template_sites=len(per_site),
                   clusters=clusters, cluster_count=len(members), samples=seen["samples"])
