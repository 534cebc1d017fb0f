"""9. The public front door: the baked pages on a phone beside the Streamlit floor app, and how many
visitors nginx serves a baked page to per second against the app's sessions per second.

Both are served by the shipped deploy/nginx.conf in the same run: the baked site (published the way
the running app publishes it) is the config's site root, and two floor-app replicas, started under
the app's prefix, are its upstream."""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bench import lighthouse, servers
from bench.load import crowd
from dashboard.bake import publish, site
from dashboard.catalog import load_catalog
from dashboard.settings import Settings

if TYPE_CHECKING:
    from bench.report import Report

ROOT = Path(__file__).resolve().parent.parent
FLOOR = "floor app (Streamlit), nginx"
CONNECTIONS = 32
"""Keep-alive connections of the static load (each sends its next request when the last is answered)."""


def bake(out: Path) -> Path:
    """The shipped data baked and published under ``out`` (its ``current`` link), as the app does it."""
    settings = Settings.from_env({"DASHBOARD_APP_BASE": f"{servers.APP_PREFIX}/"})
    build = publish.publish(out, load_catalog(ROOT / "data"), lambda c, folder: site.bake(c, folder, settings))
    if build is None:
        raise SystemExit("the shipped data did not bake (a table is invalid): fix it before measuring")
    return out


async def _body(reader: asyncio.StreamReader, head: bytes) -> None:
    """Read a response's body: a Content-Length, or chunks (nginx gzips on the fly with chunked encoding)."""
    fields = dict(line.split(b":", 1) for line in head.split(b"\r\n")[1:] if b":" in line)
    fields = {name.strip().lower(): value.strip() for name, value in fields.items()}
    if b"content-length" in fields:
        await reader.readexactly(int(fields[b"content-length"]))
        return
    while size := int((await reader.readuntil(b"\r\n")).strip(), 16):
        await reader.readexactly(size + 2)
    await reader.readuntil(b"\r\n")


async def _hammer(host: str, port: int, path: str, seconds: float) -> tuple[int, int]:
    """(responses, errors) from ``CONNECTIONS`` keep-alive connections asking for ``path`` for ``seconds``."""
    request = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept-Encoding: gzip\r\n\r\n".encode()
    deadline = time.monotonic() + seconds
    counts = [0, 0]

    async def connection() -> None:
        while time.monotonic() < deadline:  # nginx closes a keep-alive connection after 1,000 requests
            reader, writer = await asyncio.open_connection(host, port)
            try:
                while time.monotonic() < deadline:
                    writer.write(request)
                    head = await reader.readuntil(b"\r\n\r\n")
                    status = int(head.split(b" ", 2)[1])
                    await _body(reader, head)
                    counts[0 if status == 200 else 1] += 1
            except (asyncio.IncompleteReadError, ConnectionError):
                pass
            finally:
                writer.close()

    await asyncio.gather(*(connection() for _ in range(CONNECTIONS)))
    return counts[0], counts[1]


def static_rate(url: str, path: str, seconds: float = 10.0) -> tuple[float, int]:
    """Responses per second nginx gives ``path`` (and the errors), driven by one Python process: the
    driver, not nginx, is the limit, so this is a lower bound on what nginx can serve."""
    host, port = url.removeprefix("http://").split(":")
    served, errors = asyncio.run(_hammer(host, int(port), path, seconds))
    return served / seconds, errors


