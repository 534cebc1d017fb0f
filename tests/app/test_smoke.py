"""The app renders the tables from a valid folder and a banner, not an exception, for a broken one."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from dashboard.bake.publish import served
from dashboard.schema import TABLES
from tests.app.conftest import RunApp


def test_valid_folder_renders_every_table(data_dir: Path, run_app: RunApp) -> None:
    at = run_app(data_dir, page="data")
    assert not at.exception
    assert at.title[0].value == "Data"
    assert not at.warning
    status = at.dataframe[0].value
    assert status["status"].tolist() == ["valid"] * len(TABLES)
    assert status["rows"].min() > 0


def test_broken_folder_shows_a_banner_not_an_exception(tmp_path: Path, run_app: RunApp) -> None:
    (tmp_path / "side_effects.csv").write_bytes(b"\x00\xff garbage")
    at = run_app(tmp_path)
    assert not at.exception
    banners = [w.value for w in at.warning]
    assert any("side effects table is unavailable" in b for b in banners)


def test_the_app_bakes_the_public_site_when_given_a_folder(
    data_dir: Path, tmp_path: Path, run_app: RunApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With DASHBOARD_SITE_DIR set, the running app publishes the plain pages and the open data API
    from the data it serves, with no separate command."""
    site = tmp_path / "site"
    monkeypatch.setenv("DASHBOARD_SITE_DIR", str(site))
    at = run_app(data_dir)
    assert not at.exception
    deadline = time.monotonic() + 30
    while served(site) is None and time.monotonic() < deadline:  # the baker's first round runs on its thread
        time.sleep(0.1)
    current = served(site)
    assert current is not None
    assert (current / "index.html").is_file()
    assert (current / "api" / "side_effects.csv").is_file()
