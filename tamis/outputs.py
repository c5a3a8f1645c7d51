"""Output files of documents (and of duplicates): one `NAME.jsonl` by default, or with `shard_size`
N, files of N documents `NAME-00000.jsonl`, `NAME-00001.jsonl`...; `format` `jsonl`, `jsonl.zst` or
`parquet` (`provenance` and `meta` as JSON strings there, since their keys vary).

Each file is put in place whole when complete (`Folder.stage` / `commit`: renamed from a temporary
name on a local disk, uploaded in one piece to an object store); when all are, the files an earlier run
of another format or shard size left are removed, so OUT never mixes two.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from .io.writers import dump_line
from .storage import Folder

FORMATS = ("jsonl", "jsonl.zst", "parquet")
LINE_FORMATS = ("jsonl", "jsonl.zst")  # a document may be handed over as its JSONL line (bytes)
ROW_GROUP = 2048
ZSTD_LEVEL = 6
_JSON_COLUMNS = ("provenance", "meta")


class DocumentFiles:
    """`write(doc)` each document in order, then `close()` (returns the names of the files written)."""

    def __init__(self, out: Folder, name: str, fmt: str = "jsonl", shard_size: int | None = None,
                 columns: tuple[str, ...] = ()) -> None:
        _check_format(fmt)
        self.out, self.name, self.fmt, self.columns = out, name, fmt, columns
        self.shard_size = shard_size if shard_size and shard_size > 0 else None
        self.paths: list[str] = []
        self._file: _JsonlFile | _ParquetFile | None = None
        self._in_file = 0

    def write(self, doc: dict) -> None:
        if self._file is None:
            self._open()
        self._file.write(doc)
        self._in_file += 1
        if self.shard_size and self._in_file == self.shard_size:
            self._finish()

    def close(self) -> list[str]:
        if self._file is None and not self.paths:  # always one file, if an empty one
            self._open()
        if self._file is not None:
            self._finish()
        remove_stale(self.out, self.name, self.paths)
        return self.paths

    def _open(self) -> None:
        self._target = part_name(self.name, self.fmt, None if self.shard_size is None else len(self.paths))
        self._tmp = self.out.stage(self._target)
        self._file = _open_file(self._tmp, self.fmt, self.columns)
        self._in_file = 0

    def _finish(self) -> None:
        self._file.close()
        self._file = None
        self.out.commit(self._tmp, self._target)
        self.paths.append(self._target)


def part_name(name: str, fmt: str, index: int | None) -> str:
    """`NAME.FMT`, or file `index` of a sharded run: `NAME-00000.FMT`."""
    return f"{name}.{fmt}" if index is None else f"{name}-{index:05d}.{fmt}"


def write_part(out: Folder, name: str, fmt: str, index: int | None, columns: tuple[str, ...],
               docs: Iterable[dict | bytes]) -> str:
    """One file of `docs` (`part_name`), put in place whole; returns its name. A document given as
    bytes is its JSONL line (`io.writers.dump_line`, UTF-8), for `LINE_FORMATS`."""
    _check_format(fmt)
    target = part_name(name, fmt, index)
    staged = out.stage(target)
    file = _open_file(staged, fmt, columns)
    for doc in docs:
        file.write(doc)
    file.close()
    out.commit(staged, target)
    return target


def remove_stale(out: Folder, name: str, keep: list[str]) -> None:
    """The files of `name` that an earlier run of another format or shard size left, removed."""
    ours = re.compile(rf"{re.escape(name)}(-\d{{5,}})?\.(jsonl|jsonl\.zst|parquet)")
    for old in out.names():
        if ours.fullmatch(old) and old not in keep:
            out.remove(old)


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")


def _open_file(path, fmt: str, columns: tuple[str, ...]):
    return _ParquetFile(path, columns) if fmt == "parquet" else _JsonlFile(path, compress=fmt == "jsonl.zst")


class _JsonlFile:
    def __init__(self, path: Path, compress: bool) -> None:
        # 1 MB a write, not 8 KB: the documents file is most of a run's output, written line by line
        # (its write at 100k documents: 1.6 -> 1.3-1.5 s)
        self.raw = open(path, "wb", buffering=1 << 20)
        if compress:
            import zstandard
            self.sink = zstandard.ZstdCompressor(level=ZSTD_LEVEL).stream_writer(self.raw, closefd=False)
        else:
            self.sink = self.raw

    def write(self, doc: dict | bytes) -> None:
        self.sink.write(doc if isinstance(doc, bytes) else dump_line(doc))

    def close(self) -> None:
        if self.sink is not self.raw:
            self.sink.close()
        self.raw.close()


class _ParquetFile:
    def __init__(self, path: Path, columns: tuple[str, ...]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq
        self.pa, self.columns = pa, columns
        self.schema = pa.schema([pa.field(c, pa.float64() if c == "score" else pa.string()) for c in columns])
        self.writer = pq.ParquetWriter(path, self.schema, compression="zstd")
        self.rows: list[dict] = []

    def write(self, doc: dict) -> None:
        self.rows.append(doc)
        if len(self.rows) == ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        table = {c: [_cell(row.get(c), c) for row in self.rows] for c in self.columns}
        self.writer.write_table(self.pa.Table.from_pydict(table, schema=self.schema))
        self.rows = []

    def close(self) -> None:
        if self.rows:
            self._flush()
        self.writer.close()


def _cell(value, column: str):
    if column in _JSON_COLUMNS:
        return json.dumps(value or {}, ensure_ascii=False, separators=(",", ":"))
    return value