def public_section(report: Report, out: Path, runs: int, visitors: int) -> None:
    folder = bake(Path(tempfile.mkdtemp(prefix="bench-site-")))
    pages = sorted(p.name for p in (folder / "current").glob("*.html"))
    csv = ROOT / "data" / "side_effects.csv"
    floors = [servers.floor(csv, tuned=True, env=servers.BEHIND_NGINX) for _ in range(2)]
    proxy = servers.nginx(floors, Path(tempfile.mkdtemp(prefix="bench-nginx-")), lift_limits=True, site=folder)
    rows = []
    figures: dict[str, lighthouse.Metrics] = {}
    try:
        targets = [(FLOOR, proxy.app + "/"), *((page, f"{proxy.url}/{page}") for page in pages)]
        for name, url in targets:
            save = out / "lighthouse" / f"public-{name.split(' ')[0]}-mobile.json"
            visit = lighthouse.visit(url, "mobile", runs, save)
            figures[name] = visit.first
            f = visit.first
            print(f"lighthouse mobile {name}: score {f.score:.0f}, FCP {f.fcp:.0f} ms, LCP {f.lcp:.0f} ms", flush=True)
            rows.append([name, visit.runs, f"{f.score:.0f}", f.fcp, f.lcp, f"{f.cls:.3f}", f.tbt, f.bytes / 1e3])
        baked_rate, baked_errors = static_rate(proxy.url, "/index.html")
        sessions = crowd(proxy.app, "", [""], visitors)
    finally:
        proxy.stop()
        for floor in floors:
            floor.stop()
    report.table(
        "9. The public front door: baked pages on a phone, beside the Streamlit floor app",
        f"Lighthouse {lighthouse.version()} mobile defaults (phone screen, simulated slow 4G, 4x CPU slowdown), "
        f"median of {runs} first visits each, in the same run: every baked page (the shipped data baked as the "
        "app bakes it) and the floor app (the smallest Streamlit page: one table, one chart), both through "
        "deploy/nginx.conf with gzip. Times in ms, CLS unitless, sizes in KB (HTTP transfer).",
        ["page", "runs", "score", "FCP", "LCP", "CLS", "TBT", "KB"],
        rows,
    )
    report.table(
        "9b. Visitors per second: a baked page against the app's sessions",
        f"The landing page from nginx: {CONNECTIONS} keep-alive connections from one Python process for 10 s, "
        "gzip accepted (the driver is the limit, so this is a lower bound). The floor app's sessions through "
        f"the same nginx: {visitors} simultaneous protocol-level visitors, one first render each (the Streamlit "
        "page a baked page stands in for; the dashboard's own pages are slower still, see sections 2 and 3).",
        ["what", "per second", "errors"],
        [
            ["baked landing page (nginx, static)", baked_rate, baked_errors],
            ["floor app sessions (Streamlit, 2 replicas)", sessions.per_second, sessions.errors],
        ],
    )
    baked = {name: m for name, m in figures.items() if name != FLOOR}
    worst_fcp = max(baked.items(), key=lambda item: item[1].fcp)
    worst_lcp = max(baked.items(), key=lambda item: item[1].lcp)
    worst_cls = max(baked.items(), key=lambda item: item[1].cls)
    worst_score = min(baked.items(), key=lambda item: item[1].score)
    floor = figures[FLOOR]
    report.target(
        "every baked page, phone: FCP",
        f"{worst_fcp[1].fcp / 1000:.2f} s ({worst_fcp[0]}; floor app {floor.fcp / 1000:.1f} s)",
        "1.8 s",
        worst_fcp[1].fcp <= 1800,
    )
    report.target(
        "every baked page, phone: LCP",
        f"{worst_lcp[1].lcp / 1000:.2f} s ({worst_lcp[0]}; floor app {floor.lcp / 1000:.1f} s)",
        "2.5 s",
        worst_lcp[1].lcp <= 2500,
    )
    report.target(
        "every baked page, phone: CLS",
        f"{worst_cls[1].cls:.3f} ({worst_cls[0]}; floor app {floor.cls:.3f})",
        "0.02",
        worst_cls[1].cls <= 0.02,
    )
    report.target(
        "every baked page, phone: performance score",
        f"{worst_score[1].score:.0f} ({worst_score[0]}; floor app {floor.score:.0f})",
        "95",
        worst_score[1].score >= 95,
    )
