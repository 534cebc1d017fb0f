"""AppTest helpers: run app.py in-process with a chosen environment, page and query string."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from dashboard.pagespecs import BY_PATH, OVERVIEW
from dashboard.ui import inview
from dashboard.ui.nav import page_file

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")

RunApp = Callable[..., AppTest]
EVERY_ROW = {"side-effects": "side-effects:all:open", "outcomes": "outcomes:table:open"}
"""The expander of each page whose table of every row is built on request."""


def switch_page(at: AppTest, path: str) -> AppTest:
    """Open a page: by its script file, or, for a generic table page (which has none), by the
    hash Streamlit gives every page, the hash of its URL path (AppTest switches by file only)."""
    spec = BY_PATH[path]
    if spec.table_page is None:
        return at.switch_page(str(page_file(spec).relative_to(ROOT)))
    at._page_hash = calc_hash(spec.path)
    return at


@pytest.fixture
def run_app(monkeypatch: pytest.MonkeyPatch) -> RunApp:
    """``run_app(data_dir, page="side-effects", public=False, url=None, query={}, every_row=False,
    scrolled=True)`` -> a finished AppTest (``every_row``: with the page's table of every row opened;
    ``scrolled``: the reader has scrolled to the page's charts, so they are drawn)."""

    def run(
        data: Path,
        *,
        page: str | None = None,
        public: bool = False,
        url: str | None = None,
        query: dict[str, str | list[str]] | None = None,
        every_row: bool = False,
        scrolled: bool = True,
    ) -> AppTest:
        monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data))
        monkeypatch.setenv("DASHBOARD_PUBLIC", "1" if public else "0")
        if url is None:
            monkeypatch.delenv("DASHBOARD_APPOINTMENT_URL", raising=False)
        else:
            monkeypatch.setenv("DASHBOARD_APPOINTMENT_URL", url)
        at = AppTest.from_file(APP, default_timeout=60)
        if scrolled:
            at.session_state[inview.flag(OVERVIEW.path if page in (None, "overview") else page)] = True
        if page is None or page == "overview":
            for key, value in (query or {}).items():
                at.query_params[key] = value
            return at.run()
        at.run()
        for key, value in (query or {}).items():
            at.query_params[key] = value
        switch_page(at, page).run()
        if every_row:  # the reader opens the table of every row
            at.session_state[EVERY_ROW[page]] = True
            at.run()
        return at

    return run
