"""Public-safe behaviour: friendly errors with the traceback in the server log, no paths in public mode."""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path

import pytest

from dashboard.pagespecs import PAGES
from tests.app.conftest import ROOT, RunApp


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_unexpected_exception_is_a_friendly_message_and_a_logged_traceback(
    data_dir: Path, run_app: RunApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("secret detail /srv/app/internal.py")

    monkeypatch.setattr("dashboard.charts.build_incidence", broken)
    collect = Collect()
    logging.getLogger("dashboard").addHandler(collect)
    try:
        at = run_app(data_dir, page="side-effects", public=True)
    finally:
        logging.getLogger("dashboard").removeHandler(collect)
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Sorry, this page could not be shown. The problem has been logged; please reload, or choose another page."
    ]
    shown = " ".join(str(e.value) for e in [*at.text, *at.markdown, *at.caption, *at.error])
    assert "secret detail" not in shown
    assert "Traceback" not in shown
    failures = [r for r in collect.records if r.exc_info]
    assert failures
    assert "secret detail" in str(failures[0].exc_info[1])


@pytest.mark.parametrize("page", [p.path for p in PAGES])
def test_public_mode_shows_no_paths(data_dir: Path, run_app: RunApp, page: str) -> None:
    (data_dir / "claims.csv").write_text("broken", encoding="utf-8")
    at = run_app(data_dir, page=page, public=True)
    assert not at.exception
    shown = [str(e.value) for e in [*at.text, *at.markdown, *at.caption, *at.warning, *at.info, *at.error]]
    assert not [s for s in shown if str(data_dir) in s or "/tmp" in s]
    assert not at.get("file_uploader")
    if page in ("overview", "data"):
        assert any("claims" in w.value for w in at.warning)


def test_streamlit_config_is_public_safe() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
    assert config["client"]["toolbarMode"] == "viewer"
    assert config["browser"]["gatherUsageStats"] is False
    server = config["server"]
    assert server["enableXsrfProtection"] is True
    assert server["enableCORS"] is True
    assert server["runOnSave"] is False
    assert server["fileWatcherType"] == "none"
    assert server["maxUploadSize"] <= 10
    assert server["maxMessageSize"] <= 100
    assert server["disconnectedSessionTTL"] < 120
    assert config["runner"]["magicEnabled"] is False


def test_every_config_value_says_why() -> None:
    lines = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8").splitlines()
    settings = [line for line in lines if "=" in line and not line.lstrip().startswith("#")]
    assert settings
    assert all("#" in line for line in settings)
