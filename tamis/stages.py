"""The stage functions of a run's map passes: pure, over one record or one shard of records, and
knowing nothing of the engine that runs them (`fn(context, task)`, see `tamis.engines`).

- `process(doc, templates)`: one record -> its articles and its ledger row (`Outcome`).
- `clean_shard(templates, shard)`: pass 2's map, a shard's documents (as JSONL bytes), ledger rows,
  dedup signatures, and what the report shows of it (`ShardOutput`).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from .clean import TemplateTable, clean_text, clean_texts
from .dedup import Signatures
from .dedup.signatures import sign_distinct
from .dedup.dedup import NUM_PERM, SEED
from .document import Document, Result, Span
from .hashing import normalize
from .io.readers import Unreadable
from .io.writers import dump_line

CLEAN_BATCH = 64         # text records cleaned together (`clean_texts`): the per-page numpy calls paid once
SAMPLES = 20             # records per shard whose removals the report may show
SAMPLE_CHARS = 20_000    # of a sampled record's input and kept text
TEMPLATE_EXAMPLES = 8    # template lines kept per site for the report


@dataclass
class Outcome:
    """What pass 2 made of one input record."""

    source: str
    status: str
    reason: str
    documents: list[dict] = field(default_factory=list)
    removed: list[Span] = field(default_factory=list)
    # `hashing.normalize` of each document's text and of the record's text, where the cleaner had them
    # (None: dedup normalises the text itself)
    normalized: list[str | None] = field(default_factory=list)
    source_normalized: str | None = None


def process(doc: Document, templates: TemplateTable | None, result: Result | None = None) -> Outcome:
    """Pass 2 for one record: its articles as output documents, and its ledger row. `result`: the
    record already cleaned (`cleaned`)."""
    try:
        result = _clean(doc, templates) if result is None else result
    except Exception as exc:  # noqa: BLE001 - one bad record must never lose the run
        return Outcome(doc.id, "unreadable", f"error:{type(exc).__name__}: {exc}"[:300])
    removed = result.removed
    if not result.articles or not any(a.text.strip() for a in result.articles):
        reasons = Counter(s.reason for s in result.removed)
        top = reasons.most_common(1)[0][0] if reasons else "empty"
        return Outcome(doc.id, "removed", f"no content left (mostly {top})", removed=removed,
                       source_normalized=result.source_normalized)
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
    return Outcome(doc.id, status, f"{len(result.removed)} spans removed", docs, removed,
                   [a.normalized for a in arts], result.source_normalized)


def cleaned(items: list, templates: TemplateTable | None) -> Iterator[tuple[object, Result | None]]:
    """Each of `items` with its result if it is a text record: the text records are cleaned together,
    CLEAN_BATCH items at a time (so that no more results than that wait in memory). A batch that fails
    gives None, and `process` cleans its records one by one: the one bad record gets its own ledger
    reason and the others their results."""
    for at in range(0, len(items), CLEAN_BATCH):
        window = items[at:at + CLEAN_BATCH]
        texts = [k for k, item in enumerate(window) if isinstance(item, Document) and item.text]
        docs = [window[k] for k in texts]
        try:
            results = clean_texts([d.text for d in docs], [d.url for d in docs], [d.title for d in docs], templates)
        except Exception:  # noqa: BLE001 - each record is tried again alone
            results = [None] * len(docs)
        result_at = dict(zip(texts, results))
        for k, item in enumerate(window):
            yield item, result_at.get(k)


def _clean(doc: Document, templates: TemplateTable | None) -> Result:
    if doc.text:
        return clean_text(doc.text, url=doc.url, title=doc.title, templates=templates)
    if doc.html:
        from .extract import extract_html
        return extract_html(doc.html, url=doc.url)
    return Result(articles=[], removed=[])


# pass 2 -----------------------------------------------------------------------------------------------

@dataclass
class Shard:
    """Shard `index` of a run: up to `chunk_size` consecutive records of one input piece, in input
    order (unreadable ones included)."""

    index: int
    items: list[Document | Unreadable]


@dataclass
class ShardOutput:
    """Pass 2's output for one shard. `docs` holds its documents as JSONL (input order), `offsets` the
    byte offset of each line, `ids` their ids, `signatures` their dedup signatures (row i: ids[i]),
    `raw_chars` the length of the input record each was cleaned from (dedup's `prefer`: of two equal
    texts, the one from the fuller capture is kept).

    Dedup also sees each text record's raw capture, beside the cleaned text of its main document
    (`raw_signatures`; `raw_texts`: `hashing.normalize` of it, as UTF-8, row i at
    `raw_offsets[i]:raw_offsets[i + 1]`; empty for a secondary document or an HTML page). A text
    record the cleaner emptied is a dedup row too, after the documents: `ghosts` holds their ids (the
    record's), with an empty cleaned text, so that its ledger row can say which cluster its raw capture
    fell in. The raw capture is kept normalised, as signed: it is only ever shingled again (when dedup
    verifies a pair), and normalising a whole capture once more cost more than reading it."""

    index: int
    records: int
    docs: bytes
    offsets: np.ndarray
    ids: list[str]
    signatures: Signatures
    raw_chars: np.ndarray
    ledger: list[dict]
    samples: list[dict]
    removed: dict[str, list[int]]            # reason -> [spans, characters]
    template_lines: dict[str, list[str]]     # site -> a few of its template lines, as removed
    ghosts: list[str] = field(default_factory=list)
    raw_signatures: Signatures | None = None
    raw_texts: bytes = b""
    raw_offsets: np.ndarray | None = None

    def record(self) -> dict:
        """Everything but the documents and signatures, as JSON (the shard's `.json`)."""
        return {"index": self.index, "records": self.records, "ids": self.ids, "ledger": self.ledger,
                "samples": self.samples, "removed": self.removed, "template_lines": self.template_lines,
                "ghosts": self.ghosts}


def clean_shard(templates: TemplateTable | None, shard: Shard) -> ShardOutput:
    """Pass 2's map: every record of the shard cleaned and split (`process`), signed for dedup."""
    lines = bytearray()                # the documents' JSONL lines, one after another
    starts: list[int] = []
    ids: list[str] = []
    texts: list[str] = []
    norms: list[str | None] = []       # each text normalised, where the cleaner had it at hand
    raw_chars: list[int] = []
    raws: list[str] = []
    raw_norms: list[str | None] = []
    ghosts: list[tuple[str, str, str | None]] = []
    ledger: list[dict] = []
    samples: list[dict] = []
    removed: dict[str, list[int]] = {}
    template_lines: dict[str, list[str]] = {}
    for item, result in cleaned(shard.items, templates):
        if isinstance(item, Unreadable):
            ledger.append({"source": item.source, "status": item.status, "outputs": [],
                           "reason": item.reason + (f": {item.detail}" if item.detail else "")})
            continue
        outcome = process(item, templates, result)
        ledger.append({"source": outcome.source, "status": outcome.status,
                       "outputs": [d["id"] for d in outcome.documents], "reason": outcome.reason})
        for span in outcome.removed:
            tally = removed.setdefault(span.reason, [0, 0])
            tally[0] += 1
            tally[1] += len(span.text)
            if span.reason.startswith("template"):
                seen = template_lines.setdefault(item.site or "", [])
                if len(seen) < TEMPLATE_EXAMPLES and span.text not in seen:
                    seen.append(span.text[:300])
        if outcome.removed and len(samples) < SAMPLES:
            samples.append(_sample(item, outcome))
        for doc, norm in zip(outcome.documents, outcome.normalized or [None] * len(outcome.documents), strict=True):
            starts.append(len(lines))
            lines += dump_line(doc)
            ids.append(doc["id"])
            texts.append(doc["text"])
            norms.append(norm)
            raw_chars.append(len(item.text or item.html or ""))
            main_text = doc["role"] == "main" and bool(item.text)
            raws.append(item.text if main_text else "")
            raw_norms.append(outcome.source_normalized if main_text else "")
        if outcome.status == "removed" and item.text and item.text.strip():
            ghosts.append((item.id, item.text, outcome.source_normalized))
    offsets = np.array(starts, dtype=np.int64)
    texts += [""] * len(ghosts)
    norms += [""] * len(ghosts)
    raws += [text for _, text, _ in ghosts]
    raw_norms += [norm for _, _, norm in ghosts]
    raw_norms = [normalize(text) if norm is None else norm for text, norm in zip(raws, raw_norms)]
    encoded = [norm.encode("utf-8") for norm in raw_norms]
    raw_offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(raw) for raw in encoded], out=raw_offsets[1:])
    signed, rows = sign_distinct(texts + raws, norms + raw_norms, num_perm=NUM_PERM, seed=SEED)
    return ShardOutput(shard.index, len(shard.items), bytes(lines), offsets, ids,
                       signed.take(rows[:len(texts)]),
                       np.array(raw_chars + [len(text) for _, text, _ in ghosts], dtype=np.int64), ledger,
                       samples, removed, template_lines, [source for source, _, _ in ghosts],
                       signed.take(rows[len(texts):]), b"".join(encoded), raw_offsets)


def _sample(doc: Document, outcome: Outcome) -> dict:
    """What the report shows of a record: its input text with the removed spans (when their offsets
    point into it; an HTML page's point into its extracted text), and the kept documents."""
    text = doc.text or ""
    inline = bool(text) and all(text[s.start:s.end] == s.text for s in outcome.removed)
    return {
        "source": outcome.source,
        "status": outcome.status,
        "input": text[:SAMPLE_CHARS] if inline else None,
        "input_chars": len(text),
        "removed": [{**s.as_dict(), "text": s.text[:500]} for s in outcome.removed[:500]],
        "kept": [{"id": d["id"], "role": d["role"], "title": d["title"], "text": d["text"][:SAMPLE_CHARS]}
                 for d in outcome.documents],
    }
