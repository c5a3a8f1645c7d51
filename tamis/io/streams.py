"""Raw bytes of an input file, decompressed (`.gz`, `.zst`) in chunks, and split into lines.

A compressed file cut short is reported as `StreamError("truncated-gzip" | "truncated-zstd")` only after
every byte decompressed before the break has been handed out, so a reader keeps all complete records.
"""
from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from pathlib import Path

import zstandard

CHUNK_BYTES = 1 << 20


class StreamError(Exception):
    """A file whose bytes cannot all be read; `reason` is a stable code (truncated-gzip, bad-zstd...)."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def read_chunks(path: Path, compression: str = "") -> Iterator[bytes]:
    """The decompressed bytes of `path` in chunks; `compression` is "", ".gz" or ".zst"."""
    with path.open("rb") as fh:  # a Path, or a RemotePath (tamis.io.remote)
        if compression == ".gz":
            yield from _gzip_chunks(fh)
        elif compression == ".zst":
            yield from _zstd_chunks(fh)
        else:
            yield from iter(lambda: fh.read(CHUNK_BYTES), b"")


def read_all(path: Path, compression: str = "") -> bytes:
    return b"".join(read_chunks(path, compression))


def split_lines(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Lines without their `\\n`; a long line is joined once, never grown by repeated concatenation."""
    pending: list[bytes] = []
    for chunk in chunks:
        parts = chunk.split(b"\n")
        if len(parts) == 1:
            pending.append(chunk)
            continue
        pending.append(parts[0])
        yield b"".join(pending)
        yield from parts[1:-1]
        pending = [parts[-1]]
    tail = b"".join(pending)
    if tail:
        yield tail


def _gzip_chunks(fh) -> Iterator[bytes]:
    with gzip.GzipFile(fileobj=fh) as gz:
        try:
            # read1, not read: read would drop the data it holds when the next raw read fails
            while chunk := gz.read1(CHUNK_BYTES):
                yield chunk
        except EOFError as exc:
            raise StreamError("truncated-gzip", str(exc)) from None
        except (gzip.BadGzipFile, zlib.error) as exc:
            raise StreamError("bad-gzip", str(exc)) from None


def _zstd_chunks(fh) -> Iterator[bytes]:
    """Frame by frame with a decompressobj: unlike `stream_reader`, it tells a cut frame from an end."""
    context = zstandard.ZstdDecompressor()
    frame, in_frame = context.decompressobj(), False
    try:
        while raw := fh.read(CHUNK_BYTES):
            while raw:
                in_frame = True
                if out := frame.decompress(raw):
                    yield out
                raw = b""
                if frame.eof:
                    raw = frame.unused_data
                    frame, in_frame = context.decompressobj(), False
    except zstandard.ZstdError as exc:
        raise StreamError("bad-zstd", str(exc)) from None
    if in_frame:
        raise StreamError("truncated-zstd", "compressed stream ends inside a frame")
