"""The run: the four passes of DESIGN.md over pieces and shards of the inputs.

0. plan: the driver lists the inputs and cuts them into pieces (`tamis.io.plan`: groups of small
   files, byte ranges of a large JSONL file) without reading their records;
1. count: a task per piece reads it, writes its site line counts and its ids' hashes
   (`tamis.unique_ids`) to OUT/.tamis/count and returns its records and where every `chunk_size`-th
   record starts; tasks reduce the counts by partition into the template table and the ids to rename
   (`tamis.sharded_counts`);
2. clean + segment + sign: tasks read their records themselves, a shard of up to `chunk_size`
   records of one piece at a time, and write each shard's documents, ledger rows and dedup
   signatures to OUT/.tamis (`tamis.tasks`);
3. dedup: candidate pairs found by tasks that read the shards' MinHash values and anchors
   (`tamis.sharded_lsh`), the pairs verified by tasks that read the texts from the shard files
   (`tamis.sharded_verify`; on one worker, in this process), clustered and each cluster's canonical
   chosen by tasks given whole connected components of the verified pairs, found by tasks too
   (`tamis.sharded_clusters`; on one worker, in this process), duplicates resolved
   (tamis.dedup.resolve) from a few numbers per document;
4. write: documents sorted by id, duplicates (each file written by a task that reads its documents
   from the shards: `tamis.write_tasks`), the ledger in input order (the plan's order, then the
   record order within a piece; a task beside them), report.html, summary.json.
Passes 3 and 4 run as one task (`reduce_task`), so that the driver holds the plan and counters only.

Inputs are read again for pass 2 rather than held between passes, as cc_net does. A killed run started
again with the same command finds its finished passes and shards in OUT/.tamis and does only the rest
(`tamis.workdir`). The engine (`tamis.engines`) only decides where the tasks run: the output is the
same bytes whatever the engine, the number of workers, `chunk_size` or `split_bytes`.
"""
from __future__ import annotations

import json
import os
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np

from .clean import TemplateTable
from .dedup import Duplicate, Signatures, resolve, text_shingles
from .dedup.shingles import normalized_shingles
from .dedup.verify import Edges
from .engines import make_engine
from .io.plan import SPLIT_BYTES, Piece, plan_inputs
from .outputs import DocumentFiles, remove_stale
from .progress import Progress, peak_mb
from .stages import SAMPLES, TEMPLATE_EXAMPLES, Outcome, process
from .tasks import CleanContext, CleanTask, CountContext, PieceCount, clean_task, count_piece
from . import sharded_clusters, sharded_counts, sharded_lsh, sharded_verify, write_tasks
from .storage import Folder
from .workdir import DocumentStore, RawStore, WorkDir

__all__ = ["Options", "Outcome", "process", "run"]

CHUNK_SIZE = 500  # input records per shard of pass 2: the unit of parallel work and of resuming
DOC_COLUMNS = ("id", "source", "role", "title", "text", "provenance", "meta")
DUP_COLUMNS = (*DOC_COLUMNS, "duplicate_of", "kind", "score")


@dataclass
class Options:
    workers: int | None = None     # local: processes (default 1); ray: CPUs of a local Ray (default all)
    engine: str = "local"          # local | ray
    ray_address: str | None = None
    progress: bool | None = None   # None: a bar on a terminal, log lines otherwise; False: quiet
    dedup: bool = True
    jaccard: float | None = None
    containment: float | None = None
    chunk_size: int = CHUNK_SIZE
    shard_size: int | None = None  # documents per output file (default: one file)
    format: str = "jsonl"          # jsonl | jsonl.zst | parquet
    fresh: bool = False            # ignore what an earlier run left in OUT/.tamis
    split_bytes: int = SPLIT_BYTES  # bytes per input piece: small files grouped, large JSONL cut in ranges
    lsh_tasks: int | None = None   # tasks per step of dedup's candidate search (None: from the corpus size)


# pass 1 -----------------------------------------------------------------------------------------------

