"""Image size, build time and cold start of deploy/Dockerfile's image (part ``container`` of `make bench`).

Builds the image without cache (then once more with it), and starts it a few times with the
production settings, timing each from `podman run` to the first healthy answer and to the first
complete page (a script run over Streamlit's websocket, as a browser's first visit). Uses the
podman set-up of the container tier (tests/container/podman.py).
"""

from __future__ import annotations

import asyncio
import statistics
import time

from bench.protocol import Visitor
from bench.report import Report
from bench.servers import APP_PREFIX, free_port
from tests.container import podman


def size_mb(image: str) -> float:
    return int(podman.podman("image", "inspect", "--format", "{{.Size}}", image).stdout.strip()) / 1e6


def first_page(url: str) -> float:
    async def visit() -> float:
        async with Visitor(url) as visitor:
            run = await visitor.run()
            if not run.ok:
                raise RuntimeError(run.error)
            return run.seconds

    return asyncio.run(visit())


def cold_start() -> tuple[float, float]:
    """Seconds from `podman run` to the first ok from /_stcore/health, and to the first page rendered."""
    name = f"{podman.PREFIX}-measure"
    port = free_port()
    url = f"http://127.0.0.1:{port}{APP_PREFIX}"  # the image serves the app under it
    started = time.monotonic()
    try:
        podman.run(name, port)
        podman.wait_healthy(url, name)
        healthy = time.monotonic() - started
        first_page(url)
        return healthy, time.monotonic() - started
    finally:
        podman.remove(name)


def section(report: Report, starts: int) -> None:
    """The image's size, build times and cold start, as section 8 of the report."""
    base_built = podman.ensure_base()
    started = time.monotonic()
    podman.build(no_cache=True)
    cold_build = time.monotonic() - started
    podman.build()  # podman does not reuse the layers of a --no-cache build: one ordinary build first
    started = time.monotonic()
    podman.build()
    cached_build = time.monotonic() - started
    times = [cold_start() for _ in range(starts)]
    healthy = sorted(t[0] for t in times)
    page = sorted(t[1] for t in times)
    image, base = size_mb(podman.IMAGE), size_mb(podman.BASE)
    standin = "built first in this run" if base_built else "already present"
    report.table(
        "8. The container image: size, build time, cold start",
        NOTE,
        ["what", "measured"],
        [
            ["image size", f"{image:.0f} MB (base {base:.0f} MB + {image - base:.0f} MB of packages and app)"],
            ["build without cache", f"{cold_build:.0f} s (stand-in base {standin})"],
            ["rebuild, nothing changed", f"{cached_build:.1f} s"],
            [
                "`podman run` to first healthy answer",
                f"median {statistics.median(healthy):.2f} s "
                f"(min {healthy[0]:.2f}, max {healthy[-1]:.2f}, {starts} starts)",
            ],
            [
                "`podman run` to first page rendered",
                f"median {statistics.median(page):.2f} s (min {page[0]:.2f}, max {page[-1]:.2f})",
            ],
        ],
    )


NOTE = (
    "deploy/Dockerfile built and started with the container tier's podman set-up (`tests/container/podman.py`: "
    "runc, host network, and FROM a stand-in for `python:3.11-slim` made with debootstrap from Debian "
    "bookworm's Python 3.11, as no image registry is reachable here, so the base layer is larger than the "
    "official one). The layer above the base is what the Dockerfile adds: the pinned packages (pyarrow, "
    "pandas, numpy, plotly and Streamlit are most of it) and about 1 MB of app and data. Cold start is from "
    "`podman run` (read-only root, tmpfs, public mode, shipped data) to the first `ok` from "
    "`/_stcore/health`, and to the first complete page (one script run of the overview over Streamlit's "
    "websocket, which also imports pandas, plotly and pandera and loads the tables)."
)
