"""Settings, read once from the environment into a frozen dataclass.

The variables and their meaning are in ``ENVIRONMENT`` below (and the README's Configuration table).
An invalid value is logged with what was expected, and the safe default is used instead
(for DASHBOARD_PUBLIC that is 1: a typo must not expose a public site's internals).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dashboard.links import APPOINTMENT, WEB, checked_url, safe_url

log = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_DATA_DIR = PACKAGE_DIR.parent / "data"
DEFAULT_LABEL = "Request an appointment"
MAX_LABEL = 60
MAX_DECLARATION = 500
NOT_DECLARED = "not declared"
DEFAULT_CACHE_MB = 256
CACHE_MB_RANGE = (16, 65536)
DEFAULT_LICENCE = "not declared"
MAX_LICENCE = 200

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}

ENVIRONMENT = {
    "DASHBOARD_DATA_DIR": "Folder of the CSV tables (default: the shipped data/ folder).",
    "DASHBOARD_APPOINTMENT_URL": "Target of the appointment button; https, http, mailto or tel only.",
    "DASHBOARD_APPOINTMENT_LABEL": f"Text of the appointment button (default: {DEFAULT_LABEL}).",
    "DASHBOARD_PUBLIC": "1 for public read-only mode: no upload, no file paths, no error details (default 0).",
    "DASHBOARD_CACHE_MB": "Memory budget of the cache of page views and charts, in MB; each page's prepared "
    "table and index are held apart, outside it "
    f"({CACHE_MB_RANGE[0]} to {CACHE_MB_RANGE[1]}; default {DEFAULT_CACHE_MB}).",
    "DASHBOARD_DATA_LICENCE": "The licence the open data API states for the tables, in words or as an SPDX id "
    f"such as CC-BY-4.0 (default: {DEFAULT_LICENCE}).",
    "DASHBOARD_SITE_URL": "Public address of the baked pages, for canonical links and the sitemap; https or http only "
    "(default: unset, links stay relative).",
    "DASHBOARD_APP_BASE": "Where the baked pages link to the interactive app: a path such as / or an https or http "
    "address (default: /).",
    "DASHBOARD_PRODUCER": f"Who produced the content, as the baked pages state it (default: {NOT_DECLARED}).",
    "DASHBOARD_FUNDING": f"Funding and conflicts of interest, as the baked pages state them (default: {NOT_DECLARED}).",
    "DASHBOARD_UPDATE_POLICY": f"How and when the content is updated (default: {NOT_DECLARED}).",
    "DASHBOARD_SITE_DIR": "Folder the running app keeps the baked pages and open data API in, re-baked on every "
    "new valid data version; nginx serves its current/ link (default: unset, the app bakes nothing).",
}


@dataclass(frozen=True)
class Settings:
    data_dir: Path = DEFAULT_DATA_DIR
    appointment_url: str | None = None
    appointment_label: str = DEFAULT_LABEL
    public: bool = False
    cache_mb: int = DEFAULT_CACHE_MB
    data_licence: str = DEFAULT_LICENCE
    site_url: str | None = None
    """Public address of the baked pages (no trailing slash); None: relative links."""
    app_base: str = "/"
    """Where the baked pages' links into the app start (a path, or an address)."""
    producer: str | None = None
    funding: str | None = None
    update_policy: str | None = None
    site_dir: Path | None = None
    """Where the app re-bakes the public site on each new valid data version (None: it does not)."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        return cls(
            data_dir=_data_dir(env.get("DASHBOARD_DATA_DIR")),
            appointment_url=checked_url(
                (env.get("DASHBOARD_APPOINTMENT_URL") or "").strip(), APPOINTMENT, "DASHBOARD_APPOINTMENT_URL"
            ),
            appointment_label=_label(env.get("DASHBOARD_APPOINTMENT_LABEL")),
            public=_flag("DASHBOARD_PUBLIC", env.get("DASHBOARD_PUBLIC"), unset=False, invalid=True),
            cache_mb=_megabytes("DASHBOARD_CACHE_MB", env.get("DASHBOARD_CACHE_MB")),
            data_licence=_declared("DASHBOARD_DATA_LICENCE", env.get("DASHBOARD_DATA_LICENCE"), MAX_LICENCE)
            or DEFAULT_LICENCE,
            site_url=_site_url(env.get("DASHBOARD_SITE_URL")),
            app_base=_app_base(env.get("DASHBOARD_APP_BASE")),
            producer=_declared("DASHBOARD_PRODUCER", env.get("DASHBOARD_PRODUCER")),
            funding=_declared("DASHBOARD_FUNDING", env.get("DASHBOARD_FUNDING")),
            update_policy=_declared("DASHBOARD_UPDATE_POLICY", env.get("DASHBOARD_UPDATE_POLICY")),
            site_dir=_data_dir(env.get("DASHBOARD_SITE_DIR"))
            if (env.get("DASHBOARD_SITE_DIR") or "").strip()
            else None,
        )


def _data_dir(value: str | None) -> Path:
    """An absolute path, not resolved: a data folder that is a link (``python -m dashboard swap``)
    stays the link, so every refresh follows it to the version it points at now."""
    if not value or not value.strip():
        return DEFAULT_DATA_DIR
    return Path(os.path.abspath(Path(value.strip()).expanduser()))


def _site_dir(value: str | None) -> Path | None:
    return Path(value.strip()).expanduser().resolve() if value and value.strip() else None


def _label(value: str | None) -> str:
    if value is None or not value.strip():
        return DEFAULT_LABEL
    label = " ".join(value.split())
    if len(label) > MAX_LABEL or not label.isprintable():
        log.warning(
            "DASHBOARD_APPOINTMENT_LABEL must be printable and at most %d characters; using the default", MAX_LABEL
        )
        return DEFAULT_LABEL
    return label


def _site_url(value: str | None) -> str | None:
    url = checked_url((value or "").strip(), WEB, "DASHBOARD_SITE_URL")
    return url.rstrip("/") if url else None


def _app_base(value: str | None) -> str:
    text = (value or "").strip()
    if not text:
        return "/"
    if text.startswith("/") and not text.startswith("//") and safe_url(f"https://localhost{text}") is not None:
        return text if text.endswith("/") else f"{text}/"
    url = checked_url(text, WEB, "DASHBOARD_APP_BASE")
    return (url if url.endswith("/") else f"{url}/") if url else "/"


def _declared(name: str, value: str | None, limit: int = MAX_DECLARATION) -> str | None:
    """An operator's declaration as one line of printable text (None: unset, or refused)."""
    if value is None or not value.strip():
        return None
    text = " ".join(value.split())
    if len(text) > limit or not text.isprintable():
        log.warning("%s must be printable and at most %d characters; treating it as not declared", name, limit)
        return None
    return text


def _flag(name: str, value: str | None, *, unset: bool, invalid: bool) -> bool:
    """``invalid`` is the safe reading of a value that is neither on nor off."""
    if value is None:
        return unset
    word = value.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    log.warning("%s must be 1 or 0 (also true/false, yes/no, on/off); got %r, using %d", name, value[:20], invalid)
    return invalid


def _megabytes(name: str, value: str | None) -> int:
    if value is None or not value.strip():
        return DEFAULT_CACHE_MB
    low, high = CACHE_MB_RANGE
    try:
        number = int(value.strip())
    except ValueError:
        number = -1
    if not low <= number <= high:
        log.warning(
            "%s must be a whole number from %d to %d; got %r, using %d", name, low, high, value[:20], DEFAULT_CACHE_MB
        )
        return DEFAULT_CACHE_MB
    return number
