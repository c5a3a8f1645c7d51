"""Pass 4's output files written by tasks: one task per file of `documents` or `duplicates`, each
reading its documents from the shard files (where pass 2 wrote them) and writing its file whole, so
that the reduce task plans the files and reads no text itself.

The plan is deterministic: the documents kept, sorted by id, cut in runs of `shard_size` (one run
without it), file k named as `outputs.DocumentFiles` names it; the duplicates the same way. A kept
document's file also gets the provenance of its duplicates, which its task reads from the shards too.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .io.writers import dump_line
from .outputs import LINE_FORMATS, write_part
from .provenance import merge
from .storage import Folder
from .workdir import DocumentStore, WorkDir


@dataclass
class WriteContext:
    out: str                       # OUT's path or URL
    fmt: str                       # `outputs.FORMATS`
    shard_size: int | None


@dataclass
class WriteJob:
    name: str                      # "documents" or "duplicates"
    index: int                     # the file's number in its name's run
    columns: tuple[str, ...]
    shard_of: np.ndarray           # where each document lies: its shard ...
    offsets: np.ndarray            # ... and its line there (the file's documents first, in order)
    count: int                     # how many of the rows are the file's documents
    merged: dict[int, list[int]] | None = None  # documents: the rows (past `count`) of each one's duplicates
    duplicate_of: list[tuple[str, str, float]] | None = None  # duplicates: (duplicate_of, kind, score)


def merge_provenance(doc: dict, found: list[dict]) -> None:
    """The provenance of a cluster's members (`found`) flows to its canonical document `doc`: their
    publishers and authors merged, their urls listed under `urls`."""
    for prov in found:
        merge(doc["provenance"], {k: v for k, v in prov.items() if k != "url"})
        urls = doc["provenance"].setdefault("urls", [])
        if prov.get("url") and prov["url"] not in urls and prov["url"] != doc["provenance"].get("url"):
            urls.append(prov["url"])
    if not doc["provenance"].get("urls"):
        doc["provenance"].pop("urls", None)


def duplicate_line(line: bytes, duplicate_of: str, kind: str, score: float) -> bytes:
    """A stored document's JSONL line (`io.writers.dump_line`, UTF-8) with `duplicate_of`, `kind` and
    `score` added as its last keys: the line `dump_line` gives for the document so updated, without
    decoding and encoding the document again (most of the write pass, where most documents are
    duplicates). A stored document has none of these keys (`stages.process` makes it), so they come
    last, as `dict.update` would add them."""
    if not line.endswith(b"}\n"):
        raise ValueError("a stored document line must be one JSON object and a newline")
    extra = dump_line({"duplicate_of": duplicate_of, "kind": kind, "score": score})
    return line[:-2] + (b"," if line[:-2] != b"{" else b"") + extra[1:]


def write_task(context: WriteContext, job: WriteJob) -> str:
    """Writes the job's file; returns its name. For JSONL, a document that nothing changes is its
    stored line, byte for byte, and a duplicate its stored line with its three fields added."""
    out = Folder(context.out)
    store = DocumentStore(WorkDir.reopen(out), job.shard_of, job.offsets)
    as_lines = context.fmt in LINE_FORMATS
    try:
        def docs():
            for i in range(job.count):
                if job.merged is not None:
                    found = job.merged.get(i, ())
                    if as_lines and not found:
                        yield store.line(i)
                        continue
                    doc = store.doc(i)
                    merge_provenance(doc, [store.doc(k)["provenance"] for k in found])
                else:
                    of, kind, score = job.duplicate_of[i]
                    if as_lines:
                        yield duplicate_line(store.line(i), of, kind, score)
                        continue
                    doc = store.doc(i)
                    doc.update(duplicate_of=of, kind=kind, score=score)
                yield doc

        return write_part(out, job.name, context.fmt, job.index if context.shard_size else None, job.columns, docs())
    finally:
        store.close()
        out.close()


def plan(ids: list[str], shard_of: np.ndarray, offsets: np.ndarray, duplicates: dict, shard_size: int | None,
         doc_columns: tuple[str, ...], dup_columns: tuple[str, ...]) -> list[WriteJob]:
    """The jobs writing every output file, documents first: `ids[row]` lies at line `offsets[row]` of
    shard `shard_of[row]`; `duplicates`: id -> `dedup.Duplicate`. Each name gets one file at least
    (an empty one when it has no document)."""
    merged: dict[str, list[int]] = {}  # a canonical document's id -> its duplicates' rows
    for row, doc_id in enumerate(ids):
        if doc_id in duplicates:
            merged.setdefault(duplicates[doc_id].duplicate_of, []).append(row)
    order = np.array(sorted(range(len(ids)), key=ids.__getitem__), dtype=np.int64)
    is_dup = np.fromiter((ids[row] in duplicates for row in order.tolist()), dtype=bool, count=order.size)
    kept, dups = order[~is_dup], order[is_dup]
    jobs = []
    for name, rows, columns in (("documents", kept, doc_columns), ("duplicates", dups, dup_columns)):
        size = shard_size or max(len(rows), 1)
        for index, start in enumerate(range(0, max(len(rows), 1), size)):
            part = rows[start:start + size]
            if name == "documents":
                extra: list[int] = []
                local: dict[int, list[int]] = {}
                for k, row in enumerate(part.tolist()):
                    found = merged.get(ids[row])
                    if found:
                        local[k] = list(range(len(part) + len(extra), len(part) + len(extra) + len(found)))
                        extra.extend(found)
                taken = np.concatenate([part, np.array(extra, dtype=np.int64)])
                job = WriteJob(name, index, columns, shard_of[taken], offsets[taken], len(part), merged=local)
            else:
                found = [duplicates[ids[row]] for row in part.tolist()]
                job = WriteJob(name, index, columns, shard_of[part], offsets[part], len(part),
                               duplicate_of=[(d.duplicate_of, d.kind, round(float(d.score), 4)) for d in found])
            jobs.append(job)
    return jobs
