"""The navigation: st.Page objects built from ``dashboard.pagespecs.PAGES``, and links between pages.

A page with a module of its own (``dashboard/ui/pages/<path>.py``) runs that script; a generic
filtered-table page runs ``dashboard.ui.tablepage`` with its spec. Nothing here is kept between
runs: the current page's spec is read off the page Streamlit is running (its URL path), and a link
builds its target afresh (Streamlit identifies a page by its URL path), so two sessions building
their pages at the same moment cannot see each other's objects.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from dashboard.links import SOURCE_PARAM, SOURCES_PATH
from dashboard.pagespecs import BY_PATH, PAGES, PageSpec
from dashboard.ui import tablepage

PAGE_DIR = Path(__file__).resolve().parent / "pages"


def page_file(spec: PageSpec) -> Path:
    """Each page is a module of ``dashboard/ui/pages`` that Streamlit runs as a script."""
    return PAGE_DIR / f"{spec.path.replace('-', '_')}.py"


def page(spec: PageSpec) -> StreamlitPage:
    """The st.Page of a spec: its own script, or the generic table page drawn from the spec."""
    source: Path | Callable[[], None] = page_file(spec) if spec.table_page is None else _table_page(spec)
    return st.Page(source, title=spec.title, icon=spec.icon, url_path=spec.path, default=spec is PAGES[0])


def _table_page(spec: PageSpec) -> Callable[[], None]:
    def run() -> None:
        tablepage.render(spec)

    run.__name__ = spec.path.replace("-", "_")
    return run


def build() -> list[StreamlitPage]:
    return [page(spec) for spec in PAGES]


def spec_of(current: StreamlitPage) -> PageSpec:
    """The spec of the page being run (the default page's URL path is empty)."""
    return BY_PATH.get(current.url_path, PAGES[0])


def link(path: str, label: str, icon: str, query: Mapping[str, str] | None = None) -> None:
    """A link to another page of the app, optionally opening it with some filters set."""
    st.page_link(page(BY_PATH[path]), label=label, icon=icon, query_params=dict(query) if query else None)


def source_link(source_id: str, label: str | None = None) -> None:
    """A link to the Sources page narrowed to one source (ids are validated: letters, digits, hyphens)."""
    link(SOURCES_PATH, label or f"Source: {source_id}", ":material/menu_book:", {SOURCE_PARAM: source_id})


def glossary_link(label: str = "What do these terms mean? Open the glossary") -> None:
    link("glossary", label, ":material/dictionary:")
