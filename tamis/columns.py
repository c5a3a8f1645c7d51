"""Tables held as a dataclass of numpy arrays, one per field, all of one length."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields

import numpy as np


class Columns:
    """Mixin for such a dataclass: rows selected, or tables concatenated, field by field."""

    def select(self, rows: np.ndarray):
        """The rows `rows` (indices or a boolean mask), in that order."""
        return type(self)(*(getattr(self, f.name)[rows] for f in fields(self)))

    @classmethod
    def concat(cls, parts: Sequence):
        """The rows of `parts`, one table after the other (at least one part)."""
        if not parts:
            raise ValueError("nothing to concatenate")
        return cls(*(np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(cls)))

    def __len__(self) -> int:
        return int(getattr(self, fields(self)[0].name).size)
