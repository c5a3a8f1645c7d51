"""Input readers: every record of every input, as a `Document`, or an `Unreadable` saying why not.

`read_inputs(paths)` streams the paths in the order given, folders recursively in name order, each file
by its extension (case-insensitive, with an optional `.gz` / `.zst`):

- `.txt`: one document, id = file name without extensions, text = decoded content
- `.html` / `.htm`: one document, id likewise, html = decoded content
- `.jsonl` / `.json` (lines, or one JSON array): a document per object with `text` (or `content`,
  `raw_content`, else `html`), id = `id` field or `<stem>:<line number>`
- `.parquet`: the same fields, read in record batches, id = `id` or `<stem>:<row number>` (from 1)
- `.warc` / `.arc` (`.gz`): HTML responses, id = WARC-Record-ID (see `tamis.io.warc`)
- `.rss` / `.atom` / `.xml` feeds: a document per item (see `tamis.io.feeds`)

A path may also be an fsspec URL (`s3://bucket/crawl/`, `file:///data/x.jsonl`): its files are read the
same way, through fsspec (`tamis.io.remote`).

Bad data never raises: a bad file or record becomes an `Unreadable` and the run goes on.
"""
from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from tamis.document import Document
from tamis.io.decode import DecodeError, decode_bytes
from tamis.io.json_lines import loads
from tamis.io.remote import RemotePath, remote_files
from tamis.storage import is_url
from tamis.io.streams import StreamError, read_all, read_chunks, split_lines
from tamis.io.unreadable import Unreadable
from tamis.io.warc import read_warc
from tamis.native import core

__all__ = ["Unreadable", "read_inputs", "read_path", "record_document"]

Item = Document | Unreadable
Reader = Callable[[Path, str, str], Iterator[Item]]

TEXT_FIELDS = ("text", "content", "raw_content")
RECORD_FIELDS = ("id", *TEXT_FIELDS, "html", "url", "title", "published", "date", "language")
PARQUET_BATCH_ROWS = 1024


def read_inputs(paths: Iterable[str | Path]) -> Iterator[Item]:
    """Every record of every input path, in a deterministic order (paths as given, folders sorted)."""
    for path in paths:
        if is_url(path):
            yield from read_url(str(path))
        else:
            yield from read_path(Path(path))


def read_url(url: str) -> Iterator[Item]:
    """Every record of the file or the folder at an fsspec URL, the files in path order."""
    try:
        files, found = remote_files(url)
    except OSError as exc:
        yield Unreadable(url, "io-error", str(exc))
        return
    if not found:
        yield Unreadable(url, "not-found", "no such file or folder")
    for path in files:
        yield from _read_file(path)


def read_path(path: Path, _folders: frozenset[str] = frozenset()) -> Iterator[Item]:
    """Every record under `path`. `_folders` holds the real paths of the folders above: a link back to
    one of them (a loop) is recorded and not followed."""
    if path.is_dir():
        real = os.path.realpath(path)
        if real in _folders:
            yield Unreadable(str(path), "link-loop", f"links back to {real}", "skipped")
            return
        try:
            children = sorted(path.iterdir(), key=lambda p: p.name)
        except OSError as exc:
            yield Unreadable(str(path), "io-error", str(exc))
            return
        for child in children:
            if not child.name.startswith("."):  # .DS_Store, .git, editor swap files
                yield from read_path(child, _folders | {real})
    elif path.is_file():
        yield from _read_file(path)
    else:
        yield Unreadable(str(path), "not-found", "no such file or folder")


def _read_file(path: Path | RemotePath) -> Iterator[Item]:
    stem, extension, compression = split_name(path.name)
    reader = _READERS.get(extension)
    if reader is None or compression not in _COMPRESSIONS.get(extension, ("", ".gz", ".zst")):
        yield Unreadable(str(path), "unknown-format", f"no reader for {extension}{compression}", "skipped")
        return
    try:
        yield from reader(path, stem, compression)
    except (DecodeError, StreamError) as exc:
        yield Unreadable(stem, exc.reason, exc.detail)
    except OSError as exc:
        yield Unreadable(stem, "io-error", str(exc))
    except Exception as exc:  # last guard: one bad file must never end the run
        yield Unreadable(stem, "read-error", f"{type(exc).__name__}: {exc}"[:300])


def split_name(name: str) -> tuple[str, str, str]:
    """`a.b.jsonl.gz` -> ("a.b", ".jsonl", ".gz"): stem, format extension, compression (lower case)."""
    lower = name.lower()
    compression = next((c for c in (".gz", ".zst") if lower.endswith(c)), "")
    base = name[: len(name) - len(compression)]
    extension = Path(base).suffix
    return base[: len(base) - len(extension)] or base, extension.lower(), compression


def _read_txt(path: Path, stem: str, compression: str) -> Iterator[Item]:
    yield Document(stem, text=decode_bytes(read_all(path, compression)))


def _read_html(path: Path, stem: str, compression: str) -> Iterator[Item]:
    yield Document(stem, html=decode_bytes(read_all(path, compression), html=True))


def _read_jsonl(path: Path, stem: str, compression: str) -> Iterator[Item]:
    if split_name(path.name)[1] == ".json" and _starts_array(path, compression):
        yield from _read_json_array(path, stem, compression)
        return
    try:
        for number, line in enumerate(split_lines(read_chunks(path, compression)), 1):
            if line.strip():
                yield _line_document(line, f"{stem}:{number}")
    except StreamError as exc:  # truncated: the complete lines above are already out
        yield Unreadable(stem, exc.reason, exc.detail)


