"""The input plan: the driver lists the inputs and cuts them into pieces that a task reads by itself,
so that records are read where they are cleaned instead of being read by the driver and shipped.

A `Piece` is either
- whole files read one after another: small files are grouped until the group holds `split_bytes`;
  an entry may also be what the listing found unreadable (a missing path, a link loop), which reads
  as its ledger row;
- bytes [start, end) of one uncompressed JSONL file larger than `split_bytes`: the piece holds the
  lines that *start* in its range (Hadoop's rule for text splits), so the driver reads none of its
  bytes and no line is lost or read twice;
- row groups [start, end) of one Parquet file larger than `split_bytes`, consecutive groups up to
  `split_bytes` of compressed data: the driver reads the file's footer (its row groups and their
  sizes), never a record.
The plan's order is the input order (paths as given, folders in name order, a file's ranges in order):
the pieces' records, one piece after another, are exactly `read_inputs`'s, ids included once
`tamis.unique_ids` has made them unique.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tamis.io.readers import Item, _line_document, _read_file, read_row_groups, split_name
from tamis.io.remote import RemotePath, remote_files
from tamis.io.streams import CHUNK_BYTES
from tamis.io.unreadable import Unreadable
from tamis.storage import is_url

__all__ = ["Piece", "SPLIT_BYTES", "plan_inputs", "read_from", "read_lines", "walk_piece"]

SPLIT_BYTES = 32 << 20  # a piece's size: enough work for a task, small enough for many tasks per file
SPLITTABLE = (".jsonl", ".ndjson")


@dataclass
class Piece:
    """`entries` (whole files: paths or URLs; or [source, reason, detail, status] of an unreadable
    path), or `path`'s bytes [start, end) (a range of lines), or with `groups` its row groups
    [start, end) (a Parquet file)."""

    entries: list = field(default_factory=list)
    path: str | None = None
    start: int = 0
    end: int = 0
    groups: bool = False

    @property
    def lines(self) -> bool:
        return self.path is not None and not self.groups

    def as_json(self) -> dict:
        if self.path is None:
            return {"entries": self.entries}
        return {"path": self.path, "start": self.start, "end": self.end, **({"groups": True} if self.groups else {})}

    @classmethod
    def from_json(cls, data: dict) -> Piece:
        return cls(**data)


def plan_inputs(paths: list[str], split_bytes: int = SPLIT_BYTES) -> list[Piece]:
    """The pieces of `paths`, in input order."""
    pieces: list[Piece] = []
    group = Piece()
    size = 0
    for entry, nbytes in _list(paths):
        split = _split(entry, nbytes, split_bytes) if isinstance(entry, str) and nbytes > split_bytes else []
        if split:
            if group.entries:
                pieces.append(group)
                group, size = Piece(), 0
            pieces.extend(split)
            continue
        group.entries.append(entry)
        size += nbytes
        if size >= split_bytes:
            pieces.append(group)
            group, size = Piece(), 0
    if group.entries:
        pieces.append(group)
    return pieces


def _split(name: str, nbytes: int, split_bytes: int) -> list[Piece]:
    """The pieces of a file larger than `split_bytes`: ranges of an uncompressed JSONL file; runs of a
    Parquet file's row groups (none for one group, or a footer that cannot be read: the file is then
    one piece, and its reader says what is wrong)."""
    if _splittable(name):
        return [Piece(path=name, start=a, end=min(a + split_bytes, nbytes)) for a in range(0, nbytes, split_bytes)]
    if split_name(name.rstrip("/").rsplit("/", 1)[-1])[1:] != (".parquet", ""):
        return []
    import pyarrow as pa  # here, not at import: a run without Parquet need not load it
    import pyarrow.parquet as pq
    try:
        with _open_path(name).open("rb") as fh:
            meta = pq.ParquetFile(fh).metadata
            sizes = [sum(meta.row_group(g).column(c).total_compressed_size for c in range(meta.num_columns))
                     for g in range(meta.num_row_groups)]
    except (pa.ArrowException, OSError, ValueError):
        return []
    starts, size = [0], 0
    for g, nbytes in enumerate(sizes[:-1]):
        size += nbytes
        if size >= split_bytes:
            starts.append(g + 1)
            size = 0
    if len(starts) == 1:
        return []
    return [Piece(path=name, start=a, end=b, groups=True) for a, b in zip(starts, [*starts[1:], len(sizes)])]


def _splittable(name: str) -> bool:
    _, extension, compression = split_name(name.rstrip("/").rsplit("/", 1)[-1])
    return extension in SPLITTABLE and not compression


def _list(paths: list[str]) -> Iterator[tuple[str | list, int]]:
    """Every input file (path or URL) with its size, or an unreadable entry, in `read_inputs`'s order."""
    for path in paths:
        if is_url(path):
            try:
                files, found = remote_files(str(path))
            except OSError as exc:
                yield [str(path), "io-error", str(exc), "unreadable"], 0
                continue
            if not found:
                yield [str(path), "not-found", "no such file or folder", "unreadable"], 0
            for f in files:
                yield str(f), _size(lambda: f.fs.size(f.path))
        else:
            yield from _walk(Path(path), frozenset())


def _walk(path: Path, folders: frozenset[str]) -> Iterator[tuple[str | list, int]]:
    """`read_path`'s walk: folders in name order, hidden names left out, a link loop not followed."""
    if path.is_dir():
        real = os.path.realpath(path)
        if real in folders:
            yield [str(path), "link-loop", f"links back to {real}", "skipped"], 0
            return
        try:
            children = sorted(path.iterdir(), key=lambda p: p.name)
        except OSError as exc:
            yield [str(path), "io-error", str(exc), "unreadable"], 0
            return
        for child in children:
            if not child.name.startswith("."):
                yield from _walk(child, folders | {real})
    elif path.is_file():
        yield str(path), _size(lambda: path.stat().st_size)
    else:
        yield [str(path), "not-found", "no such file or folder", "unreadable"], 0


