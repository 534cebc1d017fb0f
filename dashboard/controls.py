"""The controls: query-string parameters that change how a page shows its rows but never narrow
them, such as the order of a chart (``Choice``) or the body weight of the dosing arithmetic
(``Number``). Like every parameter (``dashboard.params``) each reads itself from a URL, writes
itself back, says itself in words and in the docs and describes its input. The parameters that
narrow rows are the filters (``dashboard.filters``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dashboard.params import Param, single_value
from dashboard.widgets import NumberBox, Radio


class Control(Param):
    """A parameter that never narrows rows: it reads no column and is no filter."""

    @property
    def reads(self) -> tuple[str, ...]:
        return ()

    def as_filter(self) -> None:
        return None


@dataclass(frozen=True)
class Choice(Control):
    """One of a few ``options``; the first is the default."""

    key: str
    label: str
    options: tuple[str, ...]

    @property
    def default(self) -> str:
        return self.options[0]

    def parse(self, raw: Sequence[str], options: Sequence[str]) -> tuple[str, int]:
        last, dropped = single_value(raw)
        return (last, dropped) if last in self.options else (self.default, dropped + 1)

    def to_query(self, value: str) -> list[str]:
        return [value]

    def shown(self, value: str) -> str:
        return value

    def doc(self) -> str:
        return f"`{self.key}` ({' or '.join(self.options)})"

    def example(self, present: Sequence[str]) -> str | None:
        return self.options[1] if len(self.options) > 1 else None

    def widget(self) -> Radio:
        return Radio(self.label, self.options)


@dataclass(frozen=True)
class Limit(Choice):
    """A ``Choice`` of how many rows a chart draws: each option stands for the number in ``limits``
    (the first, a short chart, is the default)."""

    limits: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if len(self.limits) != len(self.options):
            raise ValueError(f"{self.key}: one limit per option")

    def limit(self, value: object) -> int:
        """The rows drawn for ``value`` (an unknown value draws the default's)."""
        chosen = str(value) if value in self.options else self.default
        return self.limits[self.options.index(chosen)]


@dataclass(frozen=True)
class Number(Control):
    """A number between ``minimum`` and ``maximum``."""

    key: str
    label: str
    minimum: float
    maximum: float
    default_value: float
    step: float = 1.0

    @property
    def default(self) -> float:
        return self.default_value

    def parse(self, raw: Sequence[str], options: Sequence[str]) -> tuple[float, int]:
        last, dropped = single_value(raw)
        number = _number(last)
        if number is None or not self.minimum <= number <= self.maximum:
            return self.default, dropped + 1
        return number, dropped

    def to_query(self, value: float) -> list[str]:
        return [f"{value:g}"]

    def shown(self, value: float) -> str:
        return f"{value:g}"

    def doc(self) -> str:
        return f"`{self.key}` ({self.label.lower()}, {self.minimum:g} to {self.maximum:g})"

    def example(self, present: Sequence[str]) -> float:
        return min(self.default + 10 * self.step, self.maximum)

    def widget(self) -> NumberBox:
        return NumberBox(self.label, self.minimum, self.maximum, self.step)

    def from_widget(self, raw: Any) -> float:
        return float(raw)


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None
