"""Output lines: one JSON object per line, UTF-8, keys in the order given, so the same input gives
byte-identical files."""
from __future__ import annotations

import json


def dump_line(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"
