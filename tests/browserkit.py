"""Debian's Chromium driven by Playwright, as the browser and container tiers both use it.

A browser download cannot work here: Playwright drives /usr/bin/chromium with flags that keep it
off the network. Every page a test opens records console errors and dialogs, so a test fails on
any script error, CSP violation or injected alert, not only on what it asserts.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Error, Page, expect, sync_playwright

from bench.servers import CHROMIUM, CHROMIUM_FLAGS
from dashboard.ui.inview import WAITING

FLAGS = list(CHROMIUM_FLAGS)
VIEWPORT = {"width": 1400, "height": 1000}
PHONE = {"width": 390, "height": 844}
PHONE_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
"""A phone's user agent: Streamlit decides what a phone gets by it, not by the screen's width (it
closes the page menu after a choice only on a phone)."""


def phone(browser: Browser) -> BrowserContext:
    """A phone: a 390 px touch screen that says it is one."""
    return browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, user_agent=PHONE_AGENT)  # type: ignore[arg-type]


# Streamlit's frontend finds its base path by probing <path>/_stcore/health and host-config
# when a page is opened at a deep URL such as /dosing; those probes 404 by design.
PROBES = ("/_stcore/health", "/_stcore/host-config")


@contextmanager
def chromium() -> Iterator[Browser]:
    try:
        manager = sync_playwright().start()
    except Error as error:  # Playwright's sync API allows one instance per process
        raise RuntimeError("run this tier in a pytest process of its own (as make test does)") from error
    try:
        launched = manager.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()
    finally:
        manager.stop()


@dataclass
class Console:
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def record(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        url = str(message.location.get("url", ""))
        if "404" in message.text and url.endswith(PROBES):
            return
        self.errors.append(f"{message.text} @ {url}")


@contextmanager
def watched_page(browser: Browser, console: Console) -> Iterator[Page]:
    """A fresh context (no cookies, empty cache); fails if a dialog opened or the console logged an error."""
    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    opened = context.new_page()
    opened.on("console", console.record)
    opened.on("pageerror", lambda error: console.errors.append(f"page error: {error}"))
    opened.on("dialog", lambda dialog: (console.dialogs.append(dialog.message), dialog.dismiss()))
    yield opened
    context.close()
    assert console.dialogs == [], "a dialog opened"
    assert console.errors == [], "console errors"


def wait_ready(page: Page) -> None:
    """Wait until the script run has finished (the status widget shows no running state)."""
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning", timeout=30_000)


STABLE_COUNT = """([selector, key]) => {
    const n = document.querySelectorAll(selector).length;
    const seen = window[key];
    window[key] = n;
    return n > 0 && n === seen;
}"""


def settled_count(page: Page, selector: str) -> int:
    """How many elements match once their number has stopped changing (plotly draws in steps):
    polls the page until two readings 300 ms apart agree, then returns that count."""
    page.wait_for_function(STABLE_COUNT, arg=[selector, "__settled_" + str(abs(hash(selector)))], polling=300)
    return int(page.locator(selector).count())


def draw_charts(page: Page) -> int:
    """Scroll to the first place a page holds for a chart, as a reader would, and wait until the page
    has drawn its charts (it draws them only once the reader scrolls to one: dashboard/ui/inview.py).
    Returns how many charts the page shows."""
    waiting = page.get_by_text(WAITING)
    if waiting.count():
        waiting.first.scroll_into_view_if_needed()
        expect(page.get_by_test_id("stPlotlyChart").first).to_be_attached(timeout=30_000)
        expect(waiting).to_have_count(0)
    wait_ready(page)
    if not page.get_by_test_id("stPlotlyChart").count():
        return 0
    settled_count(page, ".js-plotly-plot .main-svg")
    return int(page.locator(".js-plotly-plot").count())


CLOSED_EXPANDER = "details:has(> [data-testid='stExpanderDetails'][inert]) > summary"
SETTLED_CLOSED = """([selector, key]) => {
    const app = document.querySelector("[data-testid='stApp']");
    const idle = app?.getAttribute("data-test-script-state") === "notRunning";
    const n = idle ? document.querySelectorAll(selector).length : -1;
    const seen = window[key];
    window[key] = n;
    return n >= 0 && n === seen;
}"""


def open_every_expander(page: Page, limit: int = 200) -> int:
    """Open every expander on the page, including those a lazy expander builds only once opened.

    One at a time: each click on a lazy expander starts a script run that may add expanders, so
    the closed ones are found again after the page has settled (the run finished and the number of
    closed expanders unchanged over two readings 300 ms apart). Returns how many were opened."""
    for opened in range(limit):
        page.evaluate("() => { window.__closed = undefined; }")
        page.wait_for_function(SETTLED_CLOSED, arg=[CLOSED_EXPANDER, "__closed"], polling=300)
        closed = page.locator(CLOSED_EXPANDER)
        if not closed.count():
            return opened
        closed.first.click()
    raise AssertionError(f"{limit} expanders opened and still some closed: an expander closes again after opening")
