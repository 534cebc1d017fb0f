"""`make bench`: every scenario of the performance issues, measured in one run, written to docs/performance.md.

python -m bench.run                           # everything (about 1 h on 2 cores; up to 1.5 h while searches are slow)
python -m bench.run --quick                   # fewer sessions, rows and runs, for a quick look (not for the record)
python -m bench.run --only cold,datasette     # some parts only (written to bench/out/performance.md)
python -m bench.run --only cold --sizes 1000000 --runs 20

Parts: pages (1), capacity (2a, 2b, 3), scale (4), cold and datasette (5: new filters on the
side-effects page and the same on Datasette, side by side when both run), memory (6), lighthouse (7),
container (8: the image built and started with podman).
"""

from __future__ import annotations

import argparse
import gc
import shlex
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from bench import browser, cold, container, datagen, servers
from bench.load import Result, RssSampler, crowd, median_bytes, ms, one_by_one
from bench.report import Report
from dashboard.catalog import CatalogStore
from dashboard.csvio import read_csv_file
from dashboard.pagespecs import PAGES
from dashboard.schema import SIDE_EFFECTS
from dashboard.validate import check_table

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
REPORT = ROOT / "docs" / "performance.md"
PARTS = ("pages", "capacity", "scale", "cold", "datasette", "memory", "lighthouse", "container")
SIZES = [10_000, 100_000, 1_000_000]
QUICK_SIZES = [10_000, 100_000]

# A first render, then five filter changes, per page (values that exist in the shipped data).
QUERIES = {
    "overview": ["", "", "", "", "", ""],
    "mechanisms": ["", "direction=block", "confidence=probable", "type=receptor", "evidence=animal", ""],
    "dosing": ["", "drug=esketamine", "route=IV", "kg=80", "category=cardiovascular", ""],
    "side-effects": ["", "timeframe=acute", "system=cardiovascular", "sort=difference", "severity=serious", ""],
    "outcomes": ["", "outcome=response", "drug=esketamine", "measure=ratio", "design=RCT", ""],
    "compare": [
        "",
        "regimen=esk-trd-induction&regimen=iv-karma-dep-2",
        "regimen=iv-elekt-d&regimen=iv-ketect",
        "regimen=esk-trd-maintenance&regimen=esk-mdsi&regimen=iv-0.5-40min",
        "regimen=iv-0.5-dose-finding",
        "",
    ],
    "sources": ["", "kind=trial", "source=ANA23", "q=ketamine", "kind=label", ""],
    "glossary": ["", "", "", "", "", ""],
    "data": ["", "", "", "", "", ""],
}
SCALE_QUERIES = [
    "",
    "timeframe=acute",
    "system=cardiovascular",
    "sort=difference",
    "severity=serious",
    "population=group+3",
]
FLOOR_QUERIES = ["", "timeframe=acute", "timeframe=long-term", "timeframe=repeated+use", "timeframe=acute", ""]
TTL_WAIT = 60


def warm(server: servers.Server, page: str, queries: list[str]) -> None:
    """A few sessions before measuring: first loads, compiled scripts, caches filled."""
    one_by_one(server.url, page, queries, 2)


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
    replicas = [servers.dashboard(ROOT / "data", name=f"replica {i}") for i in (1, 2)]
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
                    r = crowd(proxy.url, page, queries, visitors)
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


def best_of(times: int, action: object) -> float:
    timings = []
    for _ in range(times):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        timings.append(time.perf_counter() - started)
    return min(timings)


