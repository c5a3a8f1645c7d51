"""What a reader yields in place of a record it cannot (or chooses not to) read."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A record or file not read, for the ledger.

    `source` is the id the record would have had (file stem, `stem:lineno`, WARC-Record-ID, `stem@offset`
    for a WARC record without one) or the path; `reason` a short stable code (empty, binary, bad-json,
    truncated-gzip, warc-corrupt...); `status` is "unreadable", or "skipped" for what is deliberately not
    taken (WARC request records, non-HTML responses, unknown file formats).
    """

    source: str
    reason: str
    detail: str = ""
    status: str = "unreadable"