def _line_document(line: bytes, fallback_id: str) -> Item:
    try:
        record = loads(line)
    except UnicodeDecodeError as exc:
        return Unreadable(fallback_id, "undecodable", str(exc))
    except ValueError as exc:
        return Unreadable(fallback_id, "bad-json", str(exc))
    return record_document(record, fallback_id)


def _starts_array(path: Path, compression: str) -> bool:
    chunks = read_chunks(path, compression)
    try:
        return next(chunks, b"").lstrip().startswith(b"[")
    finally:
        chunks.close()


def _read_json_array(path: Path, stem: str, compression: str) -> Iterator[Item]:
    """A `.json` file holding one array of records (read whole: such files cannot be streamed)."""
    try:
        records = json.loads(read_all(path, compression))
    except ValueError as exc:
        yield Unreadable(stem, "bad-json", str(exc))
        return
    for number, record in enumerate(records, 1):
        yield record_document(record, f"{stem}:{number}")


def _read_parquet(path: Path, stem: str, compression: str) -> Iterator[Item]:
    return read_row_groups(path, stem, None)


def read_row_groups(path: Path, stem: str, groups: tuple[int, int] | None) -> Iterator[Item]:
    """A Parquet file's records, all or those of its row groups [start, end) (a piece of a large file,
    `tamis.io.plan`); a record without an `id` is `<stem>:<row number in the file, from 1>`."""
    import pyarrow as pa  # here, not at import: a run without Parquet need not load it
    import pyarrow.parquet as pq
    try:
        table = pq.ParquetFile(path.open("rb") if isinstance(path, RemotePath) else path)
        columns = [name for name in RECORD_FIELDS if name in table.schema_arrow.names]
        if not set(columns) & {*TEXT_FIELDS, "html"}:
            yield Unreadable(stem, "no-text", f"no text column among {table.schema_arrow.names}")
            return
        start, end = groups or (0, table.num_row_groups)
        row = sum(table.metadata.row_group(k).num_rows for k in range(start))
        for batch in table.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=columns,
                                        row_groups=range(start, end)):
            for record in batch.to_pylist():
                row += 1
                yield record_document(record, f"{stem}:{row}")
    except (pa.ArrowException, OSError, ValueError) as exc:
        yield Unreadable(stem, "bad-parquet", f"{type(exc).__name__}: {exc}"[:300])


def record_document(record: object, fallback_id: str) -> Item:
    """A JSON or Parquet record as a Document: `text` (or `content`, `raw_content`), else `html`."""
    if not isinstance(record, dict):
        return Unreadable(fallback_id, "bad-json", f"a record must be an object, not {type(record).__name__}")
    record = {key: _valid_unicode(value) for key, value in record.items()}
    record_id = record.get("id")
    doc_id = fallback_id if record_id is None or record_id == "" else str(record_id)
    text = next((value for name in TEXT_FIELDS if isinstance(value := record.get(name), str)), None)
    html = record.get("html") if isinstance(record.get("html"), str) else None
    if text is None and html is None:
        return Unreadable(doc_id, "no-text", f"no {'/'.join(TEXT_FIELDS)} or html field")
    if not (text or html or "").strip():
        return Unreadable(doc_id, "empty", "blank text")
    return Document(doc_id, text=text or "", html=None if text else html, url=_string(record.get("url")),
                    title=_string(record.get("title")), meta=_record_meta(record))


_SURROGATE = re.compile("[\ud800-\udfff]")


def _valid_unicode(value: object) -> object:
    """A string with its lone surrogates (JSON may escape them: "\\ud800") made U+FFFD: no UTF-8 writer
    takes them, and one such character must not stop the run at the first write."""
    if isinstance(value, str) and not value.isascii() and _has_surrogates(value):
        return _SURROGATE.sub("\ufffd", value)
    return value


def _has_surrogates(text: str) -> bool:
    if core is not None:
        return core.has_surrogates(text)
    try:
        text.encode("utf-8")  # fails on a lone surrogate only; 5x faster than searching for one
    except UnicodeEncodeError:
        return True
    return False


def _record_meta(record: dict) -> dict:
    published = _string(record.get("published")) or _string(record.get("date"))
    language = _string(record.get("language"))
    return {k: v for k, v in (("published", published), ("language", language)) if v}


def _string(value: object) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else str(value)


def read_feed(*args, **kwargs):
    """`tamis.io.feeds.read_feed`, imported on first use: with lxml, 15 ms of every run's start, and
    most runs read no feed."""
    from tamis.io.feeds import read_feed as read
    return read(*args, **kwargs)


_READERS: dict[str, Reader] = {
    ".txt": _read_txt,
    ".html": _read_html, ".htm": _read_html, ".xhtml": _read_html,
    ".jsonl": _read_jsonl, ".json": _read_jsonl, ".ndjson": _read_jsonl,
    ".parquet": _read_parquet,
    ".warc": read_warc, ".arc": read_warc, ".wet": read_warc,
    ".rss": read_feed, ".atom": read_feed, ".xml": read_feed,
}
# formats that carry their own compression take no outer `.zst` (warcio reads gzip members itself)
_COMPRESSIONS = {".parquet": ("",), ".warc": ("", ".gz"), ".arc": ("", ".gz"), ".wet": ("", ".gz")}
