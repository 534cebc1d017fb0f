"""The generic filtered-table page: filters, the charts of its view, and one table of the rows
that match. A page spec with a ``TablePage`` is drawn here; it needs no page module of its own.

Only layout: the view module the spec names (``dashboard.views.<view>``) decides every number."""

from __future__ import annotations

from functools import partial

import streamlit as st

from dashboard.pagespec import PageSpec, TablePage
from dashboard.schema import BY_NAME
from dashboard.ui import filterbar, findings, nav, tables
from dashboard.ui.pages.common import Count, Page, Prepared, every_row, open_page, opening
from dashboard.views.common import pick
from dashboard.views.findings import summary_notes
from dashboard.views.tablepage import Card, TableView


def render(spec: PageSpec) -> None:
    described = spec.table_page
    assert described is not None, f"{spec.path} is not a filtered-table page"
    module = spec.views()
    assert module is not None, f"{spec.path} names no view module"
    page = open_page(spec, module.prepare)
    view: TableView = page.view(module.view)
    filters = [p for p in spec.params if p.as_filter() is not None]
    count = Count(view.total, len(page.prepared.frame), described.noun)
    opening(page, described.intro, filters, view.counts, count)
    rows = partial(pick, view.shown, list(described.summary))
    notes = summary_notes(view.findings)
    tables.summary_button(page.bar, figure=view.figure, rows=rows, total=view.total, catalog=page.catalog, notes=notes)
    if described.glossary:
        nav.glossary_link()
    if view.card is not None:
        _card(view.card)
    if not view.total:
        st.info(tables.NO_ROWS, icon=":material/filter_alt_off:")
        return
    _controls(page, spec)
    if view.findings is not None:
        findings.block(view.findings, key=spec.path)
    drawn = view.charts if described.chart is None else described.chart.pick(view.charts, page.bar.values)
    for block in drawn:
        tables.chart_block(block, page=spec.path, key=f"{spec.path}:{block.name}")
    if not drawn:
        st.caption("The current filters leave nothing for this chart: the table below lists the rows.")
    if not described.on_request:
        st.subheader(described.heading)
        _table(spec, described, view)
        return
    every_row(page.bar, described.heading, key=f"{spec.path}:table:open", draw=partial(_table, spec, described, view))


def _controls(page: Page[Prepared], spec: PageSpec) -> None:
    """The page's settings that never narrow rows (a measure, a sort order), side by side."""
    controls = [p for p in spec.params if p.as_filter() is None]
    for column, control in zip(st.columns(max(len(controls), 1)), controls, strict=False):
        with column:
            filterbar.widget(page.bar, control)


def _card(card: Card) -> None:
    with st.container(border=True):
        st.caption(card.heading)
        for line in card.lines:
            st.text(line)  # CSV text: plain, never markdown
        if card.url is not None:
            st.link_button(card.link_label, card.url, icon=":material/open_in_new:")


def _table(spec: PageSpec, described: TablePage, view: TableView) -> None:
    table = BY_NAME[described.table]
    name = table.name.replace("_", "-")
    alt = described.alt
    tables.table(view.shown, table, key=spec.path, name=name, alt=alt, columns=list(described.columns))
