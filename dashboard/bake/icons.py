"""Icon arrays: 100 squares in a 10 by 10 grid, the first ones filled, as fixed-size inline SVG.

One path draws every filled square and one every empty square, so an array costs a few hundred
bytes; the reader gets the count in words as well (the array's text alternative)."""

from __future__ import annotations

import math
from dataclasses import dataclass

SIDE = 10
CELL = 11
"""Grid pitch in pixels (a 9-pixel square and a 2-pixel gap)."""
SQUARE = 9
SIZE = SIDE * CELL - (CELL - SQUARE)


@dataclass(frozen=True)
class IconArray:
    filled: int
    """Squares filled, out of 100."""
    alt: str
    """The array in words (its text alternative)."""
    caption: str
    filled_path: str
    empty_path: str
    size: int = SIZE


def _path(cells: range) -> str:
    return "".join(f"M{(i % SIDE) * CELL} {(i // SIDE) * CELL}h{SQUARE}v{SQUARE}h-{SQUARE}z" for i in cells)


def icon_array(pct: float, alt: str, caption: str) -> IconArray:
    """``pct`` people in every 100, rounded to whole people (0 to 100)."""
    filled = 0 if math.isnan(pct) else min(max(math.floor(pct + 0.5), 0), SIDE * SIDE)
    return IconArray(filled, alt, caption, _path(range(filled)), _path(range(filled, SIDE * SIDE)))
