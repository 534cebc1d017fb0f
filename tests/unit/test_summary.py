"""The printable summary: filters in words, permalink, chart, rows, sources; hostile text stays inert."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from dashboard import charts, summary
from dashboard.catalog import load_catalog
from tests.conftest import DATA

WHEN = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def view(rows: pd.DataFrame, **changes: object) -> summary.View:
    base = summary.View(
        "Side effects",
        ["Body system: cardiovascular"],
        "https://example.org/side-effects?system=x",
        None,
        rows,
        len(rows),
        "2026-11-28",
        "Not medical advice.",
    )
    return summary.View(**(base.__dict__ | changes))


def test_summary_holds_filters_link_rows_sources_and_notice() -> None:
    catalog = load_catalog(DATA)
    effects = catalog.frame("side_effects")
    assert effects is not None
    rows = effects[effects["body_system"] == "cardiovascular"]
    page = summary.build(view(rows), catalog.frame("sources"), WHEN)
    assert "<li>Body system: cardiovascular</li>" in page
    assert 'href="https://example.org/side-effects?system=x"' in page
    assert page.count("<tr>") == len(rows) + 1
    assert "Not medical advice." in page
    assert "Data as of 2026-11-28" in page
    for source_id in set(rows["source_id"].astype(str)):
        assert f"<strong>{source_id}</strong>" in page
    assert "<strong>ANA23</strong>" not in page


def test_summary_embeds_the_chart_without_network() -> None:
    rows = pd.DataFrame(
        {
            "effect": ["Nausea"],
            "drug": ["esketamine"],
            "incidence_pct": [28.0],
            "comparator_pct": [9.0],
            "comparator": ["placebo"],
            "population": ["adults"],
            "source_id": ["HCP"],
        }
    )
    page = summary.build(view(rows, figure=charts.build_incidence(rows)), None, WHEN)
    assert "Plotly.newPlot" in page
    assert "<script src=" not in page
    assert "Plotly.newPlot" in page
    assert '"staticPlot": true' in page


def test_summary_caps_rows_and_says_so() -> None:
    rows = pd.DataFrame({"effect": [f"e{i}" for i in range(450)]})
    page = summary.build(view(rows, total=450_000), None, WHEN)
    assert page.count("<tr>") == summary.MAX_ROWS + 1
    assert f"{summary.MAX_ROWS:,} of 450,000 rows (the CSV download has all of them)" in page


def test_hostile_text_and_links_are_inert() -> None:
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    rows = pd.DataFrame({"effect": [hostile], "source_id": ["X1"]})
    sources = pd.DataFrame(
        {"source_id": ["X1"], "kind": ["trial"], "citation": [hostile], "url": ["javascript:alert(3)"]}
    )
    page = summary.build(view(rows, filters=[hostile], permalink="javascript:alert(4)"), sources, WHEN)
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert 'href="javascript' not in page
    assert "Reopen this view" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
