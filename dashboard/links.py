"""Links are allow-listed by scheme on the server before they reach a button or a table."""

from __future__ import annotations

import logging
import re
from urllib.parse import quote, urlsplit

log = logging.getLogger(__name__)

WEB = ("https", "http")
APPOINTMENT = ("https", "http", "mailto", "tel")
MAX_URL = 2000

_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_TEL = re.compile(r"^\+?[0-9][0-9\-. ()]{2,30}$")
_MAILTO = re.compile(r"^[^@\s/]+@[^@\s/]+\.[^@\s/]+$")


def safe_url(url: object, schemes: tuple[str, ...] = WEB) -> str | None:
    """Return ``url`` unchanged when it is a well-formed link of an allowed scheme, else None."""
    if not isinstance(url, str) or not url or len(url) > MAX_URL or _CONTROL_OR_SPACE.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in schemes:
        return None
    if scheme in WEB:
        return url if (parts.hostname and "." in parts.hostname) or parts.hostname == "localhost" else None
    if scheme == "mailto":
        return url if _MAILTO.match(parts.path) else None
    return url if _TEL.match(parts.path) else None


def checked_url(url: object, schemes: tuple[str, ...], what: str) -> str | None:
    """``safe_url`` that logs what it refuses (without echoing the whole value)."""
    good = safe_url(url, schemes)
    if good is None and url not in (None, ""):
        shown = str(url)[:40].encode("unicode_escape").decode("ascii")
        log.warning("refused %s %r: allowed schemes are %s", what, shown, ", ".join(schemes))
    return good


# --- links to one source on the Sources page --------------------------------------------------

SOURCES_PATH = "sources"
"""The URL path of the Sources page (its spec is ``dashboard.pagespecs.SOURCES_PAGE``)."""
SOURCE_PARAM = "source"
SOURCE_LINK_TEXT = rf"{SOURCE_PARAM}=(.*)$"
"""How a table shows a ``source_href`` link: the pattern picks the source id back out of the link."""


def source_href(source_id: object) -> str:
    """Relative link to the Sources page narrowed to one source (works under any base path)."""
    return f"{SOURCES_PATH}?{SOURCE_PARAM}={quote(str(source_id), safe='')}"
