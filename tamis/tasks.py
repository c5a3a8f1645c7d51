"""What a task of pass 1 and pass 2 does with its piece of the inputs (`tamis.io.plan`): it reads the
records itself, where it runs, and pass 2's task writes its shards to OUT/.tamis itself, so the driver
neither reads the corpus nor carries the cleaned shards.

- `count_piece(chunk_size, piece)`: pass 1. The site line counts of the piece's text records, its
  number of records (and of lines, for a range of a JSONL file), where every `chunk_size`-th record
  starts (a pass-2 task starts reading there), and the hashes of its records' ids
  (`tamis.unique_ids`).
- `clean_task(context, task)`: pass 2. Records of a piece, the ids made unique, in shards of
  `chunk_size` records, each cleaned (`stages.clean_shard`) and written (`workdir.write_shard`)
  unless an earlier run finished it; returns what the driver counts.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from .clean import TemplateCounts, TemplateTable, split_blocks
from .document import Document
from .io.plan import FALLBACK, Piece, read_lines, read_piece
from .io.readers import Item, split_name
from .stages import Shard, clean_shard
from .storage import Folder
from .unique_ids import HASH, hashes
from .workdir import write_shard


@dataclass
class PieceCount:
    """Pass 1's output for one piece. `marks`: [byte offset, line index] of records 0, chunk_size,
    2 * chunk_size... (a range of lines only). `ids`, `id_rows`: the hash of each document's id and
    its record index; `fallback_rows`, `fallback_lines`: records of a range of lines whose id is their
    line number, not known to the task (the lines before its range are not counted)."""

    counts: TemplateCounts
    records: int = 0
    lines: int = 0
    marks: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), dtype=np.int64))
    ids: np.ndarray = field(default_factory=lambda: np.zeros(0, HASH))
    id_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    fallback_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    fallback_lines: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))


def count_piece(chunk_size: int, piece: Piece) -> PieceCount:
    counts = TemplateCounts()
    ids: list[str] = []
    id_rows: list[int] = []
    fallback: list[tuple[int, int]] = []
    marks: list[tuple[int, int]] = []
    records = lines = 0
    if piece.lines:
        items: Iterator = read_lines(piece.path, piece.start, piece.end, None)
    else:
        items = ((0, 0, item) for item in read_piece(piece))
    for at, index, item in items:
        lines = max(lines, index + 1)
        if item is None:
            continue
        if piece.lines and records % chunk_size == 0:
            marks.append((at, index))
        if isinstance(item, Document):
            if item.id == FALLBACK:
                fallback.append((records, index))
            else:
                ids.append(item.id)
                id_rows.append(records)
            if item.text:
                counts.add(item.site, [b.text for b in split_blocks(item.text)], item.url)
        records += 1
    fb = np.array(fallback, dtype=np.int64).reshape(-1, 2)
    return PieceCount(counts.compact(), records, lines, np.array(marks, dtype=np.int64).reshape(-1, 2),
                      hashes(ids), np.array(id_rows, dtype=np.int64), fb[:, 0], fb[:, 1])


def fallback_ids(piece: Piece, first_line: int, lines: np.ndarray) -> list[str]:
    """The ids of a range's records that have no `id` field, once its first line number is known."""
    stem = split_name(piece.path.rstrip("/").rsplit("/", 1)[-1])[0]
    return [f"{stem}:{first_line + int(k)}" for k in lines]


@dataclass
class CleanContext:
    templates: TemplateTable | None
    shards: str          # OUT/.tamis/shards: a local folder or a URL
    chunk_size: int


@dataclass
class CleanTask:
    """Shards `first_shard`, ... of `piece`: its records from byte `start` (a range of lines: the start
    of record `first_record`, on line `first_line`), `take` of them (None: to the end); `renames`:
    record index in the piece -> k for an id that takes `~k`; `done`: shards not to redo."""

    piece: Piece
    first_shard: int
    first_record: int = 0
    start: int = 0
    first_line: int = 1
    take: int | None = None
    renames: dict[int, int] = field(default_factory=dict)
    done: frozenset[int] = frozenset()


def clean_task(context: CleanContext, task: CleanTask) -> list[tuple[int, int, int, int]]:
    """(shard, records, documents, bytes) of each shard written."""
    folder = Folder(context.shards)
    written = []
    index, items = task.first_shard, []
    try:
        for item in _records(task):
            items.append(item)
            if len(items) == context.chunk_size:
                written += _clean(context, folder, task, index, items)
                index, items = index + 1, []
        if items:
            written += _clean(context, folder, task, index, items)
    finally:
        folder.close()
    return written


def _records(task: CleanTask) -> Iterator[Item]:
    piece = task.piece
    if piece.lines:
        found = (item for _, _, item in read_lines(piece.path, task.start, piece.end, task.first_line,
                                                  aligned=True) if item is not None)
    else:
        found = read_piece(piece)
    for row, item in enumerate(found, task.first_record):
        if task.take is not None and row - task.first_record >= task.take:
            return
        k = task.renames.get(row)
        if k is not None and isinstance(item, Document):
            item.id = f"{item.id}~{k}"
        yield item


def _clean(context: CleanContext, folder: Folder, task: CleanTask, index: int,
           items: list[Item]) -> list[tuple[int, int, int, int]]:
    if index in task.done:
        return []
    output = clean_shard(context.templates, Shard(index, items))
    write_shard(folder, output)
    return [(index, output.records, len(output.ids), len(output.docs))]
