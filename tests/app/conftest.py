"""AppTest helpers: run app.py in-process with a chosen environment."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")

RunApp = Callable[..., AppTest]


@pytest.fixture
def run_app(monkeypatch: pytest.MonkeyPatch) -> RunApp:
    """``run_app(data_dir, page="data", public=False, url=None, query={})`` -> a finished AppTest."""

    def run(
        data: Path,
        *,
        page: str | None = None,
        public: bool = False,
        url: str | None = None,
        query: dict[str, str | list[str]] | None = None,
    ) -> AppTest:
        monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data))
        monkeypatch.setenv("DASHBOARD_PUBLIC", "1" if public else "0")
        if url is None:
            monkeypatch.delenv("DASHBOARD_APPOINTMENT_URL", raising=False)
        else:
            monkeypatch.setenv("DASHBOARD_APPOINTMENT_URL", url)
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        if page is not None:
            at.switch_page(page)
        return at.run()

    return run