def count_pass(inputs: list[str], work: WorkDir, engine, opts: Options,
               progress: Progress) -> tuple[TemplateTable, int, list[dict]]:
    """Site line counts, by tasks that each read one piece of the inputs and write its counts, reduced
    by tasks too (`tamis.sharded_counts`); and the plan of pass 2: for each piece, its records, where
    each of its shards starts, and the ids that take a `~k`."""
    cached, plan = work.load_templates(), work.load_plan()
    if cached is not None and plan is not None:
        progress.log(f"count: done by an earlier run ({cached[1]} records)")
        return (*cached, plan)
    pieces = plan_inputs(inputs, opts.split_bytes)
    folder = work.root.child("count")
    folder.remove_all()
    folder.makedirs()
    parts: list[PieceCount] = []
    with progress.start("count") as bar:
        context = CountContext(opts.chunk_size, folder.url, sharded_counts.partitions(len(pieces)))
        for part in engine.map(count_piece, list(enumerate(pieces)), context):
            parts.append(part)
            bar.update(part.records)
        first_lines = _first_lines(pieces, parts)
        table, renamed = sharded_counts.reduce(engine, sharded_counts.CountReduce(
            folder.url, [p.as_json() for p in pieces], first_lines, context.parts))
        plan = [{"piece": piece.as_json(), "records": part.records, "first_line": first,
                 "marks": part.marks.tolist(), "renames": sorted(names.items())}
                for piece, part, first, names in zip(pieces, parts, first_lines, renamed)]
        records = sum(p["records"] for p in plan)
        lines = sum(table.summary().values())
        bar.done(f"{records} records in {len(pieces)} pieces, {len(table.sites)} sites with a template "
                 f"({lines} lines)")
    work.save_plan(plan)
    work.save_templates(table, records)
    folder.remove_all()
    return table, records, plan


def _first_lines(pieces: list[Piece], parts: list[PieceCount]) -> list[int]:
    """Each piece's first line number: a range of lines starts after the lines of the ranges of its
    file before it."""
    first_lines, line, path = [], 1, None
    for piece, part in zip(pieces, parts):
        if piece.lines:
            line = 1 if piece.path != path or piece.start == 0 else line
            path = piece.path
            first_lines.append(line)
            line += part.lines
        else:
            first_lines.append(1)
    return first_lines


# pass 2 -----------------------------------------------------------------------------------------------

