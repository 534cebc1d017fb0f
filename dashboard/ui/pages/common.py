"""How a data page opens: its tables, its prepared data, its filter bar, and its view."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

import streamlit as st

from dashboard.catalog import Catalog, Frames
from dashboard.filterset import Values
from dashboard.pagespecs import PageSpec
from dashboard.params import Param
from dashboard.ui import filterbar, resources
from dashboard.ui.filterbar import FilterBar


class Prepared(Protocol):
    @property
    def options(self) -> Mapping[str, Sequence[str]]: ...

    @property
    def params(self) -> tuple[Param, ...]: ...


P = TypeVar("P", bound=Prepared)
V = TypeVar("V")
W = TypeVar("W")


@dataclass(frozen=True)
class Page(Generic[P]):
    catalog: Catalog
    spec: PageSpec
    prepared: P
    bar: FilterBar

    def view(self, fn: Callable[[P, Values], V]) -> V:
        """``fn(prepared, values)``, once per data version and filter values for all sessions."""
        return resources.derive(fn, self.catalog, self.spec.tables, self.bar.values, inputs=(self.prepared,))

    def view_from(self, fn: Callable[[P, V, Values], W], view: V) -> W:
        """``fn(prepared, view, values)``, from a ``view`` this page derived for the same data version
        and filter values (so it shares their work), once per both for all sessions."""
        return resources.derive(fn, self.catalog, self.spec.tables, self.bar.values, inputs=(self.prepared, view))


def open_page(spec: PageSpec, prepare: Callable[[Frames], P]) -> Page[P]:
    """Stop with a note if a table the page needs is unavailable (the banner says why); else
    prepare the page's data once per data version and start its filter bar."""
    catalog = resources.catalog()
    for name in spec.required:
        if catalog.frame(name) is None:
            st.title(spec.h1)
            title = catalog.tables[name].spec.title.lower()
            st.info(f"The {title} table is not available right now.", icon=":material/database_off:")
            st.stop()
    if getattr(spec.views(), "prepare", None) is not prepare:
        raise ValueError(f"{spec.path} should open with dashboard.views.{spec.view}.prepare (the one the server warms)")
    prepared = resources.prepare(prepare, catalog, spec.tables)
    return Page(catalog, spec, prepared, FilterBar.start(spec, prepared.options, prepared.params))


def every_row(bar: FilterBar, heading: str, *, key: str, draw: Callable[[], None]) -> None:
    """A table of every row, drawn by ``draw`` only once the reader opens its expander. The label
    says what it holds and never changes with the filters: a new label would be a new expander,
    closed again."""
    box = filterbar.on_request(bar, f"{heading}: every column, with the download", (), key=key)
    if box is not None:
        with box:
            draw()


def count_caption(shown: int, total: int, noun: str) -> None:
    st.caption(f"{shown:,} of {total:,} {noun} match the filters.")


@dataclass(frozen=True)
class Count:
    """How many rows of a page's main table match its filters, out of how many, and what they are."""

    shown: int
    total: int
    noun: str


def opening(
    page: Page[P],
    intro: str,
    params: Sequence[Param],
    counts: Mapping[str, Mapping[str, int]],
    count: Count,
    *,
    heading: str = "Filters",
) -> None:
    """What every data page opens with: its heading and introduction, the filter panel with the
    reset button, and how many rows match."""
    st.title(page.spec.h1)
    st.markdown(intro)
    filterbar.panel(page.bar, params, counts, heading=heading)
    filterbar.reset_button(page.bar)
    count_caption(count.shown, count.total, count.noun)
