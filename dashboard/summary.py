"""A printable, self-contained one-page summary of the current view (HTML, no network needed).

Every piece of text that comes from a CSV, the URL or the filters is escaped before it goes
into the page; links are allow-listed by scheme. The chart is embedded with plotly.js inline
(as a static plot), so the file opens and prints with no connection.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import plotly.graph_objects as go

from dashboard.escape import escape
from dashboard.links import safe_url
from dashboard.views.common import cited_ids

MAX_ROWS = 200
"""Rows printed in a summary; more are counted and left to the CSV download."""

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f1f1f; margin: 2rem;
       line-height: 1.4; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; } h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
.notice { border: 2px solid #0072B2; padding: .5rem .75rem; font-weight: 600; }
.meta { color: #444; font-size: .9rem; }
table { border-collapse: collapse; width: 100%; font-size: .8rem; }
th, td { border: 1px solid #999; padding: .2rem .35rem; text-align: left; vertical-align: top; }
th { background: #eee; }
a { color: #0b57a4; word-break: break-all; }
@media print {
  body { margin: 0; } .chart { page-break-inside: avoid; } tr { page-break-inside: avoid; }
  a::after { content: ""; }
}
@page { size: A4; margin: 12mm; }
"""


@dataclass(frozen=True)
class View:
    """What is on screen: the page, its filters in words, the link that reopens it, a chart, its rows."""

    page: str
    filters: Sequence[str]
    permalink: str | None
    figure: go.Figure | None
    rows: pd.DataFrame
    total: int
    as_of: str | None
    notice: str
    version: str = ""
    """The catalog version the view was built from, so a printout can be traced to the exact data."""
    notes: Sequence[str] = ()
    """Lines a reader must see before the rows (e.g. that contraindications exist and where to read them)."""


def _e(value: object) -> str:
    return escape(value, attribute=True)


def _link(url: object, text: object) -> str:
    safe = safe_url(url)
    return f'<a href="{_e(safe)}">{_e(text)}</a>' if safe else _e(text)


def _table(rows: pd.DataFrame) -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in rows.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_e(v)}</td>" for v in record) + "</tr>" for record in rows.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _sources(rows: pd.DataFrame, sources: pd.DataFrame | None) -> str:
    if "source_id" not in rows or sources is None:
        return "<p>No sources.</p>"
    cited = list(dict.fromkeys(cited_ids(rows)))
    table = sources.assign(_id=sources["source_id"].astype(str)).set_index("_id")
    items = []
    for source_id in cited:
        if source_id not in table.index:
            continue
        row = table.loc[source_id]
        link = f" {_link(row['url'], row['url'])}" if isinstance(row["url"], str) else ""
        items.append(f"<li><strong>{_e(source_id)}</strong> ({_e(row['kind'])}). {_e(row['citation'])}{link}</li>")
    return "<ol>" + "".join(items) + "</ol>" if items else "<p>No sources.</p>"


def build(view: View, sources: pd.DataFrame | None, generated: datetime) -> str:
    """The whole HTML document."""
    shown = view.rows.head(MAX_ROWS)
    filters = (
        ("<ul>" + "".join(f"<li>{_e(f)}</li>" for f in view.filters) + "</ul>")
        if view.filters
        else ("<p>No filters: every row is included.</p>")
    )
    permalink = f"<p>Reopen this view: {_link(view.permalink, view.permalink)}</p>" if safe_url(view.permalink) else ""
    counted = f"{len(shown):,} of {view.total:,} rows" + (
        " (the CSV download has all of them)" if view.total > len(shown) else ""
    )
    chart = ""
    if view.figure is not None:
        chart = (
            '<div class="chart">'
            + view.figure.to_html(
                full_html=False, include_plotlyjs=True, config={"staticPlot": True, "responsive": True}
            )
            + "</div>"
        )
    notes = "".join(f'<p class="notice">{_e(n)}</p>' for n in view.notes)
    as_of = f"Data as of {_e(view.as_of)}. " if view.as_of else ""
    as_of += f"Data version {_e(view.version)}. " if view.version else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ketamine for depression: {_e(view.page)} (summary)</title><style>{STYLE}</style></head>
<body>
<header><h1>Ketamine for depression: {_e(view.page)}</h1>
<p class="notice">{_e(view.notice)}</p>{notes}
<p class="meta">{as_of}Summary made {generated:%Y-%m-%d %H:%M} UTC.</p></header>
<main>
<h2>Filters</h2>{filters}{permalink}
<h2>Chart</h2>{chart}
<h2>Rows: {counted}</h2>{_table(shown)}
<h2>Sources cited by these rows</h2>{_sources(shown, sources)}
</main>
<footer><p class="meta">Educational summary of published evidence, not medical advice.</p></footer>
</body></html>
"""