def clean_pass(plan: list[dict], templates: TemplateTable, records: int, work: WorkDir, engine,
               opts: Options, progress: Progress) -> dict:
    """Every piece's records cleaned in shards of `chunk_size`, a task per shard (`_tasks`), which
    reads its records from where pass 1 marked the first and writes the shard itself."""
    size = opts.chunk_size
    total = sum(-(-p["records"] // size) for p in plan)
    finished = work.finished() & set(range(total))
    stats = {"shards": total, "reused": len(finished)}
    with progress.start("clean", records) as bar:
        if finished and len(finished) == total:
            bar.update(records)
            bar.done(f"{records} records, all {total} shards done by an earlier run")
            return stats
        made = Counter()

        def tasks() -> Iterator[CleanTask]:
            for task, n in _tasks(plan, size, finished):
                if task is None:
                    bar.update(n)
                else:
                    yield task

        context = CleanContext(templates, work.shards.url, size)
        for written in engine.map(clean_task, tasks(), context):
            for _, n, documents, nbytes in written:
                made.update(documents=documents, bytes=nbytes)
                bar.update(n)
        missing = sorted(set(range(total)) - work.finished())
        if missing:  # written by the tasks where they ran: a node whose disk is not the driver's
            raise RuntimeError(f"{len(missing)} of {total} shards are not in {work.shards} (shard {missing[0]} first): "
                               "on a cluster of several machines, OUT must be a URL (s3://...) or a folder "
                               "that every node sees at the same path")
        again = f", {len(finished)} of {total} shards done by an earlier run" if finished else ""
        bar.done(f"{records} records -> {made['documents']} documents "
                 f"({made['bytes'] / 2**20:.1f} MB){again}")
    return stats


def _tasks(plan: list[dict], size: int, finished: set[int]) -> Iterator[tuple[CleanTask | None, int]]:
    """Pass 2's tasks in plan order, each with its number of records (None: its shards are finished).
    A task per shard; but a shard that starts inside a file that cannot be entered part-way (its mark
    skips records: a compressed file, a WARC) goes with the shard before, so that no task reads a file
    from its start to skip most of it."""
    shard = 0
    for entry in plan:
        piece, n = Piece.from_json(entry["piece"]), entry["records"]
        renamed = dict(entry["renames"])
        marks = entry["marks"]
        j = 0
        while j < len(marks):
            joined = 1
            while j + joined < len(marks) and marks[j + joined][1] < 0 and marks[j + joined][3] > 0:
                joined += 1
            first = j * size
            take = min(joined * size, n - first)
            todo = any(shard + k not in finished for k in range(joined))
            rows = range(first, first + take)
            yield (CleanTask(piece, shard, marks[j], entry["first_line"], first, take,
                             {k: v for k, v in renamed.items() if k in rows}, joined) if todo else None), take
            shard += joined
            j += joined


# pass 3 -----------------------------------------------------------------------------------------------

@dataclass
class Corpus:
    """What pass 3 and 4 know of pass 2's documents: their ids and where each one lies; and the
    dedup clusters that records emptied by the cleaner fell in (`ghosts`: record id -> Duplicate)."""

    ids: list[str]
    store: DocumentStore
    ghosts: dict[str, Duplicate] = field(default_factory=dict)


def dedup_pass(work: WorkDir, shards: int, engine, opts: Options,
               progress: Progress) -> tuple[Corpus, dict[str, Duplicate]]:
    """Dedup rows: every document, then every record the cleaner emptied (a ghost: no cleaned text,
    its raw capture only); rows are read back from the shards when verifying, never all held. The
    candidate pairs are found by tasks on the engine that read the MinHash values and anchors from
    the shard files (`tamis.sharded_lsh`), verified by tasks that read their texts from the shard
    files (`tamis.sharded_verify`), and clustered by tasks given whole connected components of the
    verified pairs (`tamis.sharded_clusters`; both in this process on one worker): this process holds
    a few numbers per row and the verified pairs."""
    ids: list[str] = []
    ghost_ids: list[str] = []
    shard_of, offsets, raw_chars, parts = [], [], [], []
    raw_parts, raw_shard, raw_starts, raw_ends, ghost_flags = [], [], [], [], []
    with progress.start("dedup", None, "doc") as bar:
        for k in range(shards):
            record = work.shard_record(k)
            ids.extend(record["ids"])
            ghosts = record.get("ghosts", [])
            ghost_ids.extend(ghosts)
            sig, at, raw, raw_sig, raw_at = work.signatures(k, light=True)
            parts.append(sig)
            raw_parts.append(raw_sig)
            offsets.append(at)
            raw_chars.append(raw)
            shard_of.append(np.full(len(at), k, dtype=np.int32))
            raw_shard.append(np.full(len(sig), k, dtype=np.int32))
            raw_starts.append(raw_at[:-1])
            raw_ends.append(raw_at[1:])
            ghost_flags.append(np.arange(len(sig)) >= len(at))
            bar.update(len(at))
        store = DocumentStore(work, _concat(shard_of, np.int32), _concat(offsets, np.int64))
        corpus = Corpus(ids, store)
        duplicates: dict[str, Duplicate] = {}
        if opts.dedup and (ids or ghost_ids):
            kwargs = {k: v for k, v in (("jaccard", opts.jaccard), ("containment", opts.containment)) if v is not None}
            ghost = _concat(ghost_flags, bool)
            rows = _rows(ids, ghost_ids, ghost)
            doc_row = np.cumsum(~ghost) - 1  # a document row's line in the store
            raws = RawStore(work, _concat(raw_shard, np.int32), _concat(raw_starts, np.int64),
                            _concat(raw_ends, np.int64))

            def cleaned(row: int) -> np.ndarray:
                return text_shingles("" if ghost[row] else store.doc(int(doc_row[row]))["text"])

            sizes = [len(p) for p in parts]
            signatures, raw_signatures = Signatures.concat(parts), Signatures.concat(raw_parts)
            del parts, raw_parts

            def candidates(sig: Signatures, rank: np.ndarray, rows: np.ndarray, **lsh) -> np.ndarray:
                prefix = "" if sig is signatures else "raw_"
                return sharded_lsh.candidates(engine, work.shards.url, work.root.child("lsh").url, sizes, prefix,
                                              sig, rank, rows, tasks=opts.lsh_tasks, **lsh)

            def places(rows_: np.ndarray) -> sharded_verify.Places:
                ghosts_ = ghost[rows_]
                at = np.where(ghosts_, 0, doc_row[rows_])
                doc_shard = store.shard_of[at] if store.shard_of.size else np.zeros(len(at), np.int32)
                doc_offset = store.offsets[at] if store.offsets.size else np.zeros(len(at), np.int64)
                return sharded_verify.Places(np.where(ghosts_, -1, doc_shard), np.where(ghosts_, 0, doc_offset),
                                             raws.shard_of[rows_], raws.starts[rows_], raws.ends[rows_])

            def verifier(pairs: np.ndarray, row_of_rank: np.ndarray, **thresholds) -> Edges:
                return sharded_verify.verify(engine, work.out, pairs, lambda ranks: places(row_of_rank[ranks]),
                                             **thresholds)

            def clusterer(edges: Edges, row_of_rank: np.ndarray, empty: np.ndarray, *, bridge: float):
                return sharded_clusters.settle(engine, work.out, edges, lambda ranks: places(row_of_rank[ranks]),
                                               empty, bridge=bridge)

            try:
                found = resolve(rows, signatures, cleaned, prefer=_concat(raw_chars, np.int64),
                                raw_sig=raw_signatures, raw_of=lambda row: normalized_shingles(raws.text(row)),
                                candidates=candidates, verifier=verifier if _parallel(engine) else None,
                                clusterer=clusterer if _parallel(engine) else None, **kwargs)
            finally:
                raws.close()
            ghost_set = set(ghost_ids)
            duplicates = {d.id: d for d in found if d.id not in ghost_set}
            corpus.ghosts = {d.id: d for d in found if d.id in ghost_set}
        bar.done(f"{len(ids)} documents -> {len(duplicates)} duplicates"
                 + (f"; {len(corpus.ghosts)} of {len(ghost_ids)} emptied records in a cluster"
                    if ghost_ids else "") if opts.dedup else "off")
    return corpus, duplicates


def _parallel(engine) -> bool:
    """Whether `engine`'s tasks run beside this process (a pool of 2 or more, Ray): then verification
    and clustering are spread over tasks; on one worker they run here, sharing the reduce's cache of
    shingled texts. Either way, the same duplicates."""
    return engine.name != "local" or engine.workers > 1


def _rows(ids: list[str], ghost_ids: list[str], ghost: np.ndarray) -> list[str]:
    """The dedup rows' ids: each shard's documents, then its ghosts, as `ghost` flags them."""
    docs, ghosts = iter(ids), iter(ghost_ids)
    return [next(ghosts) if g else next(docs) for g in ghost.tolist()]


def _concat(arrays: list[np.ndarray], dtype) -> np.ndarray:
    return np.concatenate(arrays) if arrays else np.zeros(0, dtype=dtype)


# pass 4 -----------------------------------------------------------------------------------------------

def write_pass(out: Folder, shards: int, corpus: Corpus, duplicates: dict[str, Duplicate],
               opts: Options, progress: Progress, engine) -> dict:
    """The output files and the ledger, each one written by a task of `engine` (`tamis.write_tasks`,
    `_write_ledger`); returns what the report and the summary need."""
    ids, store = corpus.ids, corpus.store
    with progress.start("write", len(ids), "doc") as bar:
        jobs = write_tasks.plan(ids, store.shard_of, store.offsets, duplicates, opts.shard_size, DOC_COLUMNS,
                                DUP_COLUMNS)
        context = write_tasks.WriteContext(out.url, opts.format, opts.shard_size)
        # The ledger is a task too, sent first: on a pool it is written beside the documents file,
        # where the two and the duplicates file ran one after the other in this process, the run's
        # serial tail (the write pass at 100k documents on 2 workers: 1.3-1.6 s -> 0.9 s).
        tasks = [LedgerJob(shards, duplicates, corpus.ghosts), *jobs]
        done = engine.map(_write_task, tasks, context)  # on one worker, in this process
        seen, files = next(done), []
        for job, name in zip(jobs, done):
            files.append(name)
            bar.update(job.count)
        for name in ("documents", "duplicates"):
            remove_stale(out, name, files)
        bar.done(f"{len(ids) - len(duplicates)} documents, {len(duplicates)} duplicates, "
                 f"{seen['inputs']} ledger rows -> {', '.join(files[:4])}{' ...' if len(files) > 4 else ''}")
    seen["files"] = files
    return seen


@dataclass
class LedgerJob:
    shards: int
    duplicates: dict[str, Duplicate]
    ghosts: dict[str, Duplicate]


def _write_task(context: write_tasks.WriteContext, task) -> str | dict:
    """Pass 4's task: an output file (`write_tasks.write_task`; returns its name), or the ledger
    (returns `_write_ledger`'s counts)."""
    if not isinstance(task, LedgerJob):
        return write_tasks.write_task(context, task)
    out = Folder(context.out)
    try:
        return _write_ledger(out, WorkDir.reopen(out), task.shards, task.duplicates, task.ghosts)
    finally:
        out.close()


def _write_ledger(out: Folder, work: WorkDir, shards: int, duplicates: dict[str, Duplicate],
                  ghosts: dict[str, Duplicate]) -> dict:
    """ledger.jsonl in input order, with duplicates marked; gathers the report's counts on the way.
    A record the cleaner emptied whose raw capture fell in a cluster is a duplicate of the cluster's
    canonical document, its reason saying so beside the cleaner's."""
    statuses: Counter = Counter()
    not_kept: Counter = Counter()
    removed: Counter = Counter()
    removed_chars: Counter = Counter()
    template_lines: dict[str, list[str]] = {}
    samples: list[dict] = []
    ledger = DocumentFiles(out, "ledger")
    for k in range(shards):
        record = work.shard_record(k)
        for row in record["ledger"]:
            _mark_duplicates(row, duplicates)
            ghost = ghosts.get(row["source"]) if row["status"] == "removed" else None
            if ghost is not None:
                row["status"] = "duplicate"
                row["reason"] = (f"{ghost.kind} duplicate of {ghost.duplicate_of} (raw capture; "
                                 f"{row['reason']})")
                row["duplicate_of"] = [ghost.duplicate_of]
            statuses[row["status"]] += 1
            if row["status"] in ("unreadable", "skipped", "removed"):
                not_kept[row["reason"].split(":")[0]] += 1
            ledger.write(row)
        for reason, (spans, chars) in record["removed"].items():
            removed[reason] += spans
            removed_chars[reason] += chars
        for site, lines in record["template_lines"].items():
            have = template_lines.setdefault(site, [])
            have.extend(x for x in lines if x not in have and len(have) < TEMPLATE_EXAMPLES)
        samples.extend(record["samples"][:SAMPLES - len(samples)])
    ledger.close()
    return {"inputs": sum(statuses.values()), "statuses": dict(sorted(statuses.items())), "not_kept": not_kept,
            "removed": removed, "removed_chars": removed_chars, "template_lines": template_lines,
            "samples": samples}


def _mark_duplicates(row: dict, duplicates: dict[str, Duplicate]) -> None:
    outs = row["outputs"]
    if outs and all(o in duplicates for o in outs):
        first = duplicates[outs[0]]
        row["status"] = "duplicate"
        row["reason"] = f"{first.kind} duplicate of {first.duplicate_of}"
        row["duplicate_of"] = sorted({duplicates[o].duplicate_of for o in outs})
        row["outputs"] = []
    elif outs:
        row["outputs"] = [o for o in outs if o not in duplicates]


# passes 3 and 4, as one task ---------------------------------------------------------------------------

@dataclass
class ReduceJob:
    out: str            # OUT's path or URL
    opts: Options
    shards: dict        # pass 2's counts
    elapsed: float      # seconds the run had taken when the job was sent
    engine: str         # the driver's engine, as the summary names it


def reduce_task(_, job: ReduceJob) -> dict:
    """Passes 3 and 4 and the report, run as one task where the driver's engine puts it (a pool worker
    of its own, a Ray worker), so that the driver holds only the plan and the counters whatever the
    corpus's size. This task starts its own engine of the same kind for dedup's map steps (inside a Ray
    worker it joins the running Ray) and holds a few numbers per document (`dedup_pass`): the one step
    of the run whose memory grows with the corpus, as datatrove's cluster step is one task too.
    Returns the summary, with the lines its passes logged (`log`)."""
    started = time.perf_counter()
    opts = job.opts
    out = Folder(job.out)
    work = WorkDir.reopen(out)
    shards = job.shards["shards"]
    # A Ray worker's stderr is not the driver's: its lines go back with the summary instead.
    progress = Progress(False if job.engine == "ray" else opts.progress)
    engine = make_engine(opts.engine, opts.workers, opts.ray_address)
    corpus = None
    try:
        corpus, duplicates = dedup_pass(work, shards, engine, opts, progress)
        seen = write_pass(out, shards, corpus, duplicates, opts, progress, engine)
        summary = _summary(seen, len(corpus.ids) - len(duplicates), len(duplicates),
                           job.elapsed + time.perf_counter() - started)
        summary.update(engine=job.engine, shards=shards, shards_reused=job.shards["reused"], files=seen["files"])
        from .report import ReportData
        from .report.html import render
        loaded = work.load_templates()
        templates = loaded[0] if loaded is not None else None
        out.write_bytes("report.html", render(ReportData.gather(summary, seen, corpus, duplicates, templates)).encode())
    finally:
        engine.close()
        if corpus is not None:
            corpus.store.close()
        out.close()
    summary["log"] = progress.lines
    return summary


# the run ----------------------------------------------------------------------------------------------

def run(inputs: Iterable[str | os.PathLike], out: str | os.PathLike, **options) -> dict:
    """Run the whole pipeline; returns the summary (also written as OUT/summary.json)."""
    opts = Options(**options)
    if opts.chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    if opts.split_bytes < 1:
        raise ValueError("split_bytes must be at least 1")
    sharded_lsh.check_tasks(opts.lsh_tasks)  # here, not after the clean pass
    inputs = [str(p) for p in inputs]
    out = Folder(out)
    out.makedirs()
    progress = Progress(opts.progress)
    started = time.perf_counter()
    work = WorkDir(out, inputs, {"chunk_size": opts.chunk_size, "split_bytes": opts.split_bytes}, fresh=opts.fresh)
    if work.resumed:
        progress.log(f"resuming the run in {out} ({len(work.finished())} shards done)")
    engine = make_engine(opts.engine, opts.workers, opts.ray_address)
    try:
        templates, records, plan = count_pass(inputs, work, engine, opts, progress)
        shards = clean_pass(plan, templates, records, work, engine, opts, progress)
        del templates, plan
        job = ReduceJob(out.url, opts, shards, time.perf_counter() - started, engine.name)
        summary = next(iter(engine.map(reduce_task, [job])))
    finally:
        engine.close()
        out.close()
    lines = summary.pop("log")
    if engine.name == "ray":  # logged in a Ray worker: shown here
        for line in lines:
            progress.log(line)
    # The summary's peaks: the run's processes here (the reduce task's own beside them).
    summary["reduce_peak_mb"] = summary.pop("driver_peak_mb")
    summary["peak_mb"] = max(summary["peak_mb"], round(peak_mb()))
    summary["driver_peak_mb"] = round(peak_mb(children=False))
    out.write_bytes("summary.json", (json.dumps(summary, indent=1, sort_keys=True) + "\n").encode())
    return summary


def _summary(seen: dict, kept: int, dropped: int, seconds: float) -> dict:
    peak = peak_mb()
    line = (f"{seen['inputs']} inputs -> {kept} documents kept, {dropped} duplicates; "
            + ", ".join(f"{k} {v}" for k, v in seen["statuses"].items())
            + f"; {seconds:.1f}s, peak {peak:.0f} MB")
    return {"inputs": seen["inputs"], "documents": kept, "duplicates": dropped, "statuses": seen["statuses"],
            "seconds": round(seconds, 3), "peak_mb": round(peak), "driver_peak_mb": round(peak_mb(children=False)),
            "line": line}
