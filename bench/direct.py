"""7b. The browser straight to Streamlit: Lighthouse's desktop preset on every page of one dashboard
server and on the floor app, in the same run; and what Streamlit's websocket compression changes.

Straight to Streamlit (no nginx) so the figures are the app's own cost in the browser, not the
proxy's. The phone is the public front door's concern (the baked pages), not this table's.
"""

from __future__ import annotations

import math
import statistics
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bench import lighthouse, servers
from bench.lighthouse import Browser, Metrics
from bench.load import one_by_one
from dashboard.pagespecs import PAGES
from dashboard.ui.inview import WAITING

if TYPE_CHECKING:
    from bench.report import Report

ROOT = Path(__file__).resolve().parent.parent
TBT_LIMIT = 1.5
"""Every page's desktop TBT at most this many times the floor app's (same run, both direct)."""
COMPRESSION = "STREAMLIT_SERVER_ENABLE_WEBSOCKET_COMPRESSION"
"""Streamlit's server.enableWebsocketCompression (on in the shipped .streamlit/config.toml)."""


@dataclass
class Page:
    name: str
    path: str
    desktop: Metrics
    websocket: int
    """Bytes of the first render's websocket messages, as sent (no compression)."""
    rounds: tuple[float, ...] = ()
    """The page's TBT over the floor app's, round by round (``per_round``)."""
    scroll: tuple[Scroll | None, Scroll | None] = (None, None)
    """What a reader who scrolls to the page's first chart waits and blocks, on the desktop and the phone."""


FLOOR = "floor app"
COLUMNS = ["page", "score", "TBT", "TBT / floor", "TBT / floor, each round", "CLS", "FCP"]


def interleaved(browser: Browser, targets: list[tuple[str, str]], runs: int) -> dict[str, list[Metrics]]:
    """``runs`` desktop first visits of each (name, url), one round at a time: the floor app, then
    every page, then the floor app again. A shared machine's speed drifts over a run (the floor app's
    own TBT moved between 359 and 601 ms in one session), and measured one after the other, the floor
    and the pages would see different machines; in rounds, each median spans the same stretch of time,
    so their ratio compares like with like."""
    visits: dict[str, list[Metrics]] = {name: [] for name, _ in targets}
    for _ in range(runs):
        for name, url in targets:
            visits[name].append(browser.lighthouse(url, "desktop", keep_cache=False))
    return visits


def per_round(page: list[Metrics], floor: list[Metrics]) -> tuple[float, ...]:
    """The page's TBT over the floor app's in each round where both visits worked. Both move with the
    machine from one round to the next, so the spread of these ratios shows how far one run's verdict
    on the target can be trusted; a round where the floor app blocked nothing has no ratio."""
    return tuple(p.tbt / f.tbt for p, f in zip(page, floor, strict=True) if p.ok and f.ok and f.tbt > 0)


def websocket_bytes(url: str) -> tuple[int, int]:
    """What the page's websocket carries to Chromium on a first visit, and the same frames through one
    deflate stream (as permessage-deflate, with context takeover, would about send them)."""
    from playwright.sync_api import sync_playwright

    frames: list[bytes] = []
    with sync_playwright() as manager:
        browser = manager.chromium.launch(executable_path=servers.CHROMIUM, args=list(servers.CHROMIUM_FLAGS))
        page = browser.new_page()
        page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(_raw(f))))
        page.goto(url)
        page.wait_for_selector('[data-test-script-state="notRunning"]', timeout=60_000)
        page.wait_for_timeout(500)
        browser.close()
    packer = zlib.compressobj(wbits=-15)
    packed = sum(len(packer.compress(f)) + len(packer.flush(zlib.Z_SYNC_FLUSH)) for f in frames)
    return sum(len(f) for f in frames), packed


SCROLL_TO_CHART = """async (block) => {
    const blocking = [];
    new PerformanceObserver((list) => list.getEntries().forEach((task) => blocking.push(task.duration - 50)))
        .observe({type: "longtask"});
    const start = performance.now();
    block.scrollIntoView({block: "center"});
    await new Promise((done) => {
        const look = () => (document.querySelector(".js-plotly-plot .main-svg") ? done() : setTimeout(look, 16));
        look();
    });
    await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
    const drawn = performance.now() - start;
    await new Promise((done) => setTimeout(done, 3000));
    return [drawn, blocking.reduce((sum, excess) => sum + excess, 0)];
}"""


