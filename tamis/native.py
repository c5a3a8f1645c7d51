"""The compiled inner loops (tamis/_core.c) when they were built, else None.

Every caller keeps a numpy/Python twin of what it asks of `core`, with the same results
(tests/test_native.py checks both on the same text). Set TAMIS_PURE_PYTHON=1 to run on the twins."""
from __future__ import annotations

import os

try:
    from . import _core as _compiled
except ImportError:  # the extension is optional: pip installs tamis without it if no compiler is found
    _compiled = None

core = None if os.environ.get("TAMIS_PURE_PYTHON") else _compiled
