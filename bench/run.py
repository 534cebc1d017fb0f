"""`make bench`: every scenario of the performance issues, measured in one run, written to docs/performance.md.

python -m bench.run                           # everything (about 1 h on 2 cores; up to 1.5 h while searches are slow)
python -m bench.run --quick                   # fewer sessions, rows and runs, for a quick look (not for the record)
python -m bench.run --only cold,datasette     # some parts only (written to bench/out/performance.md)
python -m bench.run --only cold --sizes 1000000 --runs 20

Parts: pages (1), capacity (2a, 2b, 3), scale (4a, 4b), shapes (4c: three table shapes, largest size),
cold and datasette (5: new filters on the side-effects page and the same on Datasette, side by side when
both run), memory (6), lighthouse (7), direct (7b, 7c: Lighthouse desktop straight to Streamlit beside the
floor app; websocket compression), container (8: the image built and started with podman), public (9: the
baked pages on a phone beside the floor app, and visitors per second of a baked page against the app's sessions).
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from pathlib import Path

from bench import browser, cold, container, direct, public
from bench.pages import capacity_section, concurrency_section, per_page, scale_out_section
from bench.report import Report
from bench.scale import scale_section
from bench.shapes import shapes_section

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
REPORT = ROOT / "docs" / "performance.md"
PARTS = (
    "pages", "capacity", "scale", "shapes", "cold", "datasette", "memory", "lighthouse", "direct", "container", "public"
)  # fmt: skip
SIZES = [10_000, 100_000, 1_000_000]
QUICK_SIZES = [10_000, 100_000]


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
    if "shapes" in only:
        shapes_section(report, max(sizes), sessions=2 if args.quick else 3, searches=10 if args.quick else 20)
    if "cold" in only or "datasette" in only:
        runs = args.runs or (10 if args.quick else 30)
        cold.distinct_section(report, OUT, sizes, runs, dashboard="cold" in only, datasette="datasette" in only)
    if "memory" in only:
        count, budget = (100, 5 * 60) if args.quick else (1_000, 30 * 60)
        cold.memory_section(report, OUT, size=max(sizes), count=count, budget=budget)
    if "lighthouse" in only:
        browser.lighthouse_section(report, OUT, every_page=not args.quick, runs=1 if args.quick else 3)
    if "direct" in only:
        direct.direct_section(report, runs=1 if args.quick else 3)
        direct.compression_section(report, runs=1 if args.quick else 3)
    if "container" in only:
        container.section(report, starts=2 if args.quick else 5)
    if "public" in only:
        public.public_section(report, OUT, runs=1 if args.quick else 3, visitors=10 if args.quick else 20)
    report.write(time.perf_counter() - started)


if __name__ == "__main__":
    main()
