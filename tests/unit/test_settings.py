"""Settings from the environment: valid values used, invalid ones logged and replaced by a safe default."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from dashboard.links import safe_url
from dashboard.settings import DEFAULT_DATA_DIR, DEFAULT_LABEL, ENVIRONMENT, Settings


def test_defaults() -> None:
    settings = Settings.from_env({})
    assert settings == Settings(DEFAULT_DATA_DIR, None, DEFAULT_LABEL, False)
    assert (settings.data_dir / "sources.csv").is_file()


def test_all_values_read(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "DASHBOARD_DATA_DIR": str(tmp_path),
            "DASHBOARD_APPOINTMENT_URL": "https://clinic.example.org/book",
            "DASHBOARD_APPOINTMENT_LABEL": "  Book   a visit ",
            "DASHBOARD_PUBLIC": "yes",
        }
    )
    assert settings == Settings(tmp_path, "https://clinic.example.org/book", "Book a visit", True)


@pytest.mark.parametrize(
    ("url", "accepted"),
    [
        ("https://clinic.example.org/book?x=1", True),
        ("http://clinic.example.org", True),
        ("mailto:desk@clinic.example.org", True),
        ("tel:+1-402-555-0100", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("vbscript:msgbox", False),
        ("https://", False),
        ("//clinic.example.org", False),
        ("https://clinic.example.org/\nSet-Cookie:x", False),
        ("https://clinic.example.org/\u202ebook", False),
        ("ftp://clinic.example.org", False),
        ("tel:call-me-maybe", False),
        ("mailto:not-an-address", False),
    ],
)
def test_appointment_url_is_allow_listed_by_scheme(url: str, accepted: bool, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        settings = Settings.from_env({"DASHBOARD_APPOINTMENT_URL": url})
    assert (settings.appointment_url == url) is accepted
    assert ("refused DASHBOARD_APPOINTMENT_URL" in caplog.text) is not accepted


@pytest.mark.parametrize(
    ("value", "public"),
    [("1", True), ("true", True), ("ON", True), ("0", False), ("no", False), ("", False), ("maybe", True), ("2", True)],
)
def test_public_flag_and_invalid_value_is_the_safe_public_mode(
    value: str, public: bool, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        assert Settings.from_env({"DASHBOARD_PUBLIC": value}).public is public
    assert ("DASHBOARD_PUBLIC must be 1 or 0" in caplog.text) is (value in {"maybe", "2"})


@pytest.mark.parametrize("label", ["x" * 61, "bad\x00label"])
def test_bad_label_falls_back(label: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert Settings.from_env({"DASHBOARD_APPOINTMENT_LABEL": label}).appointment_label == DEFAULT_LABEL
    assert "DASHBOARD_APPOINTMENT_LABEL" in caplog.text


def test_relative_data_dir_is_resolved(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    assert Settings.from_env({"DASHBOARD_DATA_DIR": "csvs"}).data_dir == tmp_path / "csvs"


def test_safe_url_rejects_non_strings() -> None:
    assert safe_url(None) is None
    assert safe_url(3.5) is None


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for name in ENVIRONMENT:
        assert f"| `{name}` |" in readme, name


@pytest.mark.parametrize(
    ("value", "licence"),
    [
        (None, "not declared"),
        ("", "not declared"),
        ("  CC-BY-4.0 ", "CC-BY-4.0"),
        ("Creative Commons\n Attribution 4.0", "Creative Commons Attribution 4.0"),
        ("x" * 201, "not declared"),
        ("CC0\x07", "not declared"),
    ],
)
def test_data_licence_is_one_printable_line_or_not_declared(value: str | None, licence: str) -> None:
    env = {} if value is None else {"DASHBOARD_DATA_LICENCE": value}
    assert Settings.from_env(env).data_licence == licence


def test_declarations_are_one_line_and_absent_when_unset() -> None:
    unset = Settings.from_env({})
    assert (unset.producer, unset.funding, unset.update_policy, unset.site_url) == (None, None, None, None)
    given = Settings.from_env({"DASHBOARD_PRODUCER": "  Example\nClinic  ", "DASHBOARD_FUNDING": "x" * 501})
    assert given.producer == "Example Clinic"
    assert given.funding is None


def test_site_address_and_app_base_are_allow_listed() -> None:
    assert Settings.from_env({"DASHBOARD_SITE_URL": "https://ketamine.example.org/"}).site_url == (
        "https://ketamine.example.org"
    )
    assert Settings.from_env({"DASHBOARD_SITE_URL": "javascript:alert(1)"}).site_url is None
    assert Settings.from_env({}).app_base == "/"
    assert Settings.from_env({"DASHBOARD_APP_BASE": "/app"}).app_base == "/app/"
    assert Settings.from_env({"DASHBOARD_APP_BASE": "//evil.example"}).app_base == "/"
    assert Settings.from_env({"DASHBOARD_APP_BASE": "javascript:x"}).app_base == "/"