def _size(stat) -> int:
    try:
        return int(stat())
    except (OSError, TypeError, ValueError):
        return 0  # the reader will say what is wrong with it


def _open_path(name: str) -> Path | RemotePath:
    if is_url(name):
        import fsspec
        fs, path = fsspec.core.url_to_fs(name)
        return RemotePath(fs, path)
    return Path(name)


def walk_piece(piece: Piece, first_line: int | None) -> Iterator[tuple[tuple[int, int, int, int], Item | None]]:
    """Every record of a piece, in order, each with where it starts: (entry, byte offset, line index,
    record index in the entry). The byte offset and line index are those of a line of a JSONL file
    read by lines (a range; a whole uncompressed JSONL file), else -1 and 0: a task starting there
    reads the entry from its start and skips the records before. None for a blank line of JSONL.
    `first_line`: a range's first line number (None: not known yet, see `read_lines`)."""
    if piece.groups:
        for r, item in enumerate(_row_groups(piece)):
            yield (0, -1, 0, r), item
        return
    if piece.lines:
        for at, index, item in read_lines(piece.path, piece.start, piece.end, first_line):
            yield (0, at, index, 0), item
        return
    for k, entry in enumerate(piece.entries):
        if isinstance(entry, list):
            yield (k, -1, 0, 0), Unreadable(*entry)
        elif _splittable(entry):
            for at, index, item in read_lines(entry, 0, WHOLE, 1):
                yield (k, at, index, 0), item
        else:
            for r, item in enumerate(_read_file(_open_path(entry))):
                yield (k, -1, 0, r), item


WHOLE = 1 << 62  # a range's end that is past the end of any file


def read_from(piece: Piece, mark: list[int], first_line: int) -> Iterator[Item]:
    """The records of `piece` from the one `walk_piece` placed at `mark` (entry, byte offset, line index,
    record index in the entry) to the piece's end; `first_line` as for `walk_piece`."""
    entry, at, index, skip = mark
    if piece.groups:
        records = _row_groups(piece)
        for _ in range(skip):
            next(records, None)
        yield from records
        return
    if piece.lines:
        yield from _items(read_lines(piece.path, at, piece.end, first_line + index, aligned=True))
        return
    for k in range(entry, len(piece.entries)):
        name = piece.entries[k]
        if isinstance(name, list):
            yield Unreadable(*name)
        elif k == entry and at >= 0:
            yield from _items(read_lines(name, at, WHOLE, 1 + index, aligned=True))
        elif _splittable(name):
            yield from _items(read_lines(name, 0, WHOLE, 1))
        else:
            records = _read_file(_open_path(name))
            for _ in range(skip if k == entry else 0):
                next(records, None)
            yield from records


def _row_groups(piece: Piece) -> Iterator[Item]:
    path = _open_path(piece.path)
    return read_row_groups(path, split_name(path.name)[0], (piece.start, piece.end))


def _items(lines: Iterator[tuple[int, int, Item | None]]) -> Iterator[Item]:
    return (item for _, _, item in lines if item is not None)


def read_lines(name: str, start: int, end: int, first_line: int | None,
               aligned: bool = False) -> Iterator[tuple[int, int, Item | None]]:
    """(byte offset, line index from `start`'s line, record) of each line that starts in [start, end)
    of the JSONL file `name` (None for a blank line); `aligned`: `start` is known to be a line's
    start. A record without an `id` is `<stem>:<first_line + line index>`; with `first_line` None
    (not known yet: the lines before the range are not counted) its id is `FALLBACK`."""
    stem = split_name(_open_path(name).name)[0]
    try:
        with _open_path(name).open("rb") as fh:
            for at, index, line in _lines(fh, start, end, aligned):
                if not line.strip():
                    yield at, index, None
                    continue
                fallback = FALLBACK if first_line is None else f"{stem}:{first_line + index}"
                yield at, index, _line_document(line, fallback)
    except OSError as exc:
        yield end, -1, Unreadable(stem, "io-error", str(exc))
    except Exception as exc:  # noqa: BLE001 - as `_read_file`: one bad file must never end the run
        yield end, -1, Unreadable(stem, "read-error", f"{type(exc).__name__}: {exc}"[:300])


FALLBACK = "\x00no-id"  # a record's id while its line number is not known yet


def _lines(fh, start: int, end: int, aligned: bool) -> Iterator[tuple[int, int, bytes]]:
    """(offset, index, line without its newline) of the lines starting in [start, end)."""
    line_start = start
    if start > 0 and not aligned:  # the line that holds byte `start - 1` belongs to the piece before
        fh.seek(start - 1)
        line_start = start - 1
        while True:
            chunk = fh.read(CHUNK_BYTES)
            if not chunk:
                return
            cut = chunk.find(b"\n")
            if cut >= 0:
                line_start += cut + 1
                buf = chunk[cut + 1:]
                break
            line_start += len(chunk)
    else:
        fh.seek(start)
        buf = b""
    index = i = 0  # buf[i:] is what is not handed out yet
    while line_start < end:
        cut = buf.find(b"\n", i)
        if cut < 0:
            chunk = fh.read(CHUNK_BYTES)
            if not chunk:
                if i < len(buf):
                    yield line_start, index, buf[i:]
                return
            buf, i = buf[i:] + chunk, 0
            continue
        yield line_start, index, buf[i:cut]
        index += 1
        line_start += cut + 1 - i
        i = cut + 1
