"""WARC / ARC records (plain or gzipped) with warcio: HTML responses become documents, the rest is skipped.

A corrupt record is reported as `warc-corrupt` and reading resumes at the next record start found in the
file (the next gzip member, or the next `WARC/1.` line), so one bad record never loses the rest.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from tamis.document import Document
from tamis.io.decode import DecodeError, decode_bytes
from tamis.io.unreadable import Unreadable

HTML_TYPES = ("text/html", "application/xhtml+xml")
UNTYPED = ("", "text/plain", "application/octet-stream", "binary/octet-stream", "unknown/unknown")
SNIFF_BYTES = 1024
SCAN_BYTES = 1 << 20


def read_warc(path: Path, stem: str, compression: str = "") -> Iterator[Document | Unreadable]:
    size = path.stat().st_size
    with path.open("rb") as fh:
        gzipped = fh.read(2) == b"\x1f\x8b"
        start: int | None = 0
        while start is not None:
            fh.seek(start)
            start = yield from _read_from(fh, stem, size, gzipped)


def _read_from(fh, stem: str, size: int, gzipped: bool):
    """Yields the records from the current position; returns where to resume after a corrupt one."""
    from warcio.archiveiterator import ArchiveIterator  # here: warcio loads fsspec and asyncio
    records = ArchiveIterator(fh, arc2warc=True)
    try:
        for record in records:
            yield _record_item(record, stem, records.offset)
    except Exception as exc:  # warcio and zlib raise many kinds of errors on bad bytes
        yield Unreadable(f"{stem}@{records.offset}", "warc-corrupt", f"{type(exc).__name__}: {exc}"[:300])
        return _next_record_start(fh, records.offset + 1, gzipped)
    if records.offset < size:  # stopped early without an error: a cut gzip member swallowed the rest
        yield Unreadable(f"{stem}@{records.offset}", "warc-corrupt", "records end before the file does")
        return _next_record_start(fh, records.offset + 1, gzipped)
    return None


def _record_item(record, stem: str, offset: int) -> Document | Unreadable:
    record_id = record.rec_headers.get_header("WARC-Record-ID") if record.format == "warc" else None
    record_id = record_id or f"{stem}@{offset}"  # ARC records get a random id from warcio: not stable
    kind = record.rec_type
    if not kind:  # a header cut short, or one that names no type: nothing says what the record holds
        return Unreadable(record_id, "warc-corrupt", "record without a WARC-Type")
    if kind in ("response", "resource"):
        return _page(record, record_id)
    if kind == "conversion":
        return _converted_text(record, record_id)
    return Unreadable(record_id, f"warc-{kind}", status="skipped")


def _page(record, record_id: str) -> Document | Unreadable:
    status = record.http_headers.get_statuscode() if record.http_headers else None
    if status and not status.startswith("2"):
        return Unreadable(record_id, "warc-http-status", f"HTTP {status}", status="skipped")
    content_type = _content_type(record)
    media_type = content_type.split(";")[0].strip().lower()
    if media_type not in HTML_TYPES + UNTYPED:
        return Unreadable(record_id, "warc-non-html", content_type, status="skipped")
    stream = record.content_stream()
    head = stream.read(SNIFF_BYTES)
    if media_type not in HTML_TYPES and not _sniffed_html(head):
        return Unreadable(record_id, "warc-non-html", f"{content_type or 'no content type'}, no <html>",
                          status="skipped")
    payload = head + stream.read()
    if getattr(record.raw_stream, "limit", 0) > 0:
        return Unreadable(record_id, "warc-corrupt", "record shorter than its Content-Length")
    try:
        html = decode_bytes(payload, html=True, declared=_charset(content_type))
    except DecodeError as exc:
        return Unreadable(record_id, exc.reason, exc.detail)
    return Document(record_id, html=html, url=_target(record), meta=_meta(record))


def _converted_text(record, record_id: str) -> Document | Unreadable:
    """A WET `conversion` record: text already extracted from a page."""
    try:
        text = decode_bytes(record.content_stream().read())
    except DecodeError as exc:
        return Unreadable(record_id, exc.reason, exc.detail)
    return Document(record_id, text=text, url=_target(record), meta=_meta(record))


def _content_type(record) -> str:
    headers = record.http_headers if record.rec_type == "response" and record.http_headers else record.rec_headers
    return headers.get_header("Content-Type") or ""


def _charset(content_type: str) -> str | None:
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None


def _sniffed_html(head: bytes) -> bool:
    head = head.lstrip().lower()
    return head.startswith(b"<!doctype html") or b"<html" in head


def _target(record) -> str | None:
    return record.rec_headers.get_header("WARC-Target-URI")


def _meta(record) -> dict:
    fetched = record.rec_headers.get_header("WARC-Date")
    return {"fetched": fetched} if fetched else {}


def _next_record_start(fh, position: int, gzipped: bool) -> int | None:
    """The offset of the next gzip member (or `WARC/1.` line) at or after `position`, or None."""
    magic = b"\x1f\x8b\x08" if gzipped else b"\nWARC/1."
    skip = 0 if gzipped else 1
    fh.seek(position)
    carry = b""
    base = position
    while chunk := fh.read(SCAN_BYTES):
        window = carry + chunk
        found = window.find(magic)
        if found >= 0:
            return base - len(carry) + found + skip
        carry = window[-(len(magic) - 1):]
        base += len(chunk)
    return None
