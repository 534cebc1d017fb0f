"""The navigation: st.Page objects built from ``dashboard.pagespecs.PAGES``, and links between pages.

Nothing here is kept between runs: the current page's spec is read off the page Streamlit is
running (its URL path), and links name their target by its script file, so two sessions building
their pages at the same moment cannot see each other's objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from dashboard.links import SOURCE_PARAM, SOURCES_PAGE
from dashboard.pagespecs import BY_PATH, PAGES, PageSpec

PAGE_DIR = Path(__file__).resolve().parent / "pages"


def page_file(spec: PageSpec) -> Path:
    """Each page is a module of ``dashboard/ui/pages`` that Streamlit runs as a script."""
    return PAGE_DIR / f"{spec.path.replace('-', '_')}.py"


def build() -> list[StreamlitPage]:
    return [
        st.Page(page_file(spec), title=spec.title, icon=spec.icon, url_path=spec.path, default=spec is PAGES[0])
        for spec in PAGES
    ]


def spec_of(current: StreamlitPage) -> PageSpec:
    """The spec of the page being run (the default page's URL path is empty)."""
    return BY_PATH.get(current.url_path, PAGES[0])


def link(path: str, label: str, icon: str, query: Mapping[str, str] | None = None) -> None:
    """A link to another page of the app, optionally opening it with some filters set."""
    st.page_link(page_file(BY_PATH[path]), label=label, icon=icon, query_params=dict(query) if query else None)


def source_link(source_id: str, label: str | None = None) -> None:
    """A link to the Sources page narrowed to one source (ids are validated: letters, digits, hyphens)."""
    link(SOURCES_PAGE, label or f"Source: {source_id}", ":material/menu_book:", {SOURCE_PARAM: source_id})


def glossary_link(label: str = "What do these terms mean? Open the glossary") -> None:
    link("glossary", label, ":material/dictionary:")
