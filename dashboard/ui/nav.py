"""The st.Page objects, built once per run from ``dashboard.pagespecs.PAGES``."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from dashboard.pagespecs import PAGES, PageSpec

_pages: dict[str, StreamlitPage] = {}


PAGE_DIR = Path(__file__).resolve().parent / "pages"


def page_file(spec: PageSpec) -> Path:
    """Each page is a module of ``dashboard/ui/pages`` that Streamlit runs as a script."""
    return PAGE_DIR / f"{spec.path.replace('-', '_')}.py"


def build() -> list[StreamlitPage]:
    pages = [
        st.Page(page_file(spec), title=spec.title, icon=spec.icon, url_path=spec.path, default=spec is PAGES[0])
        for spec in PAGES
    ]
    _pages.clear()
    _pages.update({spec.path: page for spec, page in zip(PAGES, pages, strict=True)})
    return pages


def page(path: str) -> StreamlitPage:
    return _pages[path]


def spec_of(current: StreamlitPage) -> PageSpec:
    for spec in PAGES:
        if _pages.get(spec.path) is current:
            return spec
    return PAGES[0]


def source_link(source_id: str, label: str | None = None) -> None:
    """A link to the Sources page narrowed to one source (ids are validated: letters, digits, hyphens)."""
    st.page_link(
        page("sources"),
        label=label or f"Source: {source_id}",
        query_params={"source": source_id},
        icon=":material/menu_book:",
    )
