"""Scenarios 1 to 3 on the shipped data: one visitor per page, capacity and concurrency against the
floor app, and two replicas behind nginx."""

from __future__ import annotations

import gc
import statistics
import tempfile
import time
from pathlib import Path

from bench import servers
from bench.load import Result, RssSampler, crowd, median_bytes, ms, one_by_one
from bench.report import Report
from bench.workload import FLOOR_QUERIES, QUERIES, TTL_WAIT, warm
from dashboard.pagespecs import PAGES

ROOT = Path(__file__).resolve().parent.parent

# --- scenario 1: one visitor per page -------------------------------------------------------


def per_page(report: Report, sessions: int) -> dict[str, Result]:
    data = ROOT / "data"
    floor = servers.floor(data / "side_effects.csv", tuned=True)
    try:
        warm(floor, "", FLOOR_QUERIES)
        floor_result = one_by_one(floor.url, "", FLOOR_QUERIES, sessions)
    finally:
        floor.stop()
    app = servers.dashboard(data)
    results: dict[str, Result] = {}
    try:
        for spec in PAGES:
            page = "" if spec is PAGES[0] else spec.path
            warm(app, page, QUERIES[spec.path])
            results[spec.path] = one_by_one(app.url, page, QUERIES[spec.path], sessions)
    finally:
        app.stop()
    f_first, f_rerun = ms(floor_result.first, 50), ms(floor_result.reruns, 50)
    rows = [
        [
            "floor (tuned)",
            f_first,
            ms(floor_result.first, 95),
            f_rerun,
            ms(floor_result.reruns, 95),
            1.0,
            1.0,
            median_bytes(floor_result.first),
            median_bytes(floor_result.reruns),
            floor_result.errors,
        ]
    ]
    for path, r in results.items():
        rows.append(
            [
                path,
                ms(r.first, 50),
                ms(r.first, 95),
                ms(r.reruns, 50),
                ms(r.reruns, 95),
                ms(r.first, 50) / f_first,
                ms(r.reruns, 50) / f_rerun,
                median_bytes(r.first),
                median_bytes(r.reruns),
                r.errors,
            ]
        )
    report.table(
        "1. One visitor, every page (shipped data)",
        f"{sessions} sessions per page, one after another; each is a first render and five filter changes.",
        [
            "page",
            "first render p50 (ms)",
            "first p95 (ms)",
            "rerun p50 (ms)",
            "rerun p95 (ms)",
            "first / floor",
            "rerun / floor",
            "bytes, first",
            "bytes, rerun",
            "errors",
        ],
        rows,
    )
    worst_first = max(ms(r.first, 50) / f_first for r in results.values())
    worst_rerun = max(ms(r.reruns, 50) / f_rerun for r in results.values())
    report.target("every page, first render p50 vs floor", f"{worst_first:.2f}x (worst page)", "2x", worst_first <= 2)
    report.target(
        "every page, filter-change rerun p50 vs floor", f"{worst_rerun:.2f}x (worst page)", "2x", worst_rerun <= 2
    )
    return results


# --- scenario 2: capacity and concurrency ----------------------------------------------------


def capacity_section(report: Report) -> tuple[str, float]:
    """Runs per second at saturation for both floors and every page; returns the heaviest page."""
    data = ROOT / "data"
    rows = []
    measured: dict[str, float] = {}
    for tuned in (True, False):
        floor = servers.floor(data / "side_effects.csv", tuned=tuned)
        try:
            warm(floor, "", FLOOR_QUERIES)
            r = crowd(floor.url, "", FLOOR_QUERIES, 20)
        finally:
            floor.stop()
        measured[floor.name] = r.per_second
        rows.append([floor.name, r.per_second, ms(r.runs, 50), ms(r.runs, 95), r.errors])
    pages: dict[str, float] = {}
    app = servers.dashboard(data)
    try:
        for spec in PAGES:
            page = "" if spec is PAGES[0] else spec.path
            warm(app, page, QUERIES[spec.path])
            r = crowd(app.url, page, QUERIES[spec.path], 20)
            pages[spec.path] = r.per_second
            rows.append([f"dashboard, {spec.path}", r.per_second, ms(r.runs, 50), ms(r.runs, 95), r.errors])
    finally:
        app.stop()
    heaviest = min(pages, key=lambda p: pages[p])
    ours = pages[heaviest]
    report.table(
        "2a. Capacity at saturation",
        "20 simultaneous visitors, each a first render and five filter changes; runs per second over the whole "
        "burst, for both floors and every page of the dashboard.",
        ["server", "runs per second", "p50 (ms)", "p95 (ms)", "errors"],
        rows,
    )
    tuned, naive = measured["floor (tuned)"], measured["floor (naive defaults)"]
    report.target(
        f"capacity of the heaviest page ({heaviest}) vs tuned floor",
        f"{ours / tuned:.2f}x ({ours:.1f} vs {tuned:.1f} runs/s)",
        "0.5x",
        ours / tuned >= 0.5,
    )
    report.target(
        f"capacity of the heaviest page ({heaviest}) vs naive floor",
        f"{ours / naive:.2f}x ({ours:.1f} vs {naive:.1f} runs/s)",
        "1.5x",
        ours / naive >= 1.5,
    )
    return heaviest, ours


