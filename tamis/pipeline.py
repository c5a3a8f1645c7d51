"""The run: read -> (extract) -> clean -> segment -> dedup -> write, as the passes of DESIGN.md.

1. count: every text record's line hashes per site -> the site template table;
2. clean + segment: a map over records (a process pool with `workers` > 1), each record becoming its
   articles and its ledger row; outputs go to a spool file, never all held in memory as objects;
3. dedup: exact, near and contained duplicates among the articles (tamis.dedup);
4. write: documents.jsonl sorted by id, duplicates.jsonl, ledger.jsonl in input order, report.html.

Inputs are read twice (pass 1 and pass 2), as cc_net does, rather than held in memory between passes.
"""
from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .clean import TemplateCounts, TemplateTable, clean_text, split_blocks
from .dedup import deduplicate
from .document import Document, Result
from .io.readers import Unreadable, read_inputs
from .io.writers import dump_line
from .progress import Progress

CHUNK = 64  # records per task sent to a worker


@dataclass
class Options:
    workers: int = 1
    progress: bool | None = None   # None: a bar on a terminal, log lines otherwise
    dedup: bool = True
    jaccard: float | None = None
    containment: float | None = None


@dataclass
class Outcome:
    """What pass 2 made of one input record."""

    source: str
    status: str
    reason: str
    documents: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)


def count_templates(inputs: Iterable[str], progress: Progress) -> TemplateTable:
    """Pass 1: line hashes per site, for text records (HTML pages learn from their extracted blocks'
    site-mates among the text records; extracting every page twice would double the run's cost)."""
    counts = TemplateCounts()
    for item in progress.wrap(read_inputs(inputs), "count"):
        if isinstance(item, Document) and item.text:
            counts.add(item.site, [b.text for b in split_blocks(item.text)])
    return counts.table()


def process(doc: Document, templates: TemplateTable | None) -> Outcome:
    """Pass 2 for one record: its articles as output documents, and its ledger row."""
    try:
        result = _clean(doc, templates)
    except Exception as exc:  # noqa: BLE001 - one bad record must never lose the run
        return Outcome(doc.id, "unreadable", f"error:{type(exc).__name__}: {exc}"[:300])
    removed = [s.as_dict() for s in result.removed]
    if not result.articles or not any(a.text.strip() for a in result.articles):
        reasons = Counter(s.reason for s in result.removed)
        top = reasons.most_common(1)[0][0] if reasons else "empty"
        return Outcome(doc.id, "removed", f"no content left (mostly {top})", removed=removed)
    arts = [a for a in result.articles if a.text.strip()]
    docs = []
    for k, art in enumerate(arts, start=1):
        provenance = dict(art.provenance)
        if doc.url:
            provenance.setdefault("url", doc.url)
        docs.append({
            "id": doc.id if len(arts) == 1 else f"{doc.id}#{k}",
            "source": doc.id,
            "role": art.role,
            "title": art.title or (doc.title if art.role == "main" else None),
            "text": art.text,
            "provenance": provenance,
            "meta": {**doc.meta, **result.meta},
        })
    status = "split" if len(docs) > 1 else "kept"
    return Outcome(doc.id, status, f"{len(result.removed)} spans removed", docs, removed)


def _clean(doc: Document, templates: TemplateTable | None) -> Result:
    if doc.text:
        return clean_text(doc.text, url=doc.url, title=doc.title, templates=templates)
    if doc.html:
        from .extract import extract_html
        return extract_html(doc.html, url=doc.url)
    return Result(articles=[], removed=[])


_TEMPLATES: TemplateTable | None = None


def _init_worker(templates: TemplateTable) -> None:
    global _TEMPLATES
    _TEMPLATES = templates


def _process_chunk(chunk: list[Document]) -> list[Outcome]:
    return [process(doc, _TEMPLATES) for doc in chunk]


def _chunks(items: Iterator, size: int) -> Iterator[list]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def clean_all(inputs: list[str], templates: TemplateTable, options: Options,
              progress: Progress) -> Iterator[Outcome | Unreadable]:
    """Pass 2, in input order whatever the number of workers."""
    unique = _UniqueIds()
    records = (unique(item) for item in read_inputs(inputs))
    if options.workers <= 1:
        for item in records:
            yield item if isinstance(item, Unreadable) else process(item, templates)
        return
    with ProcessPoolExecutor(options.workers, initializer=_init_worker, initargs=(templates,)) as pool:
        # Unreadables travel with their chunk so the order of the ledger is the input order.
        def tasks():
            for chunk in _chunks(records, CHUNK):
                yield chunk
        pending = []
        for chunk in tasks():
            docs = [x for x in chunk if isinstance(x, Document)]
            pending.append((chunk, pool.submit(_process_chunk, docs)))
            if len(pending) >= 2 * options.workers:
                yield from _merge(*pending.pop(0))
        for chunk, future in pending:
            yield from _merge(chunk, future)


