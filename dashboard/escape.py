"""Text from a CSV, a URL or the filters made inert before it reaches anything that renders markup.

Plotly renders a subset of HTML in labels and hover text, and the printable summary is an HTML
page: both take CSV text only through ``escape``. Bidirectional overrides and invisible characters
are removed as well, so a cell cannot reorder or hide the text around it.
"""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd

_BIDI_AND_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def plain(value: object) -> str:
    """The value as display text: empty for a missing value, without bidi or invisible characters."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    return _BIDI_AND_INVISIBLE.sub("", str(value))


def escape(value: object, *, attribute: bool = False) -> str:
    """``plain`` text with ``&``, ``<`` and ``>`` escaped (and quotes, for an HTML attribute value)."""
    return html.escape(plain(value), quote=attribute)


def shorten(value: object, limit: int) -> str:
    """``escape`` for a label that must stay short: cut at ``limit`` characters with an ellipsis."""
    text = plain(value)
    return html.escape(text if len(text) <= limit else text[: limit - 1] + "…", quote=False)
