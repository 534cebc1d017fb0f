"""Filters the server has never seen: the cold path of the side-effects page, beside Datasette, and memory.

Every rerun carries a search word or a facet combination that no earlier request to that server
carried (``bench/distinct.py``), so none of the page's per-filter caches can answer it: facet
counts, the rated rows of each timeframe, the long-term table and the table of all rows are all
computed anew. Datasette gets the same filters, in turn with the dashboard, as JSON requests.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bench import datagen, servers
from bench import datasette as ds
from bench.distinct import ROWS_SHOWN, Distinct, Filter, datasette_path
from bench.load import RssSampler, one_by_one, pct
from bench.protocol import Run, Visitor

if TYPE_CHECKING:
    from bench.report import Report

PAGE = "side-effects"
SESSION = 10
"""Filter changes per visitor session (then the visitor leaves and a new one opens the page)."""
KINDS = ("search", "facets")
TTL_WAIT = 60


@dataclass
class Timed:
    seconds: float
    bytes: int
    ok: bool
    rows: int = -1
    """Matching rows, where the server says (Datasette's filtered count)."""
    error: str = ""


@dataclass
class Series:
    """What one server measured on one table size."""

    fresh_first: Timed | None = None
    first: list[Timed] = field(default_factory=list)
    runs: dict[str, list[Timed]] = field(default_factory=lambda: {kind: [] for kind in (*KINDS, "both")})

    def ms(self, kind: str, q: float) -> float:
        """Latency percentile of the runs that worked (failures are counted in ``errors``)."""
        return pct([t.seconds * 1000 for t in self.runs[kind] if t.ok], q)

    def first_ms(self, q: float) -> float:
        return pct([t.seconds * 1000 for t in self.first if t.ok], q)

    @property
    def errors(self) -> int:
        every = [*self.first, *(t for runs in self.runs.values() for t in runs)]
        return sum(not t.ok for t in every) + (0 if self.fresh_first is None or self.fresh_first.ok else 1)

    def error_texts(self) -> list[str]:
        every = [*self.first, *(t for runs in self.runs.values() for t in runs)]
        return sorted({t.error for t in every if not t.ok})

    def median_bytes(self, kinds: Sequence[str] = KINDS) -> float:
        sizes = [t.bytes for kind in kinds for t in self.runs[kind]]
        return statistics.median(sizes) if sizes else float("nan")

    def median_rows(self, kind: str) -> float:
        rows = [t.rows for t in self.runs[kind] if t.rows >= 0]
        return statistics.median(rows) if rows else float("nan")


def _timed(run: Run) -> Timed:
    return Timed(run.seconds, run.bytes, run.ok, error=run.error)


def _answer(answer: ds.Answer) -> Timed:
    return Timed(answer.seconds, answer.bytes, answer.ok, answer.rows, answer.error)


def sessions(plan: Sequence[Filter], size: int = SESSION) -> list[list[Filter]]:
    return [list(plan[i : i + size]) for i in range(0, len(plan), size)]


async def _drive(
    dashboard_url: str | None,
    datasette_url: str | None,
    plan: Sequence[Filter],
    dash: Series,
    data: Series,
    *,
    deadline: float = float("inf"),
) -> int:
    """Every session: each server's first page (no filters), then the session's filters, the two servers
    taking turns at going first. Returns how many filters were sent (fewer if ``deadline`` passed)."""
    client = ds.Client(datasette_url) if datasette_url else None
    unfiltered = datasette_path(ds.DATABASE, None)
    sent = 0
    try:
        for part in sessions(plan):
            if time.monotonic() > deadline:
                break
            async with contextlib.AsyncExitStack() as stack:
                visitor = None
                if dashboard_url is not None:
                    visitor = await stack.enter_async_context(Visitor(dashboard_url, page=PAGE, timeout=600))
                    _first(dash, _timed(await visitor.run("")))
                if client is not None:
                    _first(data, _answer(client.get(unfiltered)))
                for chosen in part:
                    if time.monotonic() > deadline:
                        break
                    if client is not None and sent % 2:
                        data.runs[chosen.kind].append(_answer(client.get(chosen.datasette_path(ds.DATABASE))))
                    if visitor is not None:
                        dash.runs[chosen.kind].append(_timed(await visitor.run(chosen.query_string())))
                    if client is not None and not sent % 2:
                        data.runs[chosen.kind].append(_answer(client.get(chosen.datasette_path(ds.DATABASE))))
                    sent += 1
    finally:
        if client is not None:
            client.close()
    return sent


def _first(series: Series, timed: Timed) -> None:
    if series.fresh_first is None:
        series.fresh_first = timed
    else:
        series.first.append(timed)


# --- 5. distinct filters, dashboard beside Datasette --------------------------------------------


def distinct_section(
    report: Report, out: Path, sizes: Sequence[int], runs: int, *, dashboard: bool, datasette: bool
) -> None:
    """``runs`` new searches and ``runs`` new facet combinations per table size, on the dashboard's
    side-effects page and/or on Datasette (both up at once and taking turns when both are asked for)."""
    measured: dict[int, tuple[Series, Series, float, float]] = {}
    for size in sizes:
        csv = datagen.folder(size, out) / "side_effects.csv"
        draw = Distinct(csv, seed=size)
        plan = [draw.search() if i % 2 == 0 else draw.facets() for i in range(2 * runs)]
        dash, data = Series(), Series()
        build_s = db_mb = float("nan")
        dash_server = data_server = None
        try:
            if datasette:
                db, build_s = ds.build(csv)
                db_mb = db.stat().st_size / 1e6
                data_server = ds.serve(db, name=f"datasette {size}")
            if dashboard:
                dash_server = servers.dashboard(csv.parent, name=f"dashboard {size}")
            asyncio.run(
                _drive(
                    dash_server.url if dash_server else None,
                    data_server.url if data_server else None,
                    plan,
                    dash,
                    data,
                )
            )
        finally:
            for server in (dash_server, data_server):
                if server is not None:
                    server.stop()
        measured[size] = (dash, data, build_s, db_mb)
        for name, series in (("dashboard", dash), ("datasette", data)):
            for text in series.error_texts()[:5]:
                print(f"error, {name}, {size:,} rows: {text}", flush=True)
        print(
            f"distinct filters, {size:,} rows: dashboard search p50 {dash.ms('search', 50):.0f} ms, "
            f"facets p50 {dash.ms('facets', 50):.0f} ms; Datasette search p50 {data.ms('search', 50):.0f} ms, "
            f"facets p50 {data.ms('facets', 50):.0f} ms",
            flush=True,
        )
    biggest = max(sizes)
    method = (
        f"{runs} new search words and {runs} new facet combinations per table size, alternating, in sessions of "
        f"{SESSION} filter changes (each session starts with the page without filters: the first render). "
        "Search words are 1-3 characters, mostly the start of a word or number in the searched columns, never "
        "sent twice; facet combinations are one to three of body system, timeframe, severity, drug and "
        "population, each with one to three of the values present in the table, never sent twice. "
    )
    if dashboard:
        report.table(
            "5a. New filters on the side-effects page (the cold path)",
            method + "A dashboard rerun is the whole page: facet counts of six facets (each leaving out its own "
            "filter), the top 1,000 rated rows of two timeframes with their charts, the long-term table and the "
            "first 1,000 of all matching rows. The fresh-server first render includes loading the table.",
            [
                "rows",
                "first render, fresh server (ms)",
                "first render p50 (ms)",
                "new search p50 (ms)",
                "new search p95 (ms)",
                "new facets p50 (ms)",
                "new facets p95 (ms)",
                "MB sent per rerun",
                "errors",
            ],
            [
                [
                    f"{size:,}",
                    dash.fresh_first.seconds * 1000 if dash.fresh_first else float("nan"),
                    dash.first_ms(50),
                    dash.ms("search", 50),
                    dash.ms("search", 95),
                    dash.ms("facets", 50),
                    dash.ms("facets", 95),
                    dash.median_bytes() / 1e6,
                    dash.errors,
                ]
                for size, (dash, _data, _b, _m) in measured.items()
            ],
        )
        dash = measured[biggest][0]
        for kind, (p50, p95) in {"facet combination": (150, 300), "search": (300, 600)}.items():
            key = "facets" if kind.startswith("facet") else "search"
            report.target(
                f"{biggest:,} rows: new {kind}, rerun p50 / p95",
                f"{dash.ms(key, 50):.0f} / {dash.ms(key, 95):.0f} ms",
                f"{p50} / {p95} ms",
                dash.ms(key, 50) <= p50 and dash.ms(key, 95) <= p95,
            )
    if datasette:
        report.table(
            "5b. The same filters on Datasette",
            (
                "The same filters as 5a, sent to both servers in turn (which goes first alternates). "
                if dashboard
                else method
            )
            + f"{ds.versions()}, `datasette serve --immutable` on loopback with "
            + ", ".join(f"`{k}={v}`" for k, v in ds.SETTINGS.items())
            + ". The table is loaded with sqlite-utils (schema types, empty cells as NULL), an index on each "
            "facet column and on incidence_pct, FTS5 over the columns the dashboard searches; ANALYZE, VACUUM. "
            f"Each filter is one JSON request: {ROWS_SHOWN:,} rows sorted by incidence_pct descending, the "
            "matching-row count and facet counts of the six facet columns (`_facet_size=max`). A facet filter "
            "of several values is `column__in`. Search is FTS5 `_search=word*` in raw mode: it matches tokens "
            "that START with the word, where the dashboard matches the word ANYWHERE in the text (substring, "
            "ignoring case); Datasette's facet counts apply every filter, where the dashboard leaves each "
            "facet's own filter out. One keep-alive connection; latency is request to last byte of the body.",
            [
                "rows",
                "build SQLite (s)",
                "database (MB)",
                "first request, fresh server (ms)",
                "no filter p50 (ms)",
                "new search p50 (ms)",
                "new search p95 (ms)",
                "new facets p50 (ms)",
                "new facets p95 (ms)",
                "KB per answer",
                "rows matched per search (median)",
                "errors",
            ],
            [
                [
                    f"{size:,}",
                    build_s,
                    db_mb,
                    data.fresh_first.seconds * 1000 if data.fresh_first else float("nan"),
                    data.first_ms(50),
                    data.ms("search", 50),
                    data.ms("search", 95),
                    data.ms("facets", 50),
                    data.ms("facets", 95),
                    data.median_bytes() / 1e3,
                    data.median_rows("search"),
                    data.errors,
                ]
                for size, (_dash, data, build_s, db_mb) in measured.items()
            ],
        )
    if dashboard and datasette:
        rows = []
        worst = {kind: 0.0 for kind in KINDS}
        for size, (dash, data, _b, _m) in measured.items():
            ratios = {
                kind: (dash.ms(kind, 50) / data.ms(kind, 50), dash.ms(kind, 95) / data.ms(kind, 95)) for kind in KINDS
            }
            for kind in KINDS:
                worst[kind] = max(worst[kind], ratios[kind][0])
            rows.append([f"{size:,}", *ratios["search"], *ratios["facets"]])
        report.table(
            "5c. Dashboard / Datasette",
            "Latency of the dashboard divided by Datasette's for the same new filters (below 1: the dashboard is "
            "faster). The dashboard's rerun draws a whole page; Datasette's answer is one JSON document.",
            ["rows", "search p50", "search p95", "facets p50", "facets p95"],
            rows,
        )
        for kind in KINDS:
            report.target(
                f"new {kind}, dashboard vs Datasette p50, every size",
                f"{worst[kind]:.2f}x (worst size)",
                "below 1x",
                worst[kind] < 1,
            )


# --- 6. memory under distinct queries -----------------------------------------------------------


def memory_section(report: Report, out: Path, size: int, count: int, budget: float) -> None:
    """``count`` distinct filters (facets, search, both, in turn) on a fresh dashboard; RSS before, during,
    right after and TTL_WAIT seconds after, unless the time ``budget`` ends the stream first."""
    csv = datagen.folder(size, out) / "side_effects.csv"
    draw = Distinct(csv, seed=size + 1)
    plan = [draw.mixed(i) for i in range(count)]
    dash, unused = Series(), Series()
    app = servers.dashboard(csv.parent, name=f"dashboard {size}")
    try:
        dash.fresh_first = _timed(one_by_one(app.url, PAGE, [""], 1).first[0])
        gc.collect()
        time.sleep(2)
        warm = app.rss_mb()
        started = time.monotonic()
        with RssSampler(app) as sampler:
            sent = asyncio.run(_drive(app.url, None, plan, dash, unused, deadline=started + budget))
        elapsed = time.monotonic() - started
        after = app.rss_mb()
        time.sleep(TTL_WAIT)
        later = app.rss_mb()
    finally:
        app.stop()
    for text in dash.error_texts()[:5]:
        print(f"error, dashboard, {size:,} rows: {text}", flush=True)
    kinds = ("facets", "search", "both")
    report.table(
        "6. Memory under distinct filters",
        f"A fresh dashboard on {size:,} generated rows: one first render (warm RSS two seconds later), then "
        f"{count:,} filters no server has seen, in turn a facet combination, a search word, and both together, "
        f"in sessions of {SESSION} (one visitor at a time), within a budget of {budget / 60:.0f} minutes. RSS is "
        f"the server's resident memory: warm, highest during the stream, right after it and {TTL_WAIT} s after "
        "the last visitor left (session TTL 30 s).",
        [
            "filters sent",
            "minutes",
            *[f"{name} p50 / p95 (ms)" for name in kinds],
            "RSS warm (MiB)",
            "RSS peak (MiB)",
            "RSS right after (MiB)",
            f"RSS {TTL_WAIT} s later (MiB)",
            "right after / warm",
            f"{TTL_WAIT} s later / warm",
            "errors",
        ],
        [
            [
                f"{sent:,} of {count:,}",
                elapsed / 60,
                *[f"{dash.ms(kind, 50):.0f} / {dash.ms(kind, 95):.0f}" for kind in kinds],
                warm,
                sampler.peak,
                after,
                later,
                f"{after / warm:.2f}",
                f"{later / warm:.2f}",
                dash.errors,
            ]
        ],
    )
    short = "" if sent == count else f"; only {sent:,} of {count:,} filters within the budget"
    for name, value in (("right after", after), (f"{TTL_WAIT} s later", later)):
        report.target(
            f"{size:,} rows: RSS {name} {count:,} distinct filters vs warm",
            f"{value / warm:.2f}x ({value:.0f} vs {warm:.0f} MiB{short})",
            "1.3x",
            sent == count and value <= 1.3 * warm,
        )