def _merge(chunk: list, future) -> Iterator[Outcome | Unreadable]:
    outcomes = iter(future.result())
    for item in chunk:
        yield item if isinstance(item, Unreadable) else next(outcomes)


class _UniqueIds:
    """Two input records with one id (the same file name in two folders) get `id~2`, `id~3`..."""

    def __init__(self) -> None:
        self.seen: Counter = Counter()

    def __call__(self, item):
        if isinstance(item, Document):
            self.seen[item.id] += 1
            if self.seen[item.id] > 1:
                item.id = f"{item.id}~{self.seen[item.id]}"
        return item


def run(inputs: Iterable[str | os.PathLike], out: str | os.PathLike, **options) -> dict:
    """Run the whole pipeline; returns the summary (also written as OUT/summary.json)."""
    opts = Options(**options)
    inputs = [str(p) for p in inputs]
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    progress = Progress(opts.progress)
    started = time.perf_counter()
    templates = count_templates(inputs, progress)

    ledger: list[dict] = []
    samples: list[dict] = []
    with tempfile.TemporaryFile("w+", encoding="utf-8", dir=out) as spool:
        index: dict[str, int] = {}  # id -> offset of its JSON line in the spool
        ids, texts = [], []
        for item in progress.wrap(clean_all(inputs, templates, opts, progress), "clean"):
            if isinstance(item, Unreadable):
                ledger.append({"source": item.source, "status": item.status, "outputs": [],
                               "reason": item.reason + (f": {item.detail}" if item.detail else "")})
                continue
            ledger.append({"source": item.source, "status": item.status,
                           "outputs": [d["id"] for d in item.documents], "reason": item.reason})
            if len(samples) < 20 and item.removed:
                samples.append({"source": item.source, "removed": item.removed[:200]})
            for d in item.documents:
                index[d["id"]] = spool.tell()
                spool.write(dump_line(d))
                ids.append(d["id"])
                texts.append(d["text"])

        duplicates = {}
        if opts.dedup and ids:
            kwargs = {k: v for k, v in (("jaccard", opts.jaccard), ("containment", opts.containment)) if v is not None}
            duplicates = {d.id: d for d in deduplicate(ids, texts, **kwargs)}
        del texts

        def read_doc(doc_id: str) -> dict:
            spool.seek(index[doc_id])
            return json.loads(spool.readline())

        # Provenance of a cluster flows to its canonical document.
        merged: dict[str, list[dict]] = {}
        for dup in duplicates.values():
            merged.setdefault(dup.duplicate_of, []).append(read_doc(dup.id)["provenance"])

        from .provenance import merge
        with open(out / "documents.jsonl", "w", encoding="utf-8") as docs_f, \
                open(out / "duplicates.jsonl", "w", encoding="utf-8") as dups_f:
            for doc_id in sorted(index):
                doc = read_doc(doc_id)
                dup = duplicates.get(doc_id)
                if dup is None:
                    for prov in merged.get(doc_id, []):
                        merge(doc["provenance"], {k: v for k, v in prov.items() if k != "url"})
                        urls = doc["provenance"].setdefault("urls", [])
                        if prov.get("url") and prov["url"] not in urls and prov["url"] != doc["provenance"].get("url"):
                            urls.append(prov["url"])
                    if not doc["provenance"].get("urls"):
                        doc["provenance"].pop("urls", None)
                    docs_f.write(dump_line(doc))
                else:
                    doc.update(duplicate_of=dup.duplicate_of, kind=dup.kind, score=round(float(dup.score), 4))
                    dups_f.write(dump_line(doc))

    for row in ledger:
        outs = row["outputs"]
        if outs and all(o in duplicates for o in outs):
            first = duplicates[outs[0]]
            row["status"] = "duplicate"
            row["reason"] = f"{first.kind} duplicate of {first.duplicate_of}"
            row["duplicate_of"] = sorted({duplicates[o].duplicate_of for o in outs})
            row["outputs"] = []
        elif outs:
            row["outputs"] = [o for o in outs if o not in duplicates]
    with open(out / "ledger.jsonl", "w", encoding="utf-8") as f:
        for row in ledger:
            f.write(dump_line(row))

    summary = _summary(ledger, len(index) - len(duplicates), len(duplicates), started)
    from .report import write_report
    write_report(out / "report.html", summary, ledger, samples, duplicates, templates)
    (out / "summary.json").write_text(json.dumps(summary, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return summary


def _summary(ledger: list[dict], kept: int, dropped: int, started: float) -> dict:
    statuses = Counter(row["status"] for row in ledger)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    line = (f"{len(ledger)} inputs -> {kept} documents kept, {dropped} duplicates; "
            + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
            + f"; {seconds:.1f}s, peak {peak_mb:.0f} MB")
    return {"inputs": len(ledger), "documents": kept, "duplicates": dropped, "statuses": dict(sorted(statuses.items())),
            "seconds": round(seconds, 3), "peak_mb": round(peak_mb), "line": line}


if __name__ == "__main__":  # pragma: no cover
    print(run(sys.argv[1:-1], sys.argv[-1]))