DESKTOP = {"width": 1350, "height": 940}
"""Lighthouse's desktop screen."""
PHONE = {"width": 390, "height": 844}
PHONE_CPU = 4
"""A phone's processor as Lighthouse's mobile preset has it: four times slower than this machine's."""


@dataclass(frozen=True)
class Scroll:
    """What a reader who scrolls to a page's first chart waits and blocks, in ms (``scroll_to_chart``)."""

    drawn: float
    blocking: float


def scroll_to_chart(url: str, runs: int, *, phone: bool = False) -> Scroll | None:
    """What the charts drawn on arrival (dashboard/ui/inview.py) cost the reader who does scroll to
    them: from the scroll to the first chart on screen (the server's run, plotly's code fetched and run,
    the draw), and the main thread's blocking (long tasks' time over 50 ms) from the scroll until 3 s
    after the draw. Medians of ``runs`` first visits (empty cache), at Lighthouse's desktop size or on a
    390 px touch screen with the processor slowed ``PHONE_CPU`` times; None on a page that holds no
    place for a chart."""
    from playwright.sync_api import sync_playwright

    visits: list[Scroll] = []
    with sync_playwright() as manager:
        browser = manager.chromium.launch(executable_path=servers.CHROMIUM, args=list(servers.CHROMIUM_FLAGS))
        for _ in range(runs):
            size = PHONE if phone else DESKTOP
            context = browser.new_context(viewport=size, is_mobile=phone, has_touch=phone)  # type: ignore[arg-type]
            page = context.new_page()
            if phone:
                context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": PHONE_CPU})
            page.goto(url)
            page.wait_for_selector('[data-test-script-state="notRunning"]', timeout=120_000)
            page.wait_for_timeout(3000 if phone else 1000)
            waiting = page.get_by_text(WAITING)
            if not waiting.count():
                context.close()
                break
            drawn, blocking = waiting.first.evaluate(SCROLL_TO_CHART)
            visits.append(Scroll(float(drawn), float(blocking)))
            context.close()
        browser.close()
    if not visits:
        return None
    return Scroll(statistics.median(v.drawn for v in visits), statistics.median(v.blocking for v in visits))


def _raw(frame: str | bytes) -> bytes:
    return frame if isinstance(frame, bytes) else frame.encode()


def measure(env: dict[str, str] | None, pages: list[tuple[str, str]], runs: int) -> tuple[Metrics, list[Page]]:
    data = ROOT / "data"
    floor = servers.floor(data / "side_effects.csv", tuned=True)
    app = servers.dashboard(data, name="dashboard direct", env=env)
    browser = Browser()
    try:
        one_by_one(floor.url, "", [""], 1)
        for _, path in pages:
            one_by_one(app.url, path, [""], 1)
        targets = [(FLOOR, floor.url)] + [(name, f"{app.url}/{path}") for name, path in pages]
        visits = interleaved(browser, targets, runs)
        floor_metrics = lighthouse.median(visits[FLOOR])
        measured = []
        for name, path in pages:
            desktop = lighthouse.median(visits[name])
            sent = one_by_one(app.url, path, [""], 1).first
            rounds = per_round(visits[name], visits[FLOOR])
            address = f"{app.url}/{path}"
            scroll = (scroll_to_chart(address, runs), scroll_to_chart(address, runs, phone=True))
            measured.append(Page(name, path, desktop, sent[0].bytes if sent else 0, rounds, scroll))
            print(f"direct {name}: TBT {desktop.tbt:.0f} ms, CLS {desktop.cls:.3f} (floor {floor_metrics.tbt:.0f} ms)")
    finally:
        browser.stop()
        app.stop()
        floor.stop()
    return floor_metrics, measured


