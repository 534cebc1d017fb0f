"""Image size, build time and cold start of deploy/Dockerfile's image, as a Markdown section.

    .venv/bin/python -m tests.container.measure [STARTS]

Builds the image without cache (then once more with it), and starts it STARTS times (default 5)
with the production settings, timing each from `podman run` to the first healthy answer and to
the first complete page (a script run over Streamlit's websocket, as a browser's first visit).
Uses the same podman set-up as the container tier (see podman.py); not part of `make test`.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time

from bench.protocol import Visitor
from bench.servers import free_port
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
    url = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    try:
        podman.run(name, port)
        podman.wait_healthy(url, name)
        healthy = time.monotonic() - started
        first_page(url)
        return healthy, time.monotonic() - started
    finally:
        podman.remove(name)


def main(starts: int) -> None:
    base_built = podman.ensure_base()
    started = time.monotonic()
    podman.build(no_cache=True)
    cold_build = time.monotonic() - started
    started = time.monotonic()
    podman.build()
    cached_build = time.monotonic() - started
    times = [cold_start() for _ in range(starts)]
    healthy = [t[0] for t in times]
    page = [t[1] for t in times]
    image, base = size_mb(podman.IMAGE), size_mb(podman.BASE)
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"Measured with `.venv/bin/python -m tests.container.measure {starts}` on {when}.")
    print()
    print("| what | measured |")
    print("| --- | --- |")
    print(f"| image size | {image:.0f} MB (base {base:.0f} MB + {image - base:.0f} MB of packages and app) |")
    standin = "built first" if base_built else "already present"
    print(f"| build without cache | {cold_build:.0f} s (stand-in base {standin}) |")
    print(f"| rebuild, nothing changed | {cached_build:.1f} s |")
    print(
        f"| `podman run` to first healthy answer | median {statistics.median(healthy):.2f} s "
        f"(min {min(healthy):.2f}, max {max(healthy):.2f}, {starts} starts) |"
    )
    print(
        f"| `podman run` to first page rendered | median {statistics.median(page):.2f} s "
        f"(min {min(page):.2f}, max {max(page):.2f}) |"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