def concurrency_section(report: Report, heaviest: str, capacity_rps: float, levels: list[int]) -> None:
    page = "" if heaviest == "overview" else heaviest
    queries = QUERIES[heaviest]
    app = servers.dashboard(ROOT / "data")
    rows = []
    try:
        warm(app, page, queries)
        gc.collect()
        time.sleep(2)
        warm_rss = app.rss_mb()
        for visitors in levels:
            with RssSampler(app) as sampler:
                r = crowd(app.url, page, queries, visitors)
            time.sleep(TTL_WAIT)
            after = app.rss_mb()
            bound = 1.5 * visitors * len(queries) / capacity_rps
            per_visitor = (sampler.peak - warm_rss) / visitors
            rows.append(
                [
                    visitors,
                    len(r.runs),
                    r.errors,
                    r.failed_sessions,
                    ms(r.runs, 50),
                    ms(r.runs, 95),
                    ms(r.runs, 100),
                    r.per_second,
                    bound * 1000,
                    warm_rss,
                    sampler.peak,
                    per_visitor,
                    after,
                ]
            )
            if visitors == max(levels):
                report.target(f"{visitors} visitors: errors and failed sessions", f"{r.errors}", "0", r.errors == 0)
                report.target(
                    f"{visitors} visitors: p95 latency",
                    f"{ms(r.runs, 95) / 1000:.1f} s",
                    f"{bound:.1f} s (1.5 x visitors x runs / capacity)",
                    ms(r.runs, 95) <= bound * 1000,
                )
                report.target("memory growth per live visitor", f"{per_visitor:.2f} MB", "1 MB", per_visitor <= 1)
                report.target(
                    f"memory {TTL_WAIT} s after {visitors} visitors left",
                    f"{after:.0f} MB (warm {warm_rss:.0f} MB, +{100 * (after / warm_rss - 1):.0f}%)",
                    "+20%",
                    after <= warm_rss * 1.2,
                )
    finally:
        app.stop()
    report.table(
        "2b. Simultaneous visitors",
        f"All visitors start at once on the {heaviest} page; each does a first render and five filter changes. "
        f"The queueing bound is 1.5 x (visitors x runs) / capacity. Memory is the server's RSS: warm before the "
        f"burst, peak during it, and {TTL_WAIT} s after the visitors disconnected (session TTL is 30 s).",
        [
            "visitors",
            "runs",
            "errors",
            "failed sessions",
            "p50 (ms)",
            "p95 (ms)",
            "max (ms)",
            "runs/s",
            "queueing bound (ms)",
            "RSS warm (MB)",
            "RSS peak (MB)",
            "MB per visitor",
            f"RSS after {TTL_WAIT} s (MB)",
        ],
        rows,
    )


def scale_out_section(report: Report, heaviest: str, visitors: int, rounds: int) -> None:
    """One replica, then two, ``rounds`` times over (interleaved, so drift on the machine hits both
    alike); the ratio is of the mean rates, and every round is listed."""
    page = "" if heaviest == "overview" else heaviest
    queries = QUERIES[heaviest]
    replicas = [servers.dashboard(ROOT / "data", name=f"replica {i}", env=servers.BEHIND_NGINX) for i in (1, 2)]
    rows = []
    rates: dict[int, list[float]] = {1: [], 2: []}
    try:
        for round_ in range(1, rounds + 1):
            for count in (1, 2):
                workdir = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
                proxy = servers.nginx(replicas[:count], workdir)
                try:
                    for replica in replicas[:count]:
                        warm(replica, page, queries)
                    r = crowd(proxy.app, page, queries, visitors)
                finally:
                    proxy.stop()
                rates[count].append(r.per_second)
                setup = f"round {round_}: {count} replica{'s' if count > 1 else ''} behind nginx"
                rows.append([setup, r.per_second, ms(r.runs, 50), ms(r.runs, 95), r.errors])
    finally:
        for replica in replicas:
            replica.stop()
    one, two = statistics.mean(rates[1]), statistics.mean(rates[2])
    ratio = two / one
    rows.append([f"mean of {rounds}: 1 replica / 2 replicas", f"{one:.1f} / {two:.1f}", "", "", ""])
    rows.append(["ratio of the means", ratio, "", "", ""])
    report.table(
        "3. Scale-out behind the shipped nginx config",
        f"{visitors} simultaneous visitors on the {heaviest} page through deploy/nginx.conf (per-IP connection and "
        f"request limits lifted: the whole load comes from one address), with one replica, then two; {rounds} "
        "rounds, interleaved. One replica is one Python process and uses about one core; two replicas share the "
        "machine's two cores with nginx and the load driver.",
        ["setup", "runs per second", "p50 (ms)", "p95 (ms)", "errors"],
        rows,
    )
    report.target("two replicas vs one (capacity, mean of rounds)", f"{ratio:.2f}x", "1.6x", ratio >= 1.6)


# --- scenario 4: data scale ------------------------------------------------------------------
