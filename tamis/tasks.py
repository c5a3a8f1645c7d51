"""What a task of pass 1 and pass 2 does with its piece of the inputs (`tamis.io.plan`): it reads the
records itself, where it runs, and pass 2's task writes its shards to OUT/.tamis itself, so the driver
neither reads the corpus nor carries the cleaned shards.

- `count_piece(context, (index, piece))`: pass 1. The site line counts of the piece's text records and
  the hashes of its records' ids (`tamis.unique_ids`), written to OUT/.tamis/count for the reduce
  tasks (`tamis.sharded_counts`); returned: its number of records (and of lines, for a range of a
  JSONL file) and where every `chunk_size`-th record starts (a pass-2 task starts reading there: a
  byte offset in a JSONL file).
- `clean_task(context, task)`: pass 2. A shard (or the consecutive shards of a file that cannot be
  entered part-way): `chunk_size` records of a piece read from where pass 1 marked its first, the
  ids made unique, cleaned (`stages.clean_shard`) and written (`workdir.write_shard`); returns what
  the driver counts.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .clean import TemplateCounts, TemplateTable
from .document import Document
from .io.plan import FALLBACK, Piece, read_from, walk_piece
from .stages import Shard, clean_shard
from .storage import Folder
from .unique_ids import hashes
from .sharded_counts import write_counts
from .workdir import write_shard


@dataclass
class PieceCount:
    """Pass 1's answer for one piece. `marks`: where records 0, chunk_size, 2 * chunk_size... start
    (`plan.walk_piece`'s places), so that each shard's task starts reading there; `lines`: the lines
    that start in a range."""

    records: int = 0
    lines: int = 0
    marks: np.ndarray = field(default_factory=lambda: np.zeros((0, 4), dtype=np.int64))


@dataclass
class CountContext:
    chunk_size: int
    folder: str          # OUT/.tamis/count: a local folder or a URL
    parts: int           # partitions of the reduce (`sharded_counts.partitions`)


def count_piece(context: CountContext, task: tuple[int, Piece]) -> PieceCount:
    """Also written: the ids of records of a range of lines that have no id (their line number, not
    known to the task: the lines before its range are not counted) as the record and its line."""
    index, piece = task
    counts = TemplateCounts()
    ids: list[str] = []
    id_rows: list[int] = []
    fallback: list[tuple[int, int]] = []
    marks: list[tuple[int, int, int, int]] = []
    records = lines = 0
    for mark, item in walk_piece(piece, None):
        lines = max(lines, mark[2] + 1)
        if item is None:
            continue
        if records % context.chunk_size == 0:
            marks.append(mark)
        if isinstance(item, Document):
            if item.id == FALLBACK:
                fallback.append((records, mark[2]))
            else:
                ids.append(item.id)
                id_rows.append(records)
            if item.text:
                counts.add_text(item.site, item.text, item.url)
        records += 1
    fb = np.array(fallback, dtype=np.int64).reshape(-1, 2)
    folder = Folder(context.folder)
    try:
        write_counts(folder, index, context.parts, counts, hashes(ids), np.array(id_rows, dtype=np.int64),
                     fb[:, 0], fb[:, 1])
    finally:
        folder.close()
    return PieceCount(records, lines if piece.lines else 0, np.array(marks, dtype=np.int64).reshape(-1, 4))


@dataclass
class CleanContext:
    templates: TemplateTable | None
    shards: str          # OUT/.tamis/shards: a local folder or a URL
    chunk_size: int


@dataclass
class CleanTask:
    """Shards `shard`, `shard + 1`... (`shards` of them): `take` records of `piece` from its record
    `first_record`, which starts at `mark` (`plan.read_from`; `first_line`: the piece's first line
    number), `chunk_size` a shard; `renames`: record index in the piece -> k for a record whose id
    takes `~k`. A task holds one shard, or all the shards of a file that cannot be entered part-way
    (compressed, WARC, Parquet): read once, not once per shard."""

    piece: Piece
    shard: int
    mark: list[int]
    first_line: int
    first_record: int
    take: int
    renames: dict[int, int] = field(default_factory=dict)
    shards: int = 1


def clean_task(context: CleanContext, task: CleanTask) -> list[tuple[int, int, int, int]]:
    """The task's shards cleaned and written to OUT/.tamis/shards: (shard, records, documents, bytes)
    of each."""
    folder = Folder(context.shards)
    written = []
    index, items = task.shard, []
    try:
        for row, item in enumerate(read_from(task.piece, task.mark, task.first_line), task.first_record):
            if row - task.first_record == task.take:
                break
            k = task.renames.get(row)
            if k is not None and isinstance(item, Document):
                item.id = f"{item.id}~{k}"
            items.append(item)
            if len(items) == context.chunk_size:
                written.append(_write(context, folder, index, items))
                index, items = index + 1, []
        if items:
            written.append(_write(context, folder, index, items))
    finally:
        folder.close()
    return written


def _write(context: CleanContext, folder: Folder, index: int, items: list) -> tuple[int, int, int, int]:
    output = clean_shard(context.templates, Shard(index, items))
    write_shard(folder, output)
    return index, output.records, len(output.ids), len(output.docs)
