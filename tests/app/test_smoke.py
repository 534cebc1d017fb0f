"""The app renders the tables from a valid folder and a banner, not an exception, for a broken one."""

from __future__ import annotations

from pathlib import Path

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
