"""What a page is: its URL path, title, the tables it reads and its query-string parameters.

Pure data: the navigation draws the pages from it; tests, the load benchmark, the cache keys and
the printable summary read the same definitions. A page that is "filters, charts and one table"
also says what that generic page shows (``TablePage``), and needs no page module of its own.
Each table's page is declared beside the table (``dashboard.schema``); the pages that are not one
table's, and the one ordered list of every page, are in ``dashboard.pagespecs``.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Protocol, TypeVar

from dashboard.controls import Choice, Limit
from dashboard.filters import Facet
from dashboard.params import Param

if TYPE_CHECKING:  # the declarations import this module: no import of theirs at run time
    from dashboard.filterset import Values
    from dashboard.schema.spec import TableSpec


def facet(spec: TableSpec, key: str, column: str, label: str, *, values_from: str | None = None) -> Facet:
    """A facet over ``column``, offering values in the order ``spec`` declares (``values_from``
    names the declared column when ``column`` is derived from it, as ``source_kind`` from ``kind``)."""
    return Facet(key, column, label, spec.allowed(values_from or column))


class Named(Protocol):
    @property
    def name(self) -> str: ...


N = TypeVar("N", bound=Named)


@dataclass(frozen=True)
class OneChart:
    """Which one of a page's charts is drawn: the first on a first visit, another when the visitor
    chooses it (kept in the URL, so a copied link reopens it). Each chart drawn is a long task in the
    browser, and most visitors read the first."""

    choice: Choice
    names: tuple[str, ...]
    """The name of the chart each of ``choice``'s options draws, in the same order."""

    def __post_init__(self) -> None:
        if len(self.names) != len(self.choice.options):
            raise ValueError(f"{self.choice.key}: one chart name per option")

    def pick(self, charts: Sequence[N], values: Values) -> tuple[N, ...]:
        """The chosen chart among ``charts`` (none when the filters left the view without it)."""
        wanted = self.names[self.choice.options.index(str(values[self.choice.key]))]
        return tuple(chart for chart in charts if chart.name == wanted)


def chart_choice(options: tuple[str, ...]) -> Choice:
    """The ``chart`` parameter of a page that draws one of several charts at a time."""
    return Choice("chart", "Chart shown", options)


@dataclass(frozen=True)
class TablePage:
    """What the generic filtered-table page shows: the filter panel, the charts of its view, and
    one table of the rows that match.

    The page's ``PageSpec.view`` names the module of ``dashboard.views`` whose ``view(prepared,
    values)`` returns a ``TableView``."""

    table: str
    """The table whose rows the page lists (its schema labels the columns)."""
    intro: str
    noun: str
    """What one row is, in the plural ("entities", "sources")."""
    columns: tuple[str, ...]
    """The table's columns, in order (columns an analyst added follow)."""
    summary: tuple[str, ...]
    """The columns of the printable summary."""
    alt: str
    """The table's description for screen readers."""
    heading: str = "The table"
    glossary: bool = True
    """Link to the glossary under the filters."""
    chart: OneChart | None = None
    """Set when the page draws one of its view's charts at a time (its choice is in ``params``)."""
    on_request: bool = False
    """The table is built when the reader opens it (its rows are in the charts' table tabs too); a
    page whose table is its content (the sources) shows it at once."""


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str
    tables: tuple[str, ...]
    """Every table the page reads: its cache keys and its warning banner come from this."""
    params: tuple[Param, ...] = ()
    heading: str = ""
    """The page's main heading (its title when empty)."""
    required: tuple[str, ...] = ()
    """Tables without which the page has nothing to show."""
    order: int = 0
    """Place in the navigation (the lowest is the home page, at the site root)."""
    table_page: TablePage | None = None
    """Set for a generic filtered-table page (no page module of its own)."""
    view: str = ""
    """The module of ``dashboard.views`` with the page's ``prepare(frames)`` (once per data version)
    and ``view(prepared, values)`` (once per filter state); empty for a page that prepares nothing."""

    @property
    def h1(self) -> str:
        return self.heading or self.title

    def views(self) -> ModuleType | None:
        """The module ``view`` names (imported on first use), or None."""
        return importlib.import_module(f"dashboard.views.{self.view}") if self.view else None

    def param(self, key: str) -> Param:
        return next(p for p in self.params if p.key == key)


MEASURE = Choice("measure", "Compare drug and comparator by", ("difference", "ratio"))
"""How pages that set a drug against its comparator show the comparison (a control, not a filter)."""
BARS = Limit("bars", "Rows drawn in the chart", ("first 15", "all"), (15, 60))
"""How many rows a long chart draws, in its own order: the first 15 on a first visit, all (up to the
60 a chart ever draws) on request. Each drawn row is text and shapes a browser lays out several
times over, and a phone reader scrolls past a 3,500 px chart; the chart's table twin and its
download keep every row."""
SENSITIVITY = Choice(
    "sensitivity", "Sensitivity analysis of the pooled results", ("all", "rct-only", "low-rob", "leave-one-out")
)
"""Which sensitivity analysis the summary of findings shows beside each pool: all pooled rows,
randomised trials only, trials at low risk of bias only, or each trial left out in turn (a control:
it never narrows the table's rows)."""
