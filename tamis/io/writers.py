"""Output lines: one JSON object per line, UTF-8, keys in the order given, so the same input gives
byte-identical files."""
from __future__ import annotations

import json
import math

try:
    import orjson
except ImportError:  # pragma: no cover - a dependency, but keep writing without it
    orjson = None


def dump_line(obj: dict) -> bytes:
    """`json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\\n"` in UTF-8, or its exception.

    Written by orjson where that gives the same bytes, in about a fifth of the time: a run writes every
    document's text, and the standard library builds a str, then a copy with the line break, then its
    UTF-8. orjson is given only str, int, bool, None, dict, list and tuple, each container once, and
    finite floats from 1e-4 up or zero (`_plain`): it writes other floats its own way (1e-05 as
    0.00001, nan as null), and an Enum, a UUID, a dataclass or a datetime where `json` raises. What it
    refuses of those (an integer past 64 bits, a key that is not a str, a lone surrogate, which `json`
    takes and the UTF-8 encoding refuses) goes to `json` too."""
    if orjson is not None and _plain(obj):
        try:
            return orjson.dumps(obj, option=orjson.OPT_APPEND_NEWLINE)
        except TypeError:  # orjson.JSONEncodeError is one
            pass
    return (json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


_PLAIN = frozenset({str, int, bool, type(None)})
_CONTAINERS = frozenset({dict, list, tuple})
_FLOAT_LOW = 1e-4


def _plain(value) -> bool:
    """Only the exact types (and floats) orjson writes as `json` does, and no container met twice (a
    circular one is `json`'s to refuse). A stack, not recursion: a deep record is `json`'s to refuse
    too."""
    stack, seen = [value], set()
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind in _PLAIN:
            continue
        if kind is float:
            # Both write the shortest digits that read back as the float, in the same form from 1e-4
            # up; below, `repr` (so `json`) writes 1e-05 where orjson writes 0.00001 (a test compares
            # 222,000 floats of every magnitude, and either side of 1e-4). A dedup score is one.
            if not (_FLOAT_LOW <= abs(item) < math.inf or item == 0.0):
                return False
            continue
        if kind not in _CONTAINERS or id(item) in seen:
            return False
        seen.add(id(item))
        stack.extend(item.values() if kind is dict else item)
    return True