def scale_section(report: Report, sizes: list[int], sessions: int) -> None:
    rows = []
    floor_rows = []
    for rows_count in sizes:
        folder = datagen.folder(rows_count, OUT)
        csv = folder / "side_effects.csv"
        size_mb = csv.stat().st_size / 1e6
        raw = best_of(3, lambda csv=csv: pd.read_csv(csv))
        load = best_of(3, lambda csv=csv: check_table(SIDE_EFFECTS, read_csv_file(csv, SIDE_EFFECTS.kinds())))
        catalog_load = best_of(3, lambda folder=folder: CatalogStore(folder).refresh())
        frame = CatalogStore(folder).refresh().frame("side_effects")
        assert frame is not None, "generated table should be valid"
        frame_mb = frame.memory_usage(deep=True).sum() / 2**20
        del frame
        gc.collect()
        app = servers.dashboard(folder, name=f"dashboard {rows_count}")
        try:
            started = time.perf_counter()
            one_by_one(app.url, "side-effects", SCALE_QUERIES[:1], 1)
            first_load = time.perf_counter() - started
            warm(app, "side-effects", SCALE_QUERIES)
            r = one_by_one(app.url, "side-effects", SCALE_QUERIES, sessions)
            rss = app.rss_mb()
        finally:
            app.stop()
        rows.append(
            [
                f"{rows_count:,}",
                size_mb,
                raw,
                load,
                load / raw,
                catalog_load,
                first_load,
                frame_mb,
                ms(r.first, 50),
                ms(r.reruns, 50),
                median_bytes(r.first) / 1e6,
                median_bytes(r.reruns) / 1e6,
                rss,
                rss / frame_mb,
                r.errors,
            ]
        )
        floor = servers.floor(csv, tuned=True)
        try:
            f = one_by_one(floor.url, "", FLOOR_QUERIES, max(1, sessions // 2))
            floor_rows.append(
                [
                    f"{rows_count:,}",
                    ms(f.first, 50),
                    ms(f.reruns, 50),
                    median_bytes(f.first) / 1e6,
                    median_bytes(f.reruns) / 1e6,
                    floor.rss_mb(),
                    f.errors,
                ]
            )
        finally:
            floor.stop()
        if rows_count == max(sizes):
            report.target(
                f"{rows_count:,} rows: load + validate vs pandas.read_csv",
                f"{load / raw:.2f}x ({load:.2f} s vs {raw:.2f} s)",
                "3x",
                load / raw <= 3,
            )
            report.target(
                f"{rows_count:,} rows: first render p50",
                f"{ms(r.first, 50):.0f} ms",
                "1000 ms",
                ms(r.first, 50) <= 1000,
            )
            report.target(
                f"{rows_count:,} rows: filter-change rerun p50",
                f"{ms(r.reruns, 50):.0f} ms",
                "300 ms",
                ms(r.reruns, 50) <= 300,
            )
            sent = max(median_bytes(r.first), median_bytes(r.reruns)) / 1e6
            report.target(f"{rows_count:,} rows: bytes sent per render", f"{sent:.2f} MB", "2 MB", sent <= 2)
            report.target(
                f"{rows_count:,} rows: server RSS vs frame in memory",
                f"{rss / frame_mb:.2f}x ({rss:.0f} MB vs {frame_mb:.0f} MB)",
                "4x",
                rss / frame_mb <= 4,
            )
    report.table(
        "4a. Data scale: the dashboard with a generated side-effects table",
        "Side-effects tables of generated rows with the shipped schema (`bench/datagen.py`). Load + validate is "
        "reading and checking the side-effects file (every rule of its schema) against `pandas.read_csv` of the "
        "same file, best of three each; the whole catalog adds the other five files and the source-id checks. "
        "The first load is the first visitor's wait on a fresh server; first render and rerun are later visitors "
        "on the side-effects page. The floor's table is sent lazily by Streamlit above 150,000 rows (the first "
        "chunk on the websocket, more rows on scroll), so its bytes are small too.",
        [
            "rows",
            "CSV (MB)",
            "read_csv (s)",
            "load + validate (s)",
            "ratio",
            "whole catalog (s)",
            "first load (s)",
            "frame (MiB)",
            "first render p50 (ms)",
            "rerun p50 (ms)",
            "MB sent, first",
            "MB sent, rerun",
            "RSS (MiB)",
            "RSS / frame",
            "errors",
        ],
        rows,
    )
    report.table(
        "4b. Data scale: the floor app on the same files",
        "The tuned floor app (one st.dataframe and one chart of the whole table) on the same generated files.",
        ["rows", "first render p50 (ms)", "rerun p50 (ms)", "MB sent, first", "MB sent, rerun", "RSS (MiB)", "errors"],
        floor_rows,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer sessions, smaller tables, fewer runs")
    parser.add_argument(
        "--only", default=",".join(PARTS), help=f"comma-separated parts (default all): {','.join(PARTS)}"
    )
    parser.add_argument("--sizes", help="comma-separated generated table sizes for scale, cold and datasette")
    parser.add_argument("--runs", type=int, help="new searches (and as many facet combinations) per size for cold")
    parser.add_argument("--out", type=Path, help="report file (default docs/performance.md, or bench/out/ with --only)")
    args = parser.parse_args()
    only = [part.strip() for part in args.only.split(",") if part.strip()]
    unknown = sorted(set(only) - set(PARTS))
    if unknown:
        parser.error(f"unknown part(s) {', '.join(unknown)}; choose from {', '.join(PARTS)}")
    everything = set(only) == set(PARTS)
    sizes = [int(n) for n in args.sizes.split(",")] if args.sizes else QUICK_SIZES if args.quick else SIZES
    out = args.out or (REPORT if everything else OUT / "performance.md")
    started = time.perf_counter()
    OUT.mkdir(parents=True, exist_ok=True)
    report = Report(command=shlex.join(["python", "-m", "bench.run", *sys.argv[1:]]), out=out)
    if "pages" in only:
        per_page(report, sessions=4 if args.quick else 15)
    if "capacity" in only:
        heaviest, rps = capacity_section(report)
        concurrency_section(report, heaviest, rps, [10, 50] if args.quick else [10, 50, 100, 200])
        scale_out_section(report, heaviest, visitors=20 if args.quick else 40, rounds=1 if args.quick else 3)
    if "scale" in only:
        scale_section(report, sizes, sessions=3 if args.quick else 8)
    if "cold" in only or "datasette" in only:
        runs = args.runs or (10 if args.quick else 30)
        cold.distinct_section(report, OUT, sizes, runs, dashboard="cold" in only, datasette="datasette" in only)
    if "memory" in only:
        count, budget = (100, 5 * 60) if args.quick else (1_000, 30 * 60)
        cold.memory_section(report, OUT, size=max(sizes), count=count, budget=budget)
    if "lighthouse" in only:
        browser.lighthouse_section(report, OUT, every_page=not args.quick, runs=1 if args.quick else 3)
    if "container" in only:
        container.section(report, starts=2 if args.quick else 5)
    report.write(time.perf_counter() - started)


if __name__ == "__main__":
    main()
