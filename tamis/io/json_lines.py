"""One JSON line decoded, as `json.loads` decodes it, with orjson where that is the same.

Why: decoding a record is most of reading a JSONL input, and a run decodes each record twice (the
count pass, then the clean pass); orjson does it in about 60% of the standard library's time. The two
agree on every line both accept, but for one case: orjson turns an integer past 64 bits into a float
(`123456789012345678901` -> 1.2345678901234568e+20), where `json` keeps it exact. Such a float is whole
and at least 2**63; a record holding one is decoded again with `json`, and so is every line orjson
refuses (NaN, a lone surrogate, a byte-order mark, UTF-16), so that `json` decides it or says what is
wrong, as before."""
from __future__ import annotations

import json

try:
    import orjson
except ImportError:  # pragma: no cover - a dependency, but keep reading without it
    orjson = None

_BIG = 2.0 ** 63


def loads(line: bytes | str):
    """`json.loads(line)`: the same value, or the same exception."""
    if orjson is not None:
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError:
            return json.loads(line)
        if _exact(value):
            return value
    return json.loads(line)


def _exact(value) -> bool:
    """No float in `value` could have been a large integer. (A stack, not recursion: orjson reads
    1,024 levels, more than Python's recursion limit.)"""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, float):
            if abs(item) >= _BIG and item.is_integer():
                return False
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return True
