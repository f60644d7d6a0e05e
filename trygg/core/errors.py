"""Bad input, named by field: one error type for every channel (forms, API, imports, queries).

A write that raises InputRejected has written nothing; the errors say which
item (its index in a batch, 0 otherwise) and which field, in words for the
person who sent it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldError:
    index: int
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"index": self.index, "field": self.field, "message": str(self.message)}


class InputRejected(Exception):
    """Raised with every field error found; nothing has been written."""

    def __init__(self, errors: Sequence[FieldError]):
        super().__init__("; ".join(f"[{e.index}] {e.field}: {e.message}" for e in errors))
        self.errors = list(errors)

    @classmethod
    def one(cls, field: str, message: str, index: int = 0) -> InputRejected:
        """The error for a single bad value."""
        return cls([FieldError(index, field, message)])
