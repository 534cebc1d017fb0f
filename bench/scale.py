"""Scenario 4: the dashboard and the floor app with generated side-effects tables of growing size."""

from __future__ import annotations

import gc
import time
from pathlib import Path

import pandas as pd

from bench import datagen, servers
from bench.load import median_bytes, ms, one_by_one
from bench.report import Report
from bench.workload import FLOOR_QUERIES, SCALE_QUERIES, warm
from dashboard.catalog import CatalogStore
from dashboard.csvio import read_csv_file
from dashboard.schema import SIDE_EFFECTS
from dashboard.validate import check_table

OUT = Path(__file__).resolve().parent / "out"


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
        "Side-effects tables of the shipped rows and generated ones with the shipped schema (`bench/datagen.py`; "
        "every table of the folder valid, the analyses' harm pools too). Load + validate is "
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