def direct_section(report: Report, *, runs: int) -> None:
    pages = [(spec.path, "" if spec is PAGES[0] else spec.path) for spec in PAGES]
    floor, measured = measure(None, pages, runs)
    first: list[object] = [FLOOR, f"{floor.score:.0f}", floor.tbt, "1.00", "", f"{floor.cls:.3f}", floor.fcp, "", ""]
    rows = [first]
    worst = (0.0, "")
    for page in measured:
        ratio = page.desktop.tbt / floor.tbt if floor.tbt > 0 else math.inf
        worst = max(worst, (ratio, page.name))
        d = page.desktop
        spread = f"{min(page.rounds):.2f}-{max(page.rounds):.2f}" if page.rounds else ""
        desk, phone = page.scroll
        scrolled = ["", ""]
        if desk is not None and phone is not None:
            scrolled = [f"{desk.drawn:,.0f} / {phone.drawn:,.0f}", f"{desk.blocking:,.0f} / {phone.blocking:,.0f}"]
        rows.append([page.name, f"{d.score:.0f}", d.tbt, f"{ratio:.2f}", spread, f"{d.cls:.3f}", d.fcp, *scrolled])
    report.table(
        "7b. In the browser: Lighthouse desktop straight to Streamlit, beside the floor app",
        f"Lighthouse's desktop preset, performance category, median of {runs} first visits per page, on one "
        "dashboard server (shipped data, public mode) and the tuned floor app, both on loopback with no proxy, "
        "in the same run, visited in rounds (the floor app, then every page). TBT / floor is the ratio of the "
        "medians (the target's figure); each round is the lowest and highest of the ratios within one round, "
        "which shows how far the same code moves from one visit to the next. A chart page draws its charts "
        "once the reader scrolls to one (dashboard/ui/inview.py), and Lighthouse does not scroll: the last "
        "two columns are what that reader then waits and blocks (Playwright, first visits, median of "
        f"{runs}): from the scroll to the first chart on screen, and the long tasks' time over 50 ms from the "
        "scroll until 3 s after the draw, at the same desktop size / on a 390 px touch screen with the "
        f"processor slowed {PHONE_CPU}x (as Lighthouse's mobile preset slows it). Times in ms, CLS unitless.",
        [*COLUMNS, "chart on screen after the scroll, desktop / phone", "blocking after the scroll, desktop / phone"],
        rows,
    )
    report.target(
        "every page, desktop TBT vs floor app (both straight to Streamlit)",
        f"{worst[0]:.2f}x ({worst[1]}; floor {floor.tbt:.0f} ms)",
        f"{TBT_LIMIT}x",
        worst[0] <= TBT_LIMIT,
    )
    cls, name = max((p.desktop.cls, p.name) for p in measured)
    report.target(
        "every page, desktop CLS vs floor app (both straight to Streamlit)",
        f"{cls:.3f} ({name}; floor {floor.cls:.3f})",
        "the floor app's",
        cls <= floor.cls,
    )


def compression_section(report: Report, *, runs: int, pages: tuple[str, ...] = ("overview", "side-effects")) -> None:
    """Streamlit's ``server.enableWebsocketCompression`` off and on (as shipped): the websocket's bytes
    (deflated here, as the option sends them) against Lighthouse's desktop times."""
    chosen = [(name, "" if name == PAGES[0].path else name) for name in pages]
    rows = []
    for label, on in (("off", False), ("on (shipped)", True)):
        env = {COMPRESSION: "true" if on else "false"}
        _floor, measured = measure(env, chosen, runs)
        app = servers.dashboard(ROOT / "data", name="dashboard bytes", env=env)
        try:
            for page in measured:
                raw, packed = websocket_bytes(f"{app.url}/{page.path}")
                sent = packed if on else raw
                d = page.desktop
                rows.append([page.name, label, sent / 1e3, raw / 1e3, d.fcp, d.tti, d.tbt])
        finally:
            app.stop()
    report.table(
        "7c. Websocket compression: bytes against time",
        f"Streamlit's server.enableWebsocketCompression off and on, straight to Streamlit on loopback; median of "
        f"{runs} Lighthouse desktop first visits per page. KB sent is the first visit's websocket frames as "
        "Chromium received them, and with compression on, the same frames through one deflate stream (what "
        "permessage-deflate sends). Times in ms.",
        ["page", "compression", "KB sent on the websocket", "KB before compression", "FCP", "TTI", "TBT"],
        rows,
    )
