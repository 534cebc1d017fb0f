"""The input a page parameter asks for, as a plain frozen value: a text box, a multi-select, a radio
group or a number box, with what the parameter knows about it (its label, its limits, its options).

Each parameter kind says which input it wants (``Param.widget()``); the UI (``dashboard.ui.filterbar``)
draws the description through the ``Drawer`` it implements, one method per kind of input, so no code
asks which kind of parameter or input it holds. Pure data: no streamlit here, tests read the
descriptions directly.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar, Protocol


class Drawer(Protocol):
    """What draws inputs: the UI implements one method per kind of input."""

    def text_box(self, box: TextBox) -> None: ...

    def multi_select(self, box: MultiSelect) -> None: ...

    def radio(self, box: Radio) -> None: ...

    def number_box(self, box: NumberBox) -> None: ...


class Widget(ABC):
    """One input, drawn by ``draw``."""

    label: str
    spans: ClassVar[bool] = False
    """Whether the input spans a filter panel (its search boxes, across the top) rather than taking
    a cell of the panel's grid."""

    @abstractmethod
    def draw(self, drawer: Drawer) -> None: ...


@dataclass(frozen=True)
class TextBox(Widget):
    label: str
    max_chars: int
    placeholder: str
    spans: ClassVar[bool] = True

    def draw(self, drawer: Drawer) -> None:
        drawer.text_box(self)


@dataclass(frozen=True)
class MultiSelect(Widget):
    """The values on offer come from the data (and their counts from the current filters), so the
    UI supplies them; ``max_selections`` is None when a reader may choose any number."""

    label: str
    max_selections: int | None = None

    def draw(self, drawer: Drawer) -> None:
        drawer.multi_select(self)


@dataclass(frozen=True)
class Radio(Widget):
    label: str
    options: tuple[str, ...]

    def draw(self, drawer: Drawer) -> None:
        drawer.radio(self)


@dataclass(frozen=True)
class NumberBox(Widget):
    label: str
    minimum: float
    maximum: float
    step: float

    def draw(self, drawer: Drawer) -> None:
        drawer.number_box(self)
