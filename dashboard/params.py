"""A page's query-string parameters as objects: each kind reads itself from a URL, writes itself
back, says itself in words and in the docs, and describes the input the UI draws for it.

Two families share this base: filters (``dashboard.filters``: search and facets), which narrow a
table's rows, and controls (``dashboard.controls``: a choice, a number), which change how a page
shows its rows but never narrow them. A page's parameters together are in ``dashboard.filterset``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from dashboard.widgets import Widget

if TYPE_CHECKING:  # a filter is a parameter: the import the other way round would be circular
    from dashboard.filters import Filter


class Param(ABC):
    """One query-string parameter of a page; ``widget()`` describes the input the UI draws for it."""

    key: str
    label: str

    @property
    @abstractmethod
    def reads(self) -> tuple[str, ...]:
        """Columns the parameter narrows on (none for a control)."""

    @property
    @abstractmethod
    def default(self) -> Any: ...

    @abstractmethod
    def parse(self, raw: Sequence[str], options: Sequence[str]) -> tuple[Any, int]:
        """The value from the URL's values for this key, and how many of them were dropped."""

    @abstractmethod
    def to_query(self, value: Any) -> list[str]: ...

    @abstractmethod
    def shown(self, value: Any) -> str:
        """The value in words."""

    @abstractmethod
    def doc(self) -> str:
        """One line for the README's table of link parameters."""

    @abstractmethod
    def widget(self) -> Widget: ...

    @abstractmethod
    def as_filter(self) -> Filter | None:
        """The parameter as a filter, or None for a control (it never narrows rows)."""

    @abstractmethod
    def example(self, present: Sequence[str]) -> Any | None:
        """A value other than the default, for a workload or a doc example; ``present`` lists the
        values the data holds for the parameter's column, most common first. None: no example."""

    def describe(self, value: Any) -> str:
        return f"{self.label}: {self.shown(value)}"

    def to_widget(self, value: Any) -> Any:
        return value

    def from_widget(self, raw: Any) -> Any:
        return raw


def single_value(raw: Sequence[str]) -> tuple[str, int]:
    """Single-valued parameters keep the last value; repeats count as dropped."""
    return (raw[-1] if raw else ""), max(len(raw) - 1, 0)
