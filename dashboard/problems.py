"""A problem found in a data file, reported as data (never raised at the UI)."""

from __future__ import annotations

from dataclasses import dataclass

_MAX_VALUE_CHARS = 60


def _printable(value: object) -> str:
    """Show a cell value on one line, escaped and shortened, so a report never breaks."""
    text = str(value)
    shown = text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text
    if len(shown) > _MAX_VALUE_CHARS:
        shown = shown[: _MAX_VALUE_CHARS - 1] + "…"
    return shown


@dataclass(frozen=True)
class Problem:
    """One broken rule: ``FILE:LINE: COLUMN: message (value)``.

    ``line`` is the line number an editor shows (the header is line 1); it is ``None``
    for problems of the whole file or of a column. ``column`` is ``None`` for problems
    that belong to no single column (an empty file, a row with too many fields).
    """

    file: str
    line: int | None
    column: str | None
    message: str
    value: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = [where]
        if self.column is not None:
            parts.append(_printable(self.column))
        text = ": ".join(parts) + ": " + self.message
        if self.value is not None:
            text += f" ({_printable(self.value)})"
        return text

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "value": None if self.value is None else _printable(self.value),
        }
